import { describe, expect, it } from '@jest/globals';
import type { IssueComment } from '../../../src/github/review-issues.js';
import { readMarker } from '../../../src/operations/review/model/marker.js';
import type { ReviewersFile } from '../../../src/operations/review/model/reviewers-file.js';
import { assignReviewers } from '../../../src/operations/review/model/rows.js';
import {
  listedRowIds,
  planCampaign,
  type IssueRead,
  type PlanInput,
} from '../../../src/operations/review/issues-plan.js';
import { awsRow } from './model/review-rows.js';

const DAY = 86_400_000;
const BOT = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
const file: ReviewersFile = {
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
const rows = [awsRow(), awsRow({ principalId: 'u-2', held: 'manifest' })];
const input = (over: Partial<PlanInput> = {}): PlanInput => ({
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
function opened(over: Partial<IssueRead> = {}): IssueRead {
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
const comment = (login: string, id: number, body: string, at = '2026-07-02T00:00:00Z'): IssueComment => ({
  id: n++,
  url: `https://github.com/octo-org/octo-repo/issues/7#issuecomment-${n}`,
  body,
  author: { login, id, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
  createdAt: at,
  updatedAt: at,
});

describe('a campaign opens one issue per reviewer set, and a re-run updates it', () => {
  it('plans to open an issue with the marker holding each reviewer login with the account ID looked up now', () => {
    const plan = planCampaign(input());
    expect(plan.startedAt).toBe('2026-07-01T00:00:00Z');
    expect(plan.issues).toHaveLength(1);
    const [issue] = plan.issues;
    expect(issue!.number).toBeUndefined();
    expect(readMarker(issue!.write!.body)).toEqual(
      expect.objectContaining({ reviewers: [{ login: 'alice', id: 101 }], teams: ['acme/sec'], part: 1 }),
    );
    expect(issue!.unresolved).toEqual([]);
    expect(planCampaign(input({ resolved: new Map() })).issues[0]!.unresolved).toEqual(['alice']);
  });

  it('writes nothing to the issue it finds by its marker when nothing changed', () => {
    const plan = planCampaign(input({ issues: [opened()] }));
    expect(plan.issues[0]!.number).toBe(7);
    expect(plan.issues[0]!.write).toBeUndefined();
    expect(plan.issues[0]!.comments).toEqual([]);
    expect(plan.startedAt).toBe('2026-07-01T00:00:00Z');
    expect(plan.dueAt).toBe('2026-07-15T00:00:00.000Z');
  });

  it('takes reviewer IDs as this run resolved them, never from the marker an issue holds', () => {
    const issue = opened();
    const forged = issue.body.replace('reviewers=alice:101', 'reviewers=alice:6666');
    expect(forged).not.toBe(issue.body);
    const plan = planCampaign(
      input({ issues: [{ ...issue, body: forged, comments: [comment('alice', 101, '/keep all')] }] }),
    );
    expect(plan.issues[0]!.marker.reviewers).toEqual([{ login: 'alice', id: 101 }]);
    expect(plan.issues[0]!.decisions.byRow.size).toBe(2);
    expect(plan.issues[0]!.decisions.ignored).toEqual([]);
  });

  it('takes the oldest issue with the marker, whoever opened it, and names a later one without reading its table', () => {
    const planted = opened({
      number: 3,
      author: { login: 'mallory', id: 104, type: 'User' },
      createdAt: '2026-01-01T00:00:00Z',
    });
    const later = opened({
      number: 7,
      url: 'https://github.com/octo-org/octo-repo/issues/7',
      body: `${opened().body}\n| \`deadbeef\` | planted |`,
      comments: [comment('alice', 101, `/keep ${rows[0]!.id}`)],
    });
    const plan = planCampaign(input({ issues: [later, planted] }));
    expect(plan.issues[0]!.number).toBe(3);
    // The campaign's start is the run's, never an issue's creation.
    expect(plan.startedAt).toBe('2026-07-01T00:00:00Z');
    expect(plan.duplicates).toEqual([
      {
        number: 7,
        url: 'https://github.com/octo-org/octo-repo/issues/7',
        author: 'github-actions[bot]',
        of: 3,
      },
    ]);
    expect(plan.issues[0]!.write?.body ?? planted.body).not.toContain('deadbeef');
    expect(plan.issues[0]!.decisions.byRow.get(rows[0]!.id)).toEqual([
      expect.objectContaining({ login: 'alice', decision: 'keep' }),
    ]);
  });

  it("rewrites the table with each reviewer's decision, by login and ID, a team member's too", () => {
    const plan = planCampaign(
      input({
        issues: [
          opened({
            comments: [
              comment('alice', 101, `/keep ${rows[0]!.id}`),
              comment('carol', 103, `/revoke ${rows[1]!.id} not needed`),
            ],
          }),
        ],
      }),
    );
    const issue = plan.issues[0]!;
    expect(issue.write!.body).toContain('2 rows, 2 decided');
    expect(issue.write!.body).toMatch(/\*\*revoke\*\*\]\([^)]+\) by `carol`/);
  });

  it('lists a row the issue had that the read no longer has as gone', () => {
    const before = opened();
    const plan = planCampaign(
      input({
        issues: [before],
        assignment: assignReviewers([rows[0]!], file, { accountsUnder: () => undefined }),
      }),
    );
    expect(listedRowIds([plan.issues[0]!.write!.body])).toEqual([rows[0]!.id, rows[1]!.id]);
    expect(plan.issues[0]!.write!.body).toContain('gone: no longer held');
  });

  it('changes nothing on an issue closed at its due date with every row carried out', () => {
    const closedAtDue = {
      state: 'closed' as const,
      createdAt: '2026-06-01T00:00:00Z',
      closedAt: '2026-06-16T00:00:00Z',
    };
    const plan = planCampaign(
      input({
        startedAt: closedAtDue.createdAt,
        issues: [
          opened({
            ...closedAtDue,
            comments: [
              comment('alice', 101, '/revoke all gone'),
              comment(BOT.login, BOT.id, '### Access review `2026-Q3` closed\n\n2 rows: revoked 2.'),
            ],
          }),
        ],
      }),
    );
    expect(plan.closed).toBe(true);
    expect(plan.issues[0]!.closed).toBe(true);
    expect(plan.issues[0]!.reopen).toBeUndefined();
    expect(plan.issues[0]!.write).toBeUndefined();
    expect(plan.issues[0]!.outcomes).toBeUndefined();
  });

  it('reopens an issue closed before its due date, its decisions kept', () => {
    const plan = planCampaign(
      input({
        issues: [
          opened({
            state: 'closed',
            closedAt: '2026-07-02T00:00:00Z',
            comments: [comment('alice', 101, '/keep all')],
          }),
        ],
        now: new Date('2026-07-03T00:00:00Z'),
      }),
    );
    expect(plan.closed).toBe(false);
    expect(plan.issues[0]!).toEqual(
      expect.objectContaining({ closed: false, reopen: 'before the due date' }),
    );
    expect(plan.issues[0]!.decisions.byRow.size).toBe(2);
  });

  it('reopens at the due date an issue closed with rows not carried out, whoever closed it', () => {
    const afterDue = {
      state: 'closed' as const,
      createdAt: '2026-06-01T00:00:00Z',
      closedAt: '2026-06-20T00:00:00Z',
    };
    const unfinished = comment(
      BOT.login,
      BOT.id,
      '### Access review `2026-Q3`: not finished\n\n2 rows: failed 1.',
    );
    const revokeAll = comment('alice', 101, `/revoke ${rows.map((r) => r.id).join(' ')} gone`);
    const plan = (issue: IssueRead, mayAct = true) =>
      planCampaign(input({ startedAt: afterDue.createdAt, issues: [issue], mayAct })).issues[0]!;
    expect(plan(opened({ ...afterDue, comments: [revokeAll, unfinished] })).reopen).toBe(
      'with rows not carried out at the due date',
    );
    // Closed by hand before the due run acted: its rows are still to revoke.
    expect(plan(opened({ ...afterDue, comments: [revokeAll] })).reopen).toBe(
      'with rows not carried out at the due date',
    );
    expect(plan(opened({ ...afterDue, comments: [revokeAll] })).outcomes).toHaveLength(2);
    // Kept rows leave nothing to carry out; a run that does not act reopens nothing after the due date.
    expect(
      plan(opened({ ...afterDue, comments: [comment('alice', 101, '/keep all')] })).reopen,
    ).toBeUndefined();
    expect(plan(opened({ ...afterDue, comments: [revokeAll] }), false).reopen).toBeUndefined();
  });
});

describe('a grant made before the history read', () => {
  // Each run's history read starts 90 days before its own clock: a grant older than that shows
  // `before <the read's start>`, a minute later on a run a minute later.
  const MINUTE = 60_000;
  const readAt = (now: string) => {
    const bound = new Date(Date.parse(now) - 90 * DAY).toISOString();
    const old = [awsRow({ grantedAt: `before ${bound}` }), awsRow({ principalId: 'u-2', held: 'manifest' })];
    return { now: new Date(now), assignment: assignReviewers(old, file, { accountsUnder: () => undefined }) };
  };
  const firstRun = planCampaign(input(readAt('2026-07-01T00:00:00Z'))).issues[0]!;
  const openedBefore = (over: Partial<IssueRead> = {}) =>
    opened({ title: firstRun.write!.title, body: firstRun.write!.body, ...over });

  it('leaves the issue as it is on a later run that only shows a later bound', () => {
    const later = new Date(Date.parse('2026-07-01T00:00:00Z') + 3 * MINUTE).toISOString();
    const plan = planCampaign(input({ ...readAt(later), issues: [openedBefore()] })).issues[0]!;
    expect(firstRun.write!.body).toContain('| before 2026-04-02 00:00 UTC |');
    expect(plan.write).toBeUndefined();
    expect(plan.comments).toEqual([]);
  });

  it('rewrites the issue, with the later bound, where something else changed', () => {
    const later = new Date(Date.parse('2026-07-01T00:00:00Z') + 3 * MINUTE).toISOString();
    const decided = openedBefore({ comments: [comment('alice', 101, `/keep ${rows[0]!.id}`)] });
    const plan = planCampaign(input({ ...readAt(later), issues: [decided] })).issues[0]!;
    expect(plan.write!.body).toContain('| before 2026-04-02 00:03 UTC |');
    expect(plan.write!.body).toMatch(/\*\*keep\*\*/);
  });

  it('rewrites the bound where the campaign started before this read’s history: an earlier run’s grant may be another', () => {
    const muchLater = '2026-10-15T00:00:00Z';
    const plan = planCampaign(input({ ...readAt(muchLater), issues: [openedBefore()] })).issues[0]!;
    expect(plan.write!.body).toContain('| before 2026-07-17 00:00 UTC |');
  });

  it('takes no other cell for a bound: a name that reads `| before … UTC |` is compared as written', () => {
    const named = (name: string) => ({
      assignment: assignReviewers([awsRow({ principalName: name })], file, {
        accountsUnder: () => undefined,
      }),
    });
    const first = planCampaign(input(named('x | before 2026-01-01 00:00 UTC | y'))).issues[0]!;
    const issue = opened({ title: first.write!.title, body: first.write!.body });
    const renamed = planCampaign(input({ ...named('x | before 2026-02-01 00:00 UTC | y'), issues: [issue] }));
    expect(renamed.issues[0]!.write).toBeDefined();
  });
});

describe('the due date', () => {
  it('gives each row its outcome on a run that acts, once `due` has passed since the campaign started', () => {
    const issues = [opened({ comments: [comment('alice', 101, `/revoke ${rows[0]!.id} unused`)] })];
    const early = planCampaign(input({ issues, now: new Date('2026-07-14T23:59:59Z') }));
    expect(early.due).toBe(false);
    expect(early.issues[0]!.outcomes).toBeUndefined();
    const due = planCampaign(input({ issues, now: new Date('2026-07-15T00:00:00Z') }));
    expect(due.due).toBe(true);
    expect(due.issues[0]!.outcomes!.map((o) => [o.rowId, o.outcome])).toEqual(
      expect.arrayContaining([
        [rows[0]!.id, 'revoke'],
        [rows[1]!.id, 'kept-by-default'],
      ]),
    );
    const onComment = planCampaign(input({ issues, now: new Date('2026-07-20T00:00:00Z'), mayAct: false }));
    expect(onComment.due).toBe(true);
    expect(onComment.issues[0]!.outcomes).toBeUndefined();
  });
});

describe("a table past one body goes on in the bot's own numbered comments", () => {
  const many = Array.from({ length: 1500 }, (_, i) =>
    awsRow({ principalId: `u-${i}`, principalName: `someone-${i}@example.com` }),
  );
  const manyInput = (over: Partial<PlanInput> = {}) =>
    input({ assignment: assignReviewers(many, file, { accountsUnder: () => undefined }), ...over });

  it('creates the continuation comments, then rewrites only those that differ', () => {
    const first = planCampaign(manyInput()).issues[0]!;
    const parts = first.comments.map((c) => ('create' in c ? c.create : ''));
    expect(parts.length).toBeGreaterThan(0);
    const issue = opened({
      title: first.write!.title,
      body: first.write!.body,
      comments: parts.map((body) => comment(BOT.login, BOT.id, body)),
    });
    const again = planCampaign(manyInput({ issues: [issue] })).issues[0]!;
    expect(again.write).toBeUndefined();
    expect(again.comments).toEqual([]);
    const fewer = planCampaign(
      manyInput({
        issues: [issue],
        assignment: assignReviewers(many.slice(0, 10), file, { accountsUnder: () => undefined }),
      }),
    ).issues[0]!;
    expect(fewer.comments.every((c) => 'update' in c)).toBe(true);
  });

  it("never takes a person's comment with a copied marker for a part", () => {
    const first = planCampaign(manyInput()).issues[0]!;
    const forgedPart = (first.comments[0] as { create: string }).create;
    const issue = opened({
      title: first.write!.title,
      body: first.write!.body,
      comments: [comment('mallory', 104, forgedPart)],
    });
    const plan = planCampaign(manyInput({ issues: [issue] })).issues[0]!;
    expect(plan.comments.every((c) => 'create' in c)).toBe(true);
  });
});

describe('a campaign is over only once its due run closed its issues', () => {
  it('takes an issue with its marker closed before it started as planted: not its issue, not reopened', () => {
    const planted = opened({
      number: 3,
      state: 'closed',
      createdAt: '2026-06-01T00:00:00Z',
      closedAt: '2026-06-02T00:00:00Z',
    });
    const plan = planCampaign(input({ issues: [planted], now: new Date('2026-07-02T00:00:00Z') }));
    expect(plan.closed).toBe(false);
    expect(plan.planted).toEqual([expect.objectContaining({ number: 3, closedAt: '2026-06-02T00:00:00Z' })]);
    expect(plan.issues[0]!.number).toBeUndefined();
    expect(plan.issues[0]!.reopen).toBeUndefined();
  });

  it('is not over when an issue of another reviewer set, closed before the due date, is all there is', () => {
    const other = opened({ state: 'closed', closedAt: '2026-07-02T00:00:00Z' });
    other.body = other.body.replace(/key=[0-9a-f]{12}/, 'key=aaaaaaaaaaaa');
    const plan = planCampaign(input({ issues: [other], now: new Date('2026-07-03T00:00:00Z') }));
    expect(plan.closed).toBe(false);
    expect(plan.issues[0]!.write).toBeDefined();
  });

  it('is over once every issue is closed and one was closed at the due date', () => {
    const closed = opened({ state: 'closed', closedAt: '2026-07-15T00:00:00Z' });
    const plan = planCampaign(input({ issues: [closed], now: new Date('2026-07-20T00:00:00Z') }));
    expect(plan.closed).toBe(true);
  });
});
