// The report's own model: the classes a row is held in, the CSV's columns, the kind of access each
// row is (the key by which a later report finds the same grant: access-row-key.test.ts).
import { describe, expect, it } from '@jest/globals';
import {
  accessRows,
  classCounts,
  HOLDING_CLASSES,
  ROW_COLUMNS,
  holdingOf,
  writtenRow,
} from '../../../src/operations/report/access-rows.js';
import { rowKey } from '../../../src/operations/report/access-row-key.js';
import { held as heldBy, heldReader, mark, RUN } from './held-rows.js';

describe('the rows of a report', () => {
  it('count every class, the ones no row holds at zero', () => {
    const rows = accessRows(
      'aws',
      [heldReader('u-1'), heldReader('u-2', { principal: { id: 'u-2', gone: true } })],
      {},
    );
    expect(classCounts(rows)).toEqual({
      manifest: 0,
      ephemeral: 0,
      requested: 0,
      'time-bound': 0,
      permanent: 0,
      foreign: 1,
      orphaned: 1,
    });
    expect(Object.keys(classCounts([]))).toEqual([...HOLDING_CLASSES]);
  });

  it('hold every column of the CSV, in its order', () => {
    const [row] = accessRows('azure', [heldReader('u-1')], {});
    expect(Object.keys(row!).sort()).toEqual([...ROW_COLUMNS].sort());
    expect(ROW_COLUMNS.slice(0, 3)).toEqual(['cloud', 'principalKind', 'principalName']);
  });
});

describe('the kind of access a row is', () => {
  it('is the kind the reader read, written as the word a person uses: active on AWS, active or eligible on Azure', () => {
    const [aws] = accessRows('aws', [heldReader('u-1', { kind: 'aws-account-assignment' })], {});
    expect(aws!.kind).toBe('aws-account-assignment');
    expect(writtenRow(aws!).kind).toBe('active');
    const [active, eligible] = accessRows(
      'azure',
      [heldReader('u-1'), heldReader('u-1', { kind: 'azure-pim-eligible' })],
      {},
    );
    expect([active!.kind, eligible!.kind]).toEqual(['azure-role-assignment', 'azure-pim-eligible']);
    expect([writtenRow(active!).kind, writtenRow(eligible!).kind]).toEqual(['active', 'eligible']);
    // The written row keeps the columns in the row's order.
    expect(Object.keys(writtenRow(eligible!))).toEqual(Object.keys(eligible!));
  });
});

describe('since when, by whom and from where a row is held', () => {
  const RUN = { repository: 'octo-org/octo-repo', repositoryId: '42', serverUrl: 'https://github.com' };

  it('shows a person by name and ID, a run by its page, a time past the history as before it', () => {
    const rows = accessRows(
      'aws',
      [
        heldReader('u-1', {
          granted: { at: '2025-01-07T00:00:00.000Z', by: { id: 'arn:aws:iam::1:user/alice' } },
        }),
        heldReader('u-2', {
          granted: {
            at: '2025-01-08T00:00:00.000Z',
            by: { id: 'arn:aws:sts::1:assumed-role/r/cloud-access-42-901-1-e' },
            run: { repositoryId: '42', runId: '901', attempt: '1' },
          },
        }),
        heldReader('u-3', { granted: { before: '2025-01-01T00:00:00.000Z' } }),
        heldReader('u-4', { granted: { at: '2025-01-09T00:00:00.000Z', by: { id: 'c-1', name: 'carol' } } }),
      ],
      RUN,
    );
    expect(rows.map((r) => [r.principalId, r.grantedAt, r.grantedBy])).toEqual([
      ['u-1', '2025-01-07T00:00:00.000Z', 'arn:aws:iam::1:user/alice'],
      [
        'u-2',
        '2025-01-08T00:00:00.000Z',
        'https://github.com/octo-org/octo-repo/actions/runs/901/attempts/1',
      ],
      ['u-3', 'before 2025-01-01T00:00:00.000Z', null],
      ['u-4', '2025-01-09T00:00:00.000Z', 'carol (c-1)'],
    ]);
  });

  it('marks an inherited grant, another grant than one at the target itself', () => {
    const [direct] = accessRows('azure', [heldReader('u-1')], {});
    const [inherited] = accessRows(
      'azure',
      [heldReader('u-1', { inheritedFrom: '/providers/Microsoft.Management/managementGroups/mg' })],
      {},
    );
    expect(inherited!.inherited).toBe('inherited from /providers/Microsoft.Management/managementGroups/mg');
    expect(direct!.inherited).toBeNull();
    expect(rowKey(inherited!)).not.toBe(rowKey(direct!));
  });

  it('keeps the CSV\u2019s old columns where they were, the new ones last', () => {
    expect(ROW_COLUMNS.slice(-6)).toEqual(['warning', 'grantedAt', 'grantedBy', 'inherited', 'kind', 'live']);
  });
});

