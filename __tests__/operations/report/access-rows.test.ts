// The report's own model: the classes a row is held in, the CSV's columns, and the key by which a
// later report's `compare-to` finds the same grant.
import { describe, expect, it } from '@jest/globals';
import type { HeldAssignment } from '../../../src/engine/run/access-reader.js';
import {
  accessRows,
  classCounts,
  HOLDING_CLASSES,
  ROW_COLUMNS,
  rowKey,
} from '../../../src/operations/report/access-rows.js';

const held = (principal: string, more: Partial<HeldAssignment> = {}): HeldAssignment => ({
  principal: { id: principal, kind: 'user' },
  role: { id: 'ROLE-1', name: 'Reader' },
  target: { id: 'TARGET-1', name: 'prod' },
  ...more,
});

describe('the rows of a report', () => {
  it('count every class, the ones no row holds at zero', () => {
    const rows = accessRows('aws', [held('u-1'), held('u-2', { principal: { id: 'u-2', gone: true } })], {});
    expect(classCounts(rows)).toEqual({
      manifest: 0,
      ephemeral: 0,
      'time-bound': 0,
      permanent: 0,
      foreign: 1,
      orphaned: 1,
    });
    expect(Object.keys(classCounts([]))).toEqual([...HOLDING_CLASSES]);
  });

  it('hold every column of the CSV, in its order', () => {
    const [row] = accessRows('azure', [held('u-1')], {});
    expect(Object.keys(row!).sort()).toEqual([...ROW_COLUMNS].sort());
    expect(ROW_COLUMNS.slice(0, 3)).toEqual(['cloud', 'principalKind', 'principalName']);
  });

  it('are the same grant across reports whatever the IDs\u2019 case, and another through another group', () => {
    const [row] = accessRows('azure', [held('U-1')], {});
    expect(rowKey({ ...row!, principalId: 'u-1', roleId: 'role-1', targetId: 'target-1' })).toBe(
      rowKey(row!),
    );
    expect(rowKey({ ...row!, viaGroupId: 'g-1' })).not.toBe(rowKey(row!));
    expect(rowKey({ ...row!, cloud: 'aws' })).not.toBe(rowKey(row!));
  });
});
