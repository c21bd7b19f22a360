// The lookups behind names in the inputs: a user name or group display name in the identity
// store, a permission set name in the instance. SsoSession caches them once per step. The Identity
// Store SDK is loaded (import()) by the first name lookup: principals given by ID never need it.
import {
  DescribePermissionSetCommand,
  ListPermissionSetsCommand,
  type PermissionSet,
} from '@aws-sdk/client-sso-admin';
import { CloudAccessError } from '../../core/errors.js';
import type { AwsSessionSettings } from '../../core/inputs/index.js';
import { didYouMean } from '../../core/lists.js';
import { IDENTITY_STORE_PRINCIPAL_ID } from '../../core/patterns.js';
import { isAwsError } from '../sdk/aws-errors.js';
import { paginate } from '../sdk/paginate.js';
import type { PermissionSetReads } from './permission-set-names.js';
import type { SsoCalls as Calls } from '../sdk/sso-calls.js';

/**
 * A user's ID by user name (GetUserId, `userName`) or a group's by display name (GetGroupId,
 * `displayName`). The identity store answers ResourceNotFoundException for a name it does not hold.
 */
export async function lookUpPrincipalId(
  session: Calls,
  storeId: string,
  principalType: AwsSessionSettings['principalType'],
  name: string,
): Promise<string> {
  const isUser = principalType === 'USER';
  const by = (attribute: string) => ({
    IdentityStoreId: storeId,
    AlternateIdentifier: { UniqueAttribute: { AttributePath: attribute, AttributeValue: name } },
  });
  const { GetGroupIdCommand, GetUserIdCommand } = await import('@aws-sdk/client-identitystore');
  try {
    const id = isUser
      ? (await session.sendIdentityStore('GetUserId', new GetUserIdCommand(by('userName')))).UserId
      : (await session.sendIdentityStore('GetGroupId', new GetGroupIdCommand(by('displayName')))).GroupId;
    return checkedPrincipalId(id, name);
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) {
      const hint = didYouMean(name, await namesInStore(session, storeId, isUser));
      throw new CloudAccessError(
        `${isUser ? 'user name' : 'group display name'} \`${name}\` was not found in identity store ${storeId}`,
        {
          input: 'principal',
          fix: `${hint ? `${hint} ` : ''}${
            isUser
              ? 'check the user name, pass the user ID, or set `principal-type: GROUP` if it is a group'
              : 'check the display name, pass the group ID, or set `principal-type: USER` if it is a user'
          }`,
        },
      );
    }
    throw error;
  }
}

/** Pages of the store read for "did you mean" after a miss: the first 1,000 names, a few seconds at most. */
const SUGGESTION_PAGES = 10;

/**
 * The user names or group display names of the store's first pages, for "did you mean" once a
 * name was not found (only then: a lookup that succeeds reads no list). A failed read suggests
 * nothing rather than hide the miss.
 */
async function namesInStore(session: Calls, storeId: string, users: boolean): Promise<string[]> {
  const { ListGroupsCommand, ListUsersCommand } = await import('@aws-sdk/client-identitystore');
  const input = (NextToken: string | undefined) => ({ IdentityStoreId: storeId, MaxResults: 100, NextToken });
  const readOn = (pagesRead: number) => pagesRead < SUGGESTION_PAGES;
  try {
    const names = users
      ? await paginate(
          'ListUsers',
          (token) => session.sendIdentityStore('ListUsers', new ListUsersCommand(input(token))),
          (page) => page.Users?.map((u) => u.UserName),
          { readOn },
        )
      : await paginate(
          'ListGroups',
          (token) => session.sendIdentityStore('ListGroups', new ListGroupsCommand(input(token))),
          (page) => page.Groups?.map((g) => g.DisplayName),
          { readOn },
        );
    return names.filter((n): n is string => typeof n === 'string');
  } catch {
    return [];
  }
}

/** An ID the Identity Store returned, held to the pattern an input ID is: what it names is what is granted. */
function checkedPrincipalId(id: string | undefined, name: string): string {
  if (id === undefined || !IDENTITY_STORE_PRINCIPAL_ID.test(id))
    throw new CloudAccessError(
      `the identity store answered \`${name}\` with an ID that is not an Identity Store ID`,
    );
  return id;
}

/**
 * The reads made directly, each time: SsoSession makes them once per step. `keep` is given each
 * describe's answer, so a reconcile that reads a defined set's content needs no second describe.
 */
export function permissionSetReads(
  session: Calls,
  keep?: (arn: string, described: PermissionSet) => void,
): PermissionSetReads {
  const instance = () => session.instance;
  return {
    arns: () =>
      session.paginate(
        'ListPermissionSets',
        (nextToken) => new ListPermissionSetsCommand({ InstanceArn: instance(), NextToken: nextToken }),
        (page) => page.PermissionSets,
      ),
    name: async (arn) => {
      const { PermissionSet: described } = await session.send(
        'DescribePermissionSet',
        new DescribePermissionSetCommand({ InstanceArn: instance(), PermissionSetArn: arn }),
      );
      // An answer about another permission set names nothing: the ARN stands for itself.
      const own = described?.PermissionSetArn === undefined || described.PermissionSetArn === arn;
      if (own && described) keep?.(arn, described);
      return own ? described?.Name : undefined;
    },
  };
}

/** A permission set name the instance does not have, with the closest ones it does. */
export function permissionSetNotFound(role: string, names: string[], instance: string): CloudAccessError {
  const suggestion = didYouMean(role, names);
  return new CloudAccessError(`permission set \`${role}\` was not found in ${instance}`, {
    input: 'role',
    fix: suggestion
      ? `${suggestion} Names are case-sensitive; or pass the permission set ARN`
      : names.length > 0
        ? `none of its ${names.length} permission sets has a name close to it: check the name (case-sensitive), or pass the permission set ARN`
        : 'the instance has no permission sets; create one first',
  });
}
