// What tests do to CloudTrail's history without a call through the SDK: plant any event, at any
// time, and make account assignment writes and Identity Store group membership writes as another
// identity (a person at the console, another workflow's session, a SCIM sync), each with what the
// service keeps and the event CloudTrail records. A membership event's parameters are those of
// real Identity Store records: CreateGroupMembership names the group, the member and (in its
// answer) the membership ID; DeleteGroupMembership names only the membership ID.
import { randomUUID } from 'node:crypto';
import { accessKeyFor, roleArnOf } from '../account/cloudtrail-record.js';
import type { AwsContext, CloudTrailEvent } from '../account/config.js';
import type { PlantedTrailEvent, TrailCaller } from './trail-caller.js';
import { createDirectorySeams, type DirectorySeams } from './directory-seams.js';
import { createPortalSeams, type PortalSeams } from './portal.js';
import {
  ENTITLEMENT_MISSING,
  identityStoreResourceId,
  type Assignment,
  type AssignmentRequest,
} from '../account/model.js';

export type { PlantedTrailEvent, TrailCaller } from './trail-caller.js';
export type { PortalSignIn, RoleCredentialsRecord } from './portal.js';

/** Also the console's and SCIM's directory writes (./directory-seams.ts), the portal's sign-ins (./portal.ts). */
export interface CloudTrailSeams extends DirectorySeams, PortalSeams {
  /**
   * Adds an event to CloudTrail's history as it stands (epoch ms `at`, default now; 20 days ago,
   * or a person's create from the console with `userIdentity` an IAM Identity Center user …).
   * Defaults: `sso.amazonaws.com`, no parameters, no answer, a new event and request ID. Returns it.
   */
  addCloudTrailEvent(event: PlantedTrailEvent): CloudTrailEvent;
  /**
   * What a CreateAccountAssignment by `caller` does, at `at` (epoch ms, default now): a create
   * request that ended SUCCEEDED (created then), the assignment added, and its CloudTrail event
   * attributed to `caller`. Returns the request.
   */
  createAssignmentAs(assignment: Assignment, caller: TrailCaller, at?: number): AssignmentRequest;
  /**
   * Likewise for a DeleteAccountAssignment: the assignment removed and the request SUCCEEDED, or
   * FAILED (EntitlementItem doesn't exist) when there was none.
   */
  deleteAssignmentAs(assignment: Assignment, caller: TrailCaller, at?: number): AssignmentRequest;
  /**
   * What a CreateGroupMembership by `caller` does, at `at` (epoch ms, default now): the user made a
   * member of the group, and the event attributed to `caller`. Returns the membership ID.
   */
  addGroupMembershipAs(groupId: string, userId: string, caller: TrailCaller, at?: number): string;
  /**
   * Likewise for a DeleteGroupMembership: the membership removed (an error event,
   * ResourceNotFoundException, when the user was no member). Returns the membership ID.
   */
  removeGroupMembershipAs(groupId: string, userId: string, caller: TrailCaller, at?: number): string;
}

/** Keeps a request list in creation order, as the status lists (newest first) read it. */
function sortByCreatedDate(requests: Map<string, AssignmentRequest>): void {
  const list = [...requests.values()];
  if (list.every((r, i) => i === 0 || list[i - 1]!.createdDate <= r.createdDate)) return;
  const sorted = list.sort((a, b) => a.createdDate.getTime() - b.createdDate.getTime());
  requests.clear();
  for (const request of sorted) requests.set(request.requestId, request);
}

