// A sub-action's step reads its inputs with its operation fixed, and refuses an `operation` input
// that asks for another; the table says which inputs each operation reads, on the clouds it runs on.
import { describe, expect, it } from '@jest/globals';
import {
  inputsOfOperation,
  inputsOnlyOf,
  subActionInputs,
} from '../../../src/core/inputs/operation-inputs.js';

const given = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

describe("a sub-action's inputs", () => {
  it('read its operation whatever the runner passes, and pass every other input through', () => {
    const { read, misplaced } = subActionInputs(given({ cloud: 'aws' }), 'report');
    expect(read('operation')).toBe('report');
    expect(read('cloud')).toBe('aws');
    expect(misplaced).toBeUndefined();
  });

  it('take an `operation` that says the same, in any case', () => {
    expect(subActionInputs(given({ operation: 'Assign' }), 'grant').misplaced).toBeUndefined();
  });

  it('refuse an `operation` that asks for another, naming the sub-action that runs it', () => {
    const { read, misplaced } = subActionInputs(given({ operation: 'revoke' }), 'grant');
    expect(read('operation')).toBe('assign');
    expect(misplaced).toEqual({
      input: 'operation',
      message: 'is not an input of the `grant` action, which runs `operation: assign` only',
      fix: 'remove `operation`, or use `cloud-access/cloud-access/revoke` for `revoke`',
    });
  });

  it('refuse an `operation` that is none, without echoing it', () => {
    const { misplaced } = subActionInputs(given({ operation: '::error::x' }), 'sweep');
    expect(misplaced?.fix).toBe('remove `operation`');
    expect(JSON.stringify(misplaced)).not.toContain('::error::');
  });
});

describe('the inputs each operation reads', () => {
  it("leave out the other cloud's inputs for an operation of one cloud (provision: AWS)", () => {
    const names = ['cloud', 'role', 'client-id', 'aws-region', 'only-outdated', 'principal'];
    expect(inputsOfOperation('provision', names)).toEqual(['cloud', 'role', 'aws-region', 'only-outdated']);
  });

  it('never include `operation`, which the sub-action fixes', () => {
    expect(inputsOfOperation('assign', ['operation', 'cloud'])).toEqual(['cloud']);
  });

  it('name the inputs only a request reads, which every other operation refuses', () => {
    expect(inputsOnlyOf('request')).toEqual(['rule', 'policy', 'justification']);
  });
});
