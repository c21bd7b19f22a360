// The ceiling of a permission set, `must-not-grant`: the actions (on resources, `*` by default) no
// part of the set may allow, checked with Access Analyzer's CheckAccessNotGranted. AWS's
// privilege-escalation actions by default, with the manifest's `aws.must-not-grant` (every defined
// set) and a set's own added; a set's `allow-escalation` takes actions (or a ValidatePolicy
// finding's `issueCode`) out, with a reason the plan shows. Split into calls of at most 100 actions
// and 100 resources, the service's bound. Pure.
import { printable } from '../inputs/fields.js';
import type { Checked } from './fields.js';

/** One `must-not-grant` entry: actions (globs) on resources (`*` when the manifest names none). */
export interface CeilingEntry {
  actions: string[];
  resources: string[];
  /** The manifest's line; none for the default list. */
  line?: number;
}

/** One `allow-escalation` entry: actions (or issue codes) the set may allow, and why. */
export interface EscalationAllowance {
  actions: string[];
  reason: string;
  line: number;
}

/**
 * IAM and STS actions that let a principal raise its own access (AWS's privilege-escalation
 * samples for custom policy checks), and the services that decide who has access at all.
 * `sts:AssumeRole` is left out: most sets need it; add it with `must-not-grant`.
 */
export const PRIVILEGE_ESCALATION_ACTIONS: readonly string[] = [
  'iam:AddUserToGroup',
  'iam:AttachGroupPolicy',
  'iam:AttachRolePolicy',
  'iam:AttachUserPolicy',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreatePolicyVersion',
  'iam:CreateRole',
  'iam:CreateUser',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteUserPermissionsBoundary',
  'iam:PassRole',
  'iam:PutGroupPolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:PutUserPermissionsBoundary',
  'iam:PutUserPolicy',
  'iam:SetDefaultPolicyVersion',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateLoginProfile',
  'identitystore:*',
  'organizations:*',
  'sso:*',
  'sso-directory:*',
];

/** An IAM action as a policy names it (`iam:PassRole`, `s3:Get*`, `*`). */
const ACTION = /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;
/** A ValidatePolicy finding's issue code (`PASS_ROLE_WITH_STAR_IN_RESOURCE`). */
const ISSUE_CODE = /^[A-Z][A-Z0-9_]+$/;

/** A `must-not-grant` action, or an `allow-escalation` one (which may be a finding's issue code). */
export function ceilingAction(text: string, issueCodes: boolean): Checked<string> {
  if (ACTION.test(text) || (issueCodes && ISSUE_CODE.test(text))) return { ok: true, value: text };
  return {
    ok: false,
    message: `\`${printable(text)}\` is not an IAM action${issueCodes ? ' or a finding’s issue code' : ''}`,
    fix: `write \`service:Action\` (globs \`*\` and \`?\` allowed)${issueCodes ? ', or an issue code such as `PASS_ROLE_WITH_STAR_IN_RESOURCE`' : ''}`,
  };
}

/** Access Analyzer's bound on one CheckAccessNotGranted's `access`: 100 actions, 100 resources. */
export const MAX_PER_CHECK = 100;

const DEFAULT_CEILING: CeilingEntry = { actions: [...PRIVILEGE_ESCALATION_ACTIONS], resources: ['*'] };

/** Whether some string matches both globs (`*`, `?`); actions compare without regard to case. */
export function globsMeet(a: string, b: string, caseless = true): boolean {
  const x = caseless ? a.toLowerCase() : a;
  const y = caseless ? b.toLowerCase() : b;
  const memo = new Map<number, boolean>();
  const meet = (i: number, j: number): boolean => {
    const key = i * (y.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === x.length && j === y.length) result = true;
    else if (x[i] === '*') result = meet(i + 1, j) || (j < y.length && meet(i, j + 1));
    else if (y[j] === '*') result = meet(i, j + 1) || (i < x.length && meet(i + 1, j));
    else if (i === x.length || j === y.length) result = false;
    else result = (x[i] === y[j] || x[i] === '?' || y[j] === '?') && meet(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return meet(0, 0);
}

/** Whether every action `inner` names is one `outer` names (a glob ending in `*`, or the same text). */
function covers(outer: string, inner: string): boolean {
  const o = outer.toLowerCase();
  const i = inner.toLowerCase();
  if (o === i || o === '*') return true;
  return o.endsWith('*') && !o.slice(0, -1).includes('*') && i.startsWith(o.slice(0, -1));
}

/**
 * The set's ceiling: the default list, `aws.must-not-grant`, then its own; less the actions its
 * `allow-escalation` lists (each taken out where an allowance covers it), which are returned with
 * their reasons.
 */
export function ceilingOf(
  instanceWide: readonly CeilingEntry[],
  own: readonly CeilingEntry[],
  allowances: readonly EscalationAllowance[],
): { ceiling: CeilingEntry[]; allowed: { action: string; reason: string }[] } {
  const allowed: { action: string; reason: string }[] = [];
  const ceiling = [DEFAULT_CEILING, ...instanceWide, ...own].flatMap((entry) => {
    const actions = entry.actions.filter((action) => {
      const allowance = allowances.find((a) =>
        a.actions.some((allowedAction) => covers(allowedAction, action)),
      );
      if (allowance) allowed.push({ action, reason: allowance.reason });
      return !allowance;
    });
    return actions.length > 0 ? [{ ...entry, actions }] : [];
  });
  return { ceiling, allowed };
}

/**
 * The ceiling as CheckAccessNotGranted calls: entries on the same resources merged, their actions
 * (each once) and resources split at 100: ⌈actions / 100⌉ × ⌈resources / 100⌉ calls.
 */
export function ceilingRequests(
  ceiling: readonly CeilingEntry[],
): { actions: string[]; resources: string[] }[] {
  const byResources = new Map<string, { actions: Set<string>; resources: string[] }>();
  for (const entry of ceiling) {
    const resources = [...new Set(entry.resources.length > 0 ? entry.resources : ['*'])].sort();
    const key = JSON.stringify(resources);
    const group = byResources.get(key) ?? { actions: new Set<string>(), resources };
    for (const action of entry.actions) group.actions.add(action);
    byResources.set(key, group);
  }
  const chunks = <T>(items: T[]) =>
    Array.from({ length: Math.ceil(items.length / MAX_PER_CHECK) }, (_, i) =>
      items.slice(i * MAX_PER_CHECK, (i + 1) * MAX_PER_CHECK),
    );
  return [...byResources.values()].flatMap((group) =>
    chunks([...group.actions]).flatMap((actions) =>
      chunks(group.resources).map((resources) => ({
        actions,
        resources: resources.length === 1 && resources[0] === '*' ? [] : resources,
      })),
    ),
  );
}

/** The allowance that accepts a ValidatePolicy finding by its issue code, if the set has one. */
export const allowanceForIssue = (allowances: readonly EscalationAllowance[], issueCode: string) =>
  allowances.find((a) => a.actions.includes(issueCode));
