// What a permission-set change allows, as the plan proves it before any write (input
// `policy-checks`): which part of a created or updated set needs which Access Analyzer check, and
// what a check costs (what each answer means: ./analyzer-answers.ts).
// A changed inline policy: ValidatePolicy, CheckNoNewAccess against the deployed one (the action's
// own session fences are out of both: the plan reads the set without them), and the ceiling
// (./ceiling.ts); a new set's inline policy: ValidatePolicy and the ceiling; an AWS-managed
// policy attached: the ceiling; a detached one: nothing; a customer-managed reference or a
// boundary: `unverified` (it resolves in each account, where no central check sees it); an update
// that only takes out an expired fence: `fence-expiry`, no call. Pure.
import { boundaryText, policyKey } from './diff.js';
import type { PermissionSetPlan } from './plan.js';
import type { PolicyPathElement } from './policy-lines.js';

export type PolicyChecksMode = 'on' | 'required' | 'off';

/** A part of a set's change and what it needs checked. */
export type CheckedPart =
  | { part: 'inline-policy'; line: number; next: string; before: string | undefined }
  | { part: string; kind: 'aws-managed'; arn: string; line: number }
  | { part: string; kind: 'unverified'; line: number }
  | { part: 'session-fences'; kind: 'fence-expiry'; line: number };

export type CheckName = 'validate' | 'no-new-access' | 'must-not-grant' | 'unverified' | 'fence-expiry';

/** One check of a part: its result in words, its reasons, and what stops the plan (an error at `line`). */
export interface CheckOutcome {
  check: CheckName;
  /** `pass`, `findings`, `error`, `no new access`, `widens access`, `fail`, `unverified`, `fence-expiry`, `not checked`, `skipped (size)`. */
  result: string;
  reasons: string[];
  /** Why a check could not run: the permission it lacked, `throttled`, or `size` (a document too large). */
  unchecked?: string;
  /**
   * An error at the part's line: the plan stops before any write; `at`, the element of the policy
   * it is about, as Access Analyzer's location names it.
   */
  error?: { message: string; fix?: string; at?: readonly PolicyPathElement[] };
}

export interface SetChecks {
  name: string;
  parts: { part: string; line: number; checks: CheckOutcome[] }[];
}

/** Where a definition writes each part: its entry, its `inline-policy`, each AWS-managed policy. */
export interface PartLines {
  line: number;
  inlinePolicyLine?: number;
  awsManagedLines?: Readonly<Record<string, number>>;
}

/** The parts of one planned change that need a check (none for a delete or a provisioning). */
export function partsToCheck(plan: PermissionSetPlan, lines: PartLines): CheckedPart[] {
  const at = (arn: string) => lines.awsManagedLines?.[arn] ?? lines.line;
  const inlineLine = lines.inlinePolicyLine ?? lines.line;
  const unverified = (part: string): CheckedPart => ({ part, kind: 'unverified', line: lines.line });
  if (plan.change === 'create') {
    const c = plan.content;
    return [
      ...(c.inlinePolicy !== undefined
        ? [{ part: 'inline-policy' as const, line: inlineLine, next: c.inlinePolicy, before: undefined }]
        : []),
      ...c.awsManagedPolicies.map((arn) => ({ part: arn, kind: 'aws-managed' as const, arn, line: at(arn) })),
      ...c.customerManagedPolicies.map((p) => unverified(`customer-managed ${policyKey(p)}`)),
      ...(c.permissionsBoundary
        ? [unverified(`permissions-boundary ${boundaryText(c.permissionsBoundary)}`)]
        : []),
    ];
  }
  if (plan.change !== 'update') return [];
  const parts = plan.changes.flatMap((change): CheckedPart[] => {
    switch (change.field) {
      case 'inline-policy':
        return change.after === undefined
          ? []
          : [{ part: 'inline-policy', line: inlineLine, next: change.after, before: change.before }];
      case 'aws-managed-policies':
        return change.attach.map((arn) => ({ part: arn, kind: 'aws-managed', arn, line: at(arn) }));
      case 'customer-managed-policies':
        return change.attach.map((p) => unverified(`customer-managed ${policyKey(p)}`));
      case 'permissions-boundary':
        return [unverified(`permissions-boundary ${boundaryText(change.after)}`)];
      default:
        return [];
    }
  });
  const inlineChanged = plan.changes.some((c) => c.field === 'inline-policy');
  if ((plan.expiredFences ?? []).length > 0 && !inlineChanged)
    parts.push({ part: 'session-fences', kind: 'fence-expiry', line: lines.line });
  return parts;
}

/** The Access Analyzer calls a part costs at most: 1 ValidatePolicy, 1 CheckNoNewAccess, the ceiling's. */
export function callsFor(part: CheckedPart, ceilingCalls: number): number {
  if (part.part === 'inline-policy' && 'next' in part)
    return 1 + (part.before !== undefined ? 1 : 0) + ceilingCalls;
  return 'kind' in part && part.kind === 'aws-managed' ? ceilingCalls : 0;
}