export function createCloudTrailSeams(aws: AwsContext): CloudTrailSeams {
  const plant = (event: PlantedTrailEvent): CloudTrailEvent => {
    const planted: CloudTrailEvent = {
      eventSource: 'sso.amazonaws.com',
      accessKeyId: event.accessKeyId ?? accessKeyFor(event.principalArn),
      requestParameters: {},
      responseElements: null,
      eventId: randomUUID(),
      requestId: randomUUID(),
      readOnly: false,
      awsRegion: aws.region,
      ...event,
      at: event.at ?? Date.now(),
    };
    aws.cloudTrail.push(planted);
    return planted;
  };

  const write = (kind: 'create' | 'delete', assignment: Assignment, caller: TrailCaller, at = Date.now()) => {
    const { state } = aws;
    state.settle();
    const requests = kind === 'create' ? state.creations : state.deletions;
    const request = state.recordAssignmentRequest(kind, assignment, 'SUCCEEDED', new Date(at));
    if (kind === 'create') state.putAssignment(assignment);
    else if (!state.removeAssignment(assignment)) {
      request.status = 'FAILED';
      request.failureReason = ENTITLEMENT_MISSING(assignment);
    }
    sortByCreatedDate(requests);
    const roleArn = roleArnOf(caller.principalArn);
    const parameters = {
      InstanceArn: state.instanceArn,
      TargetId: assignment.accountId,
      TargetType: 'AWS_ACCOUNT',
      PermissionSetArn: assignment.permissionSetArn,
      PrincipalType: assignment.principalType,
      PrincipalId: assignment.principalId,
    };
    // The call answered IN_PROGRESS, as every accepted create and delete does.
    const status = {
      status: 'IN_PROGRESS',
      requestId: request.requestId,
      ...Object.fromEntries(
        Object.entries(parameters)
          .filter(([member]) => member !== 'InstanceArn')
          .map(([member, value]) => [member.charAt(0).toLowerCase() + member.slice(1), value]),
      ),
    };
    plant({
      eventName: kind === 'create' ? 'CreateAccountAssignment' : 'DeleteAccountAssignment',
      principalArn: caller.principalArn,
      ...(caller.sessionName ? { sessionName: caller.sessionName } : {}),
      ...(caller.accessKeyId ? { accessKeyId: caller.accessKeyId } : {}),
      requestParameters: parameters,
      responseElements: {
        [kind === 'create' ? 'accountAssignmentCreationStatus' : 'accountAssignmentDeletionStatus']: status,
      },
      requestId: request.requestId,
      at,
      webIdentity: caller.webIdentity ?? (roleArn !== undefined && aws.roles.some((r) => r.arn === roleArn)),
    });
    return request;
  };

  return {
    addGroupMembershipAs: (groupId, userId, caller, at) =>
      membershipWrite(aws, plant, { kind: 'create', groupId, userId, caller, at }),
    removeGroupMembershipAs: (groupId, userId, caller, at) =>
      membershipWrite(aws, plant, { kind: 'delete', groupId, userId, caller, at }),
    addCloudTrailEvent: plant,
    ...createDirectorySeams(aws, plant),
    ...createPortalSeams(aws, plant),
    createAssignmentAs: (assignment, caller, at) => write('create', assignment, caller, at),
    deleteAssignmentAs: (assignment, caller, at) => write('delete', assignment, caller, at),
  };
}

/** A membership added or removed by `caller`, and its Identity Store event. */
function membershipWrite(
  aws: AwsContext,
  plant: (event: PlantedTrailEvent) => CloudTrailEvent,
  write: {
    kind: 'create' | 'delete';
    groupId: string;
    userId: string;
    caller: TrailCaller;
    at?: number | undefined;
  },
): string {
  const { kind, groupId, userId, caller, at = Date.now() } = write;
  const { state } = aws;
  const group = state.groups.get(groupId);
  if (!group) throw new Error(`emulator: group ${groupId} is not in the emulated AWS state`);
  if (!state.users.has(userId)) throw new Error(`emulator: user ${userId} is not in the emulated AWS state`);
  const members = (group.members ??= new Map<string, string>());
  const membershipId = members.get(userId) ?? identityStoreResourceId('membership', `${groupId}/${userId}`);
  const held = members.has(userId);
  if (kind === 'create') members.set(userId, membershipId);
  else members.delete(userId);
  const identityStoreId = state.identityStoreId;
  plant({
    eventSource: 'identitystore.amazonaws.com',
    eventName: kind === 'create' ? 'CreateGroupMembership' : 'DeleteGroupMembership',
    principalArn: caller.principalArn,
    ...(caller.sessionName ? { sessionName: caller.sessionName } : {}),
    ...(caller.accessKeyId ? { accessKeyId: caller.accessKeyId } : {}),
    requestParameters:
      kind === 'create'
        ? { identityStoreId, groupId, memberId: { userId } }
        : { identityStoreId, membershipId },
    responseElements: kind === 'create' ? { membershipId, identityStoreId } : null,
    ...(kind === 'delete' && !held
      ? { errorCode: 'ResourceNotFoundException', errorMessage: 'GroupMembership not found' }
      : {}),
    at,
  });
  return membershipId;
}
