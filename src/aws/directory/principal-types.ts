// An Identity Store ID is written with the type the inputs or the manifest give it, and IAM
// Identity Center keys an assignment on that type: a group's ID written as a USER names another
// assignment than the group's. A reconcile would then create the one and delete the other at the
// same place. So an ID is used only once the identity store confirms it is a
// principal of its type (DescribeUser or DescribeGroup), and one it does not confirm is an error
// that says which type it is.
import { CloudAccessError } from '../../core/errors.js';
import type { AwsSessionSettings } from '../../core/inputs/index.js';
import { isAwsError } from '../sdk/aws-errors.js';
import type { SsoCalls } from '../sdk/sso-calls.js';

type PrincipalType = AwsSessionSettings['principalType'];

/**
 * What the store holds as `id` of `type`: its user name or display name ('' when it answered
 * none), or undefined when it holds none (DescribeUser / DescribeGroup answer
 * ResourceNotFoundException). Exported for the names a reconcile's plan shows
 * (aws/reads/names.ts).
 */
export async function describeStorePrincipal(
  session: SsoCalls,
  storeId: string,
  type: PrincipalType,
  id: string,
): Promise<string | undefined> {
  const { DescribeGroupCommand, DescribeUserCommand } = await import('@aws-sdk/client-identitystore');
  try {
    if (type === 'USER') {
      const user = await session.sendIdentityStore(
        'DescribeUser',
        new DescribeUserCommand({ IdentityStoreId: storeId, UserId: id }),
      );
      // An answer about another principal confirms nothing.
      return user.UserId === id ? (user.UserName ?? '') : undefined;
    }
    const group = await session.sendIdentityStore(
      'DescribeGroup',
      new DescribeGroupCommand({ IdentityStoreId: storeId, GroupId: id }),
    );
    return group.GroupId === id ? (group.DisplayName ?? '') : undefined;
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
}

/**
 * Resolves, with its name, when the identity store holds `id` as a `type`; otherwise fails naming
 * what it is (the other type, with the `principal-type` that fits, or neither).
 */
export async function confirmPrincipalType(
  session: SsoCalls,
  storeId: string,
  type: PrincipalType,
  id: string,
): Promise<string> {
  const name = await describeStorePrincipal(session, storeId, type, id);
  if (name !== undefined) return name;
  const other: PrincipalType = type === 'USER' ? 'GROUP' : 'USER';
  const word = (t: PrincipalType) => (t === 'USER' ? 'user' : 'group');
  if ((await describeStorePrincipal(session, storeId, other, id)) !== undefined)
    throw new CloudAccessError(
      `\`${id}\` is a ${word(other)} of identity store ${storeId}, not a ${word(type)} (\`principal-type: ${type}\`${type === 'USER' ? ', the default' : ''})`,
      { input: 'principal', fix: `set \`principal-type: ${other}\` for it` },
    );
  throw new CloudAccessError(`\`${id}\` is neither a user nor a group of identity store ${storeId}`, {
    input: 'principal',
    fix: 'check the ID: pass the Identity Store user or group ID, or its name',
  });
}
