// The local mode of an access review (./local-modes.ts lists it): `operation: review` on AWS opens
// a campaign's issue on the emulated GitHub; a reviewer's decision and the due date are staged with
// the control call POST /_emulator/github/access-review (emulator/control-review.ts), and a second
// run revokes the row decided `revoke` and closes the issue.

const ROUTE = '/_emulator/github/access-review';
const stage = (body: Record<string, unknown>) =>
  `curl -XPOST $EMULATOR_URL${ROUTE} -d '${JSON.stringify(body)}'`;

/** What the person stages after the first run, each with what it shows. */
export const REVIEW_NEXT = [
  {
    shows:
      "alice's decision, a comment on the issue (ROW_ID: one of the issue's `rows`, which the first call answers once the issue is open)",
    command: stage({ comment: '/revoke ROW_ID left the team' }),
  },
  {
    shows: 'the campaign due (its issue opened 15 days ago): run the mode again to close it',
    command: stage({ due: true }),
  },
];

/**
 * alice reviews every grant in the instance: the first run opens the campaign's issue (a row per
 * grant), a run after her `/revoke` and the due date revokes that grant and closes the issue.
 */
export function reviewMode(aws: Record<string, string>, env: Record<string, string>) {
  return {
    name: 'aws-review',
    title: 'AWS access review (run twice: see its file)',
    does: "opens this quarter's access review campaign as an issue on the emulated GitHub, a row per grant, alice its reviewer (stage the reviewers file and a grant first); after her `/revoke` comment and the due date are staged, the next run revokes that grant and closes the issue with every row's outcome",
    first: stage({}),
    next: REVIEW_NEXT,
    example: 'access-review.yml',
    event: 'schedule',
    inputs: {
      ...aws,
      'role-to-assume': 'arn:aws:iam::123456789012:role/cloud-access-review',
      'github-token': env.EMULATOR_GITHUB_TOKEN ?? '',
      operation: 'review',
    },
  };
}
