// The control API's access review, so a person running `npm run emulator` can walk
// `operation: review` end to end (the `aws-review` local mode): in one call, the reviewers file at
// the default branch's head (alice reviews every row), alice's GitHub account, and a grant for her
// to review (bob's ReadOnlyAccess in 111111111111); after a run
// opened the campaign's issue, the same call posts alice's decision on it (`/revoke <row ID>
// <reason>`, `/keep all`) and makes the campaign due (the first run of the review's workflow,
// `access-review.yml` on `main`, which starts the quarter's campaign, longer ago than `due`), so
// that the next run closes it. It answers the campaign's open issues with their row IDs. Every body
// is checked field by field (./control-body.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsEmulator } from './aws/index.js';
import { answerBody, BodyError, checkFields, type Json } from './control-body.js';
import { bodyOf } from './control-calls.js';
import type { GithubAccount, GithubIssuesEmulator, IssueRecord } from './github/issues-store.js';
import type { GithubRepositoryEmulator } from './github/repository.js';

/** The reviewer: every row's, by login and account ID (a comment's author is checked by both). */
const ALICE: GithubAccount = { login: 'alice', id: 583231, type: 'User' };
/** Where the step reads the reviewers file (its `reviewers` input's default), and the campaign's `due`. */
export const REVIEWERS = { branch: 'main', path: '.github/access-reviewers.yml', dueDays: 14 } as const;
/** The review's workflow (examples/workflows/access-review.yml), whose runs the Actions API lists. */
export const REVIEW_WORKFLOW = 'access-review.yml';
const LABEL = 'access-review';
const DAY_MS = 86_400_000;

/** The grant the campaign reviews: the emulator starts with none. */
const GRANT = { user: 'bob', permissionSet: 'ReadOnlyAccess', accountId: '111111111111' } as const;

type Target = {
  aws: AwsEmulator;
  github: { readonly repository: GithubRepositoryEmulator; readonly issues: GithubIssuesEmulator };
};

/** A campaign's issue as the call answers it: its number, title and row IDs (from its table). */
const described = (issue: IssueRecord) => ({
  number: issue.number,
  title: issue.title,
  createdAt: issue.createdAt,
  rows: [...(issue.body ?? '').matchAll(/^\| `([0-9a-f]{8})` \|/gm)].map((m) => m[1]),
});

/** `POST /_emulator/github/access-review`: the reviewers file; a decision of alice's; the campaign due. */
export function stageAccessReview({ aws, github }: Target, body: Json) {
  checkFields(body, {
    comment: {
      check: (v) => typeof v === 'string' && /^\/(keep|revoke)\s\S/.test(v) && v.length <= 1024,
      takes: 'a decision of alice\'s: "/revoke ROW_ID… REASON" or "/keep ROW_ID…|all"',
      optional: true,
    },
    due: { check: (v) => v === true, takes: 'true', optional: true },
  });
  github.repository.setFile(
    REVIEWERS.branch,
    REVIEWERS.path,
    `version: 1\ndefault-reviewers: [${ALICE.login}]\ndue: ${REVIEWERS.dueDays}d\n`,
  );
  github.issues.setUser(ALICE);
  // The run the mode stands for, as the Actions API lists it: the quarter's campaign starts at its first.
  if (!github.issues.workflowRuns().some((r) => r.workflow === REVIEW_WORKFLOW))
    github.issues.addWorkflowRun({ workflow: REVIEW_WORKFLOW });
  aws.addAssignment({
    accountId: GRANT.accountId,
    permissionSetArn: aws.permissionSetArn(GRANT.permissionSet),
    principalType: 'USER',
    principalId: aws.userId(GRANT.user),
  });
  const open = github.issues
    .issues()
    .filter((i) => i.state === 'open' && !i.pull && i.labels.includes(LABEL));
  if ((body.comment !== undefined || body.due !== undefined) && open.length === 0)
    throw new BodyError(
      'no access-review issue is open: run the aws-review mode first (it opens the campaign), then this call',
    );
  if (typeof body.comment === 'string')
    for (const issue of open) github.issues.comment(issue.number, ALICE, body.comment);
  if (body.due === true) {
    // The campaign's first run a day more than `due` ago: the next run that acts is its due date.
    const at = new Date(Date.now() - (REVIEWERS.dueDays + 1) * DAY_MS)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    github.issues.addWorkflowRun({ workflow: REVIEW_WORKFLOW, event: 'workflow_dispatch', createdAt: at });
  }
  return {
    reviewers: `${REVIEWERS.path} at ${REVIEWERS.branch}: ${ALICE.login} (${ALICE.id}) reviews every row, due ${REVIEWERS.dueDays}d`,
    grant: `${GRANT.user} holds ${GRANT.permissionSet} in ${GRANT.accountId}`,
    issues: open.map(described),
  };
}

export async function handleReviewControl(
  target: Target,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
): Promise<boolean> {
  if (route !== 'POST /_emulator/github/access-review') return false;
  await answerBody(req, res, bodyOf(route), (body) => stageAccessReview(target, body));
  return true;
}
