// A reconcile's policy checks (input `policy-checks`) of the permission sets its plan creates or
// updates, before any write: each changed part's checks (core/permission-sets/policy-checks.ts)
// made with IAM Access Analyzer through the session, so they are paced, retried when throttled
// and bounded by the step's deadline as every other call; each AWS-managed policy's document read
// once per ARN (iam:GetPolicy for its default version, iam:GetPolicyVersion). A check that cannot
// run (denied, throttled past the deadline) is `not checked (<permission>)`; with `required`, an
// error naming the permission. Nothing is called for a set the plan leaves alone, or with `off`.
import {
  CheckAccessNotGrantedCommand,
  CheckNoNewAccessCommand,
  ValidatePolicyCommand,
  type AccessAnalyzerClient,
} from '@aws-sdk/client-accessanalyzer';
import { GetPolicyVersionCommand } from '@aws-sdk/client-iam';
import { describeError } from '../../core/errors.js';
import { ceilingOf, ceilingRequests, type CeilingEntry } from '../../core/permission-sets/ceiling.js';
import type {
  LineProblem,
  PermissionSetDefinition,
  PolicyFiles,
} from '../../core/permission-sets/definition.js';
import { inlinePolicyPlace } from '../../core/permission-sets/policy-lines.js';
import { MAX_POLICY_CHARACTERS } from '../../core/permission-sets/inline-policy.js';
import type { PermissionSetPlan } from '../../core/permission-sets/plan.js';
import {
  ceilingOutcome,
  fenceExpiryOutcome,
  noNewAccessOutcome,
  oversizeOutcome,
  partsToCheck,
  uncheckedOutcome,
  unverifiedOutcome,
  validateOutcome,
  type CheckedPart,
  type CheckName,
  type CheckOutcome,
  type PolicyChecksMode,
  type SetChecks,
  policyChecksOutput,
} from '../../core/permission-sets/policy-checks.js';
import { policyChecksSummaryHtml } from '../../core/permission-sets/policy-checks-summary.js';
import { mapWithConcurrency } from '../../engine/limits/limits.js';
import { AwsServiceError } from '../sdk/aws-errors.js';
import type { SsoSession } from '../sso/session.js';
import { readAwsManagedPolicy } from './policy-reads.js';

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

/** A check that failed for a reason the plan says: a denied permission, or `throttled`. */
class Unchecked extends Error {
  constructor(readonly permission: string) {
    super(permission);
  }
}

const codeOf = (error: unknown) =>
  error instanceof AwsServiceError ? error.code : (error as { name?: string } | undefined)?.name;

/** Why a call did not answer, as the plan names it: the permission denied, `throttled`, or the error. */
function uncheckedWhy(error: unknown, permission: string): string {
  const code = codeOf(error) ?? '';
  if (/AccessDenied/.test(code)) return permission;
  if (/Throttl|TooManyRequests|Deadline|Timeout/i.test(`${code} ${describeError(error)}`)) return 'throttled';
  return `${permission}: ${describeError(error)}`;
}

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

type Analyzer = <O>(
  operation: string,
  send: (c: AccessAnalyzerClient, s: AbortSignal) => Promise<O>,
) => Promise<O>;

interface CheckContext {
  analyzer: Analyzer;
  documents: Map<string, Promise<string>>;
  session: SsoSession;
  requests: { actions: string[]; resources: string[] }[];
  allowed: { action: string; reason: string }[];
  allowances: NonNullable<PermissionSetDefinition['allowEscalation']>;
  mode: PolicyChecksMode;
}

/** A check, or `not checked` when its call did not answer. */
async function guarded(
  check: CheckName,
  part: string,
  mode: PolicyChecksMode,
  run: () => Promise<CheckOutcome>,
) {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Unchecked) return uncheckedOutcome(check, error.permission, mode, part);
    throw error;
  }
}

const oversize = (document: string) => document.replace(/\s/g, '').length > MAX_POLICY_CHARACTERS;

