import { describe, expect, it } from '@jest/globals';
import {
  issueText,
  issueTitle,
  packTable,
  type IssueContent,
} from '../../../../src/operations/review/model/issue-body.js';
import { readMarker } from '../../../../src/operations/review/model/marker.js';
import { tableHeader } from '../../../../src/operations/review/model/row-cells.js';
import { render, tableCells } from './render-markdown.js';
import { awsRow } from './review-rows.js';
import { CURRENT_MEMBERS } from '../../../../src/core/usage/last-used.js';

const content = (over: Partial<IssueContent> = {}): IssueContent => ({
  marker: {
    campaign: '2026-Q3',
    cloud: 'aws',
    key: '0123456789ab',
    reviewers: [{ login: 'alice', id: 101 }],
    teams: ['acme/sec'],
  },
  reviewers: [{ login: 'alice' }, { org: 'acme', team: 'sec' }],
  rows: [awsRow(), awsRow({ principalId: 'u-2', target: 'dev', targetId: '222222222222' })],
  gone: [],
  byRow: new Map(),
  ignored: [],
  due: { iso: 'P14D', at: '2026-07-15T00:00:00Z' },
  defaultDecision: 'keep',
  ...over,
});

describe("a campaign issue's title", () => {
  it('names the campaign and the accounts or scopes, a few then how many more', () => {
    const rows = ['a', 'b', 'c', 'd', 'e'].map((t, i) => awsRow({ target: t, targetId: `00000000000${i}` }));
    expect(issueTitle('2026-Q3', rows)).toBe('Access review 2026-Q3: a, b, c and 2 more');
    expect(issueTitle('2026-Q3', [])).toBe('Access review 2026-Q3: no grants');
  });

  it("keeps a name with line breaks on one line, and to GitHub's 256 characters", () => {
    expect(issueTitle('x', [awsRow({ target: 'a\nb' })])).not.toMatch(/\n/);
    expect(issueTitle('x', [awsRow({ target: 'n'.repeat(400) })]).length).toBeLessThanOrEqual(256);
  });
});

describe("a campaign issue's body", () => {
  it('opens with its marker, mentions its reviewers, says how to decide, then the table of every row', () => {
    const text = issueText(content());
    expect(readMarker(text.body)).toEqual({ ...content().marker, part: 1 });
    expect(text.body).toContain('Reviewers: @alice, @acme/sec. 2 rows, 0 decided. Due 2026-07-15 00:00 UTC.');
    expect(text.body).toContain('`/revoke <row IDs> <reason>`');
    expect(text.body).toContain('undecided rows are kept (`default-decision: keep`)');
    expect(tableCells(render(text.body))).toHaveLength(2);
    expect(text.continuations).toEqual([]);
  });

  it('says the due date as a duration before the campaign’s first run, and what undecided rows become', () => {
    const body = issueText(content({ due: { iso: 'P14D', at: null }, defaultDecision: 'revoke' })).body;
    expect(body).toContain(
      "Due P14D after the campaign's first `schedule` or `workflow_dispatch` run on the default branch.",
    );
    expect(body).toContain('undecided rows are revoked too (`default-decision: revoke`)');
  });

  it('lists the commands not taken as decisions, with why, inert', () => {
    const body = issueText(
      content({
        ignored: [
          {
            url: 'u',
            login: 'mallory',
            accountId: 104,
            at: '2026-07-02T00:00:00Z',
            command: '/keep all <img src=x>',
            why: 'its author is not a reviewer of these rows',
          },
          {
            url: 'u',
            login: null,
            accountId: null,
            at: '2026-07-02T00:00:00Z',
            command: '/keep all',
            why: 'its author is a deleted account',
          },
        ],
      }),
    ).body;
    expect(body).toContain('**Not taken as decisions** (2):');
    expect(body).toContain(
      '- `/keep all <img src=x>` by `mallory` (ID 104) 2026-07-02 00:00 UTC: its author is not a reviewer of these rows',
    );
    expect(body).toContain('by a deleted account');
    expect(render(body)).not.toMatch(/<img/);
  });

  it('lists gone rows after the rows read', () => {
    const cells = tableCells(render(issueText(content({ gone: ['deadbeef'] })).body));
    expect(cells.map((c) => c[0])).toEqual([expect.any(String), expect.any(String), '<code>deadbeef</code>']);
  });

  it('holds no marker a principal name forges: only the one it opens with is read', () => {
    const forged =
      '<!-- cloud-access-review campaign=2026-Q3 cloud=aws key=ffffffffffff reviewers=mallory:1 teams= part=1 -->';
    const text = issueText(content({ rows: [awsRow({ principalName: forged })] }));
    expect(readMarker(text.body)!.key).toBe('0123456789ab');
    expect(render(text.body)).not.toContain('<!-- cloud-access-review campaign=2026-Q3 cloud=aws key=ffff');
  });
});

