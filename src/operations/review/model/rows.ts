// A review's rows: the grants a report read, each with a short stable ID (a hash of its place), and
// which reviewers review each: every entry of the reviewers file that matches it, or the
// `default-reviewers` when none does. Rows are grouped by reviewer set: one campaign issue each.
// Pure.
import { createHash } from 'node:crypto';
import { atOrUnder, scopeKey } from '../../../core/azure-scope.js';
import { CLAIMED_CLASSES, type HeldRow } from '../../../core/claims/holding.js';
import type { KindName } from '../../../core/kinds/index.js';
import type { Cloud } from '../../../core/types.js';
import type { UnitAccounts } from '../../../core/inputs/org-targets.js';
import type { ReviewEntry, ReviewersFile } from './reviewers-file.js';
import { reviewerSet, reviewerSetKey, type Reviewer } from './reviewers.js';

/** A group's members as the review shows them: how many, and the first few by name. */
export interface GroupMembers {
  count: number;
  /** The first 20 at most. */
  first: { name: string | null; id: string }[];
}

/**
 * Who last used a row's grant, as the report's usage read joins it (core/usage/last-used.ts), and
 * whether that read's evidence covers the whole window (every Region, every day of it).
 */
export interface RowUse {
  /** ISO 8601 UTC of the newest use, `none since <ISO>`, `too new to tell`, or `unknown …`. */
  lastUsed: string;
  /** A group's row: the member who used it last. */
  lastUsedBy: string | null;
  /** A group's row: how many of its members used it. */
  usedBy: number | null;
  complete: boolean;
}

/** One grant under review, as the report's read hands it (no member rows: a group is one row). */
export interface ReviewRow extends HeldRow {
  id: string;
  /** When a claimed (ephemeral, requested, time-bound) grant ends, ISO 8601 UTC. */
  expiresAt: string | null;
  /** Whether its claim still holds (null where no claim is on it). */
  live: boolean | null;
  grantedAt: string | null;
  grantedBy: string | null;
  /** The manifest that lists it, and the line. */
  manifest: string | null;
  manifestLine: number | null;
  members?: GroupMembers | undefined;
  /** The kind of access it is (core/kinds/), as the read listed it: what revokes it at the due date. */
  kind: KindName;
  /** Who last used it, where the review read usage (`revoke-unused`, or `last-used: true`). */
  usage?: RowUse | undefined;
}

export type ReviewRowInput = Omit<ReviewRow, 'id'>;

/** The most members a row shows of a group. */
export const MEMBERS_SHOWN = 20;

/**
 * A row's ID: the first 8 hex characters of SHA-256 of its account or scope, its permission set
 * or role, and its principal's type and ID. A scope is keyed as ARM compares it.
 */
