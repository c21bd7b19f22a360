// What differs between a permission set's desired content and what the service answered: each
// field that differs, the policies to attach and detach, the inline policy as a line diff of its
// normalised JSON, and the tags to set and remove. An empty list: the set is as the manifest says.
// Pure.
import type { PermissionSetContent } from './definition.js';
import { durationText, type CustomerPolicyRef, type PermissionsBoundary } from './fields.js';
import { lineDiff } from './inline-policy.js';

export type ContentChange =
  | { field: 'description' | 'relay-state'; before: string | undefined; after: string }
  | { field: 'session-duration'; before: string; after: string }
  | { field: 'inline-policy'; before: string | undefined; after: string | undefined; lines: string[] }
  | { field: 'aws-managed-policies'; attach: string[]; detach: string[] }
  | { field: 'customer-managed-policies'; attach: CustomerPolicyRef[]; detach: CustomerPolicyRef[] }
  | {
      field: 'permissions-boundary';
      before: PermissionsBoundary | undefined;
      after: PermissionsBoundary | undefined;
    }
  | { field: 'tags'; set: Record<string, string>; remove: string[] };

export const policyKey = (p: CustomerPolicyRef) => `${p.path}${p.name}`;

export const boundaryText = (b: PermissionsBoundary | undefined) =>
  b === undefined ? 'none' : b.kind === 'aws-managed' ? b.arn : `customer-managed ${policyKey(b.policy)}`;

/** Tags AWS keeps for itself (`aws:`): never set or removed by the step. */
const isAwsTag = (key: string) => key.toLowerCase().startsWith('aws:');

/**
 * The changes that make `read` the `desired` content. A description or relay state the manifest
 * leaves out is left as it is (the service cannot clear either); every other field is the
 * manifest's whole: a policy or tag it does not name is taken away.
 */
export function contentChanges(desired: PermissionSetContent, read: PermissionSetContent): ContentChange[] {
  const changes: ContentChange[] = [];
  if (desired.description !== undefined && desired.description !== read.description)
    changes.push({ field: 'description', before: read.description, after: desired.description });
  if (desired.sessionMinutes !== read.sessionMinutes)
    changes.push({
      field: 'session-duration',
      before: durationText(read.sessionMinutes),
      after: durationText(desired.sessionMinutes),
    });
  if (desired.relayState !== undefined && desired.relayState !== read.relayState)
    changes.push({ field: 'relay-state', before: read.relayState, after: desired.relayState });
  if (desired.inlinePolicy !== read.inlinePolicy)
    changes.push({
      field: 'inline-policy',
      before: read.inlinePolicy,
      after: desired.inlinePolicy,
      lines: lineDiff(read.inlinePolicy, desired.inlinePolicy),
    });
  const attach = desired.awsManagedPolicies.filter((a) => !read.awsManagedPolicies.includes(a));
  const detach = read.awsManagedPolicies.filter((a) => !desired.awsManagedPolicies.includes(a));
  if (attach.length + detach.length > 0) changes.push({ field: 'aws-managed-policies', attach, detach });
  const readKeys = new Set(read.customerManagedPolicies.map(policyKey));
  const desiredKeys = new Set(desired.customerManagedPolicies.map(policyKey));
  const attachRefs = desired.customerManagedPolicies.filter((p) => !readKeys.has(policyKey(p)));
  const detachRefs = read.customerManagedPolicies.filter((p) => !desiredKeys.has(policyKey(p)));
  if (attachRefs.length + detachRefs.length > 0)
    changes.push({ field: 'customer-managed-policies', attach: attachRefs, detach: detachRefs });
  if (boundaryText(desired.permissionsBoundary) !== boundaryText(read.permissionsBoundary))
    changes.push({
      field: 'permissions-boundary',
      before: read.permissionsBoundary,
      after: desired.permissionsBoundary,
    });
  const set = Object.fromEntries(
    Object.entries(desired.tags).filter(([key, value]) => !isAwsTag(key) && read.tags[key] !== value),
  );
  const remove = Object.keys(read.tags).filter((key) => !isAwsTag(key) && !(key in desired.tags));
  if (Object.keys(set).length + remove.length > 0) changes.push({ field: 'tags', set, remove });
  return changes;
}

/** The fields UpdatePermissionSet takes, as a set should hold them after its update. */
export interface DescribedFields {
  description?: string;
  sessionDuration: string;
  relayState?: string;
}

/**
 * What every UpdatePermissionSet sends: the description, session duration and relay state as the
 * manifest wants them, a description or relay state it leaves out kept as read. The service clears
 * a relay state the call does not send (terraform-provider-aws #17411), so an update that sent
 * only what differs would lose it, and drift back every run.
 */
export function describedFields(desired: PermissionSetContent, read: PermissionSetContent): DescribedFields {
  const description = desired.description ?? read.description;
  const relayState = desired.relayState ?? read.relayState;
  return {
    ...(description !== undefined ? { description } : {}),
    sessionDuration: durationText(desired.sessionMinutes),
    ...(relayState !== undefined ? { relayState } : {}),
  };
}
