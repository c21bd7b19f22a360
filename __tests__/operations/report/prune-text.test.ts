// What the prune says (src/operations/report/prune-text.ts): each removed row's evidence line (none
// since when, the window, the source, the Regions; a group's "no member"), the window and source in
// words, and server text that stays inert in the pull request's Markdown and the summary's HTML.
import { describe, expect, it } from '@jest/globals';
import { accessRows, type AccessRow } from '../../../src/operations/report/access-rows.js';
import {
  evidenceLine,
  pruneSummaryHtml,
  pruneTexts,
  sourceText,
  windowText,
  type PruneFacts,
} from '../../../src/operations/report/prune-text.js';
import { held, RUN } from './held-rows.js';

const facts: PruneFacts = {
  window: '90d',
  since: '2026-03-03T00:00:00Z',
  regions: ['us-east-1', 'eu-west-1'],
  source: sourceText({ kind: 'lookup-events' }),
  date: '2026-06-01',
};
const unused = (row: AccessRow, more: Partial<AccessRow> = {}): AccessRow => ({
  ...row,
  lastUsed: `none since ${facts.since}`,
  ...more,
});

describe("the prune's words", () => {
  it('says each row’s evidence: none since when, the window, the source and the Regions', () => {
    const [row] = accessRows('aws', [held({ manifest: { path: 'a.yml', line: 3 } })], RUN);
    expect(evidenceLine(unused(row!), facts)).toBe(
      "none since 2026-03-03T00:00:00Z: nobody signed in with it (`GetRoleCredentials`) in the `90d` window, read from CloudTrail's event history (`LookupEvents`) in us-east-1, eu-west-1",
    );
    const [group] = accessRows(
      'aws',
      [held({ principal: { id: 'g-1', name: 'Auditors', kind: 'group' } })],
      RUN,
    );
    expect(evidenceLine(unused(group!, { usedBy: 0 }), facts)).toContain('no member of the group signed in');
  });

  it('names the window in days and an Athena source by its table and workgroup', () => {
    expect(windowText(90 * 86_400_000)).toBe('90d');
    expect(windowText(36 * 3_600_000)).toBe('36h');
    expect(
      sourceText({ kind: 'athena', workgroup: 'primary', database: 'cloudtrail', table: 'org_trail' }),
    ).toBe('the Athena table `cloudtrail.org_trail` (workgroup `primary`)');
  });

  it('says the event history was kept in the snapshot’s ledger when its “none since” may reach past 90 days', () => {
    expect(sourceText({ kind: 'lookup-events' })).toBe("CloudTrail's event history (`LookupEvents`)");
    expect(sourceText({ kind: 'lookup-events' }, true)).toContain(
      "kept run after run in the snapshot's usage ledger",
    );
  });

  it('keeps a hostile name inert in the pull request and the summary', () => {
    const hostile = 'x` | @octocat <img src=x>\n::error::pwned';
    const [row] = accessRows('aws', [held({ manifest: { path: 'a.yml', line: 3 } }, 'u-1', hostile)], RUN);
    const { body, title } = pruneTexts([unused(row!)], facts);
    expect(title).toBe('Prune unused access (2026-06-01): remove 1 row(s) from the manifest');
    const line = body.split('\n').find((l) => l.includes('pwned'))!;
    // One table row of five cells: the name's `|` escaped, in a code span longer than its backtick.
    expect(line.split(/(?<!\\)\|/).length).toBe(7);
    expect(line).toContain('``x` \\| @octocat <img src=x>%0A::error::pwned``');
    expect(body).not.toContain('\n::error::');
    const html = pruneSummaryHtml('done', { removed: [unused(row!)], kept: [], outside: [], facts });
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x&gt;');
  });
});
