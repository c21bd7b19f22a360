// The table says which inputs each operation reads, on the clouds it runs on.
import { describe, expect, it } from '@jest/globals';
import { inputsOfOperation, inputsOnlyOf } from '../../../src/core/inputs/operation-inputs.js';

describe('the inputs each operation reads', () => {
  it("leave out the other cloud's inputs for an operation of one cloud (provision: AWS)", () => {
    const names = ['cloud', 'role', 'client-id', 'aws-region', 'only-outdated', 'principal'];
    expect(inputsOfOperation('provision', names)).toEqual(['cloud', 'role', 'aws-region', 'only-outdated']);
  });

  it('never include `operation`, which the sub-action fixes', () => {
    expect(inputsOfOperation('assign', ['operation', 'cloud'])).toEqual(['cloud']);
  });

  it('name the inputs only a request reads, which every other operation refuses', () => {
    expect(inputsOnlyOf('request')).toEqual(['rule', 'justification']);
  });

  it('leave `policy` to a request and a review, which read its rules and its people', () => {
    expect(inputsOnlyOf('review')).not.toContain('policy');
    expect(inputsOfOperation('review', ['policy', 'rule'])).toEqual(['policy']);
    expect(inputsOfOperation('assign', ['policy'])).toEqual([]);
  });
});
