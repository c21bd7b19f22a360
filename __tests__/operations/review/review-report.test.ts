// How a review's run ends: its outputs (`review`: the record's path; `changed` only when GitHub
// was written), the campaign's line; at the due date on a run that does not act, a notice that
// nothing was revoked; a closed campaign changes nothing and says so; a row not revoked fails it.
import { describe, expect, it } from '@jest/globals';
import type { IssueRecord } from '../../../src/operations/review/record.js';
import { reviewEnding } from '../../../src/operations/review/review-report.js';

const header = { title: 'cloud-access: aws review' };
const ending = (due: boolean, more: { closed?: boolean; records?: IssueRecord[]; closedNow?: number } = {}) =>
  reviewEnding({
    header,
    campaign: '2026-Q4',
    plan: {
      startedAt: '2026-10-01T00:00:00.000Z',
      dueAt: '2026-10-15T00:00:00.000Z',
      due,
      closed: more.closed ?? false,
      issues: [],
    },
    written: [],
    records: more.records ?? [],
    path: '/tmp/review.json',
    plansOnly: false,
    closed: more.closedNow ?? 0,
    requests: 3,
  });

const closedRecord = (status: 'revoked' | 'failed'): IssueRecord => ({
  campaign: '2026-Q4',
  cloud: 'aws',
  key: 'k',
  issue: 7,
  reviewers: [],
  rows: [],
  ignored: [],
  outcomes: [{ rowId: 'abcd1234', outcome: 'revoke', byDefault: false, result: { status } }],
  pullRequest: null,
  closingComment: 'https://github.com/o/r/issues/7#issuecomment-1',
  closedAt: '2026-10-16T00:00:00.000Z',
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

  it('says at the due date, on a run that does not act, that nothing was revoked and the issues stay open', () => {
    expect(ending(true).annotations).toEqual([
      expect.objectContaining({
        level: 'notice',
        message: expect.stringContaining('only a `schedule` or `workflow_dispatch` run acts'),
      }),
    ]);
  });

  it('says that a campaign whose issues are closed changed nothing', () => {
    const report = ending(true, { closed: true });
    expect(report.lines?.[0]).toBe(
      'review: campaign 2026-Q4 is closed (its issues are closed, with nothing left to carry out): nothing changed',
    );
    expect(report.annotations).toBeUndefined();
    expect(report.outputs).toContainEqual(['changed', 'false']);
  });

  it('counts the rows revoked at the due date, and fails the step naming a row whose revoke failed', () => {
    const done = ending(true, { records: [closedRecord('revoked')], closedNow: 1 });
    expect(done.lines).toContain(
      'review: at the due date: 1 revoked, 0 to remove by pull request, 0 left (claimed), 0 kept; 0 failed, 0 left for removal by hand; 1 issue(s) closed, 0 kept open',
    );
    expect(done.failed).toBeUndefined();
    expect(done.outputs).toContainEqual(['changed', 'true']);
    const failed = ending(true, { records: [closedRecord('failed')], closedNow: 1 });
    expect(failed.failed).toMatch(
      /1 row\(s\) decided `revoke` were not carried out, and their issues stay open: `abcd1234` on #7 failed: /,
    );
    expect(failed.outputs).toContainEqual(['status', 'FAILED']);
  });
});
