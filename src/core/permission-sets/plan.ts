// A permission set's change in a reconcile's plan, and the plan's words for it: `+ create`,
// `~ update` with each field that differs (the inline policy as a line diff), `- delete`, and
// `~ provision` for accounts not on the latest version, each with its blast radius: the accounts
// it is provisioned to and the principals assigned to it. Every text from the service passes
// through inertText, so no name or policy line can reach the runner as a command. Pure.
import { inertText } from '../inert.js';
import { printable } from '../inputs/fields.js';
import type { PermissionSetContent } from './definition.js';
import {
  boundaryText,
  contentChanges,
  describedFields,
  policyKey,
  type ContentChange,
  type DescribedFields,
} from './diff.js';
import { durationText, IAM_DEFAULT_POLICIES_PER_ROLE } from './fields.js';
import { foundText, type Found, type Ownership } from './ownership.js';
import type { SessionFence } from './session-fence.js';
import { expiredFenceWords, fenceAccounts, keptFenceWords, type SetFences } from './set-fences.js';

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
  const removed = new Set(expired.map((f) => f.account));
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

const list = (items: string[]) => items.map((i) => printable(i)).join(', ');

function blastWords(blast: BlastRadius, verb: string): string {
  // One per assignment as read: a principal holding the set in several accounts is named once.
  const principals = [
    ...new Set(blast.principals.map((p) => `${p.type === 'GROUP' ? 'group ' : ''}${printable(p.shown)}`)),
  ];
  return `${verb} ${blast.accounts.length} account(s)${blast.accounts.length > 0 ? ` (${blast.accounts.join(', ')})` : ''} and ${principals.length} principal(s)${principals.length > 0 ? ` (${principals.join(', ')})` : ''}`;
}

/** Why a policy could not be checked, by ARN: its attach line says so. */
export type Unchecked = ReadonlyMap<string, string>;

const checkNote = (arn: string, unchecked: Unchecked | undefined) => {
  const why = unchecked?.get(arn);
  return why ? ` (not checked: ${why})` : '';
};

function changeWords(change: ContentChange, unchecked?: Unchecked): string[] {
  switch (change.field) {
    case 'description':
    case 'relay-state':
      return [
        `${change.field}: ${change.before === undefined ? 'none' : `"${printable(change.before)}"`} → "${printable(change.after)}"`,
      ];
    case 'session-duration':
      return [`session-duration: ${change.before} → ${change.after}`];
    case 'inline-policy':
      return [
        `inline-policy: ${change.before === undefined ? 'added' : change.after === undefined ? 'removed' : 'changed'}`,
        ...change.lines.map((l) => `  ${l}`),
      ];
    case 'aws-managed-policies':
      return [
        ...change.attach.map((a) => `aws-managed-policies: + attach ${a}${checkNote(a, unchecked)}`),
        ...change.detach.map((d) => `aws-managed-policies: - detach ${printable(d)}`),
      ];
    case 'customer-managed-policies':
      return [
        ...change.attach.map((a) => `customer-managed-policies: + attach ${policyKey(a)}`),
        ...change.detach.map((d) => `customer-managed-policies: - detach ${printable(policyKey(d))}`),
      ];
    case 'permissions-boundary':
      return [
        `permissions-boundary: ${printable(boundaryText(change.before))} → ${boundaryText(change.after)}`,
      ];
    case 'tags':
      return [
        ...Object.entries(change.set).map(([k, v]) => `tags: + ${printable(k)}=${printable(v)}`),
        ...change.remove.map((k) => `tags: - ${printable(k)}`),
      ];
  }
}

/** A created set's content, field by field. */
function contentWords(content: PermissionSetContent, unchecked?: Unchecked): string[] {
  return [
    ...(content.description !== undefined ? [`description: "${printable(content.description)}"`] : []),
    `session-duration: ${durationText(content.sessionMinutes)}`,
    ...(content.relayState !== undefined ? [`relay-state: ${printable(content.relayState)}`] : []),
    ...content.awsManagedPolicies.map((a) => `aws-managed-policies: + attach ${a}${checkNote(a, unchecked)}`),
    ...content.customerManagedPolicies.map((c) => `customer-managed-policies: + attach ${policyKey(c)}`),
    ...(content.permissionsBoundary
      ? [`permissions-boundary: ${boundaryText(content.permissionsBoundary)}`]
      : []),
    ...(content.inlinePolicy !== undefined
      ? ['inline-policy:', ...content.inlinePolicy.split('\n').map((l) => `  + ${l}`)]
      : []),
    ...Object.entries(content.tags).map(([k, v]) => `tags: + ${printable(k)}=${printable(v)}`),
  ];
}

/** One change as the plan shows it: its lines (a head line, then its details indented) and whom it reaches. */
export interface PlanShown {
  /** The log's lines, before they are made inert: each output escapes them its own way. */
  lines: string[];
  /** Whom the change reaches, in words (a create reaches no one until an assignment of it is made). */
  reach: string;
}

/** A change's lines and reach, as the log and the summary show them. */
export function planShown(plan: PermissionSetPlan, unchecked?: Unchecked): PlanShown {
  const name = printable(plan.name);
  const indented = (lines: string[]) => lines.map((l) => `    ${l}`);
  switch (plan.change) {
    case 'create':
      return {
        lines: [`+ create permission set ${name}`, ...indented(contentWords(plan.content, unchecked))],
        reach: 'no account until an assignment of it is created',
      };
    case 'update': {
      const reach = blastWords(plan.blast, 'reaches');
      return {
        lines: [
          `~ update permission set ${name} (${plan.arn})`,
          ...indented(plan.adopted ? [`adopt: found with ${foundText(plan.adopted)}; the tag is added`] : []),
          ...indented(plan.changes.flatMap((c) => changeWords(c, unchecked))),
          ...indented((plan.keptFences ?? []).map(keptFenceWords)),
          ...indented((plan.expiredFences ?? []).map(expiredFenceWords)),
          `    ${reach}`,
        ],
        reach,
      };
    }
    case 'delete': {
      const reach = blastWords(plan.blast, 'provisioned to');
      return { lines: [`- delete permission set ${name} (${plan.arn})`, `    ${reach}`], reach };
    }
    case 'provision': {
      const reach = blastWords(plan.blast, 'reaches');
      return {
        lines: [
          `~ provision permission set ${name} to ${plan.accounts.length} account(s) not on its latest version: ${list(plan.accounts)}${plan.reason ? ` (${plan.reason})` : ''}`,
          `    ${reach}`,
        ],
        reach,
      };
    }
  }
}

/**
 * The plan's lines for one change in the log: a head line, then its details indented, each inert;
 * a policy in `unchecked` says it was not checked, and why.
 */
export function planWords(plan: PermissionSetPlan, unchecked?: Unchecked): string[] {
  return planShown(plan, unchecked).lines.map(inertText);
}

/** A warning for a definition with more policies than IAM allows a role by default in each account. */
export function policyCountWarning(count: number): string | undefined {
  return count > IAM_DEFAULT_POLICIES_PER_ROLE
    ? `attaches ${count} managed and customer-managed policies; IAM allows ${IAM_DEFAULT_POLICIES_PER_ROLE} per role by default, so provisioning fails in any account whose quota is not raised`
    : undefined;
}
