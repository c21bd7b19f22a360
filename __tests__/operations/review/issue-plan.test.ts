import { describe, expect, it } from '@jest/globals';
import { assignReviewers } from '../../../src/operations/review/model/rows.js';
import { listedRowIds, type IssueRead, type PlanInput } from '../../../src/operations/review/issue-plan.js';
import { awsRow } from './model/review-rows.js';
import { planCampaign } from '../../../src/operations/review/issues-plan.js';
import { BOT, DAY, comment, file, input, opened, rows } from './plan-fixtures.js';

describe("one reviewer set's issue, as a re-run rewrites it", () => {
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
