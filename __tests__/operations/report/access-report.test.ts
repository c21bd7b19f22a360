// The report's pure part: how each assignment is held (the strongest claim on it, the principal
// gone first), a row per user a group reaches, principals named first, the CSV a spreadsheet opens
// without running a formula, and who gained and lost what since a previous report's JSON.
import { describe, expect, it } from '@jest/globals';
import { compareRows, previousRows } from '../../../src/operations/report/access-compare.js';
import {
  csvCell,
  csvFileName,
  reportCsv,
  reportDocument,
  reportJson,
} from '../../../src/operations/report/access-files.js';
import { accessRows, holdingOf } from '../../../src/operations/report/access-rows.js';
import type { HeldAssignment } from '../../../src/engine/run/access-reader.js';
import { reportSummaryHtml } from '../../../src/operations/report/access-summary.js';

const RUN = { repository: 'octo-org/octo-repo', repositoryId: '42', serverUrl: 'https://github.com' };
const held = (
  more: Partial<HeldAssignment> = {},
  id = 'u-1',
  name: string | undefined = 'alice',
): HeldAssignment => ({
  principal: { id, name, kind: 'user' },
  role: { id: 'ps-1', name: 'ReadOnly' },
  target: { id: '111111111111' },
  ...more,
});
const mark = (ephemeral: boolean) => ({ run: { repositoryId: '42', runId: '7', attempt: '1' }, ephemeral });

describe('how a grant is held', () => {
  it('gone first, then a manifest, a PIM end, a run (ephemeral or not), anyone else', () => {
    expect(holdingOf(held({ principal: { id: 'x', gone: true }, manifest: { path: 'a.yml' } }))).toBe(
      'orphaned',
    );
    expect(holdingOf(held({ manifest: { path: 'a.yml' }, mark: mark(true) }))).toBe('manifest');
    expect(holdingOf(held({ endsAt: '2030-01-01T00:00:00.000Z', mark: mark(true) }))).toBe('time-bound');
    expect(holdingOf(held({ mark: mark(true) }))).toBe('ephemeral');
    expect(holdingOf(held({ mark: mark(false) }))).toBe('permanent');
    expect(holdingOf(held())).toBe('foreign');
  });

  it("links this repository's run, and names another repository's by its ID", () => {
    const [row] = accessRows('aws', [held({ mark: { ...mark(true), expiresAt: 1_900_000_000 } })], RUN);
    expect(row).toMatchObject({
      held: 'ephemeral',
      run: 'https://github.com/octo-org/octo-repo/actions/runs/7/attempts/1',
      expiresAt: '2030-03-17T17:46:40.000Z',
    });
    const other = accessRows(
      'aws',
      [held({ mark: { run: { repositoryId: '9', runId: '7', attempt: '2' }, ephemeral: false } })],
      RUN,
    );
    expect(other[0]!.run).toBe('repository 9 run 7/2');
  });
});

describe('rows', () => {
  it('add one per user a group reaches, in the group’s class, and put named principals first', () => {
    const group = held({ manifest: { path: 'a.yml', line: 3 } }, 'g-1', 'Auditors');
    group.principal.kind = 'group';
    const rows = accessRows(
      'aws',
      [held({}, 'u-9', ''), group],
      RUN,
      new Map([['g-1', [{ id: 'u-2', name: 'bob', kind: 'user' as const }]]]),
    );
    expect(rows.map((r) => [r.principalName, r.held, r.viaGroup])).toEqual([
      ['Auditors', 'manifest', null],
      ['bob', 'manifest', 'Auditors'],
      [null, 'foreign', null],
    ]);
  });
});

