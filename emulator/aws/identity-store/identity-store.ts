// The Identity Store API (service AWSIdentityStore, awsJson1_1, signing name `identitystore`):
// name → ID resolution and the few reads and writes tests need. Errors carry RequestId, and
// ThrottlingException carries RetryAfterSeconds, as in identitystore-2020-06-15.json.
import type { AwsContext } from '../account/config.js';
import { createJsonService, type Operation, type OperationContext } from '../json/json-service.js';
import { AwsServiceError, notFound, paginate, RULES, validationError } from '../protocol/protocol.js';
import { OWNER_ACCOUNT_ID, identityStoreResourceId } from '../account/model.js';
import type { AwsState } from '../account/state.js';

export const IDENTITY_STORE_ERROR_NAMESPACE = 'com.amazonaws.identitystore';

/** AccessDenied, InternalServer and Throttling are the service's errors for every operation. */
const SERVICE_ERRORS = ['AccessDeniedException', 'InternalServerException', 'ThrottlingException'] as const;
const READ_ERRORS = [...SERVICE_ERRORS, 'ResourceNotFoundException', 'ValidationException'] as const;
const WRITE_ERRORS = [...READ_ERRORS, 'ConflictException'] as const;

const resourceId = {
  required: true,
  length: [1, 47] as [number, number],
  pattern: RULES.principalId.pattern,
};
const displayName = {
  length: [1, 1024] as [number, number],
  pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r  ]+$/u,
};

/** The identity store lives in its instance's Region; in any other it does not exist. */
function requireStore(input: Record<string, unknown>, { aws, region }: OperationContext): void {
  if (input.IdentityStoreId !== aws.state.identityStoreId || region !== aws.region) {
    throw notFound(`Identity store ${String(input.IdentityStoreId)} does not exist.`, {
      ResourceType: 'IDENTITY_STORE',
      ResourceId: String(input.IdentityStoreId),
    });
  }
}

/** The attribute an AlternateIdentifier.UniqueAttribute looks up, e.g. `userName`. */
function uniqueAttribute(input: Record<string, unknown>): { path: string; value: string } {
  const alternate = input.AlternateIdentifier as Record<string, unknown> | undefined;
  const unique = alternate?.UniqueAttribute as Record<string, unknown> | undefined;
  if (alternate?.ExternalId !== undefined && unique === undefined) return { path: 'externalId', value: '' };
  if (!unique || typeof unique.AttributePath !== 'string' || unique.AttributeValue === undefined) {
    throw validationError('AlternateIdentifier must contain exactly one of ExternalId or UniqueAttribute.');
  }
  if (typeof unique.AttributeValue !== 'string') throw validationError('AttributeValue must be a string.');
  return { path: unique.AttributePath.toLowerCase(), value: unique.AttributeValue };
}

const alternateIdRules = {
  IdentityStoreId: RULES.identityStoreId,
  AlternateIdentifier: { required: true, type: 'object' as const },
};

/**
 * ListUsers / ListGroups: every user or group of the store, a page at a time, each as `shape`
 * gives it, with the store's ID.
 */
