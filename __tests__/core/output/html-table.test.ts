// The one table renderer of the job summaries: a column every row leaves empty says nothing, so no
// summary shows one.
import { describe, expect, it } from '@jest/globals';
import { htmlTable, tableSection } from '../../../src/core/output/html-table.js';
import { grantsSummaryHtml } from '../../../src/core/output/grants-ending.js';
import { sweepSummaryHtml } from '../../../src/operations/sweep/sweep-report.js';
import type { GrantResult } from '../../../src/core/grant-result.js';

const headers = (html: string) => [...html.matchAll(/<th>(.*?)<\/th>/g)].map((m) => m[1]);

describe('a summary table', () => {
  it('leaves out a column whose every cell is empty or `—`, and keeps one with any value', () => {
    const html = htmlTable(
      ['a', 'b', 'c', 'd'],
      [
        ['1', '', '—', ''],
        ['2', ' ', '—', 'x'],
      ],
    );
    expect(html).toBe(
      '<table><tr><th>a</th><th>d</th></tr><tr><td>1</td><td></td></tr><tr><td>2</td><td>x</td></tr></table>',
    );
  });

  it('escapes the header; the cells are the caller’s HTML', () => {
    expect(htmlTable(['<b>'], [['<code>x</code>']])).toBe(
      '<table><tr><th>&lt;b&gt;</th></tr><tr><td><code>x</code></td></tr></table>',
    );
  });

  it('draws nothing without rows', () => {
    expect(htmlTable(['a'], [])).toBe('');
  });

  it('is the one every summary draws with: an assign without request IDs, expiries or notes shows none of them', () => {
    const result: GrantResult = {
      cloud: 'aws',
      operation: 'assign',
      principal: 'alice',
      target: '111111111111',
      role: 'ReadOnlyAccess',
      status: 'SUCCEEDED',
      changed: false,
      before: 'present',
      after: 'present',
      change: 'none',
      durationMs: 5,
    };
    const html = grantsSummaryHtml([result], { title: 't', operation: 'assign', dryRun: false });
    expect(headers(html)).toEqual(['Principal', 'Target', 'Role', 'Before → after', 'Status', 'Time']);
    const counts = { revoke: 0, running: 0, unproven: 0, permanent: 0, gone: 0 };
    expect(
      sweepSummaryHtml([], new Map(), { header: { title: 't' }, counts, outcome: 'o', mode: 'dry-run' }),
    ).not.toContain('<table>');
  });
});

describe('a section of a summary, under its heading', () => {
  it('heads the table with its count, escaped, and says how many more rows the log has', () => {
    const html = tableSection({
      heading: 'Deletes <b>',
      columns: ['principal'],
      rows: [['alice'], ['bob']],
      total: 5,
    }).join('');
    expect(html).toContain('<h4>Deletes &lt;b&gt; (5)</h4>');
    expect(html).toContain('<td>bob</td>');
    expect(html).toContain('<p>3 more are in the log.</p>');
  });

  it('is nothing when there is nothing of its kind, and says no more when every row is shown', () => {
    expect(tableSection({ heading: 'Creates', columns: ['principal'], rows: [], total: 0 })).toEqual([]);
    const all = tableSection({ heading: 'Creates', columns: ['principal'], rows: [['alice']], total: 1 });
    expect(all.join('')).not.toContain('more are in the log');
  });
});
