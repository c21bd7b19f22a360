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
} from '../../core/permission-sets/fenced-policy.js';
import type { Deadline, WaitBound } from '../../engine/limits/deadline.js';
import type { SsoCalls } from '../sdk/sso-calls.js';
import { provisionedAccounts } from '../sso/provisioned-accounts.js';
import type { SsoSession } from '../sso/session.js';
import type { CallStats } from '../../engine/calls/driver.js';
import type { StatusPacing } from '../../engine/calls/status.js';
import type { PermissionSetRef } from '../../core/types.js';
import { isAwsError } from '../sdk/aws-errors.js';
import {
  AwsProvisioningDriver,
  type ProvisionDriver,
  type ProvisionRequestSent,
} from './provision-driver.js';
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
   * Refused because nothing of the set is assigned there, and Identity Center no longer lists the
   * account as provisioned: the set's role went with its last assignment there, and every session
   * of it with the role.
   */
  | { status: 'ROLE_REMOVED'; reason: string }
  | { status: 'FAILED' | 'IN_PROGRESS'; reason: string };

/** How one ProvisionPermissionSet of a fence ended, before the account's listing is asked. */
export interface ProvisionTried {
  status: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';
  requestId?: string;
  reason?: string;
  /**
   * The service refused the request itself (ValidationException, ResourceNotFoundException) or
   * accepted it and ended it FAILED: how it answers an account with nothing of the set assigned.
   * Not a denial, a throttling, a lost answer or the deadline.
   */
  refused: boolean;
}

/**
 * What a fence's provisioning came to: SUCCEEDED, the fence is in force; refused while Identity
 * Center no longer lists the account (`listed` false, read after the refusal), the role is gone,
 * so is every session of it (an account it does not list holds no assignment of the set:
 * ListAccountsForProvisionedPermissionSet); anything else fails, the listing unread included.
 */
export function fenceProvisionedAs(tried: ProvisionTried, listed: boolean | undefined): AccountProvisioned {
  if (tried.status === 'SUCCEEDED')
    return { status: 'SUCCEEDED', ...(tried.requestId ? { requestId: tried.requestId } : {}) };
  const reason = tried.reason ?? `provisioning ended ${tried.status}`;
  if (tried.status === 'FAILED' && tried.refused && listed === false)
    return { status: 'ROLE_REMOVED', reason };
  return { status: tried.status, reason };
}

/**
 * The errors a refusal of a provisioning to an account that no longer holds the set would come as
 * (listed when asked, its last assignment's deprovisioning ended since): the model's client errors
 * of ProvisionPermissionSet for a target it cannot act on
 * (__tests__/fixtures/contracts/aws/sso-admin-2020-07-20.json). Neither the model nor the User
 * Guide documents that refusal; terraform-provider-aws #32006 reports such a provisioning accepted
 * instead (then the fence is in force).
 */
const REFUSALS = ['ResourceNotFoundException', 'ValidationException'];

/**
 * ProvisionPermissionSet to `account` only (TargetType AWS_ACCOUNT, never every provisioned
 * account), followed to its end within the step's deadline; a ConflictException (another
 * provisioning of the set in progress) is retried by the session's calls. A refusal is asked
 * after: when Identity Center no longer lists the account, the role went with the set's last
 * assignment there (fenceProvisionedAs).
 */
export async function provisionToAccount(
  session: SsoSession,
  set: { arn: string; name: string },
  account: string,
  bound: WaitBound & { deadline: Deadline },
): Promise<AccountProvisioned> {
  const driver = new NotedProvisioning(new AwsProvisioningDriver(session, bound));
  const result = await provisionToAccounts(session, set, [account], bound, driver);
  const tried: ProvisionTried = {
    status:
      result.status === 'SUCCEEDED' ? 'SUCCEEDED' : result.status === 'FAILED' ? 'FAILED' : 'IN_PROGRESS',
    ...(result.requestId ? { requestId: result.requestId } : {}),
    reason:
      result.detail?.failed?.find((f) => f.account === account)?.reason ??
      result.failureReason ??
      `provisioning ended ${result.status}`,
    refused: driver.answered
      ? result.status === 'FAILED'
      : REFUSALS.some((code) => isAwsError(driver.refusal, code, 'ProvisionPermissionSet')),
  };
  if (tried.status !== 'FAILED' || !tried.refused) return fenceProvisionedAs(tried, undefined);
  const listed = await provisionedAccounts(session, set.arn).then(
    (accounts) => accounts.includes(account),
    () => undefined,
  );
  return fenceProvisionedAs(tried, listed);
}

/**
 * ProvisionPermissionSet to `account` where Identity Center still lists the set as provisioned, as
 * provisionToAccount. Nothing is sent to an account it no longer lists (its last assignment of the
 * set deleted, the role went with it): a provisioning there may be accepted and make the role again
 * (terraform-provider-aws #32006), a role no assignment holds, which then stops the set's delete
 * (DeletePermissionSet is refused while the set is provisioned anywhere).
 */
export async function provisionWhereListed(
  session: SsoSession,
  set: { arn: string; name: string },
  account: string,
  bound: WaitBound & { deadline: Deadline },
): Promise<AccountProvisioned | { status: 'NOT_PROVISIONED' }> {
  if (!(await provisionedAccounts(session, set.arn)).includes(account)) return { status: 'NOT_PROVISIONED' };
  return provisionToAccount(session, set, account, bound);
}

/** The AWS provisioning driver, noting whether the service answered the request, or its refusal. */
class NotedProvisioning implements ProvisionDriver {
  answered = false;
  refusal: unknown;
  readonly stats: CallStats;
  readonly provisionPacing: StatusPacing;

  constructor(private readonly driver: ProvisionDriver) {
    this.stats = driver.stats;
    this.provisionPacing = driver.provisionPacing;
  }

  prepare = () => this.driver.prepare();
  permissionSets = (asked: PermissionSetRef[] | '*') => this.driver.permissionSets(asked);
  accountsProvisioned = (arn: string, state: 'outdated' | 'current') =>
    this.driver.accountsProvisioned(arn, state);
  readProvisionStatus = (requestId: string) => this.driver.readProvisionStatus(requestId);

  async sendProvision(arn: string, account: string | undefined): Promise<ProvisionRequestSent> {
    try {
      const sent = await this.driver.sendProvision(arn, account);
      this.answered = true;
      return sent;
    } catch (error) {
      this.refusal = error;
      throw error;
    }
  }
}
