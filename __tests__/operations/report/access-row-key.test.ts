// Which grant a row is across reports: the key by which a later report's `compare-to` finds the
// same grant, and the kind an earlier file's row says by its word.
import { describe, expect, it } from '@jest/globals';
import { accessRows } from '../../../src/operations/report/access-rows.js';
import { kindOfWord, rowKey } from '../../../src/operations/report/access-row-key.js';
import { heldReader } from './held-rows.js';

describe('the rows of a report', () => {
  it('are the same grant across reports whatever the IDs\u2019 case, and another through another group', () => {
    const [row] = accessRows('azure', [heldReader('U-1')], {});
    expect(rowKey({ ...row!, principalId: 'u-1', roleId: 'role-1', targetId: 'target-1' })).toBe(
      rowKey(row!),
    );
    expect(rowKey({ ...row!, viaGroupId: 'g-1' })).not.toBe(rowKey(row!));
    expect(rowKey({ ...row!, cloud: 'aws', kind: 'aws-account-assignment' })).not.toBe(rowKey(row!));
    const { kind: _kind, ...unsaid } = row!;
    expect(rowKey({ ...unsaid, cloud: 'aws' })).not.toBe(rowKey(row!));
  });
});

describe('the kind of access a row is', () => {
  it('keeps an eligibility and an active assignment of one principal, role and scope apart across reports', () => {
    const [active, eligible] = accessRows(
      'azure',
      [heldReader('u-1'), heldReader('u-1', { kind: 'azure-pim-eligible' })],
      {},
    );
    expect(rowKey(eligible!)).not.toBe(rowKey(active!));
    // A row of a report from before the column is of the kind its cloud lists.
    const { kind: _kind, ...older } = active!;
    expect(rowKey(older)).toBe(rowKey(active!));
  });

  it('is read back from an earlier file by its word, as the kind of that cloud that says it', () => {
    expect(kindOfWord('azure', 'active')).toBe('azure-role-assignment');
    expect(kindOfWord('azure', 'eligible')).toBe('azure-pim-eligible');
    expect(kindOfWord('aws', 'active')).toBe('aws-account-assignment');
    // A file from before the column, or a word no kind says: the kind the cloud lists, as before.
    expect(kindOfWord('azure', undefined)).toBe('azure-role-assignment');
    expect(kindOfWord('azure', 'azure-pim-eligible')).toBe('azure-role-assignment');
    // A word no kind of the cloud says: no kind (AWS has no eligibility).
    expect(kindOfWord('aws', 'eligible')).toBeUndefined();
  });
});