function listAll<K extends 'users' | 'groups'>(
  kind: K,
  field: 'Users' | 'Groups',
  shape: (item: AwsState[K] extends Map<string, infer T> ? T : never) => Record<string, unknown>,
): Operation {
  return {
    write: false,
    errors: READ_ERRORS,
    rules: {
      IdentityStoreId: RULES.identityStoreId,
      MaxResults: RULES.maxResults,
      NextToken: RULES.nextToken,
    },
    run(input, context) {
      requireStore(input, context);
      const items = [...(context.aws.state[kind].values() as Iterable<Parameters<typeof shape>[0]>)];
      const { page, nextToken } = paginate(items, input, context.aws.config, kind);
      return {
        [field]: page.map((item) => ({ ...shape(item), IdentityStoreId: context.aws.state.identityStoreId })),
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
    },
  };
}

export const IDENTITY_STORE_OPERATIONS: Record<string, Operation> = {
  GetUserId: {
    write: false,
    errors: READ_ERRORS,
    rules: alternateIdRules,
    run(input, context) {
      requireStore(input, context);
      const { path, value } = uniqueAttribute(input);
      if (path !== 'username' && path !== 'emails.value') {
        throw validationError(`Unsupported attribute path ${path} for users.`);
      }
      const user = [...context.aws.state.users.values()].find((u) =>
        path === 'username' ? u.userName.toLowerCase() === value.toLowerCase() : u.email === value,
      );
      if (!user) throw notFound('USER not found.', { ResourceType: 'USER' });
      return { UserId: user.id, IdentityStoreId: context.aws.state.identityStoreId };
    },
  },

  GetGroupId: {
    write: false,
    errors: READ_ERRORS,
    rules: alternateIdRules,
    run(input, context) {
      requireStore(input, context);
      const { path, value } = uniqueAttribute(input);
      if (path !== 'displayname') throw validationError(`Unsupported attribute path ${path} for groups.`);
      const group = [...context.aws.state.groups.values()].find((g) => g.displayName === value);
      if (!group) throw notFound('GROUP not found.', { ResourceType: 'GROUP' });
      return { GroupId: group.id, IdentityStoreId: context.aws.state.identityStoreId };
    },
  },

  DescribeUser: {
    write: false,
    errors: READ_ERRORS,
    rules: { IdentityStoreId: RULES.identityStoreId, UserId: resourceId },
    run(input, context) {
      requireStore(input, context);
      const user = context.aws.state.users.get(String(input.UserId));
      if (!user)
        throw notFound('USER not found.', { ResourceType: 'USER', ResourceId: String(input.UserId) });
      return {
        UserName: user.userName,
        UserId: user.id,
        Name: {
          Formatted: `${user.givenName} ${user.familyName}`,
          GivenName: user.givenName,
          FamilyName: user.familyName,
        },
        DisplayName: user.displayName,
        Emails: [{ Value: user.email, Type: 'work', Primary: true }],
        IdentityStoreId: context.aws.state.identityStoreId,
      };
    },
  },

  DescribeGroup: {
    write: false,
    errors: READ_ERRORS,
    rules: { IdentityStoreId: RULES.identityStoreId, GroupId: resourceId },
    run(input, context) {
      requireStore(input, context);
      const group = context.aws.state.groups.get(String(input.GroupId));
      if (!group)
        throw notFound('GROUP not found.', { ResourceType: 'GROUP', ResourceId: String(input.GroupId) });
      return {
        GroupId: group.id,
        DisplayName: group.displayName,
        ...(group.description ? { Description: group.description } : {}),
        IdentityStoreId: context.aws.state.identityStoreId,
      };
    },
  },

  // Every user / group of the store, a page at a time (a reconcile's read of every principal).
  ListUsers: listAll('users', 'Users', (u) => ({
    UserId: u.id,
    UserName: u.userName,
    DisplayName: u.displayName,
  })),
  ListGroups: listAll('groups', 'Groups', (g) => ({ GroupId: g.id, DisplayName: g.displayName })),

  // A group's members, a page at a time (`MemberId` is a union: a user's `UserId`).
  ListGroupMemberships: {
    write: false,
    errors: READ_ERRORS,
    rules: {
      IdentityStoreId: RULES.identityStoreId,
      GroupId: resourceId,
      MaxResults: RULES.maxResults,
      NextToken: RULES.nextToken,
    },
    run(input, context) {
      requireStore(input, context);
      const groupId = String(input.GroupId);
      const group = context.aws.state.groups.get(groupId);
      if (!group) throw notFound('GROUP not found.', { ResourceType: 'GROUP', ResourceId: groupId });
      const members = [...(group.members ?? new Map<string, string>())];
      const { page, nextToken } = paginate(members, input, context.aws.config, 'memberships');
      return {
        GroupMemberships: page.map(([userId, membershipId]) => ({
          IdentityStoreId: context.aws.state.identityStoreId,
          MembershipId: membershipId,
          GroupId: groupId,
          MemberId: { UserId: userId },
        })),
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
    },
  },

  // A user made a member of a group, and no longer one (CloudTrail records each, json-service.ts):
  // the writes a SCIM sync or the console makes, which a snapshot's delta reads.
  CreateGroupMembership: {
    write: true,
    errors: [...WRITE_ERRORS, 'ServiceQuotaExceededException'],
    rules: {
      IdentityStoreId: RULES.identityStoreId,
      GroupId: resourceId,
      MemberId: { required: true, type: 'object' as const },
    },
    run(input, context) {
      requireStore(input, context);
      const { state } = context.aws;
      const groupId = String(input.GroupId);
      const userId = (input.MemberId as Record<string, unknown>).UserId;
      if (typeof userId !== 'string' || !resourceId.pattern.test(userId))
        throw validationError('MemberId must contain a valid UserId.');
      const group = state.groups.get(groupId);
      if (!group) throw notFound('GROUP not found.', { ResourceType: 'GROUP', ResourceId: groupId });
      if (!state.users.has(userId))
        throw notFound('USER not found.', { ResourceType: 'USER', ResourceId: userId });
      const members = (group.members ??= new Map<string, string>());
      if (members.has(userId))
        throw new AwsServiceError('ConflictException', 409, 'Member already exists in group', {
          Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION',
        });
      const membershipId = identityStoreResourceId('membership', `${groupId}/${userId}`);
      members.set(userId, membershipId);
      return { MembershipId: membershipId, IdentityStoreId: state.identityStoreId };
    },
  },

  DeleteGroupMembership: {
    write: true,
    errors: WRITE_ERRORS,
    rules: { IdentityStoreId: RULES.identityStoreId, MembershipId: resourceId },
    run(input, context) {
      requireStore(input, context);
      const membershipId = String(input.MembershipId);
      for (const group of context.aws.state.groups.values())
        for (const [userId, id] of group.members ?? [])
          if (id === membershipId) {
            group.members!.delete(userId);
            return {};
          }
      throw notFound('GROUP_MEMBERSHIP not found.', {
        ResourceType: 'GROUP_MEMBERSHIP',
        ResourceId: membershipId,
      });
    },
  },

  CreateUser: {
    write: true,
    errors: [...WRITE_ERRORS, 'ServiceQuotaExceededException'],
    rules: {
      IdentityStoreId: RULES.identityStoreId,
      UserName: { length: [1, 128], pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u },
      DisplayName: displayName,
    },
    run(input, context) {
      requireStore(input, context);
      const userName = input.UserName;
      if (typeof userName !== 'string') throw validationError('UserName is required.');
      if (
        [...context.aws.state.users.values()].some((u) => u.userName.toLowerCase() === userName.toLowerCase())
      ) {
        throw new AwsServiceError('ConflictException', 409, 'Duplicate UserName', {
          Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION',
        });
      }
      const user = context.aws.state.addUser(userName);
      if (typeof input.DisplayName === 'string') user.displayName = input.DisplayName;
      return { UserId: user.id, IdentityStoreId: context.aws.state.identityStoreId };
    },
  },

  CreateGroup: {
    write: true,
    errors: [...WRITE_ERRORS, 'ServiceQuotaExceededException'],
    rules: {
      IdentityStoreId: RULES.identityStoreId,
      DisplayName: displayName,
      Description: { length: [1, 1024] },
    },
    run(input, context) {
      requireStore(input, context);
      const name = input.DisplayName;
      if (typeof name !== 'string') throw validationError('DisplayName is required.');
      if ([...context.aws.state.groups.values()].some((g) => g.displayName === name)) {
        throw new AwsServiceError('ConflictException', 409, 'Duplicate GroupDisplayName', {
          Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION',
        });
      }
      const group = context.aws.state.addGroup(
        name,
        typeof input.Description === 'string' ? input.Description : undefined,
      );
      return { GroupId: group.id, IdentityStoreId: context.aws.state.identityStoreId };
    },
  },
};

export function createIdentityStoreService(aws: AwsContext) {
  return createJsonService(
    {
      service: 'identitystore',
      targetPrefix: 'AWSIdentityStore',
      errorNamespace: IDENTITY_STORE_ERROR_NAMESPACE,
      signingName: 'identitystore',
      eventSource: 'identitystore.amazonaws.com',
      operations: IDENTITY_STORE_OPERATIONS,
      // "Identity Store APIs have a throttle limit of 20 TPS per API" (User Guide, quotas).
      rateLimitKey: (operation) => operation,
      tps: (context) => context.config.identityStoreTps,
      throttlingFields: () => ({ RetryAfterSeconds: 1 }),
      errorsCarryRequestId: true,
      accessDeniedResource: (_operation, input) =>
        `arn:aws:identitystore::${OWNER_ACCOUNT_ID}:identitystore/${String(input.IdentityStoreId ?? '*')}`,
    },
    aws,
  );
}
