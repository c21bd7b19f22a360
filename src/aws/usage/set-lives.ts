// A permission set's name from when the set was made (`report` with `last-used: true`, without a
// snapshot's history of names): IAM Identity Center never renames a set, so a name moves only when
// a set is deleted and another made under it, with an ARN of its own; a sign-in under the name from
// before the new set was made (DescribePermissionSet's `CreatedDate`) was the old set's, and is not
// the new one's use (counted unmatched). One DescribePermissionSet per set the rows hold; a set that
// could not be described keeps its name over all time, said (a reused name may then lend it an old use).
import { DescribePermissionSetCommand } from '@aws-sdk/client-sso-admin';
import { describeError } from '../../core/errors.js';
import type { NameSpan } from '../../core/usage/last-used.js';
import type { HeldAssignment } from '../../engine/run/access-reader.js';
import type { SsoSession } from '../sso/session.js';

/** Each row's set under its current name, from when the set was made where that could be read. */
export async function setNamesSinceMade(
  session: SsoSession,
  held: readonly HeldAssignment[],
  notes: string[],
): Promise<NameSpan[]> {
  const sets = new Map(held.flatMap((h) => (h.role.name ? [[h.role.id, h.role.name] as const] : [])));
  let undescribed = 0;
  let why = '';
  const spans = await Promise.all(
    [...sets].map(async ([id, name]): Promise<NameSpan> => {
      try {
        const { PermissionSet } = await session.send(
          'DescribePermissionSet',
          new DescribePermissionSetCommand({ InstanceArn: session.instance, PermissionSetArn: id }),
        );
        const made = PermissionSet?.CreatedDate?.getTime();
        // A set that answers for another ARN, or with no time, is not dated.
        return PermissionSet?.PermissionSetArn === id && made !== undefined && Number.isFinite(made)
          ? { id, name, from: made }
          : { id, name };
      } catch (error) {
        undescribed++;
        why = describeError(error);
        return { id, name };
      }
    }),
  );
  if (undescribed > 0)
    notes.push(
      `usage: ${undescribed} permission set(s) could not be described (${why}): each is matched by its name over all time, so a set deleted and made again under that name may be given the old set's sign-ins; \`sso:DescribePermissionSet\` dates them`,
    );
  return spans;
}
