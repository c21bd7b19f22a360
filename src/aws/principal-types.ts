// An Identity Store ID is written with the type the inputs or the manifest give it, and IAM
// Identity Center keys an assignment on that type: a group's ID written as a USER names another
// assignment than the group's. A reconcile would then create the one and delete the other at the
// same place (issue 34, item 1). So an ID is used only once the identity store confirms it is a
// principal of its type (DescribeUser or DescribeGroup), and one it does not confirm is an error
// that says which type it is.
import { CloudAccessError } from '../core/errors.js';
import type { AwsSessionSettings } from '../core/inputs/index.js';
import { isAwsError } from './errors.js';
import type { SsoCalls } from './sso-calls.js';

type PrincipalType = AwsSessionSettings['principalType'];

/** Whether the store holds `id` as a principal of `type`: DescribeUser / DescribeGroup answer ResourceNotFoundException when not. */
async function storeHolds(
  session: SsoCalls,
  storeId: string,
  type: PrincipalType,
  id: string,
): Promise<boolean> {
  const { DescribeGroupCommand, DescribeUserCommand } = await import('@aws-sdk/client-identitystore');
  try {
    if (type === 'USER') {
      const user = await session.sendIdentityStore(
        'DescribeUser',
        new DescribeUserCommand({ IdentityStoreId: storeId, UserId: id }),
      );
      // An answer about another principal confirms nothing.
      return user.UserId === id;
    }
    const group = await session.sendIdentityStore(
      'DescribeGroup',
      new DescribeGroupCommand({ IdentityStoreId: storeId, GroupId: id }),
    );
    return group.GroupId === id;
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return false;
    throw error;
  }
}

/**
 * Resolves when the identity store holds `id` as a `type`; otherwise fails naming what it is
 * (the other type, with the `principal-type` that fits, or neither).
 */
export async function confirmPrincipalType(
  session: SsoCalls,
  storeId: string,
  type: PrincipalType,
  id: string,
): Promise<void> {
  if (await storeHolds(session, storeId, type, id)) return;
  const other: PrincipalType = type === 'USER' ? 'GROUP' : 'USER';
  const word = (t: PrincipalType) => (t === 'USER' ? 'user' : 'group');
  if (await storeHolds(session, storeId, other, id))
    throw new CloudAccessError(
      `\`${id}\` is a ${word(other)} of identity store ${storeId}, not a ${word(type)} (\`principal-type: ${type}\`${type === 'USER' ? ', the default' : ''})`,
      { input: 'principal', fix: `set \`principal-type: ${other}\` for it` },
    );
  throw new CloudAccessError(`\`${id}\` is neither a user nor a group of identity store ${storeId}`, {
    input: 'principal',
    fix: 'check the ID: pass the Identity Store user or group ID, or its name',
  });
}
