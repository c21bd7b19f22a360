// `npm run demo`'s session fences: the deploy job's AdministratorAccess set is opted in
// (`cloud-access:end-sessions` = `true`, as its owner would tag it), holds another writer's
// statement and an earlier run's fence long expired, and carol holds it in 111111111111 by hand.
// After the post step revokes the grant, the set's inline policy shows what that did: in
// 111111111111 a fence (sessions of the set issued before the revoke end; carol signs in again),
// provisioned there; in 222222222222 the role went with the set's last assignment; the other
// writer's statement as it was; the expired fence gone.
import type { Emulator } from '../../emulator/index.js';
import { fenceFor, fenceStatement, fenceOf } from '../../src/core/permission-sets/session-fence.js';

const OTHER_WRITER = { Sid: 'NoBilling', Effect: 'Deny', Action: 'aws-portal:*', Resource: '*' };

/** The set opted in, with another writer's statement and a fence a run put three hours ago (expired). */
export function optInWithAnExpiredFence(emulator: Emulator, setName: string): void {
  const arn = emulator.aws.permissionSetArn(setName);
  const set = emulator.aws.state.permissionSets.get(arn)!;
  set.tags = [
    ...(set.tags ?? []).filter((t) => t.Key !== 'cloud-access:end-sessions'),
    { Key: 'cloud-access:end-sessions', Value: 'true' },
  ];
  emulator.aws.addAssignment({
    accountId: '111111111111',
    permissionSetArn: arn,
    principalType: 'USER',
    principalId: emulator.aws.userId('carol'),
  });
  const earlier = fenceFor(arn, '111111111111', Date.now() - 3 * 3600_000, 3600);
  set.inlinePolicy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [OTHER_WRITER, fenceStatement(earlier)],
  });
  console.log(
    `  emulator: carol holds ${setName} in 111111111111 (assigned by hand); ${setName} is tagged cloud-access:end-sessions=true; its inline policy holds ${OTHER_WRITER.Sid} (another writer's) and ${fenceStatement(earlier).Sid} (an earlier run's fence, expired ${earlier.expiresAt})`,
  );
}

/** The set's inline policy as the post step left it: each statement by its Sid, a fence with what it ends. */
export function showFences(emulator: Emulator, setName: string): void {
  const arn = emulator.aws.permissionSetArn(setName);
  const set = emulator.aws.state.permissionSets.get(arn)!;
  const policy = JSON.parse(set.inlinePolicy ?? '{"Statement": []}') as { Statement: unknown[] };
  console.log(`  emulator: ${setName}'s inline policy now:`);
  for (const statement of [policy.Statement].flat()) {
    const fence = fenceOf(statement, arn);
    const sid = (statement as { Sid?: string }).Sid ?? '(no Sid)';
    console.log(
      fence
        ? `    ${sid}: Deny * to every session of the set in ${fence.account} issued before ${fence.before}${fence.userIds ? ` by ${fence.userIds.length} user(s)` : ''}; removed by any run after ${fence.expiresAt}`
        : `    ${sid}: another writer's statement, kept as it was`,
    );
  }
  const provisioned = emulator.aws
    .provisionedAccounts(arn)
    .map((a) => `${a.accountId}${a.current ? '' : ' (outdated)'}`);
  console.log(`  emulator: ${setName} provisioned to ${provisioned.join(', ') || 'no account'}`);
}
