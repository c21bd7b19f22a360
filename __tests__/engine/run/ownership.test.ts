// The post step's question "did this step create it?", against a driver that records its reads.
import { describe, expect, it, jest } from '@jest/globals';
import { onFakeClock, settled } from '../../harness/fake-clock.js';
import type { ResolvedIds } from '../../../src/core/types.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats, type GrantDriver } from '../../../src/engine/calls/driver.js';
import type { OwnCreate } from '../../../src/engine/calls/ownership-proofs.js';
import { confirmOwnership } from './confirm-ownership.js';
import type { StatusSnapshot } from '../../../src/engine/calls/status.js';

const ids: ResolvedIds = { cloud: 'aws', principalId: 'p', accountId: '111111111111', roleId: 'r' };

function driver(
  statuses: Record<string, StatusSnapshot | Error>,
  own: OwnCreate = { ownership: 'not-created', why: 'none' },
) {
  const reads: string[] = [];
  const d: GrantDriver = {
    cloud: 'aws',
    stats: emptyStats(),
    prepare: async () => {},
    resolve: async () => ids,
    findExisting: async () => undefined,
    create: async () => ({ kind: 'done', changed: true }),
    remove: async () => ({ kind: 'done', changed: true }),
    readCreate: async (requestId) => {
      reads.push(requestId);
      const s = statuses[requestId];
      if (s instanceof Error) throw s;
      return s ?? { status: 'IN_PROGRESS' };
    },
    findOwnCreate: async () => {
      reads.push('find');
      return own;
    },
  };
  return { d, reads };
}
const bound = (seconds = 5) => ({ deadline: new Deadline(seconds) });

describe("the post step confirms a grant is the step's before revoking it", () => {
  it('a create the main step saw SUCCEEDED is not read again', async () => {
    const { d, reads } = driver({});
    expect(
      await confirmOwnership({ ids, sentAt: 0, ownership: 'created', requestId: 'a' }, d, bound()),
    ).toEqual({
      ours: true,
    });
    expect(reads).toEqual([]);
  });

  it('an accepted create is followed: ours if it SUCCEEDED, nothing to revoke if it FAILED', async () => {
    const { d } = driver({ a: { status: 'SUCCEEDED' }, b: { status: 'FAILED', failureReason: 'quota' } });
    expect(
      await confirmOwnership({ ids, sentAt: 0, ownership: 'accepted', requestId: 'a' }, d, bound()),
    ).toEqual({
      ours: true,
    });
    expect(
      await confirmOwnership({ ids, sentAt: 0, ownership: 'accepted', requestId: 'b' }, d, bound()),
    ).toMatchObject({
      ours: false,
      status: 'SUCCEEDED',
      reason: expect.stringContaining('FAILED (quota)'),
    });
  });

  it('a failed status read fails that grant only, and says it was not revoked', async () => {
    const { d } = driver({ a: new Error('AccessDeniedException'), b: { status: 'SUCCEEDED' } });
    const [a, b] = await Promise.all([
      confirmOwnership({ ids, sentAt: 0, ownership: 'accepted', requestId: 'a' }, d, bound()),
      confirmOwnership({ ids, sentAt: 0, ownership: 'accepted', requestId: 'b' }, d, bound()),
    ]);
    expect(a).toMatchObject({
      ours: false,
      status: 'FAILED',
      reason: expect.stringContaining('AccessDeniedException'),
    });
    expect(b).toEqual({ ours: true });
  });

  it('a create that following longer cannot end (a cancel Azure refused) fails at once with why, without waiting for the deadline', () =>
    onFakeClock(jest, async () => {
      const { d, reads } = driver({ a: { status: 'IN_PROGRESS', awaiting: 'is still PendingApproval' } });
      const started = Date.now();
      expect(
        await settled(
          confirmOwnership({ ids, sentAt: 0, ownership: 'accepted', requestId: 'a' }, d, bound(30)),
        ),
      ).toEqual({
        ours: false,
        status: 'FAILED',
        reason: "not revoked: this step's create request a is still PendingApproval",
      });
      expect(reads).toEqual(['a']);
      // The deadline is 30 s away: the step's own time says it was never waited for.
      expect(Date.now() - started).toBeLessThan(30_000);
    }));

  it('a create still running at the post deadline is reported IN_PROGRESS, not revoked', async () => {
    const { d } = driver({});
    expect(
      await confirmOwnership({ ids, sentAt: 0, ownership: 'accepted', requestId: 'a' }, d, bound(0.5)),
    ).toMatchObject({
      ours: false,
      status: 'IN_PROGRESS',
    });
  });

  it('a lost create is asked about; not found means left in place', async () => {
    const { d, reads } = driver({});
    expect(await confirmOwnership({ ids, sentAt: 0, ownership: 'unknown' }, d, bound())).toMatchObject({
      ours: false,
      reason: 'left in place: none',
    });
    expect(reads).toEqual(['find']);
  });

  it('a lost create found still running is followed to its end', async () => {
    const { d, reads } = driver({ x: { status: 'SUCCEEDED' } }, { ownership: 'accepted', requestId: 'x' });
    expect(await confirmOwnership({ ids, sentAt: 0, ownership: 'unknown' }, d, bound())).toEqual({
      ours: true,
    });
    expect(reads).toEqual(['find', 'x']);
  });
});
