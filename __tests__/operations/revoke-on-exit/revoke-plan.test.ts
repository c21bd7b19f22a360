// The post step signs in as its main step did, and says so when its own re-evaluated inputs would
// sign in elsewhere: where those inputs sign in, and each place in one line.
import { describe, expect, it } from '@jest/globals';
import { describeSignIn, postInputsOf } from '../../../src/operations/revoke-on-exit/revoke-plan.js';
import type { InputReader } from '../../../src/core/inputs/fields.js';
import type { WorkflowContext } from '../../../src/core/inputs/index.js';

/** Where the post step's own inputs would sign in now. */
const signInNow = (read: InputReader, env: NodeJS.ProcessEnv, context: WorkflowContext) =>
  postInputsOf(read, env, context, false).signsInNow;

const run = { runId: '42', runAttempt: '1' };
const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

describe('where the post step’s own inputs would sign in', () => {
  it('AWS: the Region and the role, in one line', () => {
    const place = signInNow(
      reader({
        cloud: ' AWS ',
        'aws-region': 'eu-west-1',
        'role-to-assume': 'arn:aws:iam::123456789012:role/deploy',
      }),
      {},
      run,
    );
    expect(place).toEqual({
      cloud: 'aws',
      region: 'eu-west-1',
      roleToAssume: 'arn:aws:iam::123456789012:role/deploy',
    });
    expect(describeSignIn(place!)).toBe('AWS Region eu-west-1 as arn:aws:iam::123456789012:role/deploy');
    expect(describeSignIn({ cloud: 'aws', region: 'us-east-1' })).toBe(
      'AWS Region us-east-1 as the ambient credentials',
    );
  });

  it('Azure: the ARM endpoint and the client of its tenant, in one line', () => {
    const place = signInNow(
      reader({
        cloud: 'azure',
        'client-id': '22222222-3333-4444-5555-666666666666',
        'tenant-id': '33333333-4444-5555-6666-777777777777',
      }),
      {},
      run,
    );
    expect(place).toMatchObject({ cloud: 'azure', resourceManagerEndpoint: 'https://management.azure.com' });
    expect(describeSignIn(place!)).toBe(
      'Azure https://management.azure.com as client 22222222-3333-4444-5555-666666666666 of tenant 33333333-4444-5555-6666-777777777777',
    );
    expect(describeSignIn({ cloud: 'azure', resourceManagerEndpoint: 'https://arm' })).toBe(
      'Azure https://arm as the ambient credential',
    );
  });

  it('nowhere, when the inputs do not validly say', () => {
    expect(signInNow(reader({ cloud: 'gcp' }), {}, run)).toBeUndefined();
    expect(signInNow(reader({ cloud: 'aws', 'aws-region': 'not a region' }), {}, run)).toBeUndefined();
  });

  it('apart from its own two inputs: a sign-in input it cannot read never refuses the revoke', () => {
    const own = postInputsOf(reader({ cloud: 'gcp', 'revoke-on-exit': 'true' }), {}, run, false);
    expect(own).toEqual({ budget: 300 });
    const refused = postInputsOf(reader({ cloud: 'aws', 'aws-region': 'eu-west-1' }), {}, run, false);
    expect(refused.budget).toMatch(/`revoke-on-exit` input is now false/);
    expect(refused.signsInNow).toMatchObject({ cloud: 'aws', region: 'eu-west-1' });
    expect(postInputsOf(reader({ 'post-timeout-seconds': 'soon' }), {}, run, true).budget).toMatch(
      /post-timeout-seconds/,
    );
  });
});
