// `assignment-type`: Azure steps assign (`active`, the default) or make eligible (`eligible`), and
// what an eligibility cannot go with is refused before any network call, naming the input.
import { describe, expect, it } from '@jest/globals';
import { parseInputs, type AzureConfig } from '../../../src/core/inputs/index.js';
import { settingsKindOf } from '../../../src/core/kinds/index.js';
import { settingsOf } from '../../../src/core/state/saved-settings.js';
import { inputProblems, reader } from '../../harness/input-problems.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const PRINCIPAL = '11111111-2222-3333-4444-555555555555';
const azure = { cloud: 'azure', principal: PRINCIPAL, target: `/subscriptions/${SUB}`, role: 'Reader' };
const run = { repository: 'octo/app', repositoryId: '123456' };

const problemsOf = (inputs: Record<string, string>) => inputProblems(inputs, {}, run);

describe('assignment-type on Azure', () => {
  it('is active unless it says eligible, and an eligible step names its requests after the repository ID', () => {
    expect((parseInputs(reader(azure), {}, run) as AzureConfig).assignmentType).toBeUndefined();
    const eligible = parseInputs(
      reader({ ...azure, 'assignment-type': 'Eligible', duration: 'P30D' }),
      {},
      run,
    ) as AzureConfig;
    expect(eligible).toMatchObject({ assignmentType: 'eligible', requestOwner: 'github:123456' });
    expect(eligible.duration?.iso).toBe('P30D');
  });

  it('takes an eligibility without duration: no end, where the policy allows', () => {
    expect(problemsOf({ ...azure, 'assignment-type': 'eligible' })).toEqual([]);
  });

  it('refuses a value it does not know, naming the input', () => {
    expect(problemsOf({ ...azure, 'assignment-type': 'permanent' })).toEqual([
      expect.stringMatching(/^input `assignment-type`/),
    ]);
  });

  it('refuses revoke-on-exit without duration, so that Azure ends an eligibility a lost job leaves', () => {
    expect(problemsOf({ ...azure, 'assignment-type': 'eligible', 'revoke-on-exit': 'true' })).toEqual([
      expect.stringMatching(/^input `revoke-on-exit`: with `assignment-type: eligible` needs `duration`/),
    ]);
    expect(
      problemsOf({ ...azure, 'assignment-type': 'eligible', 'revoke-on-exit': 'true', duration: 'PT8H' }),
    ).toEqual([]);
  });

  it('refuses the inputs an eligibility request has no place for', () => {
    expect(
      problemsOf({
        ...azure,
        'assignment-type': 'eligible',
        'assignment-name': '05c5a614-a7d6-4502-b150-c2fb455033ff',
        condition:
          "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'x'",
      }),
    ).toEqual([
      expect.stringMatching(/^input `assignment-name`: cannot be used with `assignment-type: eligible`/),
      expect.stringMatching(/^input `condition`: cannot be used with `assignment-type: eligible`/),
    ]);
  });

  it('applies to assign and revoke; a reconcile says it in its manifest', () => {
    const problems = problemsOf({ cloud: 'azure', operation: 'sweep', 'assignment-type': 'eligible' });
    expect(problems).toContainEqual(
      expect.stringMatching(/^input `assignment-type`: applies to `operation: assign` and `revoke` only/),
    );
  });

  it('is refused on AWS, naming the input', () => {
    expect(
      problemsOf({
        cloud: 'aws',
        principal: 'alice',
        target: '111111111111',
        role: 'ReadOnlyAccess',
        'aws-region': 'us-east-1',
        'assignment-type': 'eligible',
      }),
    ).toEqual([expect.stringMatching(/^input `assignment-type`: applies to `cloud: azure` only/)]);
    expect(
      problemsOf({
        cloud: 'aws',
        principal: 'alice',
        target: '111111111111',
        role: 'ReadOnlyAccess',
        'aws-region': 'us-east-1',
        'assignment-type': 'active',
      }),
    ).toEqual([]);
  });

  it("is saved for the post step, which removes the main step's eligibilities as such", () => {
    const config = parseInputs(
      reader({ ...azure, 'assignment-type': 'eligible', 'revoke-on-exit': 'true', duration: 'PT8H' }),
      {},
      run,
    );
    const saved = settingsOf(config);
    expect(saved).toMatchObject({ assignmentType: 'eligible', duration: 'PT8H' });
    expect(settingsKindOf(saved)).toBe('azure-pim-eligible');
  });
});
