// What tests do to the identity store the way the console and a SCIM sync do it, each write with
// the CloudTrail record AWS writes for it (IAM Identity Center User Guide, "Logging IAM Identity
// Center API calls" and "Logging IAM Identity Center SCIM API calls"): the console's membership
// changes come from `sso-directory.amazonaws.com` as AddMemberToGroup / RemoveMemberFromGroup and
// name the group and the member; SCIM's from `identitystore-scim.amazonaws.com` as PatchGroup,
// whose member values are `HIDDEN_DUE_TO_SECURITY_REASONS`, by a `WebIdentityUser` (its bearer
// token); DeleteGroup and DeleteUser come from the source that made them. A deleted group's
// memberships go with it, its account assignments stay (orphaned, as AWS keeps them).
import { createHash } from 'node:crypto';
import type { AwsContext, CloudTrailEvent } from '../account/config.js';
import { identityStoreResourceId, OWNER_ACCOUNT_ID } from '../account/model.js';
import type { PlantedTrailEvent, TrailCaller } from './trail-caller.js';

/** Who wrote to the identity store: its API, the console, or a SCIM sync. */
export type DirectorySource = 'identitystore' | 'console' | 'scim';

const SOURCES: Record<DirectorySource, string> = {
  identitystore: 'identitystore.amazonaws.com',
  console: 'sso-directory.amazonaws.com',
  scim: 'identitystore-scim.amazonaws.com',
};
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

export interface DirectorySeams {
  /** A person at the console adds `userId` to the group, or removes them: AddMemberToGroup / RemoveMemberFromGroup. */
  consoleMembershipAs(
    kind: 'add' | 'remove',
    groupId: string,
    userId: string,
    caller: TrailCaller,
    at?: number,
  ): void;
  /** A SCIM sync's PatchGroup adding and removing members (their values hidden in the record). */
  scimPatchGroup(groupId: string, change: { add?: string[]; remove?: string[] }, at?: number): void;
  /** The group deleted (its members with it; its assignments stay), recorded by `source`. */
  deleteGroupAs(groupId: string, source: DirectorySource, caller?: TrailCaller, at?: number): void;
  /** The user deleted (and their memberships), recorded by `source`. */
  deleteUserAs(userId: string, source: DirectorySource, caller?: TrailCaller, at?: number): void;
}

type State = AwsContext['state'];
const tenantId = (state: State) =>
  createHash('sha256').update(state.identityStoreId).digest('hex').slice(0, 32);
/** A SCIM call's identity: its bearer token, no IAM principal. */
const scimIdentity = (): Pick<CloudTrailEvent, 'principalArn'> & Partial<CloudTrailEvent> => ({
  principalArn: `arn:aws:iam::${OWNER_ACCOUNT_ID}:root`,
  userIdentity: { type: 'WebIdentityUser', accountId: OWNER_ACCOUNT_ID, accessKeyId: HIDDEN },
  username: 'scim',
});
const by = (caller: TrailCaller | undefined) =>
  caller
    ? {
        principalArn: caller.principalArn,
        ...(caller.sessionName ? { sessionName: caller.sessionName } : {}),
        ...(caller.accessKeyId ? { accessKeyId: caller.accessKeyId } : {}),
      }
    : { principalArn: `arn:aws:iam::${OWNER_ACCOUNT_ID}:user/admin` };
const identity = (source: DirectorySource, caller: TrailCaller | undefined) =>
  source === 'scim' && !caller ? scimIdentity() : by(caller);
function groupOf(state: State, groupId: string) {
  const group = state.groups.get(groupId);
  if (!group) throw new Error(`emulator: group ${groupId} is not in the emulated AWS state`);
  return group;
}
function userOf(state: State, userId: string) {
  if (!state.users.has(userId)) throw new Error(`emulator: user ${userId} is not in the emulated AWS state`);
}
function change(state: State, groupId: string, kind: 'add' | 'remove', userId: string) {
  userOf(state, userId);
  const members = (groupOf(state, groupId).members ??= new Map<string, string>());
  if (kind === 'add') members.set(userId, identityStoreResourceId('membership', `${groupId}/${userId}`));
  else members.delete(userId);
}
/** Where the record names the directory: the console's `directoryId`, the store's `identityStoreId`, SCIM's `tenantId`. */
const home = (state: State, source: DirectorySource) =>
  source === 'console'
    ? { directoryId: state.identityStoreId }
    : source === 'scim'
      ? { tenantId: tenantId(state) }
      : { identityStoreId: state.identityStoreId };

export function createDirectorySeams(
  aws: AwsContext,
  plant: (event: PlantedTrailEvent) => CloudTrailEvent,
): DirectorySeams {
  const { state } = aws;
  return {
    consoleMembershipAs(kind, groupId, userId, caller, at = Date.now()) {
      change(state, groupId, kind, userId);
      plant({
        ...by(caller),
        eventSource: SOURCES.console,
        eventName: kind === 'add' ? 'AddMemberToGroup' : 'RemoveMemberFromGroup',
        requestParameters: { directoryId: state.identityStoreId, groupId, member: { memberId: userId } },
        responseElements: null,
        at,
      });
    },
    scimPatchGroup(groupId, { add = [], remove = [] }, at = Date.now()) {
      for (const user of add) change(state, groupId, 'add', user);
      for (const user of remove) change(state, groupId, 'remove', user);
      const operation = (op: 'add' | 'remove', users: readonly string[]) =>
        users.length === 0 ? [] : [{ op, path: 'members', value: users.map(() => ({ value: HIDDEN })) }];
      plant({
        ...scimIdentity(),
        eventSource: SOURCES.scim,
        eventName: 'PatchGroup',
        verbatimParameters: true,
        requestParameters: {
          groupId,
          tenantId: tenantId(state),
          httpBody: {
            schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
            Operations: [...operation('add', add), ...operation('remove', remove)],
          },
        },
        responseElements: null,
        userAgent: 'Go-http-client/2.0',
        at,
      });
    },
    deleteGroupAs(groupId, source, caller, at = Date.now()) {
      groupOf(state, groupId);
      state.groups.delete(groupId);
      plant({
        ...identity(source, caller),
        eventSource: SOURCES[source],
        eventName: 'DeleteGroup',
        requestParameters: { ...home(state, source), groupId },
        responseElements: null,
        at,
      });
    },
    deleteUserAs(userId, source, caller, at = Date.now()) {
      userOf(state, userId);
      state.users.delete(userId);
      for (const group of state.groups.values()) group.members?.delete(userId);
      plant({
        ...identity(source, caller),
        eventSource: SOURCES[source],
        eventName: 'DeleteUser',
        requestParameters: { ...home(state, source), userId },
        responseElements: null,
        at,
      });
    },
  };
}
