// The parsers a step loads for its inputs (steps/input-parsers.ts): its cloud's, and an operation's
// own only for the operation that reads it, so an assign evaluates neither the other cloud's nor
// any operation's before its first request. The parse (core/inputs/parse-inputs.ts) with them finds what the full one finds.
import { describe, expect, it } from '@jest/globals';
import { InputErrors } from '../../src/core/errors.js';
import { parseInputs } from '../../src/core/inputs/index.js';
import { parseInputsWith } from '../../src/core/inputs/parse-inputs.js';
import { inputParsersOf } from '../../src/steps/input-parsers.js';

const reader =
  (inputs: Record<string, string>) =>
  (name: string): string =>
    inputs[name] ?? '';

const problemsOf = (parse: () => unknown): string[] => {
  try {
    parse();
  } catch (problem) {
    if (problem instanceof InputErrors) return problem.problems.map((p) => p.describe());
    throw problem;
  }
  return [];
};

describe('the input parsers a step loads', () => {
  it.each(['assign', 'revoke', 'provision', '', 'no-such-operation'])(
    '`operation: %s` loads no operation parser, only its cloud’s',
    async (operation) => {
      expect(Object.keys(await inputParsersOf(reader({ cloud: 'aws', operation })))).toEqual(['aws']);
      expect(Object.keys(await inputParsersOf(reader({ cloud: ' Azure ', operation })))).toEqual(['azure']);
    },
  );

  it.each(['reconcile', 'sweep', 'report', 'request', 'REPORT'])(
    '`operation: %s` loads its own parser beside its cloud’s',
    async (operation) => {
      const parsers = await inputParsersOf(reader({ cloud: 'azure', operation }));
      expect(Object.keys(parsers).sort()).toEqual(['azure', operation.toLowerCase()].sort());
    },
  );

  it.each(['', 'gcp'])('`cloud: %s`, which names no cloud, loads no cloud’s parser', async (cloud) => {
    expect(Object.keys(await inputParsersOf(reader({ cloud, operation: 'assign' })))).toEqual([]);
  });

  it.each<Record<string, string>>([
    { cloud: 'aws', operation: 'sweep', lookback: '0d', 'fail-on-stuck': 'maybe', policy: 'p.yml' },
    { cloud: 'azure', operation: 'reconcile', manifest: '../m.yml', 'max-deletions': '-1' },
    { cloud: 'aws', operation: 'assign', 'created-by': 'x', manifest: 'm.yml', rule: 'r', target: 'nope' },
    { cloud: 'gcp', operation: 'report', since: 'x' },
  ])('report every problem the full parse reports, with the same words: %j', async (inputs) => {
    const read = reader(inputs);
    const parsers = await inputParsersOf(read);
    const step = problemsOf(() => parseInputsWith(parsers, read, {}, {}, () => 0));
    expect(step.length).toBeGreaterThan(0);
    expect(step).toEqual(problemsOf(() => parseInputs(read, {}, {}, () => 0)));
  });

  it("a parse without its operation's parser is the program's mistake, not the workflow's input error", () => {
    const read = reader({ cloud: 'aws', operation: 'reconcile', manifest: 'm.yml' });
    expect(() => parseInputsWith({}, read)).toThrow('the parser of the reconcile inputs was not loaded');
    expect(() => parseInputsWith({}, read)).not.toThrow(InputErrors);
  });
});
