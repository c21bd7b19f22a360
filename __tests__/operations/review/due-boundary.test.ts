// The due date to the second: a run at exactly the due second acts, one a second before does not,
// and an issue closed at exactly that second was closed at the due date (not before it: never
// reopened for that).
import { describe, expect, it } from '@jest/globals';
import { isDue } from '../../../src/operations/review/model/outcomes.js';
import { planCampaign } from '../../../src/operations/review/issues-plan.js';
import { DAY, comment, input, opened, rows } from './plan-fixtures.js';

const revoke = comment('alice', 101, `/revoke ${rows[0]!.id} unused`);

describe('the due second', () => {
  it('is due at exactly start + due, and not a second before', () => {
    expect(isDue('2026-07-01T00:00:00Z', 14 * DAY, new Date('2026-07-15T00:00:00Z'))).toBe(true);
    expect(isDue('2026-07-01T00:00:00Z', 14 * DAY, new Date('2026-07-14T23:59:59Z'))).toBe(false);
    expect(isDue('not a time', 14 * DAY, new Date('2099-01-01T00:00:00Z'))).toBe(false);
  });

  it('plans outcomes at the due second, and none a second before', () => {
    const at = (now: string) =>
      planCampaign(input({ issues: [opened({ comments: [revoke] })], now: new Date(now) }));
    expect(at('2026-07-14T23:59:59Z').issues[0]!.outcomes).toBeUndefined();
    expect(at('2026-07-15T00:00:00Z').issues[0]!.outcomes!.map((o) => o.outcome)).toContain('revoke');
  });

  it('takes an issue closed at exactly the due second as closed at it, and reopens it only for rows left', () => {
    const closed = opened({ state: 'closed', closedAt: '2026-07-15T00:00:00Z', comments: [revoke] });
    const plan = planCampaign(input({ issues: [closed], now: new Date('2026-07-20T00:00:00Z') }));
    expect(plan.issues[0]!.reopen).toBe('with rows not carried out at the due date');
    const keptAll = opened({ state: 'closed', closedAt: '2026-07-15T00:00:00Z' });
    expect(planCampaign(input({ issues: [keptAll], now: new Date('2026-07-20T00:00:00Z') })).closed).toBe(
      true,
    );
  });

  it('never acts on a run that may not (an issue_comment run), even past the due date', () => {
    const plan = planCampaign(
      input({
        issues: [opened({ comments: [revoke] })],
        now: new Date('2026-07-20T00:00:00Z'),
        mayAct: false,
      }),
    );
    expect(plan.due).toBe(true);
    expect(plan.issues[0]!.outcomes).toBeUndefined();
  });
});
