// What the SSO Admin operations (./sso-admin.ts, ./assignments.ts) share: the model's
// error lists, its timestamps, the instance and permission set an input names, and list paging.
import type { OperationContext } from '../json/json-service.js';
import { notFound, RULES } from '../protocol/protocol.js';
import type { PermissionSet } from '../account/model.js';

export const ALL = [
  'AccessDeniedException',
  'InternalServerException',
  'ThrottlingException',
  'ValidationException',
] as const;
export const READ_ERRORS = [...ALL, 'ResourceNotFoundException'] as const;
export const WRITE_ERRORS = [...READ_ERRORS, 'ConflictException'] as const;

export const epochSeconds = (date: Date) => date.getTime() / 1000;

/**
 * The instance lives in one Region, as an IAM Identity Center instance does: in any other, SSO
 * Admin knows no instance (ListInstances answers none) and so nothing under it.
 */
export const inHomeRegion = ({ aws, region }: OperationContext) => region === aws.region;

export function requireInstance(input: Record<string, unknown>, context: OperationContext): void {
  if (input.InstanceArn !== context.aws.state.instanceArn || !inHomeRegion(context)) {
    throw notFound(`Instance ${String(input.InstanceArn)} does not exist.`);
  }
}

export function requirePermissionSet(
  input: Record<string, unknown>,
  context: OperationContext,
): PermissionSet {
  requireInstance(input, context);
  const ps = context.aws.state.permissionSets.get(String(input.PermissionSetArn));
  if (!ps)
    throw notFound(`Could not find PermissionSet with PermissionSetArn ${String(input.PermissionSetArn)}.`);
  return ps;
}

export const listRules = { MaxResults: RULES.maxResults, NextToken: RULES.nextToken };
