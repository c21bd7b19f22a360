// How a review's run ends: its outputs (`review`: the record's path; `changed` only when GitHub
// was written), the campaign's line, and at the due date a warning that nothing was revoked.
import { describe, expect, it } from '@jest/globals';
import { reviewEnding } from '../../../src/operations/review/review-report.js';

const header = { title: 'cloud-access: aws review' };
const ending = (due: boolean) =>
  reviewEnding({
    header,
    campaign: '2026-Q4',
    plan: { startedAt: '2026-10-01T00:00:00.000Z', dueAt: '2026-10-15T00:00:00.000Z', due, issues: [] },
    written: [],
    records: [],
    path: '/tmp/review.json',
    plansOnly: false,
    requests: 3,
  });

describe('a review’s ending', () => {
  it('sets `review` to the record’s path, and `changed` false when nothing was written', () => {
    const report = ending(false);
    expect(report.outputs).toEqual([
      ['status', 'SUCCEEDED'],
      ['changed', 'false'],
      ['review', '/tmp/review.json'],
    ]);
    expect(report.lines).toContain(
      'review: campaign 2026-Q4: 0 issue(s), 0 row(s), 0 decided; started 2026-10-01T00:00:00.000Z, due 2026-10-15T00:00:00.000Z',
    );
    expect(report.annotations).toBeUndefined();
  });

  it('warns at the due date that no row was revoked and the issues stay open', () => {
    expect(ending(true).annotations).toEqual([
      expect.objectContaining({ level: 'warning', message: expect.stringContaining('no row was revoked') }),
    ]);
  });
});
