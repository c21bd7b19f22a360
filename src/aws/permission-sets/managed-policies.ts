// The AWS-managed policies a manifest's permission sets name, checked before any write with
// iam:GetPolicy, once per distinct policy: one IAM does not have (a typo: `ReadOnlyAcess`) is a
// problem at its line, with the closest names AWS has (one ListPolicies of the AWS-managed ones,
// only then); one the step may not look up (AccessDenied: iam:GetPolicy is an optional
// permission), or whose answer did not come, is planned as written and the plan says it was not
// checked. Signed in as the step is; AWS_ENDPOINT_URL_IAM overrides the endpoint.
import { ListPoliciesCommand, type Policy } from '@aws-sdk/client-iam';
import { describeError } from '../../core/errors.js';
import { closestNames } from '../../core/lists.js';
import {
  inPartition,
  type LineProblem,
  type PermissionSetContent,
  type PermissionSetDefinition,
} from '../../core/permission-sets/definition.js';
import { mapWithConcurrency } from '../../engine/limits/limits.js';
import { AwsServiceError } from '../sdk/aws-errors.js';
import type { SsoSession } from '../sso/session.js';
import { readAwsManagedPolicy } from './policy-reads.js';

export interface ManagedPolicyCheck {
  /** Each policy IAM does not have, at the line it is written. */
  problems: LineProblem[];
  /** Each policy that could not be looked up, by ARN: why, for the plan's line. */
  unchecked: Map<string, string>;
}

/** Where a policy is named: the entry's field, and the line. */
interface Named {
  arn: string;
  path: string;
  line: number;
}

/** Policies looked up side by side: the session paces the calls. */
const AT_ONCE = 8;

export async function checkAwsManagedPolicies(
  session: SsoSession,
  definitions: readonly PermissionSetDefinition[],
  contents: ReadonlyMap<string, PermissionSetContent>,
): Promise<ManagedPolicyCheck> {
  const named = namedPolicies(definitions, contents, session.instance);
  const arns = [...new Set(named.map((n) => n.arn))];
  const unchecked = new Map<string, string>();
  const missing = new Set<string>();
  await mapWithConcurrency(arns, AT_ONCE, async (arn) => {
    const outcome = await lookUp(session, arn);
    if (outcome === 'missing') missing.add(arn);
    else if (outcome !== 'found') unchecked.set(arn, outcome);
  });
  if (missing.size === 0) return { problems: [], unchecked };
  const known = await awsManagedNames(session);
  const problems = named
    .filter((n) => missing.has(n.arn))
    .map((n) => {
      const written = n.arn.replace(/^arn:[^:]+:iam::aws:policy\//, '');
      const bare = written.split('/').pop() ?? written;
      const close = closestNames(bare, [...known.keys()]).flatMap((name) => known.get(name) ?? []);
      return {
        line: n.line,
        message: `\`${n.path}\`: \`${n.arn}\` is not an AWS-managed policy (iam:GetPolicy answered NoSuchEntity)`,
        fix:
          close.length > 0
            ? `did you mean ${close.map((c) => `\`${c}\``).join(', ')}?`
            : 'check the name and its path (e.g. `job-function/ViewOnlyAccess`) in the IAM console’s list of AWS managed policies',
      };
    });
  return { problems, unchecked };
}

/** Each AWS-managed policy of each definition, in the instance's partition, where it is written. */
function namedPolicies(
  definitions: readonly PermissionSetDefinition[],
  contents: ReadonlyMap<string, PermissionSetContent>,
  instance: string,
): Named[] {
  return definitions.flatMap((d) => {
    const written = contents.get(d.name);
    if (!written) return [];
    const content = inPartition(written, instance);
    const lineOf = (arn: string | undefined) =>
      (arn === undefined ? undefined : d.awsManagedLines?.[arn]) ?? d.line;
    const boundary = d.permissionsBoundary;
    const moved = content.permissionsBoundary;
    return [
      ...content.awsManagedPolicies.map((arn, i) => ({
        arn,
        path: `${d.path}.aws-managed-policies`,
        line: lineOf(d.awsManagedPolicies[i]),
      })),
      ...(boundary?.kind === 'aws-managed' && moved?.kind === 'aws-managed'
        ? [{ arn: moved.arn, path: `${d.path}.permissions-boundary`, line: lineOf(boundary.arn) }]
        : []),
    ];
  });
}

const NO_SUCH_ENTITY = new Set(['NoSuchEntity', 'NoSuchEntityException']);

/** `found`, `missing`, or why it could not be checked. */
async function lookUp(session: SsoSession, arn: string): Promise<string> {
  try {
    await readAwsManagedPolicy(session, arn);
    return 'found';
  } catch (error) {
    const code = error instanceof AwsServiceError ? error.code : (error as { name?: string }).name;
    if (code && NO_SUCH_ENTITY.has(code)) return 'missing';
    if (code === 'AccessDenied' || code === 'AccessDeniedException')
      return 'the step’s role may not call iam:GetPolicy';
    return `iam:GetPolicy failed: ${describeError(error)}`;
  }
}

/**
 * The AWS-managed policies IAM has, by name: each name's `path/name` as a manifest writes it
 * (`job-function/ViewOnlyAccess`). None when the step may not list them: the problem then has no
 * suggestion.
 */
async function awsManagedNames(session: SsoSession): Promise<Map<string, string[]>> {
  const byName = new Map<string, string[]>();
  const add = (p: Policy) => {
    if (!p.PolicyName) return;
    const written = `${(p.Path ?? '/').slice(1)}${p.PolicyName}`;
    byName.set(p.PolicyName, [...(byName.get(p.PolicyName) ?? []), written]);
  };
  try {
    let marker: string | undefined;
    // A bounded walk: AWS publishes about 1,300 AWS-managed policies, 1,000 a page.
    for (let page = 0; page < 5; page++) {
      const answer = await session.sendIam('ListPolicies', (iam, signal) =>
        iam.send(new ListPoliciesCommand({ Scope: 'AWS', MaxItems: 1000, Marker: marker }), {
          abortSignal: signal,
        }),
      );
      (answer.Policies ?? []).forEach(add);
      marker = answer.IsTruncated ? answer.Marker : undefined;
      if (!marker) break;
    }
  } catch {
    // No list, no suggestion: the problem still says what to check.
  }
  return byName;
}
