// A session fence's write that puts nothing (./session-fences.ts): `end-sessions: false`, a set
// neither owned nor opted in (./fence-set-facts.ts), a delete not followed to its end (`wait:
// false`), a dry run. Each still ends on the revoke's row, saying until when its sessions stay
// valid, with one warning (or notice) per set; and what any fence write adds to that row.
import { fenceFor } from '../../core/permission-sets/session-fence.js';
import type { GrantResult } from '../../core/grant-result.js';
import { fenceFields, type SessionFenceFields } from '../../core/permission-sets/session-fence-results.js';
import type { WriteEnded } from '../../engine/calls/write-plan.js';
import type { FenceWrite } from './fence-put.js';
import { liveUntilOf } from './fence-provisioning.js';
import { END_SESSIONS_TAG, type FenceSetFacts } from './fence-set-facts.js';

/** The fence write's end when it writes nothing: `end-sessions: false`, a set not opted in, a dry run. */
export function answeredWithoutPut(
  endSessions: boolean | undefined,
  item: FenceWrite,
  facts: FenceSetFacts,
  /** Whether the set's one warning (or notice) was said already. */
  state: { warned: boolean },
): WriteEnded | undefined {
  const fence = fenceFor(item.setArn, item.account, item.revokedAt, facts.sessionSeconds);
  const until = liveUntilOf(fence, facts);
  if (endSessions === false) {
    const notice = state.warned ? undefined : notEnded(facts.name, fence.before, until);
    state.warned = true;
    return ended({ sessionsLiveUntil: until, ...(notice ? { sessionsNotice: notice } : {}) });
  }
  // A dry run revokes nothing: its row says what the revoke would leave, and nothing warns.
  if (!facts.fenced && item.preview)
    return ended({
      note: `no fence: ${facts.name} is neither owned nor opted in (\`${END_SESSIONS_TAG}\`), so a revoke would leave its sessions valid for up to ${facts.sessionSeconds / 3600} h`,
    });
  if (!facts.fenced) {
    const warning = state.warned ? undefined : notOptedIn(facts.name, fence.before, until);
    state.warned = true;
    return ended({ sessionsLiveUntil: until, ...(warning ? { sessionsWarning: warning } : {}) });
  }
  if (item.unfollowed) {
    const warning = state.warned ? undefined : notFollowed(facts.name, fence.before, until);
    state.warned = true;
    return ended({ sessionsLiveUntil: until, ...(warning ? { sessionsWarning: warning } : {}) });
  }
  if (item.preview)
    return ended({
      note: `~ fence ${facts.name} in ${item.account}: sessions issued before ${fence.before.slice(11)} end`,
    });
  return undefined;
}

/** The fence write's end: what the fence adds to the row of the delete it followed, and a note of the row's own. */
export const ended = ({ note, ...fence }: SessionFenceFields & Pick<GrantResult, 'note'>): WriteEnded => ({
  status: 'SUCCEEDED',
  rows: [],
  amends: { ...fenceFields(fence), ...(note ? { note } : {}) },
});

function notOptedIn(name: string, before: string, until: string): string {
  return `end-sessions: sessions of the permission set ${name} issued before ${before} stay valid until ${until}: the action neither owns the set (tag \`cloud-access:manifest\`) nor was it opted in; tag it \`${END_SESSIONS_TAG}\` = \`true\` for a revoke to end them`;
}

function notEnded(name: string, before: string, until: string): string {
  return `end-sessions: false: sessions of the permission set ${name} issued before ${before} stay valid until ${until}; \`end-sessions: true\` (the default) ends them at the revoke`;
}

function notFollowed(name: string, before: string, until: string): string {
  // The delete was accepted at `before`, not followed to its end: sessions issued until it ended stay valid longer.
  return `end-sessions: sessions of the permission set ${name} issued before the delete ended (accepted ${before}) stay valid until at least ${until}: with \`wait: false\` the step does not follow the delete, so it cannot end them; \`wait: true\` ends them`;
}
