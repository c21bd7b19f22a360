// What a defined permission set allows, read back from IAM Identity Center in 6 calls, side by side
// through the session's one engine (its pace, retries and counts): DescribePermissionSet,
// GetInlinePolicyForPermissionSet, ListManagedPoliciesInPermissionSet,
// ListCustomerManagedPolicyReferencesInPermissionSet, GetPermissionsBoundaryForPermissionSet and
// ListTagsForResource. Each list fits one page (20 policies, 50 tags; the pages take 100), and a
// NextToken is followed all the same. The answer is put in the shape core/permission-sets/ compares
// with the manifest; what it holds is the service's, so it is shown only through that room's words.
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  ListCustomerManagedPolicyReferencesInPermissionSetCommand,
  ListManagedPoliciesInPermissionSetCommand,
  type PermissionSet,
  type PermissionsBoundary as SdkBoundary,
  type Tag,
} from '@aws-sdk/client-sso-admin';
import type { PermissionSetContent } from '../../core/permission-sets/definition.js';
import { durationMinutes, type PermissionsBoundary } from '../../core/permission-sets/fields.js';
import { normalisedReadPolicy } from '../../core/permission-sets/inline-policy.js';
import { readPermissionSetTags } from '../directory/permission-set-tags.js';
import { isAwsError } from '../sdk/aws-errors.js';
import { LIST_PAGE, type SsoCalls } from '../sdk/sso-calls.js';

/** The calls one set's content takes: what the plan's cost is counted in. */
export const CONTENT_READS_PER_SET = 6;

/**
 * One defined set's content, as the service answers it now. `described`: the set's describe answer
 * this step already has (the name lookup's, SsoSession's describedPermissionSet), not asked again;
 * `tags`: its tags as this step reads them (SsoSession's permissionSetTags, read once per step).
 */
export async function readPermissionSetContent(
  calls: SsoCalls,
  arn: string,
  described?: PermissionSet,
  tags: () => Promise<Tag[]> = () => readPermissionSetTags(calls, arn),
): Promise<PermissionSetContent> {
  const InstanceArn = calls.instance;
  const set = { InstanceArn, PermissionSetArn: arn };
  const [ps, inline, managed, customer, boundary, tagged] = await Promise.all([
    described ??
      calls
        .send('DescribePermissionSet', new DescribePermissionSetCommand(set))
        .then((answer) => answer.PermissionSet ?? {}),
    calls.send('GetInlinePolicyForPermissionSet', new GetInlinePolicyForPermissionSetCommand(set)),
    calls.paginate(
      'ListManagedPoliciesInPermissionSet',
      (NextToken) =>
        new ListManagedPoliciesInPermissionSetCommand({ ...set, MaxResults: LIST_PAGE, NextToken }),
      (page) => page.AttachedManagedPolicies,
    ),
    calls.paginate(
      'ListCustomerManagedPolicyReferencesInPermissionSet',
      (NextToken) =>
        new ListCustomerManagedPolicyReferencesInPermissionSetCommand({
          ...set,
          MaxResults: LIST_PAGE,
          NextToken,
        }),
      (page) => page.CustomerManagedPolicyReferences,
    ),
    boundaryOf(calls, set),
    tags(),
  ]);
  return {
    name: ps.Name ?? '',
    description: ps.Description,
    // A length the service wrote in another form than hours and minutes reads as 0: it differs, and
    // the update writes the manifest's.
    sessionMinutes: durationMinutes(ps.SessionDuration ?? '') ?? 0,
    relayState: ps.RelayState,
    inlinePolicy: normalisedReadPolicy(inline.InlinePolicy),
    awsManagedPolicies: managed.flatMap((p) => (typeof p.Arn === 'string' ? [p.Arn] : [])),
    customerManagedPolicies: customer.flatMap((r) =>
      typeof r.Name === 'string' ? [{ name: r.Name, path: r.Path ?? '/' }] : [],
    ),
    permissionsBoundary: boundary,
    tags: Object.fromEntries(
      tagged.flatMap((t) => (typeof t.Key === 'string' ? [[t.Key, t.Value ?? ''] as const] : [])),
    ),
  };
}

/**
 * The boundary, or none: the service answers a set without one with ResourceNotFoundException
 * (which only this call may mean so: the describe beside it fails alike when the set is gone).
 */
async function boundaryOf(
  calls: SsoCalls,
  set: { InstanceArn: string; PermissionSetArn: string },
): Promise<PermissionsBoundary | undefined> {
  try {
    const answer = await calls.send(
      'GetPermissionsBoundaryForPermissionSet',
      new GetPermissionsBoundaryForPermissionSetCommand(set),
    );
    return boundaryFrom(answer.PermissionsBoundary);
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException', 'GetPermissionsBoundaryForPermissionSet'))
      return undefined;
    throw error;
  }
}

function boundaryFrom(boundary: SdkBoundary | undefined): PermissionsBoundary | undefined {
  if (boundary?.ManagedPolicyArn) return { kind: 'aws-managed', arn: boundary.ManagedPolicyArn };
  const ref = boundary?.CustomerManagedPolicyReference;
  if (ref?.Name) return { kind: 'customer-managed', policy: { name: ref.Name, path: ref.Path ?? '/' } };
  return undefined;
}

/** Each set's content, every set read side by side (the session paces them), in the order given. */
export function readPermissionSetContents(
  calls: SsoCalls,
  arns: readonly string[],
): Promise<{ arn: string; content: PermissionSetContent }[]> {
  return Promise.all(arns.map(async (arn) => ({ arn, content: await readPermissionSetContent(calls, arn) })));
}
