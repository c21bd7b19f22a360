// What a defined permission set allows, written to IAM Identity Center through the session's one
// engine (its pace, retries and counts): a create carries the ownership tag in CreatePermissionSet
// itself (the set never exists untagged, so a failure midway leaves a set this manifest owns and
// the next run finishes), then its content; an update writes only the fields that differ
// (core/permission-sets/diff.ts), though its UpdatePermissionSet sends all three of its fields
// (the service clears a relay state not sent); a provisioning goes one account at a time,
// TargetType AWS_ACCOUNT, so a FAILED one names its account and the service's reason; a delete is
// the last write (the caller has checked that no assignment is left).
import {
  AttachCustomerManagedPolicyReferenceToPermissionSetCommand,
  AttachManagedPolicyToPermissionSetCommand,
  CreatePermissionSetCommand,
  DeletePermissionSetCommand,
  DeletePermissionsBoundaryFromPermissionSetCommand,
  DetachCustomerManagedPolicyReferenceFromPermissionSetCommand,
  DetachManagedPolicyFromPermissionSetCommand,
  PutPermissionsBoundaryToPermissionSetCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdatePermissionSetCommand,
  type PermissionsBoundary as SdkBoundary,
} from '@aws-sdk/client-sso-admin';
import type { PermissionSetContent } from '../../core/permission-sets/definition.js';
import {
  contentChanges,
  describedFields,
  type ContentChange,
  type DescribedFields,
} from '../../core/permission-sets/diff.js';
import {
  durationText,
  type CustomerPolicyRef,
  type PermissionsBoundary,
} from '../../core/permission-sets/fields.js';
import type { GrantResult } from '../../core/grant-result.js';
import type { Deadline, WaitBound } from '../../engine/limits/deadline.js';
import type { SsoCalls } from '../sdk/sso-calls.js';
import type { SsoSession } from '../sso/session.js';
import { putKeepingFences, writeInlinePolicy } from './kept-fences.js';
import type { SessionFence } from '../../core/permission-sets/session-fence.js';
import {
  AwsProvisioningDriver,
  MAX_CONCURRENT_PROVISIONS,
  type ProvisionDriver,
} from './provision-driver.js';
import { provisionPermissionSets } from './provision-run.js';

/** A set holding nothing but its name: what a create's content is written over. */
const bare = (content: PermissionSetContent): PermissionSetContent => ({
  name: content.name,
  description: content.description,
  sessionMinutes: content.sessionMinutes,
  relayState: content.relayState,
  awsManagedPolicies: [],
  customerManagedPolicies: [],
  inlinePolicy: undefined,
  permissionsBoundary: undefined,
  tags: content.tags,
});

/**
 * Creates the set with its description, session length, relay state and every tag (the ownership
 * tag among them) in one call, then writes its policies and boundary. Its ARN.
 */
