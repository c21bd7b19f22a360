import { describe, expect, it } from '@jest/globals';
import { emitOutputs } from '../../../src/core/output/step.js';

describe('a step’s outputs go to the runner as text or as JSON, by their value', () => {
  it('a value given as JSON goes to setJsonOutput as that value, text to setOutput, in the order given', () => {
    const calls: [kind: 'text' | 'json', name: string, value: unknown][] = [];
    const plan = { create: 1, reason: 'denied\u2028##[warning]pwned' };
    emitOutputs(
      {
        outputs: [
          ['status', 'SUCCEEDED'],
          ['plan', { json: plan }],
          ['results', { json: [] }],
        ],
      },
      {
        setOutput: (name, value) => calls.push(['text', name, value]),
        setJsonOutput: (name, value) => calls.push(['json', name, value]),
      },
    );
    expect(calls).toEqual([
      ['text', 'status', 'SUCCEEDED'],
      ['json', 'plan', plan],
      ['json', 'results', []],
    ]);
  });
});
