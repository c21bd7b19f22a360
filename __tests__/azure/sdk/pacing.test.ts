import { describe, expect, it } from '@jest/globals';
import { ArmWritePacer, bucketKey, remainingHeaderFor } from '../../../src/azure/sdk/pacing.js';

const SUB = '11111111-1111-1111-1111-111111111111';
const ARM = 'https://management.azure.com';

describe('the bucket a write lands in', () => {
  it('is per subscription and per kind (writes, deletes)', () => {
    expect(bucketKey(`${ARM}/subscriptions/${SUB.toUpperCase()}/resourceGroups/rg/providers/x`, 'PUT')).toBe(
      `subscription:${SUB}:writes`,
    );
    expect(bucketKey(`${ARM}/subscriptions/${SUB}/providers/x`, 'DELETE')).toBe(
      `subscription:${SUB}:deletes`,
    );
    expect(remainingHeaderFor(`subscription:${SUB}:writes`)).toBe(
      'x-ms-ratelimit-remaining-subscription-writes',
    );
    expect(remainingHeaderFor(`subscription:${SUB}:deletes`)).toBe(
      'x-ms-ratelimit-remaining-subscription-deletes',
    );
  });

  it('is the tenant at management group scope', () => {
    const key = bucketKey(`${ARM}/providers/Microsoft.Management/managementGroups/mg/providers/x`, 'PUT');
    expect(key).toBe('tenant:writes');
    expect(remainingHeaderFor(key!)).toBe('x-ms-ratelimit-remaining-tenant-writes');
  });

  it('is none for reads', () => {
    expect(bucketKey(`${ARM}/subscriptions/${SUB}`, 'GET')).toBeUndefined();
  });
});

describe('writes are paced only while ARM reports the bucket low', () => {
  /** A clock that moves only when a test moves it; sleeps are recorded, not waited. */
  function pacer() {
    let now = 0;
    const sleeps: number[] = [];
    const p = new ArmWritePacer(
      async (ms) => {
        sleeps.push(ms);
        return true;
      },
      () => now,
    );
    return { p, sleeps, advance: (ms: number) => (now += ms) };
  }

  it('does not wait before ARM has said anything, or while plenty is left', async () => {
    const { p, sleeps } = pacer();
    await p.take('k');
    p.observe('k', 150);
    for (let i = 0; i < 20; i++) await p.take('k');
    expect(sleeps).toEqual([]);
  });

  it('spaces writes at the refill rate (10 a second) once fewer than 10 tokens are left', async () => {
    const { p, sleeps } = pacer();
    p.observe('k', 3);
    await Promise.all([p.take('k'), p.take('k'), p.take('k')]);
    // Sent at 0, 100 and 200 ms.
    expect(sleeps).toEqual([100, 200]);
  });

  it('counts its own writes against what ARM last reported', async () => {
    const { p, sleeps } = pacer();
    p.observe('k', 11);
    await Promise.all([p.take('k'), p.take('k'), p.take('k'), p.take('k')]);
    // 11 and 10 pass; from 9 left, writes are paced.
    expect(sleeps).toEqual([100]);
  });

  it('stops pacing once the bucket has refilled', async () => {
    const { p, sleeps, advance } = pacer();
    p.observe('k', 2);
    advance(2000);
    await p.take('k');
    await p.take('k');
    expect(sleeps).toEqual([]);
  });

  it('says a paced write must not be sent when the deadline came during its wait', async () => {
    const p = new ArmWritePacer(
      async () => false,
      () => 0,
    );
    p.observe('subscription:s:writes', 0);
    expect(await p.take('subscription:s:writes')).toBe(true);
    expect(await p.take('subscription:s:writes')).toBe(false);
  });
});
