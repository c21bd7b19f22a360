// What CloudTrail makes of a recorded call: the record it delivers (LookupEvents' `CloudTrailEvent`,
// a JSON string) and the `Event` LookupEvents answers around it. The record follows real ones for
// IAM Identity Center (a CreateAccountAssignment record: eventVersion 1.08, camelCase request
// parameters, `responseElements.accountAssignmentCreationStatus` with the request's status and ID,
// `requestID` equal to that request ID) and the CloudTrail User Guide's `userIdentity` element (an
// assumed role's `sessionContext.sessionIssuer`, `webIdFederationData` for web identity sessions).
import { createHash } from 'node:crypto';
import { roleIdFor } from '../protocol/auth.js';
import type { CloudTrailEvent } from './config.js';
import { OWNER_ACCOUNT_ID } from './model.js';

/** GitHub's OIDC provider as IAM names it in the account of the role. */
const GITHUB_OIDC_PROVIDER = 'token.actions.githubusercontent.com';

const ASSUMED_ROLE = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;
const IAM_USER = /^arn:(aws[\w-]*):iam::(\d{12}):user\/(?:.*\/)?([^/]+)$/;
const ROOT = /^arn:(aws[\w-]*):iam::(\d{12}):root$/;

/** Whole seconds, as CloudTrail keeps event times. */
export const eventSecond = (at: number) => Math.floor(at / 1000) * 1000;
const isoSeconds = (at: number) => new Date(eventSecond(at)).toISOString().replace(/\.\d{3}Z$/, 'Z');

const hash = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length).toUpperCase();

/** A stable access key ID for a caller that brought none: `ASIA…` for sessions, `AKIA…` for users. */
export const accessKeyFor = (principalArn: string) =>
  `${ASSUMED_ROLE.test(principalArn) ? 'ASIA' : 'AKIA'}${hash(`key:${principalArn}`, 16)}`;

/** LookupEvents' `Username`: the session name of an assumed role, the name of a user, `root`. */
export function usernameOf(event: Pick<CloudTrailEvent, 'principalArn' | 'username'>): string {
  if (event.username !== undefined) return event.username;
  const arn = event.principalArn;
  if (ROOT.test(arn)) return 'root';
  return ASSUMED_ROLE.exec(arn)?.[4] ?? IAM_USER.exec(arn)?.[3] ?? arn.split(/[/:]/).at(-1) ?? arn;
}

/**
 * The account whose event history holds the event: its caller's (CloudTrail records a call in the
 * account it was made from, so a write from another account that administers the instance, such
 * as the management account beside a delegated administrator, is in that account's history, not
 * the instance owner's), else the `accountId` of a planted `userIdentity`, else the instance's.
 */
export function historyAccountOf(event: Pick<CloudTrailEvent, 'principalArn' | 'userIdentity'>): string {
  return (
    principalAccountOf(event.principalArn) ??
    (typeof event.userIdentity?.accountId === 'string' ? event.userIdentity.accountId : OWNER_ACCOUNT_ID)
  );
}

/** The account of an assumed role's session, an IAM user or an account's root; undefined for others. */
export function principalAccountOf(principalArn: string): string | undefined {
  return (ASSUMED_ROLE.exec(principalArn) ?? IAM_USER.exec(principalArn) ?? ROOT.exec(principalArn))?.[2];
}

/** The IAM role ARN of an assumed role's session ARN; undefined for any other principal. */
export function roleArnOf(principalArn: string): string | undefined {
  const m = ASSUMED_ROLE.exec(principalArn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : undefined;
}

/** The record's `userIdentity` (CloudTrail User Guide, "CloudTrail userIdentity element"). */
function userIdentityOf(event: CloudTrailEvent): Record<string, unknown> {
  if (event.userIdentity) return event.userIdentity;
  const arn = event.principalArn;
  const role = ASSUMED_ROLE.exec(arn);
  if (role) {
    const [, partition, accountId, roleName, session] = role as unknown as string[];
    const roleArn = `arn:${partition}:iam::${accountId}:role/${roleName}`;
    const roleId = roleIdFor(roleArn);
    return {
      type: 'AssumedRole',
      principalId: `${roleId}:${session}`,
      arn,
      accountId,
      accessKeyId: event.accessKeyId,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: roleId, arn: roleArn, accountId, userName: roleName },
        webIdFederationData: event.webIdentity
          ? {
              federatedProvider: `arn:${partition}:iam::${accountId}:oidc-provider/${GITHUB_OIDC_PROVIDER}`,
              attributes: {},
            }
          : {},
        attributes: {
          creationDate: isoSeconds(event.sessionIssuedAt ?? event.at),
          mfaAuthenticated: 'false',
        },
      },
    };
  }
  const user = IAM_USER.exec(arn);
  if (user) {
    return {
      type: 'IAMUser',
      principalId: `AIDA${hash(`user:${arn}`, 17)}`,
      arn,
      accountId: user[2],
      accessKeyId: event.accessKeyId,
      userName: user[3],
    };
  }
  const root = ROOT.exec(arn);
  if (root)
    return { type: 'Root', principalId: root[2], arn, accountId: root[2], accessKeyId: event.accessKeyId };
  return { type: 'Unknown', principalId: arn, arn, accessKeyId: event.accessKeyId };
}

