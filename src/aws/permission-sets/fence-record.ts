// The record of a session fence written into a permission set after a revoke (or of an expired
// one removed), in the form of every record (engine/audit/record.ts): the permission-set kind's own,
// which its writer hands the step's trail (WriteContext.recordChange). Pure.
import { accountsOf, fenceSid, type SessionFence } from '../../core/permission-sets/session-fence.js';
import type { GrantResult } from '../../core/grant-result.js';
import type { FenceRemoved } from '../../core/permission-sets/session-fence-results.js';
import { withoutUndefined, type OwnRecord, type RecordBody } from '../../engine/audit/record.js';

/**
 * A fence written in one account of one set (provisioned there), or removed (from every account it
 * named), and how it ended.
 */
export interface FenceChange {
  arn: string;
  name: string;
  account: string;
  fence: SessionFence;
  status: GrantResult['status'];
  failureReason?: string;
  /** An expired fence taken out, rather than one written. */
  removal?: true;
  /** A live fence taken out because this later fence (its Sid) covers it. */
  supersededBy?: string;
}

/**
 * A fence's record: the set (`role`), its account (a removal's: every account it named), and the
 * fence's Sid, the sessions it ends (issued before `before`), its expiry, a user grant's users, and
 * a fence merged across accounts its `accounts`.
 */
export type FenceRecord = OwnRecord<
  'session-fence' | 'session-fence-removal',
  {
    accounts: string[];
    fence: { sid: string; before: string; expiresAt: string; userIds?: string[]; accounts?: string[] };
    /** A live fence taken out because the later fence of this Sid covers it. */
    supersededBy?: string;
  }
>;

export function fenceRecord(change: FenceChange): RecordBody<FenceRecord> {
  const { fence } = change;
  return withoutUndefined({
    change: change.removal ? ('session-fence-removal' as const) : ('session-fence' as const),
    cloud: 'aws' as const,
    role: withoutUndefined({ id: change.arn, name: change.name }),
    accounts: change.removal ? [...accountsOf(fence)] : [change.account],
    status: change.status,
    failureReason: change.failureReason,
    supersededBy: change.supersededBy,
    fence: withoutUndefined({
      sid: fenceSid(fence),
      before: fence.before,
      expiresAt: fence.expiresAt,
      userIds: fence.userIds ? [...fence.userIds] : undefined,
      accounts: fence.accounts ? [...fence.accounts] : undefined,
    }),
  }) as RecordBody<FenceRecord>;
}

/** An expired fence taken out of the set `name`, as its record says it (the status is the removal's). */
export const removalOf = (fence: SessionFence, name: string): Omit<FenceChange, 'status'> => ({
  arn: fence.setArn,
  name,
  account: fence.account,
  fence,
  removal: true,
});

/** An expired fence taken out, as a row's `results` entry names it: the account, the Sid, what it ended and until when it was needed. */
export const removedFence = (fence: SessionFence): FenceRemoved => ({
  account: fence.account,
  ...(fence.accounts ? { accounts: [...fence.accounts] } : {}),
  sid: fenceSid(fence),
  before: fence.before,
  expiresAt: fence.expiresAt,
});
