// `npm run demo`'s "who last used it": alice signs in to 111111111111 through the emulator's AWS
// access portal (which issues the role's credentials and has CloudTrail record GetRoleCredentials
// as AWS does, emulator/aws/cloudtrail/portal.ts), and a report with `last-used: true` shows that
// grant used and her grant in 222222222222, held since before the event history, used by nobody.
import { cloudTrailRecord } from '../../emulator/aws/account/cloudtrail-record.js';
import type { Emulator } from '../../emulator/index.js';
import { runStep } from '../../harness/action-runner.js';
import { bold, show } from './demo-show.js';

/** After the re-provisioning, which gives alice ReadOnlyAccess in 111111111111 and 222222222222 as older grants. */
export async function showLastUsed(emulator: Emulator, awsInputs: Record<string, string>): Promise<void> {
  console.log(`\n${bold('AWS IAM Identity Center: who last used each grant (last-used: true)')}`);
  const signIn = emulator.aws.signInToPortal({
    user: 'alice',
    accountId: '111111111111',
    permissionSet: 'ReadOnlyAccess',
  });
  // The record as CloudTrail delivers it (LookupEvents' CloudTrailEvent), the fields a use is read from.
  const record = cloudTrailRecord(signIn.event);
  console.log(
    `  emulator: alice signs in to 111111111111 with ReadOnlyAccess through the access portal (${signIn.credentials ? 'credentials issued' : `refused: ${signIn.errorCode}`}); CloudTrail records:`,
  );
  for (const field of [
    'eventSource',
    'eventName',
    'eventType',
    'userIdentity',
    'serviceEventDetails',
    'requestParameters',
  ])
    console.log(`    ${field}: ${JSON.stringify(record[field])}`);
  const step = await runStep('main', {
    inputs: {
      ...awsInputs,
      'role-to-assume': 'arn:aws:iam::123456789012:role/access-report',
      operation: 'report',
      target: '111111111111, 222222222222',
      role: 'ReadOnlyAccess',
      'last-used': 'true',
    },
    env: { ...emulator.env, GITHUB_EVENT_NAME: 'schedule' },
  });
  show(
    "report with last-used: true: each row with its newest sign-in (alice in 111111111111), none since the history's start (alice in 222222222222), or too new to tell (the groups' grants the apply made)",
    step,
    { brief: true },
  );
}
