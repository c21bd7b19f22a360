// A group's users, for `operation: report` with `expand-groups`: ListGroupMemberships, every page
// (Identity Store groups hold users only; they do not nest). Each group is listed once.
import { IDENTITY_STORE_PRINCIPAL_ID } from '../../core/patterns.js';
import { paginate } from '../sdk/paginate.js';
import type { SsoCalls } from '../sdk/sso-calls.js';

/** The store lists at most 100 memberships a page. */
const MEMBERSHIPS_PAGE = 100;

/** The user IDs of each group, by group ID; a member that is not a user of the ID's shape is left out. */
export async function groupMembers(
  session: SsoCalls,
  storeId: string,
  groupIds: readonly string[],
): Promise<Map<string, string[]>> {
  const memberships = await groupMemberships(session, storeId, groupIds);
  return new Map([...memberships].map(([group, members]) => [group, [...members.keys()]]));
}

/** Each group's members: user ID → membership ID (what a DeleteGroupMembership names), by group ID. */
export async function groupMemberships(
  session: SsoCalls,
  storeId: string,
  groupIds: readonly string[],
): Promise<Map<string, Map<string, string>>> {
  const { ListGroupMembershipsCommand } = await import('@aws-sdk/client-identitystore');
  const lists = await Promise.all(
    [...new Set(groupIds)].map(async (groupId) => {
      const members = await paginate(
        'ListGroupMemberships',
        (NextToken) =>
          session.sendIdentityStore(
            'ListGroupMemberships',
            new ListGroupMembershipsCommand({
              IdentityStoreId: storeId,
              GroupId: groupId,
              MaxResults: MEMBERSHIPS_PAGE,
              NextToken,
            }),
          ),
        (page) => page.GroupMemberships,
      );
      const users = new Map<string, string>();
      for (const m of members) {
        const id = m.MemberId && 'UserId' in m.MemberId ? m.MemberId.UserId : undefined;
        if (m.GroupId === groupId && id && IDENTITY_STORE_PRINCIPAL_ID.test(id) && !users.has(id))
          users.set(id, m.MembershipId ?? '');
      }
      return [groupId, users] as [string, Map<string, string>];
    }),
  );
  return new Map(lists);
}
