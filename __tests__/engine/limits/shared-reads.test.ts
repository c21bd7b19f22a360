// Reads that serve several grants are made once (one ListAccountAssignments per account and
// permission set, one role lookup per name and scope); a failed one is tried again by the next.
import { describe, expect, it } from '@jest/globals';
import { SharedReads } from '../../../src/engine/limits/shared-reads.js';

describe('a read several grants need is made once', () => {
  it('gives every caller of one key the same read, made once, even while it is under way', async () => {
    const reads = new SharedReads();
    let calls = 0;
    const load = async () => {
      calls++;
      await Promise.resolve();
      return ['assignment-1'];
    };
    const [a, b] = await Promise.all([reads.get('acct/ps', load), reads.get('acct/ps', load)]);
    expect(await reads.get('acct/ps', load)).toBe(a);
    expect(b).toBe(a);
    expect(calls).toBe(1);
  });

  it('makes a read of its own for each key', async () => {
    const reads = new SharedReads();
    expect(await reads.get('reader', async () => 'role-1')).toBe('role-1');
    expect(await reads.get('owner', async () => 'role-2')).toBe('role-2');
  });

  it('forgets a failed read, so that a later caller tries again', async () => {
    const reads = new SharedReads();
    await expect(reads.get('k', () => Promise.reject(new Error('ThrottlingException')))).rejects.toThrow(
      'ThrottlingException',
    );
    expect(await reads.get('k', async () => 'second try')).toBe('second try');
  });
});
