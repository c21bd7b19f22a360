// Who gained and lost what since a previous report's JSON (`compare-to`): compared only where both
// reports read, and a file that is no report of this cloud refused.
import { describe, expect, it } from '@jest/globals';
import { compareRows, previousRows } from '../../../src/operations/report/access-compare.js';
import { accessRows } from '../../../src/operations/report/access-rows.js';
import { reportSummaryHtml } from '../../../src/operations/report/access-summary.js';
import { held, RUN } from './held-rows.js';

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
      counts: {
        manifest: 0,
        ephemeral: 0,
        requested: 0,
        'time-bound': 0,
        permanent: 0,
        foreign: 2,
        orphaned: 0,
      },
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
            kind: 'azure-role-assignment',
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

  it('reads each row\u2019s kind back by its word, so an eligibility lost beside an active assignment kept is said', () => {
    const ids = { principalId: 'u-1', roleId: 'r', targetId: '/subscriptions/s' };
    const file = (rows: object[]) => JSON.stringify({ version: 1, cloud: 'azure', rows });
    const earlier = previousRows(
      file([
        { ...ids, kind: 'active' },
        { ...ids, kind: 'eligible' },
        // From before the column: the kind Azure lists, so the same grant as the first.
        { ...ids },
      ]),
      'azure',
    );
    if (!('rows' in earlier)) throw new Error(earlier.problem);
    expect(earlier.rows.map((r) => r.kind)).toEqual(['azure-role-assignment', 'azure-pim-eligible']);
    expect(earlier.duplicates).toBe(1);
    const now = previousRows(file([{ ...ids, kind: 'active' }]), 'azure');
    if (!('rows' in now)) throw new Error(now.problem);
    const changes = compareRows(earlier, now.rows, undefined, 'azure');
    expect(changes.lost.map((r) => r.kind)).toEqual(['azure-pim-eligible']);
    expect(changes.gained).toEqual([]);
    // A word no kind of the cloud says is no grant of it: not read, and counted.
    const aws = previousRows(
      JSON.stringify({ version: 1, cloud: 'aws', rows: [{ ...ids, kind: 'eligible' }] }),
      'aws',
    );
    expect('rows' in aws && [aws.rows.length, aws.unreadable]).toEqual([0, 1]);
  });

  it('says why a row of a kind its cloud has none of is not compared: not for a missing ID', () => {
    const ids = { principalId: 'u-1', roleId: 'ps-1', targetId: '111111111111' };
    const earlier = previousRows(
      JSON.stringify({ version: 1, cloud: 'aws', rows: [{ ...ids, kind: 'eligible' }] }),
      'aws',
    );
    if (!('rows' in earlier)) throw new Error(earlier.problem);
    const { caveats, lost } = compareRows(earlier, [], undefined, 'aws');
    expect(lost).toEqual([]);
    expect(caveats[0]).toMatch(/^1 row\(s\) of the earlier report could not be read \(.*a kind/);
  });

  it('takes no eligibility for lost, nor for gained, where one of the reports could not read eligibilities', () => {
    const ids = { principalId: 'u-1', roleId: 'r', targetId: '/subscriptions/s' };
    const file = (rows: object[], cover: object) =>
      JSON.stringify({ version: 1, cloud: 'azure', cover, rows });
    const every = { targets: null, roles: null, expandGroups: false };
    const activeOnly = { ...every, kinds: ['active'] };
    const read = (text: string) => {
      const report = previousRows(text, 'azure');
      if (!('rows' in report)) throw new Error(report.problem);
      return report;
    };
    const both = [
      { ...ids, kind: 'active' },
      { ...ids, kind: 'eligible' },
    ];
    // This report could not read eligibilities (no P2 licence): the earlier one's are not lost.
    const now = read(file([{ ...ids, kind: 'active' }], activeOnly));
    const lost = compareRows(read(file(both, every)), now.rows, now.cover, 'azure');
    expect([lost.gained, lost.lost]).toEqual([[], []]);
    expect(lost.caveats).toEqual([
      expect.stringMatching(
        /active grants only: .*\(1 of the earlier report's and 0 of this one's left out\)$/,
      ),
    ]);
    // The earlier one could not: this one's are not gained.
    const all = read(file(both, every));
    const gained = compareRows(
      read(file([{ ...ids, kind: 'active' }], activeOnly)),
      all.rows,
      all.cover,
      'azure',
    );
    expect([gained.gained, gained.lost]).toEqual([[], []]);
    // A cover whose kinds are no words of a kind is no cover: compared whole, and said.
    const hostile = read(file(both, { ...every, kinds: ['__proto__'] }));
    expect(hostile.cover).toBeUndefined();
  });
});