/** Member names as CloudTrail records them: `InstanceArn` → `instanceArn`, recursively. */
export function camelCased(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCased);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key.charAt(0).toLowerCase() + key.slice(1), camelCased(v)]),
  );
}

const ASSIGNMENT_STATUSES = ['AccountAssignmentCreationStatus', 'AccountAssignmentDeletionStatus'];

/**
 * The record's `responseElements` for an answer: its members camelCased; for an account assignment
 * create or delete the request's status without CreatedDate or FailureReason, as real records show
 * it; null for an empty answer.
 */
export function responseElementsOf(output: unknown): Record<string, unknown> | null {
  if (typeof output !== 'object' || output === null || Object.keys(output).length === 0) return null;
  const answer = { ...(output as Record<string, unknown>) };
  for (const member of ASSIGNMENT_STATUSES) {
    const status = answer[member] as Record<string, unknown> | undefined;
    if (status) {
      const { CreatedDate: _created, FailureReason: _reason, ...rest } = status;
      answer[member] = rest;
    }
  }
  return camelCased(answer) as Record<string, unknown>;
}

/** The assignment request's ID an answer carries, which AWS also makes the record's `requestID`. */
export function assignmentRequestIdOf(output: unknown): string | undefined {
  for (const member of ASSIGNMENT_STATUSES) {
    const id = ((output as Record<string, Record<string, unknown> | undefined> | null)?.[member] ?? {})
      .RequestId;
    if (typeof id === 'string') return id;
  }
  return undefined;
}

/** The record CloudTrail delivers for the event (LookupEvents' `CloudTrailEvent`, parsed). */
export function cloudTrailRecord(event: CloudTrailEvent): Record<string, unknown> {
  const serviceEvent = event.eventType === 'AwsServiceEvent';
  return {
    eventVersion: '1.08',
    userIdentity: userIdentityOf(event),
    eventTime: isoSeconds(event.at),
    eventSource: event.eventSource,
    eventName: event.eventName,
    awsRegion: event.awsRegion ?? 'us-east-1',
    sourceIPAddress: event.sourceIPAddress ?? '203.0.113.10',
    userAgent: event.userAgent ?? 'AWS Internal',
    ...(event.errorCode ? { errorCode: event.errorCode, errorMessage: event.errorMessage ?? '' } : {}),
    // A service event has no request and no answer: AWS records both as null.
    requestParameters: serviceEvent
      ? null
      : event.verbatimParameters
        ? event.requestParameters
        : camelCased(event.requestParameters),
    responseElements: event.errorCode || serviceEvent ? null : event.responseElements,
    requestID: event.requestId,
    eventID: event.eventId,
    readOnly: event.readOnly ?? false,
    eventType: event.eventType ?? 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: historyAccountOf(event),
    ...(event.serviceEventDetails ? { serviceEventDetails: event.serviceEventDetails } : {}),
    eventCategory: 'Management',
  };
}

/** The event as LookupEvents answers it (the model's `Event` shape; EventTime in epoch seconds). */
export function lookedUpEvent(event: CloudTrailEvent): Record<string, unknown> {
  return {
    EventId: event.eventId,
    EventName: event.eventName,
    ReadOnly: String(event.readOnly ?? false),
    AccessKeyId: event.accessKeyId,
    EventTime: eventSecond(event.at) / 1000,
    EventSource: event.eventSource,
    Username: usernameOf(event),
    Resources: event.resources ?? [],
    CloudTrailEvent: JSON.stringify(cloudTrailRecord(event)),
  };
}