describe('how a grant is held', () => {
  it('gone first, then a manifest, a live claim by its kind, a run’s permanent grant, anyone else', () => {
    const live = (kind: 'ephemeral' | 'requested' | 'time-bound') => ({ live: { kind, reason: 'r' } });
    expect(holdingOf(heldBy({ principal: { id: 'x', gone: true }, manifest: { path: 'a.yml' } }))).toBe(
      'orphaned',
    );
    expect(holdingOf(heldBy({ manifest: { path: 'a.yml' }, verdict: live('ephemeral') }))).toBe('manifest');
    expect(holdingOf(heldBy({ mark: mark(true), verdict: live('ephemeral') }))).toBe('ephemeral');
    expect(holdingOf(heldBy({ mark: mark(true), verdict: live('requested') }))).toBe('requested');
    expect(holdingOf(heldBy({ endsAt: '2030-01-01T00:00:00.000Z', verdict: live('time-bound') }))).toBe(
      'time-bound',
    );
    expect(holdingOf(heldBy({ mark: mark(false), verdict: { none: 'p', permanent: true } }))).toBe(
      'permanent',
    );
    expect(holdingOf(heldBy())).toBe('foreign');
  });

  it('a run’s claim that is not live (ended, forged, an expiry 40 days ahead) holds nothing: foreign, as a reconcile deletes it', () => {
    expect(holdingOf(heldBy({ mark: mark(true), verdict: { none: 'its claim has ended' } }))).toBe('foreign');
    expect(holdingOf(heldBy({ endsAt: '2030-01-01T00:00:00.000Z', verdict: { none: 'ended' } }))).toBe(
      'foreign',
    );
  });

  it('an eligibility’s end, which no claim decides, is time-bound', () => {
    expect(holdingOf(heldBy({ endsAt: '2030-01-01T00:00:00.000Z' }))).toBe('time-bound');
  });

  it("links this repository's run, and names another repository's by its ID", () => {
    const [row] = accessRows(
      'aws',
      [
        heldBy({
          mark: { ...mark(true), expiresAt: 1_900_000_000 },
          verdict: { live: { kind: 'ephemeral', until: 1_900_000_000_000, reason: 'r' } },
        }),
      ],
      RUN,
    );
    expect(row).toMatchObject({
      held: 'ephemeral',
      run: 'https://github.com/octo-org/octo-repo/actions/runs/7/attempts/1',
      expiresAt: '2030-03-17T17:46:40.000Z',
    });
    const other = accessRows(
      'aws',
      [heldBy({ mark: { run: { repositoryId: '9', runId: '7', attempt: '2' }, ephemeral: false } })],
      RUN,
    );
    expect(other[0]!.run).toBe('repository 9 run 7/2');
  });
});

describe('rows', () => {
  it('add one per user a group reaches, in the group’s class, and put named principals first', () => {
    const group = heldBy({ manifest: { path: 'a.yml', line: 3 } }, 'g-1', 'Auditors');
    group.principal.kind = 'group';
    const rows = accessRows(
      'aws',
      [heldBy({}, 'u-9', ''), group],
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