export function rowIdOf(
  row: Pick<ReviewRow, 'cloud' | 'targetId' | 'roleId' | 'principalKind' | 'principalId'>,
) {
  const place = PLACES[row.cloud].key(row.targetId);
  const text = [place, row.roleId, row.principalKind.toLowerCase(), row.principalId].join('\n');
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

export const reviewRow = (row: ReviewRowInput): ReviewRow => ({ id: rowIdOf(row), ...row });

/** A claimed row (a live claim's kind): it ends by itself and a review never revokes it. */
export const isClaimed = (row: Pick<ReviewRow, 'held'>): boolean =>
  (CLAIMED_CLASSES as readonly string[]).includes(row.held);

/** What a match needs beyond the row: the accounts an `ou-…` covers (Organizations' read). */
export interface MatchContext {
  accountsUnder(ou: string): ReadonlySet<string> | undefined;
}

/** The `ou-…` IDs the reviewers file names, each once (`root` matches every account: no read). */
export const ousNamed = (file: ReviewersFile): string[] => [
  ...new Set(file.entries.flatMap((e) => e.accounts.filter((a) => a.startsWith('ou-')))),
];

/**
 * Matching over what was read: an OU covers every account listed under it, ACTIVE or not (a grant
 * in a suspended account is still reviewed); an OU whose read failed covers none, never more.
 */
export function matchContextOf(read: ReadonlyMap<string, UnitAccounts>): MatchContext {
  const sets = new Map<string, ReadonlySet<string>>();
  for (const [ou, under] of read)
    if (typeof under !== 'string') sets.set(ou, new Set([...under.accounts, ...under.notActive]));
  return { accountsUnder: (ou) => sets.get(ou) };
}

export function entryMatches(entry: ReviewEntry, row: ReviewRow, context: MatchContext): boolean {
  const places = PLACES[row.cloud];
  if (!places.covers(entry, row.targetId, context)) return false;
  if (entry.roles.length === 0) return true;
  return entry.roles.some((r) => r === row.roleId || (row.role !== null && places.sameRole(r, row.role)));
}

/** How each cloud places a row: the place its ID hashes, an entry that covers it, a role by name. */
const PLACES: Record<Cloud, CloudPlaces> = {
  aws: {
    key: (account) => account,
    covers: (entry, account, context) =>
      entry.accounts.some((a) =>
        a === 'root' ? true : a.startsWith('ou-') ? !!context.accountsUnder(a)?.has(account) : a === account,
      ),
    // Permission set names as written.
    sameRole: (written, read) => written === read,
  },
  azure: {
    // A scope as ARM compares it.
    key: scopeKey,
    covers: (entry, scope) => entry.scopes.some((s) => underScope(scope, s)),
    // Role names as ARM compares them.
    sameRole: (written, read) => written.toLowerCase() === read.toLowerCase(),
  },
};

interface CloudPlaces {
  /** The place as the cloud compares it: what a row's ID hashes. */
  key(target: string): string;
  /** Whether a reviewers file's entry covers the place (`accounts` or `scopes`). */
  covers(entry: ReviewEntry, target: string, context: MatchContext): boolean;
  /** Whether a role as the entry writes it is the one read, by name. */
  sameRole(written: string, read: string): boolean;
}

/** At or under a scope as written: `/` (the tenant's root) covers every scope. */
const underScope = (id: string, scope: string): boolean => {
  const trimmed = scope.replace(/\/+$/, '');
  return trimmed === '' || atOrUnder(id, trimmed);
};

/** The rows one set of reviewers reviews: one campaign issue. */
export interface ReviewGroup {
  key: string;
  reviewers: Reviewer[];
  rows: ReviewRow[];
}

export interface ReviewAssignment {
  groups: ReviewGroup[];
  /** Rows no entry matches when there are no `default-reviewers`: nobody reviews them. */
  unreviewed: ReviewRow[];
}

/**
 * Each row's reviewers (the union of every entry that matches it, else the defaults), grouped by
 * that set; groups by key and rows by ID, so a re-run lays out the same issues.
 */
export function assignReviewers(
  rows: readonly ReviewRow[],
  file: ReviewersFile,
  context: MatchContext,
): ReviewAssignment {
  const groups = new Map<string, ReviewGroup>();
  const unreviewed: ReviewRow[] = [];
  for (const row of rows) {
    const matched = file.entries.filter((e) => entryMatches(e, row, context)).flatMap((e) => e.reviewers);
    const reviewers = reviewerSet(matched.length > 0 ? matched : file.defaultReviewers);
    if (reviewers.length === 0) {
      unreviewed.push(row);
      continue;
    }
    const key = reviewerSetKey(reviewers);
    const group = groups.get(key) ?? { key, reviewers, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  const byId = (a: ReviewRow, b: ReviewRow) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    groups: [...groups.values()]
      .map((g) => ({ ...g, rows: [...g.rows].sort(byId) }))
      .sort((a, b) => (a.key < b.key ? -1 : 1)),
    unreviewed,
  };
}
