// `npm run demo`'s access review: the campaign opened as a GitHub issue on the emulator's GitHub, a
// row per grant in 111111111111; alice (the reviewer) decides bob's row `/revoke`, the campaign
// falls due, and a scheduled run revokes that grant and closes the issue with every row's outcome.
// Staged as the `aws-review` local mode stages it (emulator/control-review.ts).
import { stageAccessReview } from '../../emulator/control-review.js';
import type { Emulator } from '../../emulator/index.js';
import { runStep } from '../../harness/action-runner.js';
import { bold, show } from './demo-show.js';

export async function showReview(emulator: Emulator, awsInputs: Record<string, string>): Promise<void> {
  console.log(
    `\n${bold('AWS IAM Identity Center: an access review as a GitHub issue, applied at its due date')}`,
  );
  const { aws, github } = emulator;
  stageAccessReview({ aws, github }, {});
  console.log(
    '  emulator: .github/access-reviewers.yml on main (alice reviews every row, due 14d); bob holds ReadOnlyAccess in 111111111111',
  );
  const review = () =>
    runStep('main', {
      inputs: {
        ...awsInputs,
        operation: 'review',
        target: '111111111111',
        role: 'ReadOnlyAccess',
        'github-token': github.runs.jobToken,
      },
      env: {
        ...emulator.env,
        GITHUB_EVENT_NAME: 'schedule',
        GITHUB_REPOSITORY: 'octo-org/octo-repo',
        GITHUB_WORKFLOW_REF: 'octo-org/octo-repo/.github/workflows/access-review.yml@refs/heads/main',
      },
    });
  show('review step: the campaign opened as an issue, a row per grant', await review(), { brief: true });
  const issue = github.issues.issues().find((i) => i.state === 'open' && i.labels.includes('access-review'));
  const bobRow = /^\| `([0-9a-f]{8})` \| `bob`/m.exec(issue?.body ?? '')?.[1];
  if (!issue || !bobRow) throw new Error('the demo review opened no issue with a row of bob');
  stageAccessReview({ aws, github }, { comment: `/revoke ${bobRow} left the team`, due: true });
  console.log(
    `  emulator: alice comments \`/revoke ${bobRow} left the team\` on #${issue.number}; the campaign is due`,
  );
  show('review step at the due date: the grant revoked, the issue closed', await review(), { brief: true });
  const closing = github.issues.comments(issue.number).at(-1)?.body ?? '';
  console.log(
    `  emulator: #${issue.number} is ${github.issues.issue(issue.number)?.state}; its closing comment:`,
  );
  for (const line of closing.split('\n').slice(0, 12)) console.log(`    ${line}`);
}
