// What `npm run emulator` seeds for the aws-end-sessions local mode (emulator/examples-seed.ts):
// BreakGlassAccess opted in to session fences, its inline policy holding another writer's statement
// and an earlier run's fence that the action takes as its own and as expired (so a revoke's put
// takes it out), and `GET /_emulator/aws/permission-sets` showing it as a person reads it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { END_SESSIONS_SEED_POLICY, EXAMPLES, seedExamples } from '../../emulator/examples-seed.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { fencedPolicy, withoutExpired } from '../../src/core/permission-sets/fenced-policy.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true });
  seedExamples(emulator);
});
afterAll(() => emulator.close());

describe('the opted-in set the examples seed', () => {
  it("holds an earlier run's session fence the action takes as its own, expired, beside another writer's statement", () => {
    const arn = emulator.aws.permissionSetArn(EXAMPLES.endSessionsPermissionSet);
    const read = fencedPolicy(JSON.stringify(END_SESSIONS_SEED_POLICY), arn);
    if ('unreadable' in read) throw new Error(read.unreadable);
    const { expired } = withoutExpired(read, Date.now());
    expect(expired).toEqual([
      {
        setArn: arn,
        account: '111111111111',
        before: '2025-01-01T10:00:00Z',
        expiresAt: '2025-01-01T11:15:00Z',
        // Written under the Sid rule before it covered the users: still the action's, and expired.
        earlierSid: true,
      },
    ]);
  });

  it('is shown by GET /_emulator/aws/permission-sets?name=: its tag, its statements, where it is provisioned', async () => {
    const answer = await fetch(
      `${emulator.endpoints.github}/_emulator/aws/permission-sets?name=${EXAMPLES.endSessionsPermissionSet}`,
    );
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual([
      expect.objectContaining({
        name: 'BreakGlassAccess',
        tags: { 'cloud-access:end-sessions': 'true' },
        sessionDuration: 'PT1H',
        inlinePolicy: END_SESSIONS_SEED_POLICY,
        provisionedTo: [],
      }),
    ]);
    const unknown = await fetch(`${emulator.endpoints.github}/_emulator/aws/permission-sets?name=Nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'no permission set "Nope" (by name or ARN)' });
  });
});
