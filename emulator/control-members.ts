// The control API's group memberships, so a person running `npm run emulator` can give a group
// members to try `operation: report` with `expand-groups: true`: Identity Store memberships
// (ListGroupMemberships lists them) and Entra group members (Microsoft Graph's transitiveMembers
// lists them, nested groups followed). Every body is checked field by field (./control-body.ts);
// a group or member the emulator does not hold is a 400 naming it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsEmulator } from './aws/index.js';
import type { AzureEmulator } from './azure/index.js';
import {
  answerBody,
  BodyError,
  checkFields,
  type FieldRule,
  FIELD,
  object,
  timeOf,
  type Json,
} from './control-body.js';
import { bodyOf } from './control-calls.js';
import { callerOf } from './control-sweep.js';

const IDENTITY_STORE_ID = /^([0-9a-f]{10}-)?[0-9a-f]{8}-/;

const members = (takes: string): FieldRule => ({
  check: (v) =>
    Array.isArray(v) &&
    v.length > 0 &&
    v.length <= 100 &&
    v.every((m) => typeof m === 'string' && m.trim() !== '' && m.length <= 256),
  takes: `[${takes}, …] (1 to 100)`,
});

/**
 * `POST /_emulator/aws/group-members`: users made members of an Identity Store group, or with
 * `remove` no longer members; with a `caller`, each change is that identity's
 * Create/DeleteGroupMembership, in CloudTrail at `at` (a change made without the action).
 */
export function addAwsGroupMembers(aws: AwsEmulator, body: Json) {
  checkFields(body, {
    group: FIELD.text('a group display name or its Identity Store ID'),
    members: members('USER_NAME|USER_ID'),
    remove: { check: (v) => typeof v === 'boolean', takes: 'true or false', optional: true },
    caller: {
      check: (v) => object(v) !== undefined,
      takes: '{"principalArn": ARN, "sessionName"?: SESSION}',
      optional: true,
    },
    at: FIELD.time(),
  });
  const known = <T>(what: string, find: () => T): T => {
    try {
      return find();
    } catch {
      throw new BodyError(`${what} is not in the emulator's Identity Store`);
    }
  };
  const name = String(body.group);
  const groupId = IDENTITY_STORE_ID.test(name)
    ? known(`"group": ${JSON.stringify(name)}`, () => {
        if (!aws.state.groups.has(name)) throw new Error('unknown');
        return name;
      })
    : known(`"group": ${JSON.stringify(name)}`, () => aws.groupId(name));
  const userIds = (body.members as string[]).map((m) =>
    IDENTITY_STORE_ID.test(m)
      ? known(`"members": user ${JSON.stringify(m)}`, () => {
          if (!aws.state.users.has(m)) throw new Error('unknown');
          return m;
        })
      : known(`"members": user ${JSON.stringify(m)}`, () => aws.userId(m)),
  );
  const caller = body.caller === undefined ? undefined : callerOf(body);
  const at = timeOf(body.at);
  for (const userId of userIds) {
    if (caller && body.remove === true) aws.removeGroupMembershipAs(groupId, userId, caller, at);
    else if (caller) aws.addGroupMembershipAs(groupId, userId, caller, at);
    else if (body.remove === true) aws.state.groups.get(groupId)!.members?.delete(userId);
    else aws.addMembership(groupId, userId);
  }
  const group = aws.state.groups.get(groupId)!;
  return { groupId, displayName: group.displayName, members: [...(group.members?.keys() ?? [])] };
}

/** `POST /_emulator/azure/group-members`: users, groups or service principals made direct members of an Entra group. */
export function addAzureGroupMembers(azure: AzureEmulator | undefined, body: Json) {
  if (!azure) throw new BodyError('the emulator was started without Azure');
  checkFields(body, {
    group: FIELD.text("a group's object ID or display name"),
    members: members('OBJECT_ID|UPN|MAIL|GROUP_NAME|SERVICE_PRINCIPAL_NAME'),
  });
  const directory = azure.state.directory;
  const group = directoryObject(azure, String(body.group), '"group"');
  if (!directory.groups.some((g) => g.id === group))
    throw new BodyError(`"group": ${JSON.stringify(body.group)} is no group of the directory`);
  const ids = (body.members as string[]).map((m) => directoryObject(azure, m, '"members"'));
  if (ids.includes(group)) throw new BodyError('"members": a group cannot be its own member');
  for (const id of ids) directory.addMember(group, id);
  return {
    groupId: group,
    members: [...(directory.members.get(group) ?? [])],
    transitiveMembers: directory.transitiveMembers(group),
  };
}

/** A user, group or service principal of the directory by object ID, user principal name or mail, or one display name. */
function directoryObject(azure: AzureEmulator, text: string, field: string): string {
  const lower = text.toLowerCase();
  const { users, groups, servicePrincipals } = azure.state.directory;
  const found = [
    ...users.filter(
      (u) => u.id === lower || u.userPrincipalName.toLowerCase() === lower || u.mail?.toLowerCase() === lower,
    ),
    ...[...groups, ...servicePrincipals].filter(
      (o) => o.id === lower || o.displayName.toLowerCase() === lower,
    ),
  ];
  if (found.length !== 1)
    throw new BodyError(
      `${field}: ${JSON.stringify(text)} ${found.length === 0 ? 'is no user, group or service principal of the directory' : `matches ${found.length} objects: give the object ID`}`,
    );
  return found[0]!.id;
}

/** Handles the route when it is one of these; false when it is not. */
export async function handleMembersControl(
  target: { aws: AwsEmulator; azure?: AzureEmulator | undefined },
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
): Promise<boolean> {
  const handler =
    route === 'POST /_emulator/aws/group-members'
      ? (body: Json) => addAwsGroupMembers(target.aws, body)
      : route === 'POST /_emulator/azure/group-members'
        ? (body: Json) => addAzureGroupMembers(target.azure, body)
        : undefined;
  if (!handler) return false;
  await answerBody(req, res, bodyOf(route), handler);
  return true;
}