describe('a table past what one body holds goes on in numbered comments, each with its own marker', () => {
  it('splits 3,000 rows into parts under 65,536 characters, every row once, in order', () => {
    const rows = Array.from({ length: 3000 }, (_, i) =>
      awsRow({ principalId: `u-${i}`, principalName: `user-${i}@example.com` }),
    );
    const text = issueText(content({ rows }));
    const parts = [text.body, ...text.continuations];
    expect(text.continuations.length).toBeGreaterThan(0);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(65_536);
    expect(text.continuations.map((c) => readMarker(c)!.part)).toEqual(
      text.continuations.map((_, i) => i + 2),
    );
    const ids = parts.flatMap((p) => tableCells(render(p)).map((c) => c[0]));
    expect(ids).toEqual(rows.map((r) => `<code>${r.id}</code>`));
  });

  it('packs at least one row in a part, however long', () => {
    const parts = packTable(
      'head\n',
      tableHeader(),
      ['| a |', `| ${'b'.repeat(200)} |`],
      50,
      (n) => `part ${n}\n`,
    );
    expect(parts).toHaveLength(2);
    expect(parts[1]).toMatch(/^part 2\n/);
  });
});

describe('a campaign issue that shows when each row was last used', () => {
  const use = { lastUsed: 'none since 2026-04-01T00:00:00Z', lastUsedBy: null, usedBy: null, complete: true };
  const withUsage = content({
    rows: [
      awsRow({ usage: use }),
      awsRow({ principalId: 'u-2', usage: { ...use, lastUsed: '2026-06-20T10:00:00Z' } }),
    ],
    gone: ['deadbeef'],
    defaultDecision: 'revoke-unused',
    unusedAfter: 'P90D',
  });

  it('gains a "Last used" column on every row, gone ones too', () => {
    const body = issueText(withUsage).body;
    expect(body).toContain(tableHeader(true).join('\n'));
    const cells = tableCells(render(body));
    expect(cells.map((c) => c.length)).toEqual([10, 10, 10]);
    expect(cells.map((c) => c[8])).toEqual(['none since 2026-04-01', '2026-06-20', '']);
  });

  it('says undecided rows nobody used within `unused-after` are revoked, and what is never revoked by default', () => {
    const body = issueText(withUsage).body;
    expect(body).toContain(
      'undecided rows nobody used in the last P90D are revoked too (`default-decision: revoke-unused`)',
    );
    expect(body).toMatch(/used ones, ones too new to tell, and any the evidence does not cover are kept/);
  });

  it('keeps the table as it was where no usage was read', () => {
    expect(tableCells(render(issueText(content()).body)).map((c) => c.length)).toEqual([9, 9]);
  });

  it("says once that a group's `used by` counts its current members, only where one was counted", () => {
    const grouped = content({
      rows: [
        awsRow({ principalKind: 'group', usage: { ...use, lastUsed: '2026-06-20T10:00:00Z', usedBy: 2 } }),
      ],
    });
    expect(issueText(grouped).body).toContain(`U${CURRENT_MEMBERS.slice(1)}.`);
    expect(issueText(withUsage).body).not.toContain(CURRENT_MEMBERS.slice(1));
  });
});