describe('the files', () => {
  it('quote every CSV cell and defuse a formula start with a single quote', () => {
    expect(csvCell('=SUM(A1)')).toBe(`"'=SUM(A1)"`);
    expect(csvCell('+1')).toBe(`"'+1"`);
    expect(csvCell('-2')).toBe(`"'-2"`);
    expect(csvCell('@x')).toBe(`"'@x"`);
    expect(csvCell('say "hi"')).toBe(`"say ""hi"""`);
    expect(csvCell(null)).toBe('');
    expect(csvCell('a\nb')).toBe('"a%0Ab"');
    const csv = reportCsv(accessRows('aws', [held({}, 'u-1', '=cmd|x')], RUN));
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

  it('hold a hostile creator and scope as inert data: no formula in the CSV, no markup or command in the summary', () => {
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
    const csv = reportCsv(rows).split('\r\n')[1]!;
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")%0A::warning::pwned<script> (c-1)"`);
    expect(csv).toContain(`"inherited from -=HYPERLINK`);
    const html = reportSummaryHtml(rows, {
      header: { title: 'report', lines: [] } as never,
      readLine: 'read',
      counts: { manifest: 0, ephemeral: 0, 'time-bound': 0, permanent: 0, foreign: 1, orphaned: 0 },
    });
    expect(html).not.toMatch(/<script>|\n::warning::/);
    expect(html).toContain('granted 2025-01-01T00:00:00.000Z by =HYPERLINK');
  });
});

describe('compared with a previous report', () => {
  it('counts what was gained and lost, by IDs and the group it is held through', () => {
    const before = accessRows('aws', [held({}, 'u-1'), held({}, 'u-2', 'bob')], RUN);
    const now = accessRows('aws', [held({}, 'u-1'), held({}, 'u-3', 'carol')], RUN);
    const cover = { targets: null, roles: null, expandGroups: false };
    const changes = compareRows({ rows: before, cover, unreadable: 0, duplicates: 0 }, now, cover, 'aws');
    expect(changes.gained.map((r) => r.principalId)).toEqual(['u-3']);
    expect(changes.lost.map((r) => r.principalId)).toEqual(['u-2']);
    const html = reportSummaryHtml(now, {
      header: { title: 't' },
      readLine: 'r',
      counts: { manifest: 0, ephemeral: 0, 'time-bound': 0, permanent: 0, foreign: 2, orphaned: 0 },
      changes,
      comparedWith: 'prev.json',
    });
    expect(html).toMatch(/1 gained, 1 lost/);
  });

  it('on Azure, compares only the scopes both read, at or under each, and the roles both kept', () => {
    const sub = '/subscriptions/00000000-0000-4000-8000-000000000001';
    const at = (id: string, target: string, role = 'Reader') =>
      accessRows(
        'azure',
        [
          {
            principal: { id, kind: 'user' },
            role: {
              id: `/providers/Microsoft.Authorization/roleDefinitions/${role === 'Reader' ? 'aa' : 'bb'}`,
              name: role,
            },
            target: { id: target },
          },
        ],
        RUN,
      )[0]!;
    const earlier = [
      at('u-1', `${sub}/resourceGroups/rg-a`),
      at('u-2', `${sub}/resourceGroups/rg-a/providers/X.Y/z/1`),
    ];
    const now = [
      at('u-1', `${sub}/resourceGroups/rg-a`),
      at('u-3', `${sub}/resourceGroups/rg-b`),
      at('u-4', `${sub}/resourceGroups/rg-a`, 'Owner'),
    ];
    const changes = compareRows(
      {
        rows: earlier,
        cover: { targets: [`${sub}/resourceGroups/RG-A`], roles: null, expandGroups: false },
        unreadable: 0,
        duplicates: 0,
      },
      now,
      { targets: [sub], roles: ['reader'], expandGroups: true },
      'azure',
    );
    expect(changes.gained).toEqual([]);
    expect(changes.lost.map((r) => r.principalId)).toEqual(['u-2']);
    expect(changes.caveats).toEqual([
      expect.stringMatching(/\(0 of the earlier report's and 2 of this one's left out\)$/),
    ]);
  });

  it('refuses a file that is not a report of this cloud, and keeps only rows with IDs', () => {
    expect(previousRows('nope', 'aws')).toEqual({ problem: 'is not JSON' });
    expect(previousRows('{"version":2,"rows":[]}', 'aws')).toMatchObject({
      problem: expect.stringMatching(/not a report/),
    });
    expect(previousRows('{"version":1,"cloud":"azure","rows":[]}', 'aws')).toMatchObject({
      problem: expect.stringMatching(/`azure`/),
    });
    const read = previousRows(
      '{"version":1,"cloud":"aws","rows":[{"principalId":"u"},{"principalId":"u","roleId":"r","targetId":"t","held":"<b>"}]}',
      'aws',
    );
    expect('rows' in read && read.rows).toEqual([
      expect.objectContaining({ principalId: 'u', held: 'foreign' }),
    ]);
    expect('rows' in read && read.unreadable).toBe(1);
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
      counts: { manifest: 0, ephemeral: 0, 'time-bound': 0, permanent: 0, foreign: 1, orphaned: 0 },
    });
    expect(html).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(html).toContain(`user ${'a'.repeat(294)}…</code>`);
  });
});
