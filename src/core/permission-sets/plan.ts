// A permission set's change in a reconcile's plan: `create`, `update` of the fields that differ,
// `delete`, and `provision` for accounts not on the latest version, each with its blast radius:
// the accounts it is provisioned to and the principals assigned to it; and the delete refused
// while assignments of the set remain. The plan's words for a change are ./plan-words.ts's. Pure.
import { printable } from '../inputs/fields.js';
import type { PermissionSetContent } from './definition.js';
import { contentChanges, describedFields, type ContentChange, type DescribedFields } from './diff.js';
import { IAM_DEFAULT_POLICIES_PER_ROLE } from './fields.js';
import type { Found, Ownership } from './ownership.js';
import type { SessionFence } from './session-fence.js';
import { fenceAccounts, type SetFences } from './set-fences.js';

/** Whom a set's change reaches. */
export interface BlastRadius {
  /** Accounts the set is provisioned to. */
  accounts: string[];
  /** The principal of each assignment of it, in any account, as the plan names them. */
  principals: { type: 'USER' | 'GROUP'; shown: string }[];
}

export type PermissionSetPlan =
  | { change: 'create'; name: string; content: PermissionSetContent }
  | {
      change: 'update';
      name: string;
      arn: string;
      changes: ContentChange[];
      /** What its UpdatePermissionSet sends, when a field of it differs: all three, every time. */
      described: DescribedFields;
      /** Set when the update takes over a set the manifest did not create (`adopt: true`). */
      adopted: Found | undefined;
      blast: BlastRadius;
      /** The set's expired session fences, taken out of its inline policy. */
      expiredFences?: SessionFence[];
      /** Its live session fences, kept in the inline policy the update writes. */
      keptFences?: SessionFence[];
      /** The action's own upkeep (an expired fence taken out), not drift. */
      upkeep?: true;
    }
  | { change: 'delete'; name: string; arn: string; blast: BlastRadius }
  | {
      change: 'provision';
      name: string;
      arn: string;
      accounts: string[];
      blast: BlastRadius;
      /** Why the accounts are not on the latest version, when the plan knows (a session fence). */
      reason?: string;
      /** The provisioning of an expired fence's removal: the action's upkeep, not drift. */
      upkeep?: true;
    };

/** What the set read back was, for a defined set the step found. */
export interface ReadSet {
  arn: string;
  content: PermissionSetContent;
  blast: BlastRadius;
  /** Accounts where the set is not the latest version (`LATEST_PERMISSION_SET_NOT_PROVISIONED`). */
  outdated: string[];
  /** The action's session fences in its inline policy, which `content` is read without (./set-fences.ts). */
  fences?: SetFences;
}

/**
 * The changes for one defined set (none when it is as the manifest says and current everywhere):
 * a create; or an update of what differs, then a provision of every account it is provisioned to
 * (an update leaves them all outdated) or, without an update, of the accounts already outdated.
 * The set's live session fences are its own (kept by an update of its inline policy); an expired
 * one is taken out by an update, provisioned to the accounts it named where the set still is: the
 * action's upkeep, not drift, when nothing else differs. A refused ownership plans nothing: the
 * caller reports its problem.
 */
export function planDefinedSet(
  desired: PermissionSetContent,
  read: ReadSet | undefined,
  ownership: Ownership,
): PermissionSetPlan[] {
  if (ownership.decision === 'refuse') return [];
  if (!read || ownership.decision === 'create')
    return [{ change: 'create', name: desired.name, content: desired }];
  const changes = contentChanges(desired, read.content);
  const adopted = ownership.decision === 'adopt' ? ownership.found : undefined;
  const { live, expired } = read.fences ?? { live: [], expired: [] };
  const drift = changes.length > 0 || adopted !== undefined;
  const upkeep = !drift && expired.length > 0 ? { upkeep: true as const } : {};
  const plans: PermissionSetPlan[] = [];
  if (drift || expired.length > 0)
    plans.push({
      change: 'update',
      name: desired.name,
      arn: read.arn,
      changes,
      described: describedFields(desired, read.content),
      adopted,
      blast: read.blast,
      ...(expired.length > 0 ? { expiredFences: expired } : {}),
      ...(live.length > 0 && changes.some((c) => c.field === 'inline-policy') ? { keptFences: live } : {}),
      ...upkeep,
    });
  const removed = new Set(fenceAccounts(expired));
  const toProvision = drift
    ? read.blast.accounts
    : expired.length > 0
      ? read.blast.accounts.filter((a) => removed.has(a) || read.outdated.includes(a))
      : read.outdated;
  // Accounts a fence provisioned elsewhere left off the latest version: provisioned like any
  // outdated one, saying why.
  const fenced = fenceAccounts([...live, ...expired]).filter((a) => !read.outdated.includes(a));
  const reason = !drift && read.outdated.length > 0 && fenced.length > 0;
  if (toProvision.length > 0)
    plans.push({
      change: 'provision',
      name: desired.name,
      arn: read.arn,
      accounts: toProvision,
      blast: read.blast,
      ...(reason ? { reason: `session fence in ${fenced.join(', ')}` } : {}),
      ...(read.outdated.some((a) => toProvision.includes(a)) ? {} : upkeep),
    });
  return plans;
}

/**
 * A delete that would leave assignments is refused, naming them: the service refuses to delete a
 * provisioned set, and a set is never deleted from under its holders. One outside `manages`
 * (`managed: false`) is not the manifest's to delete: its fix names the hand, or `manages`.
 */
export function deleteRefusal(
  name: string,
  remaining: readonly { principal: string; accountId: string; managed?: boolean }[],
) {
  if (remaining.length === 0) return undefined;
  const named = (rs: typeof remaining) => {
    const shown = rs.slice(0, 5).map((r) => `${printable(r.principal)} in ${r.accountId}`);
    return `${shown.join(', ')}${rs.length > 5 ? ', …' : ''}`;
  };
  const outside = remaining.filter((r) => r.managed === false);
  const fixes = [
    ...(outside.length < remaining.length
      ? ['delete its assignments from the manifest’s managed places first, or keep defining the set']
      : []),
    ...(outside.length > 0
      ? [
          `${named(outside)} ${outside.length === 1 ? 'is' : 'are'} outside \`manages\`: remove it by hand, or widen \`manages.targets\``,
        ]
      : []),
  ];
  return {
    message: `the permission set \`${printable(name)}\` would be deleted while ${remaining.length} assignment(s) of it remain: ${named(remaining)}`,
    fix: fixes.join('; '),
  };
}

/** A warning for a definition with more policies than IAM allows a role by default in each account. */
export function policyCountWarning(count: number): string | undefined {
  return count > IAM_DEFAULT_POLICIES_PER_ROLE
    ? `attaches ${count} managed and customer-managed policies; IAM allows ${IAM_DEFAULT_POLICIES_PER_ROLE} per role by default, so provisioning fails in any account whose quota is not raised`
    : undefined;
}
