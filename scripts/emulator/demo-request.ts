// `npm run demo`'s access request: alice asks for ReadOnlyAccess under the policy's rule
// `prod-read`, carol approves in the protected environment (both staged in the emulator's GitHub,
// emulator/control-request.ts), and the request step grants it until its expiry.
import { stageAccessRequest } from '../../emulator/control-request.js';
import type { Emulator } from '../../emulator/index.js';
import { runStep } from '../../harness/action-runner.js';
import { bold, show } from './demo-show.js';

const RUN_ID = '5150';

export async function showRequest(emulator: Emulator, awsInputs: Record<string, string>): Promise<void> {
  console.log(`\n${bold('AWS IAM Identity Center: an access request, approved in a protected environment')}`);
  stageAccessRequest(emulator, { runId: RUN_ID });
  console.log(
    "  emulator: .github/access-policy.yml on main (rule prod-read: alice may ask for ReadOnlyAccess in 111111111111 for up to 2h); alice's workflow_dispatch run, approved by carol in environment production-access",
  );
  const request = await runStep('main', {
    inputs: {
      ...awsInputs,
      'role-to-assume': 'arn:aws:iam::123456789012:role/cloud-access-request',
      operation: 'request',
      rule: 'prod-read',
      duration: '1h',
      justification: 'INC-42: the dashboards are down',
      'github-token': emulator.github.runs.jobToken,
    },
    env: { ...emulator.env, GITHUB_RUN_ID: RUN_ID, GITHUB_EVENT_NAME: 'workflow_dispatch' },
  });
  show(
    'request step: the policy at the default branch, the approval, then the grant until its expiry',
    request,
  );
}
