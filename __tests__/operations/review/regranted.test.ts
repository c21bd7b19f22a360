// A row the review revoked at its due date and someone granted again afterwards (the same
// principal, role and target: the same row ID) is a new grant no reviewer of this campaign saw: the
// decisions made on the grant it replaced, and the campaign's default, never end it.
import { describe, expect, it } from '@jest/globals';
import { assignReviewers } from '../../../src/operations/review/model/rows.js';
import { planCampaign } from '../../../src/operations/review/issues-plan.js';
import { awsRow } from './model/review-rows.js';
import { BOT, comment, file, input, opened, rows } from './plan-fixtures.js';

const regranted = [awsRow({ grantedAt: '2026-07-25T00:00:00Z' }), rows[1]!];
const closedAtDue = { state: 'closed' as const, closedAt: '2026-07-15T01:00:00Z' };
const closing = comment(
  BOT.login,
  BOT.id,
  '### Access review `2026-Q3` closed\n\n2 rows: revoked 1.',
  '2026-07-15T01:00:00Z',
);
const plan = (over: Parameters<typeof input>[0] = {}, f = file) =>
  planCampaign(
    input({
      file: f,
      assignment: assignReviewers(regranted, f, { accountsUnder: () => undefined }),
      now: new Date('2026-07-27T00:00:00Z'),
      ...over,
    }),
  );

describe('a grant made again after the due date is not what the campaign decided', () => {
  it('does not reopen the issue its due run closed to revoke the row again', () => {
    const p = plan({
      issues: [
        opened({
          ...closedAtDue,
          comments: [comment('alice', 101, `/revoke ${rows[0]!.id} unused`), closing],
        }),
      ],
    });
    expect(p.issues[0]!.reopen).toBeUndefined();
    expect(p.closed).toBe(true);
    expect(p.issues[0]!.outcomes).toBeUndefined();
  });

  it('on an issue open again (reopened by anyone), takes no decision made before the grant on it', () => {
    const p = plan({
      issues: [opened({ comments: [comment('alice', 101, `/revoke ${rows[0]!.id} unused`), closing] })],
    });
    const o = p.issues[0]!.outcomes!.find((x) => x.rowId === rows[0]!.id)!;
    expect(o.outcome).toBe('kept-by-default');
    expect(o.decisions).toEqual([]);
    expect(o.rule).toBe('granted after the due date');
    expect(p.issues[0]!.decisions.ignored).toEqual([
      expect.objectContaining({ login: 'alice', why: expect.stringMatching(/granted again \(2026-07-25/) }),
    ]);
    // The table shows it undecided, not revoked by alice.
    expect(p.issues[0]!.write!.body).not.toMatch(/\*\*revoke\*\*\]\([^)]+\) by `alice`/);
  });

  it("never revokes it by the campaign's default either", () => {
    const f = { ...file, defaultDecision: 'revoke' as const };
    const p = plan({ issues: [opened({ comments: [closing] })] }, f);
    const o = p.issues[0]!.outcomes!.find((x) => x.rowId === rows[0]!.id)!;
    expect(o.outcome).not.toBe('revoke');
  });

  it('still takes a decision made on it after it was granted', () => {
    const p = plan({
      issues: [
        opened({
          comments: [
            comment('alice', 101, `/revoke ${rows[0]!.id} again not needed`, '2026-07-26T00:00:00Z'),
          ],
        }),
      ],
    });
    expect(p.issues[0]!.outcomes!.find((x) => x.rowId === rows[0]!.id)!.outcome).toBe('revoke');
  });

  // The creation-status list names no caller, and a create of an assignment that exists (a
  // request's reliance on a standing grant, say) makes nothing: its time proves no new grant.
  it('takes a grant time no caller is named for (only the creation-status list gave it) as voiding no decision', () => {
    const unnamed = [awsRow({ grantedAt: '2026-07-25T00:00:00Z', grantedBy: null }), rows[1]!];
    const p = planCampaign(
      input({
        file,
        assignment: assignReviewers(unnamed, file, { accountsUnder: () => undefined }),
        now: new Date('2026-07-27T00:00:00Z'),
        issues: [opened({ comments: [comment('alice', 101, `/revoke ${rows[0]!.id} unused`)] })],
      }),
    );
    const o = p.issues[0]!.outcomes!.find((x) => x.rowId === rows[0]!.id)!;
    expect(o.outcome).toBe('revoke');
    expect(p.issues[0]!.decisions.ignored).toEqual([]);
  });
});
