// How a review's run ends: its outputs (`review`: the record's path; `changed` only when GitHub
// was written), the campaign's line; at the due date on a run that does not act, a notice that
// nothing was revoked; a closed campaign changes nothing and says so; a row not revoked fails it;
// the job summary has a row per issue.
import { describe, expect, it } from '@jest/globals';
import type { RunHeader } from '../../../src/core/output/run-header.js';
import type { IssueRecord } from '../../../src/operations/review/record.js';
import { issueSummaryRows, reviewEnding } from '../../../src/operations/review/review-report.js';

const header: RunHeader = { title: 'cloud-access: aws review' };
const ending = (
  due: boolean,
  more: { closed?: boolean; records?: IssueRecord[]; closedNow?: number; header?: RunHeader } = {},
) =>
  reviewEnding({
    header: more.header ?? header,
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

const reportPlan = {
  startedAt: '2026-10-01T00:00:00.000Z',
  dueAt: '2026-10-15T00:00:00.000Z',
  due: true,
  closed: false,
  issues: [],
};

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

  it('shows one summary row per issue: its link, reviewers, due date, rows decided, and rows failed or left', () => {
    const row = (id: string, decided: boolean) =>
      ({ id, decisions: decided ? [{ login: 'alice' }] : [] }) as unknown as IssueRecord['rows'][number];
    const failed = {
      ...closedRecord('failed'),
      reviewers: ['alice (583231)', 'acme/<b>leads</b>'],
      rows: [row('abcd1234', true), row('ef012345', false)],
    };
    const open = {
      ...closedRecord('revoked'),
      issue: 8,
      outcomes: null,
      closedAt: null,
      rows: [row('a', true)],
    };
    const report = ending(true, {
      records: [failed, open],
      closedNow: 0,
      header: { ...header, run: { serverUrl: 'https://github.com', repository: 'octo-org/octo-repo' } },
    });
    const html = report.summaryHtml!;
    expect(html).toContain(
      '<tr><th>issue</th><th>reviewers</th><th>due</th><th>decided</th><th>failed or left</th></tr>',
    );
    expect(html).toContain(
      '<tr><td><a href="https://github.com/octo-org/octo-repo/issues/7">#7</a></td><td>alice (583231), acme/&lt;b&gt;leads&lt;/b&gt;</td><td>2026-10-15T00:00:00.000Z</td><td>1 of 2</td><td>1</td></tr>',
    );
    expect(html).toContain(
      '<tr><td><a href="https://github.com/octo-org/octo-repo/issues/8">#8</a></td><td>—</td><td>2026-10-15T00:00:00.000Z</td><td>1 of 1</td><td>—</td></tr>',
    );
    expect(html).not.toContain('<th>count</th>');
    // Without the run's repository (a local run), the issue is named without a link.
    const local = issueSummaryRows({ header, plan: { ...reportPlan }, records: [failed], plansOnly: false });
    expect(local[0]![0]).toBe('#7');
  });
});
