// The plan's input and the issues GitHub lists back, shared by the campaign's plan tests and one
// issue's (issues-plan.test.ts, issue-plan.test.ts).
import type { IssueComment } from '../../../src/github/review-issues.js';
import type { ReviewersFile } from '../../../src/operations/review/model/reviewers-file.js';
import { assignReviewers } from '../../../src/operations/review/model/rows.js';
import type { IssueRead, PlanInput } from '../../../src/operations/review/issue-plan.js';
import { planCampaign } from '../../../src/operations/review/issues-plan.js';
import { awsRow } from './model/review-rows.js';

export const DAY = 86_400_000;
export const BOT = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
export const file: ReviewersFile = {
  entries: [
    {
      line: 3,
      accounts: ['root'],
      scopes: [],
      roles: [],
      reviewers: [{ login: 'alice' }, { org: 'acme', team: 'sec' }],
    },
  ],
  defaultReviewers: [],
  due: { iso: 'P14D', ms: 14 * DAY },
  defaultDecision: 'keep',
};
export const rows = [awsRow(), awsRow({ principalId: 'u-2', held: 'manifest' })];
export const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  campaign: '2026-Q3',
  cloud: 'aws',
  assignment: assignReviewers(rows, file, { accountsUnder: () => undefined }),
  file,
  issues: [],
  resolved: new Map([['alice', 101]]),
  teams: new Map([['acme/sec', new Map([['carol', 103]])]]),
  startedAt: '2026-07-01T00:00:00Z',
  now: new Date('2026-07-01T00:00:00Z'),
  mayAct: true,
  ...over,
});

/** The issue a first run opened, as GitHub would list it back. */
export function opened(over: Partial<IssueRead> = {}): IssueRead {
  const first = planCampaign(input()).issues[0]!;
  return {
    number: 7,
    title: first.write!.title,
    body: first.write!.body,
    state: 'open',
    createdAt: '2026-07-01T00:00:00Z',
    author: BOT,
    comments: [],
    ...over,
  };
}

let n = 1;
export const comment = (
  login: string,
  id: number,
  body: string,
  at = '2026-07-02T00:00:00Z',
): IssueComment => ({
  id: n++,
  url: `https://github.com/octo-org/octo-repo/issues/7#issuecomment-${n}`,
  body,
  author: { login, id, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
  createdAt: at,
  updatedAt: at,
});
