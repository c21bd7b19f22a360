// What a request says once it is allowed: who asked, under which rule, why, who approved, the
// policy's commit and when the grant ends; the requester's and the policy's text escaped in the
// summary (the log makes its lines inert where it writes them: github/log.ts).
import { describe, expect, it } from '@jest/globals';
import {
  requestNotes,
  requestSummaryHtml,
  type RequestRecord,
} from '../../../src/operations/request/report.js';

const record: RequestRecord = {
  requester: 'octocat',
  requesterId: '583231',
  rule: 'on-call',
  justification: 'INC-42: restore the queue',
  approvers: ['hubot', 'monalisa'],
  policy: '.github/access-policy.yml',
  policyCommit: 'abc1234',
  duration: '1h',
  expiresAt: '2026-03-10T13:00:00Z',
  githubRequests: 3,
};

describe('the log says who asked, under which rule, who approved and until when', () => {
  it('gives one line each: the request, its approval and duration, its justification, the checks made', () => {
    expect(requestNotes(record)).toEqual([
      'Request allowed: octocat (GitHub account ID 583231) under rule on-call of .github/access-policy.yml at abc1234',
      'Approved by: hubot, monalisa; duration 1h, until about 2026-03-10T13:00:00Z',
      'Justification: INC-42: restore the queue',
      'Checked with 3 GitHub API request(s)',
    ]);
  });

  it('says `(none)` for a request nobody approved and one with no justification', () => {
    const lines = requestNotes({ ...record, approvers: [], justification: '' });
    expect(lines[1]).toMatch(/^Approved by: \(none\);/);
    expect(lines[2]).toBe('Justification: (none)');
  });
});

describe('the job summary is a table of the request', () => {
  it('has a row for each of the requester, rule, justification, approvers, policy and duration', () => {
    const html = requestSummaryHtml(record);
    expect(html).toMatch(/^<h3>Access request<\/h3>\n<table>\n/);
    expect([...html.matchAll(/<th>(.*?)<\/th>/g)].map((m) => m[1])).toEqual([
      'Requester',
      'Rule',
      'Justification',
      'Approved by',
      'Policy',
      'Duration',
    ]);
    expect(html).toContain('<td>.github/access-policy.yml at commit abc1234</td>');
  });

  it("holds the requester's justification as text, not markup", () => {
    const html = requestSummaryHtml({ ...record, justification: '<img src=x onerror=alert(1)> & more' });
    expect(html).not.toContain('<img');
    expect(html).toContain('<td>&lt;img src=x onerror=alert(1)&gt; &amp; more</td>');
  });
});