export async function createPermissionSet(calls: SsoCalls, content: PermissionSetContent): Promise<string> {
  const created = await calls.send(
    'CreatePermissionSet',
    new CreatePermissionSetCommand({
      InstanceArn: calls.instance,
      Name: content.name,
      ...(content.description !== undefined ? { Description: content.description } : {}),
      SessionDuration: durationText(content.sessionMinutes),
      ...(content.relayState !== undefined ? { RelayState: content.relayState } : {}),
      Tags: Object.entries(content.tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  const arn = created.PermissionSet?.PermissionSetArn;
  if (!arn) throw new Error(`CreatePermissionSet answered no ARN for the permission set ${content.name}`);
  // A set just made holds no session fence: its policy is put as it is, with no read first.
  await updatePermissionSet(
    calls,
    arn,
    contentChanges(content, bare(content)),
    describedFields(content, content),
    { keepFences: false },
  );
  return arn;
}

const sdkBoundary = (b: PermissionsBoundary): SdkBoundary =>
  b.kind === 'aws-managed'
    ? { ManagedPolicyArn: b.arn }
    : { CustomerManagedPolicyReference: { Name: b.policy.name, Path: b.policy.path } };

/**
 * Writes `changes` to the set: when a describe field differs, one UpdatePermissionSet sending all
 * three as `described` says (the service clears a relay state not sent), then each policy,
 * the boundary and the tags. Attaches come before detaches, so a set being changed never holds
 * less than either its old or its new policies; the 20-policy quota is checked before any write
 * (core/permission-sets/fields.ts), so the two together stay within what the service takes.
 * The inline policy is put with the set's live session fences kept (./kept-fences.ts).
 */
export async function updatePermissionSet(
  calls: SsoCalls,
  arn: string,
  changes: readonly ContentChange[],
  described: DescribedFields,
  options: { keepFences: boolean; removedFences?: SessionFence[] } = { keepFences: true },
): Promise<void> {
  const set = { InstanceArn: calls.instance, PermissionSetArn: arn };
  const describedField = (c: ContentChange) =>
    c.field === 'description' || c.field === 'session-duration' || c.field === 'relay-state';
  if (changes.some(describedField))
    await calls.send(
      'UpdatePermissionSet',
      new UpdatePermissionSetCommand({
        ...set,
        ...(described.description !== undefined ? { Description: described.description } : {}),
        SessionDuration: described.sessionDuration,
        ...(described.relayState !== undefined ? { RelayState: described.relayState } : {}),
      }),
    );
  for (const change of changes) await writeChange(calls, set, change, options);
}

async function writeChange(
  calls: SsoCalls,
  set: { InstanceArn: string; PermissionSetArn: string },
  change: ContentChange,
  { keepFences, removedFences }: { keepFences: boolean; removedFences?: SessionFence[] },
): Promise<void> {
  switch (change.field) {
    case 'description':
    case 'session-duration':
    case 'relay-state':
      return;
    case 'inline-policy':
      return keepFences
        ? putKeepingFences(calls, set, change.after, Date.now, removedFences)
        : writeInlinePolicy(calls, set, change.after);
    case 'aws-managed-policies':
    case 'customer-managed-policies':
      return writePolicies(calls, set, change);
    case 'permissions-boundary':
      if (change.after)
        await calls.send(
          'PutPermissionsBoundaryToPermissionSet',
          new PutPermissionsBoundaryToPermissionSetCommand({
            ...set,
            PermissionsBoundary: sdkBoundary(change.after),
          }),
        );
      else
        await calls.send(
          'DeletePermissionsBoundaryFromPermissionSet',
          new DeletePermissionsBoundaryFromPermissionSetCommand(set),
        );
      return;
    case 'tags': {
      const tags = Object.entries(change.set);
      if (tags.length > 0)
        await calls.send(
          'TagResource',
          new TagResourceCommand({
            InstanceArn: set.InstanceArn,
            ResourceArn: set.PermissionSetArn,
            Tags: tags.map(([Key, Value]) => ({ Key, Value })),
          }),
        );
      if (change.remove.length > 0)
        await calls.send(
          'UntagResource',
          new UntagResourceCommand({
            InstanceArn: set.InstanceArn,
            ResourceArn: set.PermissionSetArn,
            TagKeys: change.remove,
          }),
        );
      return;
    }
  }
}

/** The policies attached, then those detached. */
async function writePolicies(
  calls: SsoCalls,
  set: { InstanceArn: string; PermissionSetArn: string },
  change: Extract<ContentChange, { field: 'aws-managed-policies' | 'customer-managed-policies' }>,
): Promise<void> {
  if (change.field === 'aws-managed-policies') {
    for (const ManagedPolicyArn of change.attach)
      await calls.send(
        'AttachManagedPolicyToPermissionSet',
        new AttachManagedPolicyToPermissionSetCommand({ ...set, ManagedPolicyArn }),
      );
    for (const ManagedPolicyArn of change.detach)
      await calls.send(
        'DetachManagedPolicyFromPermissionSet',
        new DetachManagedPolicyFromPermissionSetCommand({ ...set, ManagedPolicyArn }),
      );
    return;
  }
  const referenced = (p: CustomerPolicyRef) => ({
    ...set,
    CustomerManagedPolicyReference: { Name: p.name, Path: p.path },
  });
  for (const p of change.attach)
    await calls.send(
      'AttachCustomerManagedPolicyReferenceToPermissionSet',
      new AttachCustomerManagedPolicyReferenceToPermissionSetCommand(referenced(p)),
    );
  for (const p of change.detach)
    await calls.send(
      'DetachCustomerManagedPolicyReferenceFromPermissionSet',
      new DetachCustomerManagedPolicyReferenceFromPermissionSetCommand(referenced(p)),
    );
}

/**
 * ProvisionPermissionSet to each of `accounts` on its own (TargetType AWS_ACCOUNT), at most the
 * service's concurrent provisionings, each followed to its end: one result for the set, whose
 * detail lists each account that FAILED with the service's reason.
 */
export function provisionToAccounts(
  session: SsoSession,
  permissionSet: { arn: string; name: string },
  accounts: string[],
  bound: WaitBound & { deadline: Deadline },
  driver: ProvisionDriver = new AwsProvisioningDriver(session, bound),
): Promise<GrantResult> {
  return provisionPermissionSets([permissionSet], driver, {
    accounts,
    onlyOutdated: false,
    dryRun: false,
    wait: true,
    maxConcurrency: MAX_CONCURRENT_PROVISIONS,
    deadline: bound.deadline,
  }).then(([result]) => result!);
}

/** Deletes the set: the caller has refused the delete while any assignment of it is left. */
export async function deletePermissionSet(calls: SsoCalls, arn: string): Promise<void> {
  await calls.send(
    'DeletePermissionSet',
    new DeletePermissionSetCommand({ InstanceArn: calls.instance, PermissionSetArn: arn }),
  );
}
