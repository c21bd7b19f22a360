// CloudTrail's record of an account assignment write, as the sweep reads it from LookupEvents: the
// event's JSON (`CloudTrailEvent`) says who called (the caller's ARN, and for an assumed role the
// role and the session name) and what the call was for (its request parameters) and started (its
// response). The record comes from a server the sweep does not trust to be well formed: every
// field is taken only in the shape AWS gives it, and an event that names another instance, or
// anything not matching the services' patterns, is no evidence at all. Pure.
import {
  ACCOUNT_ID,
  IAM_ROLE_ARN,
  IDENTITY_STORE_PRINCIPAL_ID,
  PERMISSION_SET_ARN,
  REQUEST_ID,
  ROLE_SESSION_NAME,
} from '../../core/patterns.js';
import type { TrailWrite } from '../../core/claims/aws-writes.js';

/** The fields of LookupEvents' `Event` the sweep reads. */
export interface LookedUpEvent {
  EventId?: string | undefined;
  EventName?: string | undefined;
  EventTime?: Date | undefined;
  CloudTrailEvent?: string | undefined;
}

export const ASSIGNMENT_WRITES = {
  CreateAccountAssignment: 'create',
  DeleteAccountAssignment: 'delete',
} as const;

const CALLER_ARN = /^arn:aws[\w-]*:(sts|iam)::\d{12}:[\w+=,.@/:-]{1,1024}$/;

export type Json = Record<string, unknown>;
/** A JSON value that is an object (not an array, a scalar or null), or undefined. */
export const jsonObject = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
const text = (value: unknown, pattern: RegExp): string | undefined =>
  typeof value === 'string' && pattern.test(value) ? value : undefined;

/**
 * An event's record (its `CloudTrailEvent` JSON) when the event is `eventName`'s and its record an
 * object that names the same event; else undefined (malformed JSON, another name).
 */
export function eventRecordOf(event: LookedUpEvent, eventName: string): Json | undefined {
  if (event.EventName !== eventName || !event.CloudTrailEvent) return undefined;
  let record: Json | undefined;
  try {
    record = jsonObject(JSON.parse(event.CloudTrailEvent));
  } catch {
    return undefined;
  }
  return record?.eventName === eventName ? record : undefined;
}

/** The write an event records, or undefined when it is not one of the instance's, well formed. */
export function trailWriteOf(event: LookedUpEvent, instanceArn: string): TrailWrite | undefined {
  const kind = ASSIGNMENT_WRITES[event.EventName as keyof typeof ASSIGNMENT_WRITES];
  if (!kind || !event.EventId || !/^[\w-]{1,128}$/.test(event.EventId)) return undefined;
  const record = eventRecordOf(event, event.EventName!);
  if (!record || record.eventSource !== 'sso.amazonaws.com') return undefined;
  const parameters = jsonObject(record.requestParameters);
  if (!parameters || parameters.instanceArn !== instanceArn || parameters.targetType !== 'AWS_ACCOUNT')
    return undefined;
  const principalType = parameters.principalType;
  if (principalType !== 'USER' && principalType !== 'GROUP') return undefined;
  const principalId = text(parameters.principalId, IDENTITY_STORE_PRINCIPAL_ID);
  const permissionSetArn = text(parameters.permissionSetArn, PERMISSION_SET_ARN);
  const accountId = text(parameters.targetId, ACCOUNT_ID);
  const identity = jsonObject(record.userIdentity);
  // A caller CloudTrail names without an ARN (type `Unknown`, `IdentityCenterUser`, …) is still
  // another party: its write counts against every claim, though it is never one.
  const type = text(identity?.type, /^[A-Za-z]{1,40}$/) ?? 'unknown';
  const callerArn = text(identity?.arn, CALLER_ARN);
  const actor =
    callerArn ?? `a caller CloudTrail names without an ARN (type ${type}, event ${event.EventId})`;
  const at = event.EventTime?.getTime() ?? Date.parse(String(record.eventTime));
  if (!principalId || !permissionSetArn || !accountId || !actor || !Number.isFinite(at)) return undefined;
  const issuer = jsonObject(jsonObject(identity?.sessionContext)?.sessionIssuer);
  const assumed = identity?.type === 'AssumedRole' && callerArn !== undefined;
  const roleArn = assumed ? text(issuer?.arn, IAM_ROLE_ARN) : undefined;
  // The session name is the last part of an assumed role's ARN (`…:assumed-role/ROLE/SESSION`).
  const sessionName = assumed ? text(actor.split('/').at(-1), ROLE_SESSION_NAME) : undefined;
  const response = jsonObject(record.responseElements);
  const status = jsonObject(
    kind === 'create' ? response?.accountAssignmentCreationStatus : response?.accountAssignmentDeletionStatus,
  );
  const requestId = text(status?.requestId, REQUEST_ID);
  const failed = record.errorCode !== undefined || status?.status === 'FAILED';
  return {
    kind,
    place: { principalType, principalId, permissionSetArn, accountId },
    at,
    actor,
    ...(roleArn ? { roleArn } : {}),
    ...(sessionName ? { sessionName } : {}),
    ...(requestId ? { requestId } : {}),
    failed,
    eventId: event.EventId,
  };
}