async function checksOf(part: CheckedPart, c: CheckContext): Promise<CheckOutcome[]> {
  if ('kind' in part) {
    if (part.kind === 'unverified') return [unverifiedOutcome()];
    if (part.kind === 'fence-expiry') return [fenceExpiryOutcome()];
    let document: string;
    try {
      document = await managedDocument(c, part.arn);
    } catch (error) {
      if (error instanceof Unchecked)
        return [uncheckedOutcome('must-not-grant', error.permission, c.mode, part.part)];
      throw error;
    }
    if (oversize(document)) return [oversizeOutcome(part.part, false)];
    return [await guarded('must-not-grant', part.part, c.mode, () => ceiling(c, document, part.part))];
  }
  if (!('next' in part)) return [];
  if (oversize(part.next)) return [oversizeOutcome(part.part, true)];
  const { next, before } = part;
  return Promise.all([
    guarded('validate', part.part, c.mode, async () =>
      validateOutcome(await findings(c, next), part.part, c.allowances),
    ),
    ...(before !== undefined
      ? [
          guarded('no-new-access', part.part, c.mode, async () =>
            noNewAccessOutcome(
              await c.analyzer('CheckNoNewAccess', (client, signal) =>
                client.send(
                  new CheckNoNewAccessCommand({
                    newPolicyDocument: next,
                    existingPolicyDocument: before,
                    policyType: 'IDENTITY_POLICY',
                  }),
                  { abortSignal: signal },
                ),
              ),
              next,
            ),
          ),
        ]
      : []),
    guarded('must-not-grant', part.part, c.mode, () => ceiling(c, next, part.part)),
  ]);
}

/** Every ValidatePolicy finding of an identity policy, page by page. */
async function findings(c: CheckContext, document: string) {
  const all = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 10; page++) {
    const answer = await c.analyzer('ValidatePolicy', (client, signal) =>
      client.send(
        new ValidatePolicyCommand({ policyDocument: document, policyType: 'IDENTITY_POLICY', nextToken }),
        {
          abortSignal: signal,
        },
      ),
    );
    all.push(...(answer.findings ?? []));
    nextToken = answer.nextToken;
    if (!nextToken) break;
  }
  return all;
}

/** The ceiling's calls for one document: ⌈actions / 100⌉ × ⌈resources / 100⌉ CheckAccessNotGranted. */
async function ceiling(c: CheckContext, document: string, part: string): Promise<CheckOutcome> {
  const answers = await Promise.all(
    c.requests.map(async (r) => ({
      asked: r.actions,
      ...(await c.analyzer('CheckAccessNotGranted', (client, signal) =>
        client.send(
          new CheckAccessNotGrantedCommand({
            policyDocument: document,
            access: [{ actions: r.actions, ...(r.resources.length > 0 ? { resources: r.resources } : {}) }],
            policyType: 'IDENTITY_POLICY',
          }),
          { abortSignal: signal },
        ),
      )),
    })),
  );
  return ceilingOutcome(answers, document, part, c.allowed);
}

/** An AWS-managed policy's default version's document, read once per ARN in the run (IAM sends it URL-encoded). */
function managedDocument(c: CheckContext, arn: string): Promise<string> {
  let read = c.documents.get(arn);
  if (!read) {
    read = (async () => {
      const iam = async <O>(operation: string, send: Parameters<SsoSession['sendIam']>[1]) => {
        try {
          return (await c.session.sendIam(operation, send)) as O;
        } catch (error) {
          throw new Unchecked(uncheckedWhy(error, `iam:${operation}`));
        }
      };
      const policy = await readAwsManagedPolicy(c.session, arn).catch((error: unknown) => {
        throw new Unchecked(uncheckedWhy(error, 'iam:GetPolicy'));
      });
      const version = await iam<{ PolicyVersion?: { Document?: string } }>(
        'GetPolicyVersion',
        (client, signal) =>
          client.send(
            new GetPolicyVersionCommand({
              PolicyArn: arn,
              VersionId: policy.Policy?.DefaultVersionId ?? 'v1',
            }),
            { abortSignal: signal },
          ),
      );
      return decodeURIComponent(version.PolicyVersion?.Document ?? '');
    })();
    c.documents.set(arn, read);
  }
  return read;
}
