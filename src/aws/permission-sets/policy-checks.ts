// A reconcile's policy checks (input `policy-checks`) of the permission sets its plan creates or
// updates, before any write: each changed part's checks (core/permission-sets/policy-checks.ts)
// made with IAM Access Analyzer through the session, so they are paced, retried when throttled
// and bounded by the step's deadline as every other call; each AWS-managed policy's document read
// once per ARN (iam:GetPolicy for its default version, iam:GetPolicyVersion). A check that cannot
// run (denied, throttled past the deadline) is `not checked (<permission>)`; with `required`, an
// error naming the permission. Nothing is called for a set the plan leaves alone, or with `off`.
import type { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { ceilingOf, ceilingRequests, type CeilingEntry } from '../../core/permission-sets/ceiling.js';
import type {
  LineProblem,
  PermissionSetDefinition,
  PolicyFiles,
} from '../../core/permission-sets/definition.js';
import { inlinePolicyPlace } from '../../core/permission-sets/policy-lines.js';
import type { PermissionSetPlan } from '../../core/permission-sets/plan.js';
import {
  partsToCheck,
  type CheckOutcome,
  type PolicyChecksMode,
  type SetChecks,
} from '../../core/permission-sets/policy-checks.js';
import {
  policyChecksOutput,
  policyChecksSummaryHtml,
} from '../../core/permission-sets/policy-check-words.js';
import { mapWithConcurrency } from '../../engine/limits/limits.js';
import type { SsoSession } from '../sso/session.js';
import { checksOf, Unchecked, uncheckedWhy } from './part-checks.js';

export interface PolicyChecks {
  sets: SetChecks[];
  /** Access Analyzer calls answered (the custom checks are charged). */
  calls: number;
  /** Errors at the manifest's lines: the plan stops before any write. */
  problems: LineProblem[];
}

const AT_ONCE = 8;

/** The checks as the reconcile shows them: output `policy-checks`, and the summary's tables and cost line. */
export const checksShown = (checks: PolicyChecks, mode: PolicyChecksMode) => ({
  output: 'policy-checks',
  json: policyChecksOutput(checks.sets, checks.calls, mode),
  summaryHtml: mode === 'off' ? '' : policyChecksSummaryHtml(checks.sets, checks.calls),
});

export async function checkSetPolicies(
  session: SsoSession,
  input: {
    plans: readonly PermissionSetPlan[];
    definitions: readonly PermissionSetDefinition[];
    /** `aws.must-not-grant`. */
    mustNotGrant: readonly CeilingEntry[];
    mode: PolicyChecksMode;
    /** The inline policies' files, as the step read them: a finding in one is an error at its line there. */
    files?: PolicyFiles;
  },
): Promise<PolicyChecks> {
  if (input.mode === 'off') return { sets: [], calls: 0, problems: [] };
  let calls = 0;
  const documents = new Map<string, Promise<string>>();
  const analyzer = async <O>(
    operation: string,
    send: (c: AccessAnalyzerClient, s: AbortSignal) => Promise<O>,
  ) => {
    try {
      const answer = await session.sendAccessAnalyzer(operation, send);
      calls++;
      // Each answer holds a result or findings: one without (an empty 200, a proxy's) proves nothing.
      const { result, findings } = answer as { result?: unknown; findings?: unknown };
      if (result !== 'PASS' && result !== 'FAIL' && !Array.isArray(findings)) throw new Error('no answer');
      return answer;
    } catch (error) {
      throw new Unchecked(uncheckedWhy(error, `access-analyzer:${operation}`));
    }
  };
  const byName = new Map(input.definitions.map((d) => [d.name, d]));
  const changed = input.plans.filter((p) => p.change === 'create' || p.change === 'update');
  const sets = await mapWithConcurrency(changed, AT_ONCE, async (plan): Promise<SetChecks> => {
    const d = byName.get(plan.name);
    const parts = partsToCheck(plan, {
      line: d?.line ?? 1,
      ...(d?.inlinePolicy ? { inlinePolicyLine: d.inlinePolicy.line } : {}),
      ...(d?.awsManagedLines ? { awsManagedLines: d.awsManagedLines } : {}),
    });
    const allowances = d?.allowEscalation ?? [];
    const ceiling = ceilingOf(input.mustNotGrant, d?.mustNotGrant ?? [], allowances);
    const requests = ceilingRequests(ceiling.ceiling);
    const context = {
      analyzer,
      documents,
      session,
      requests,
      allowed: ceiling.allowed,
      allowances,
      mode: input.mode,
    };
    return {
      name: plan.name,
      parts: await Promise.all(
        parts.map(async (part) => ({
          part: part.part,
          line: part.line,
          checks: await checksOf(part, context),
        })),
      ),
    };
  });
  // A finding that names an element of the inline policy is an error at that element's line.
  const placeOf = (set: string, part: string, error: CheckOutcome['error']) => {
    const inline = byName.get(set)?.inlinePolicy;
    return part === 'inline-policy' && inline && error?.at
      ? inlinePolicyPlace(inline, input.files ?? new Map(), error.at)
      : undefined;
  };
  return { sets: sets.filter((s) => s.parts.length > 0), calls, problems: problemsOf(sets, placeOf) };
}

/** Each check's error at its part's line, or at the line `placeOf` finds for the element it names. */
function problemsOf(
  sets: readonly SetChecks[],
  placeOf: (set: string, part: string, error: CheckOutcome['error']) => { line: number } | undefined,
): LineProblem[] {
  return sets.flatMap((set) =>
    set.parts.flatMap((p) =>
      p.checks.flatMap((c) =>
        c.error
          ? [
              {
                line: p.line,
                ...placeOf(set.name, p.part, c.error),
                message: `permission set \`${set.name}\`: ${c.error.message}`,
                ...(c.error.fix ? { fix: c.error.fix } : {}),
              },
            ]
          : [],
      ),
    ),
  );
}
