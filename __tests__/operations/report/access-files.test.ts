// The report's files: the CSV a spreadsheet opens without running a formula, named for when and
// where it was read, and the JSON a later report reads back.
import { describe, expect, it } from '@jest/globals';
import { previousRows } from '../../../src/operations/report/access-compare.js';
import {
  CSV_COLUMNS,
  csvCell,
  csvFileName,
  csvReadAt,
  EMPTY_REPORT_HELD,
  reportCsv,
  reportDocument,
  reportJson,
} from '../../../src/operations/report/access-files.js';
import { accessRows, ROW_COLUMNS } from '../../../src/operations/report/access-rows.js';
import { held, RUN } from './held-rows.js';

const COVERED =
  'instance: arn:aws:sso:::instance/ssoins-1; targets: every account; roles: every role; expand-groups: no; kinds: active';
const READ_AT = '2025-04-01T06:01:00.000Z';

/** A CSV's lines, each as its cells (every cell is quoted; none of these holds a comma or a quote). */
const table = (csv: string) =>
  csv
    .split('\r\n')
    .filter(Boolean)
    .map((line) => line.split(',').map((cell) => cell.replace(/^"|"$/g, '')));

describe('the files', () => {
  it('quote every CSV cell and defuse a formula start with a single quote', () => {
    expect(csvCell('=SUM(A1)')).toBe(`"'=SUM(A1)"`);
    expect(csvCell('+1')).toBe(`"'+1"`);
    expect(csvCell('-2')).toBe(`"'-2"`);
    expect(csvCell('@x')).toBe(`"'@x"`);
    expect(csvCell('say "hi"')).toBe(`"say ""hi"""`);
    expect(csvCell(null)).toBe('');
    expect(csvCell('a\nb')).toBe('"a%0Ab"');
    const csv = reportCsv('aws', accessRows('aws', [held({}, 'u-1', '=cmd|x')], RUN), COVERED, READ_AT);
    expect(csv.split('\r\n')[1]).toContain(`"'=cmd|x"`);
  });

  it('write JSON that a later report reads back, and that never starts a line with a command', () => {
    const rows = accessRows('aws', [held({}, 'u-1', '::warning::x'), held({}, 'u-2', 'bob')], RUN);
    const text = reportJson(reportDocument('aws', rows, 'everything', 0));
    expect(text.split('\n').some((l) => l.trimStart().startsWith('::'))).toBe(false);
    const back = previousRows(text, 'aws');
    expect('rows' in back && back.rows.map((r) => r.principalId)).toEqual(['u-1', 'u-2']);
  });

  it('say when each source was read in the JSON, which a later report still reads back, and when and where the CSV was read in its name', () => {
    const rows = accessRows('aws', [held({ granted: { before: '2025-01-01T00:00:00.000Z' } })], RUN);
    const windows = [
      { source: 'IAM Identity Center', start: '2025-04-01T06:00:00.000Z', end: '2025-04-01T06:01:00.000Z' },
      {
        source: 'CloudTrail LookupEvents',
        start: '2025-04-01T06:01:00.000Z',
        end: '2025-04-01T06:02:00.000Z',
        historyFrom: '2025-01-01T00:00:00.000Z',
      },
    ];
    const text = reportJson(reportDocument('aws', rows, 'everything', 0, undefined, windows));
    expect(JSON.parse(text)).toMatchObject({ version: 1, windows });
    const back = previousRows(text, 'aws');
    expect('rows' in back && back.rows[0]!.grantedAt).toBe('before 2025-01-01T00:00:00.000Z');
    expect(csvFileName('azure', Date.parse('2025-04-01T06:00:09.123Z'))).toBe(
      'access-report-azure-20250401T060009Z.csv',
    );
  });

  it('hold a hostile creator and scope as inert data: no formula in the CSV', () => {
    const hostile = '=HYPERLINK("http://x")\n::warning::pwned<script>';
    const rows = accessRows(
      'azure',
      [
        held({
          granted: { at: '2025-01-01T00:00:00.000Z', by: { id: 'c-1', name: hostile } },
          inheritedFrom: `-${hostile}`,
        }),
      ],
      RUN,
    );
    const csv = reportCsv('azure', rows, COVERED, READ_AT).split('\r\n')[1]!;
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")%0A::warning::pwned<script> (c-1)"`);
    expect(csv).toContain(`"inherited from -=HYPERLINK`);
  });
});

describe('a CSV kept alone', () => {
  it('says on every row what the report covered and when it was read, in last columns after those of earlier versions', () => {
    const rows = accessRows('aws', [held({}, 'u-1', 'alice'), held({}, 'u-2', 'bob')], RUN);
    const [header, ...lines] = table(reportCsv('aws', rows, COVERED, READ_AT));
    expect(header).toEqual([...ROW_COLUMNS.filter((c) => c !== 'live'), 'covered', 'readAt', 'live']);
    expect(CSV_COLUMNS).toEqual(header);
    expect(lines.map((l) => l.length)).toEqual([header!.length, header!.length]);
    expect(lines.map((l) => l.slice(-3, -1))).toEqual([
      [COVERED, READ_AT],
      [COVERED, READ_AT],
    ]);
    expect(lines.map((l) => l[2])).toEqual(['alice', 'bob']);
  });

  it('says when it was read as of the read of the grants themselves, not of the history read after them', () => {
    const windows = [
      { source: 'IAM Identity Center', start: '2025-04-01T06:00:00.000Z', end: READ_AT },
      { source: 'CloudTrail LookupEvents', start: READ_AT, end: '2025-04-01T06:02:00.000Z' },
    ];
    expect(csvReadAt(windows, Date.parse('2025-04-01T06:03:00.000Z'))).toBe(READ_AT);
    // No window said (an older reader): when the report was written.
    expect(csvReadAt(undefined, Date.parse('2025-04-01T06:03:00.000Z'))).toBe('2025-04-01T06:03:00.000Z');
  });

  it('of an empty report, has one row that says what was read and that nothing was found; the JSON has none', () => {
    const [header, ...lines] = table(reportCsv('aws', [], COVERED, READ_AT));
    expect(lines).toHaveLength(1);
    const row = Object.fromEntries(header!.map((c, i) => [c, lines[0]![i]]));
    expect(row).toEqual({
      ...Object.fromEntries(ROW_COLUMNS.map((c) => [c, ''])),
      cloud: 'aws',
      held: EMPTY_REPORT_HELD,
      covered: COVERED,
      readAt: READ_AT,
    });
    expect(EMPTY_REPORT_HELD).toBe('none');
    const document = JSON.parse(reportJson(reportDocument('aws', [], 'everything', 0)));
    expect(document.rows).toEqual([]);
    expect(Object.values(document.counts as Record<string, number>).every((n) => n === 0)).toBe(true);
  });

  it('holds a hostile asked target as inert data in the covered cell', () => {
    const csv = reportCsv('aws', [], '=HYPERLINK("http://x")\n::warning::pwned', READ_AT);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")%0A::warning::pwned","${READ_AT}",\r\n`);
    expect(csv.split('\r\n').some((line) => /^\s*(=|::)/.test(line))).toBe(false);
  });
});
