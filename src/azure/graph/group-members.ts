// A group's users, for `operation: report` with `expand-groups`: Microsoft Graph's
// `/groups/{id}/transitiveMembers` (nested groups followed by the service), every page, the groups
// asked in `$batch` requests. Only users with a GUID ID are kept: a nested group's users are
// listed themselves, and a service principal in a group is no person to review.
import type { GroupMember } from '../../engine/run/access-reader.js';
import type { GraphCalls } from './calls.js';
import { directoryObject } from './directory-objects.js';

/** Each group's users (members of kind `user`), by the group's object ID (lower-cased); a group Graph did not answer for is left out. */
export async function usersInGroups(
  graph: GraphCalls,
  groupIds: readonly string[],
): Promise<{ members: Map<string, GroupMember[]>; unanswered: number }> {
  const ids = [...new Set(groupIds.map((id) => id.toLowerCase()))];
  const answers = await graph.run(
    ids.map((id, i) => ({
      id: `members-${i}`,
      path: `/v1.0/groups/${encodeURIComponent(id)}/transitiveMembers?$select=id,displayName,userPrincipalName`,
    })),
  );
  const members = new Map<string, GroupMember[]>();
  let unanswered = 0;
  ids.forEach((group, i) => {
    const answer = answers.get(`members-${i}`);
    if (!answer?.ok) {
      unanswered++;
      return;
    }
    const users = answer.items.flatMap((item) => {
      if (item['@odata.type'] !== '#microsoft.graph.user') return [];
      const user = directoryObject('users', item);
      return user
        ? [{ id: user.id, name: user.userPrincipalName ?? user.displayName, kind: 'user' as const }]
        : [];
    });
    members.set(group, [...new Map(users.map((u) => [u.id, u])).values()]);
  });
  return { members, unanswered };
}
