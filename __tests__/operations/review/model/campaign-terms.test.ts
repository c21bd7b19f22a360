// The terms of a review campaign, as the reviewers file writes them: how long it runs, what an
// undecided row becomes, the window `revoke-unused` judges over, when a named campaign starts and
// whether a reviewer may decide on their own access; each problem at its line.
import { describe, expect, it } from '@jest/globals';
import {
  campaignsOf,
  decisionOf,
  dueOf,
  selfReviewOf,
  unusedAfterOf,
} from '../../../../src/operations/review/model/campaign-terms.js';
import { ManifestNodes } from '../../../../src/core/manifest/nodes.js';

const KEYS = ['due', 'default-decision', 'unused-after', 'campaigns', 'self-review'] as const;

function terms(source: string) {
  const nodes = new ManifestNodes(source);
  const fields = nodes.mapping(nodes.parse() ?? null, 'reviewers file', KEYS, 1);
  const decision = decisionOf(nodes, fields.get('default-decision'));
  return {
    due: dueOf(nodes, fields.get('due')),
    decision,
    unusedAfter: unusedAfterOf(nodes, fields.get('unused-after'), decision),
    starts: campaignsOf(nodes, fields.get('campaigns')),
    selfReview: selfReviewOf(nodes, fields.get('self-review')),
    problems: nodes.problems,
  };
}

describe('a campaign’s terms', () => {
  it('run 14 days, keep what is undecided, start with the first run and let no reviewer decide on their own access, unless the file says otherwise', () => {
    const t = terms('due: 14d\n');
    expect(t).toMatchObject({ due: { ms: 14 * 86_400_000 }, decision: 'keep', selfReview: false });
    expect(t.unusedAfter).toBeUndefined();
    expect([...t.starts]).toEqual([]);
    expect(t.problems).toEqual([]);
  });

  it('judge `revoke-unused` over 90 days by default, and over the window the file gives', () => {
    expect(terms('default-decision: revoke-unused\n').unusedAfter).toMatchObject({ ms: 90 * 86_400_000 });
    expect(terms('default-decision: revoke-unused\nunused-after: 30d\n').unusedAfter).toMatchObject({
      ms: 30 * 86_400_000,
    });
  });

  it('say each problem at its line: a zero due, an unknown decision, a window without `revoke-unused`, a bad start and a self-review that is not a boolean', () => {
    const t = terms(
      [
        'due: 0d',
        'default-decision: forget',
        'unused-after: 30d',
        'campaigns:',
        '  drill:',
        '    start: someday',
        'self-review: maybe',
        '',
      ].join('\n'),
    );
    expect(
      [...t.problems].sort((a, b) => a.line - b.line).map((p) => [p.line, p.message.split(' ')[0]]),
    ).toEqual([
      [1, '`due`'],
      [2, '`default-decision`'],
      [3, '`unused-after`'],
      [6, '`campaigns.drill.start`'],
      [7, '`self-review`'],
    ]);
  });

  it('read a named campaign’s start, and refuse a name that is not one', () => {
    const t = terms('campaigns:\n  drill:\n    start: 2026-12-01\n  "bad name":\n    start: 2026-12-01\n');
    expect([...t.starts.keys()]).toEqual(['drill']);
    expect(t.problems.map((p) => p.line)).toEqual([4]);
  });
});
