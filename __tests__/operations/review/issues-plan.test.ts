import { describe, expect, it } from '@jest/globals';
import { readMarker } from '../../../src/operations/review/model/marker.js';
import { planCampaign } from '../../../src/operations/review/issues-plan.js';
import { comment, input, opened, rows } from './plan-fixtures.js';

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
