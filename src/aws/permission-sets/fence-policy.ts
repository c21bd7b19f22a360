// The two writes a session fence needs (core/permission-sets/session-fence.ts), shared by whatever
// adds or removes fences: the set's inline policy rewritten by read–modify–write, and the set
// provisioned to one account. The inline-policy API has no conditional write, so a writer that
// lands between the read and the put is lost: the window is one read and one put with no call
// between, and the policy is read back to find a lost statement (ours or another's), then written
// again from a fresh read, at most 3 times.
import {
  DeleteInlinePolicyFromPermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import { describeError } from '../../core/errors.js';
import {
  fencedPolicy,
  holdsAll,
  policyText,
  type FencedPolicy,
} from '../../core/permission-sets/session-fence.js';
import type { Deadline, WaitBound } from '../../engine/limits/deadline.js';
import type { SsoCalls } from '../sdk/sso-calls.js';
import { provisionedAccounts } from '../sso/provisioned-accounts.js';
import type { SsoSession } from '../sso/session.js';
import { provisionToAccounts } from './write-content.js';

/** How many times a rewrite is read, put and read back before it fails. */
export const REWRITE_ATTEMPTS = 3;

/** The set's inline policy as the service holds it now (undefined: none). */
export async function readInlinePolicy(calls: SsoCalls, setArn: string): Promise<string | undefined> {
  const answer = await calls.send(
    'GetInlinePolicyForPermissionSet',
    new GetInlinePolicyForPermissionSetCommand({ InstanceArn: calls.instance, PermissionSetArn: setArn }),
  );
  return answer.InlinePolicy === '' ? undefined : answer.InlinePolicy;
}

/**
 * What a rewrite makes of the policy it read: the policy to write (`text`, when not `policyText`
 * of it: a merged fence's), and what it comes to (`outcome`); nothing to write; or why it may not
 * be written (the caller's words).
 */
export type PolicyRewrite<T> =
  { policy: FencedPolicy; text?: string | undefined; outcome: T } | { unchanged: T } | { refused: string };

/** How a rewrite ended: written and read back whole, nothing to write, or failed (the reason). */
export type RewriteEnded<T> =
  { written: T; attempts: number } | { unchanged: T } | { refused: string } | { failed: string };

/**
 * Reads the set's inline policy, lets `change` make the new one of it (pure: no call between the
 * read and the put), puts it (deletes the inline policy when no statement is left), and reads it
 * back: when a statement of the new policy is missing (a concurrent writer's put landed after
 * ours), starts again from a fresh read, at most REWRITE_ATTEMPTS times. Never rejects.
 */
export async function rewriteInlinePolicy<T>(
  calls: SsoCalls,
  setArn: string,
  change: (read: FencedPolicy) => PolicyRewrite<T>,
): Promise<RewriteEnded<T>> {
  try {
    for (let attempt = 1; attempt <= REWRITE_ATTEMPTS; attempt++) {
      const read = fencedPolicy(await readInlinePolicy(calls, setArn), setArn);
      if ('unreadable' in read) return { refused: `${read.unreadable}: it is never rewritten` };
      const next = change(read);
      if (!('policy' in next)) return next;
      await putInlinePolicy(calls, setArn, next.text ?? policyText(next.policy));
      const back = fencedPolicy(await readInlinePolicy(calls, setArn), setArn);
      if (!('unreadable' in back) && holdsAll(back, next.policy))
        return { written: next.outcome, attempts: attempt };
    }
    return {
      failed: `its inline policy read back without what the step wrote, ${REWRITE_ATTEMPTS} times: another writer changes it at the same time`,
    };
  } catch (error) {
    return { failed: describeError(error) };
  }
}

async function putInlinePolicy(calls: SsoCalls, setArn: string, text: string | undefined): Promise<void> {
  const set = { InstanceArn: calls.instance, PermissionSetArn: setArn };
  if (text === undefined)
    await calls.send(
      'DeleteInlinePolicyFromPermissionSet',
      new DeleteInlinePolicyFromPermissionSetCommand(set),
    );
  else
    await calls.send(
      'PutInlinePolicyToPermissionSet',
      new PutInlinePolicyToPermissionSetCommand({ ...set, InlinePolicy: text }),
    );
}

/** A provisioning of one set to one account, as a fence needs it. */
export type AccountProvisioned =
  | { status: 'SUCCEEDED'; requestId?: string }
  /**
   * Identity Center no longer lists the account as provisioned: the set's role went with its last
   * assignment there (and every session of it), so nothing is sent, and no role is made again.
   */
  | { status: 'NOT_PROVISIONED' }
  /** `roleRemoved`: refused, and the account was no longer listed by then either. */
  | { status: 'FAILED' | 'IN_PROGRESS'; reason: string; roleRemoved: boolean };

/**
 * ProvisionPermissionSet to `account` only (TargetType AWS_ACCOUNT, never every provisioned
 * account), when the set is still provisioned there, followed to its end within the step's
 * deadline; a ConflictException (another provisioning of the set in progress) is retried by the
 * session's calls.
 */
export async function provisionToAccount(
  session: SsoSession,
  set: { arn: string; name: string },
  account: string,
  bound: WaitBound & { deadline: Deadline },
): Promise<AccountProvisioned> {
  if (!(await provisionedAccounts(session, set.arn)).includes(account)) return { status: 'NOT_PROVISIONED' };
  const result = await provisionToAccounts(session, set, [account], bound);
  if (result.status === 'SUCCEEDED')
    return { status: 'SUCCEEDED', ...(result.requestId ? { requestId: result.requestId } : {}) };
  const reason =
    result.detail?.failed?.find((f) => f.account === account)?.reason ??
    result.failureReason ??
    `provisioning ended ${result.status}`;
  const unlisted = result.detail?.notProvisionedBefore?.includes(account) === true;
  return { status: result.status, reason, roleRemoved: result.status === 'FAILED' && unlisted };
}
