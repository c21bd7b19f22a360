// Who last used a grant: each report row joined with the sign-ins read (./sign-ins.ts). A use is
// the newest sign-in of the row's user to its account with its permission set, the set found by
// the name it had at the event's time (a name a later set took does not inherit the old one's
// uses); an older record, which names its user only by name, is matched through the user's name at
// that time where it was kept, else it is unmatched and counted. A group's row is used when any
// member signed in: the newest member (`lastUsedBy`) and how many did (`usedBy`), its members as
// the step read them (current members, not those at the event's time). A sign-in that names the
// principal whose grant it used (`through`) is that row's use only. A row with no
// use says since when the evidence covers (`none since …`), or, made inside the window,
// `too new to tell`; one no history says when it was made, `unknown`. Pure.
import type { SignIn } from './sign-ins.js';

/** A name a permission set (or a user) had, over [from, until) (epoch ms); open-ended where absent. */
export interface NameSpan {
  id: string;
  name: string;
  from?: number | undefined;
  until?: number | undefined;
}

/** What the join needs of a report row. */
export interface UsedRow {
  principalKind: string;
  principalId: string;
  /** The permission set's ARN. */
  roleId: string;
  /** The account. */
  targetId: string;
  /** When it was made, ISO 8601, or `before <ISO 8601>`; null where no history said. */
  grantedAt: string | null;
  /** A user's row held through a group (expand-groups): the group. */
  viaGroupId?: string | null | undefined;
}

export interface UsageEvidence {
  signIns: readonly SignIn[];
  /** The earliest time the evidence covers (epoch ms): "none since" names it. */
  since: number;
  now: number;
  /** `unused-after`: a row made within it and unused is too new to tell. */
  windowMs: number;
  /** Every set's name over time (the snapshot's history), or its current name alone. */
  setNames: readonly NameSpan[];
  /** Users' names over time, for older records; none kept: those records are unmatched. */
  userNames?: readonly NameSpan[] | undefined;
  /** Each group's members by its ID (lower-cased); a group absent here was not read. */
  members: ReadonlyMap<string, readonly { id: string; name?: string | undefined }[]>;
}

/** A row's usage columns. */
export interface RowUsage {
  /** ISO 8601 UTC of the newest use, `none since <ISO>`, `too new to tell`, or `unknown …`. */
  lastUsed: string;
  lastUsedEvent: string | null;
  /** A group's row: the member who used it last (name, else ID). */
  lastUsedBy: string | null;
  /** A group's row: how many of its members used it. */
  usedBy: number | null;
}

export const TOO_NEW = 'too new to tell';

/** What a group row's `usedBy` counts, said once wherever one was counted (a report, a review's issue). */
export const CURRENT_MEMBERS =
  "used by (a group's row) is counted from each group's current members, as the step read them, not its members at each use's time";

/** The use a row's columns name when nothing says more (Azure's active assignments, a group not read). */
export const unknownUsage = (why?: string): RowUsage => ({
  lastUsed: why ? `unknown (${why})` : 'unknown',
  lastUsedEvent: null,
  lastUsedBy: null,
  usedBy: null,
});

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const within = (span: NameSpan, at: number) =>
  (span.from === undefined || span.from <= at) && (span.until === undefined || at < span.until);
const keyOf = (userId: string, accountId: string, setArn: string, through = '') =>
  `${userId.toLowerCase()}|${accountId}|${setArn}${through ? `|${through.toLowerCase()}` : ''}`;
const newer = (a: SignIn | undefined, b: SignIn | undefined) =>
  !a || (b && (b.at > a.at || (b.at === a.at && b.eventId > a.eventId))) ? b : a;

/** The one ID that had `name` at `at`; undefined when none or several did. */
export function idNamed(spans: readonly NameSpan[], name: string, at: number): string | undefined {
  const ids = new Set(spans.filter((s) => s.name === name && within(s, at)).map((s) => s.id));
  return ids.size === 1 ? [...ids][0] : undefined;
}

/** The newest use per (user, account, set), and how many sign-ins matched no user or no set. */
export function newestUses(evidence: Pick<UsageEvidence, 'signIns' | 'setNames' | 'userNames'>): {
  uses: Map<string, SignIn>;
  unmatched: number;
} {
  const uses = new Map<string, SignIn>();
  let unmatched = 0;
  for (const signIn of evidence.signIns) {
    const setArn = signIn.setArn ?? idNamed(evidence.setNames, signIn.setName, signIn.at);
    const userId =
      signIn.userId ??
      (signIn.userName !== undefined
        ? idNamed(evidence.userNames ?? [], signIn.userName, signIn.at)
        : undefined);
    if (!setArn || !userId) {
      unmatched++;
      continue;
    }
    const key = keyOf(userId, signIn.accountId, setArn, signIn.through);
    uses.set(key, newer(uses.get(key), signIn)!);
  }
  return { uses, unmatched };
}

/** Whether the row was made inside the window: its create, or the time it was made before. */
function young(row: UsedRow & { grantedAt: string }, evidence: UsageEvidence): boolean {
  const made = Date.parse(row.grantedAt.replace(/^before /, ''));
  return Number.isFinite(made) && made > evidence.now - evidence.windowMs;
}

/** Each row's usage columns, in the rows' order, and the count of sign-ins matched to nothing. */
export function usageOf(
  rows: readonly UsedRow[],
  evidence: UsageEvidence,
): { usage: RowUsage[]; unmatched: number; used: number } {
  const { uses, unmatched } = newestUses(evidence);
  // Not known when it was made (a grant remade where CloudTrail has not shown the create yet): it
  // may be new, so it is never `none since`.
  const unused = (row: UsedRow): string =>
    !row.grantedAt
      ? unknownUsage('not known when it was made').lastUsed
      : young({ ...row, grantedAt: row.grantedAt }, evidence)
        ? TOO_NEW
        : `none since ${iso(evidence.since)}`;
  const usage = rows.map((row): RowUsage => {
    // A user's use of this row: one that names no principal it was made through, or names this
    // row's (the group it is held through, else the user's own).
    const use = (userId: string, through: string) =>
      newer(
        uses.get(keyOf(userId, row.targetId, row.roleId)),
        uses.get(keyOf(userId, row.targetId, row.roleId, through)),
      );
    if (row.principalKind !== 'group') {
      const found = use(row.principalId, row.viaGroupId ?? row.principalId);
      return found
        ? { lastUsed: iso(found.at), lastUsedEvent: found.eventId, lastUsedBy: null, usedBy: null }
        : { lastUsed: unused(row), lastUsedEvent: null, lastUsedBy: null, usedBy: null };
    }
    const members = evidence.members.get(row.principalId.toLowerCase());
    if (!members) return unknownUsage("the group's members were not read");
    const used = members
      .map((m) => ({ member: m, signIn: use(m.id, row.principalId) }))
      .filter((u): u is { member: (typeof members)[number]; signIn: SignIn } => u.signIn !== undefined)
      .sort((a, b) => b.signIn.at - a.signIn.at);
    const newest = used[0];
    return newest
      ? {
          lastUsed: iso(newest.signIn.at),
          lastUsedEvent: newest.signIn.eventId,
          lastUsedBy: newest.member.name ?? newest.member.id,
          usedBy: used.length,
        }
      : { lastUsed: unused(row), lastUsedEvent: null, lastUsedBy: null, usedBy: 0 };
  });
  return { usage, unmatched, used: uses.size };
}
