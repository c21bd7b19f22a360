// The report's job summary: the rows a person reads, hostile text inert, long names cut short
// between characters.
import { describe, expect, it } from '@jest/globals';
import { accessRows } from '../../../src/operations/report/access-rows.js';
import { reportSummaryHtml } from '../../../src/operations/report/access-summary.js';
import { held, RUN } from './held-rows.js';

describe('the summary holds hostile text as inert data', () => {
  it('shows a hostile creator with no markup and no command', () => {
    const hostile = '=HYPERLINK("http://x")\n::warning::pwned<script>';
    const rows = accessRows(
      'azure',
      [held({ granted: { at: '2025-01-01T00:00:00.000Z', by: { id: 'c-1', name: hostile } } })],
      RUN,
    );
    const html = reportSummaryHtml(rows, {
      header: { title: 'report', lines: [] } as never,
      readLine: 'read',
      counts: {
        manifest: 0,
        ephemeral: 0,
        requested: 0,
        'time-bound': 0,
        permanent: 0,
        foreign: 1,
        orphaned: 0,
      },
    });
    expect(html).not.toMatch(/<script>|\n::warning::/);
    expect(html).toContain('granted 2025-01-01T00:00:00.000Z by =HYPERLINK');
  });
});

describe('a long name in the summary', () => {
  it('is cut short between characters, never inside one (no lone surrogate, no replacement character)', () => {
    // `user ` and 294 ASCII characters, then emoji: the 300th UTF-16 unit shown is the first half of a pair.
    const name = `${'a'.repeat(294)}${'😀'.repeat(10)}`;
    const rows = accessRows('aws', [held({}, 'u-1', name)], RUN);
    const html = reportSummaryHtml(rows, {
      header: { title: 't' },
      readLine: 'r',
      counts: {
        manifest: 0,
        ephemeral: 0,
        requested: 0,
        'time-bound': 0,
        permanent: 0,
        foreign: 1,
        orphaned: 0,
      },
    });
    expect(html).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(html).toContain(`user ${'a'.repeat(294)}…</code>`);
  });
});
