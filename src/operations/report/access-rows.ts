// `operation: report`'s rows: who holds what, and how it is held. An adapter hands over each
// assignment it read with the evidence it found (engine/run/access-reader.ts's `HeldAssignment`: a
// manifest that lists it, a run's mark, a PIM end, a principal the directory no longer has); this
// module decides its class, one word per row, and adds a row per member for a group when groups
// are expanded; with since when and by whom (a run shown as its page), and where an inherited grant
// comes from. Which grant a row is across reports, ./access-row-key.ts says. Pure.
import { kindNamed, type AssignmentType, type KindName } from '../../core/kinds/index.js';
import type { WorkflowContext } from '../../core/run-context.js';
import {
  HOLDING_CLASSES,
  holdingOf as classOf,
  type HeldRow,
  type HoldingClass,
} from '../../core/claims/holding.js';
import type { ClaimVerdict, LiveClaim } from '../../core/claims/live.js';
import { runShown } from '../../core/claims/claim-words.js';
import type { Cloud } from '../../core/types.js';
import type { Granted, GroupMember, HeldAssignment } from '../../engine/run/access-reader.js';

export { HOLDING_CLASSES, type HoldingClass } from '../../core/claims/holding.js';

/** A row of the report: flat, so that the CSV and the JSON hold the same columns. */
export interface AccessRow extends HeldRow {
  manifest: string | null;
  manifestLine: number | null;
  /** The run's page, or `owner/repo run N/attempt` when no link can be built. */
  run: string | null;
  /** When an ephemeral or time-bound grant ends, ISO 8601 UTC. */
  expiresAt: string | null;
  /** The group a user holds it through (expand-groups), and that group's ID. */
  viaGroup: string | null;
  viaGroupId: string | null;
  /** Why this row may not be what it seems: a marker that claims what it does not prove, an ID not read. */
  warning: string | null;
  /** When it was made, ISO 8601 UTC, or `before <time>` where the history read starts after it. */
  grantedAt: string | null;
  /** Who made it: a caller's ARN, a run, or a principal's name and object ID. */
  grantedBy: string | null;
  /** Azure: `inherited from <scope>`, an assignment above the target that applies to it. */
  inherited: string | null;
  /**
   * The kind of access it is (core/kinds/): the files write the word a person uses for it
   * (`active`, `eligible`: the kind's `assignmentType`), on every row of both clouds.
   */
  kind: KindName;
  /**
   * Whether the claim a proven cloud-access session made on it still holds (its run going, its
   * expiry ahead): `false` for an ended run's ephemeral grant or an expired request's, which the
   * sweep ends; null where no such claim is on it (a manifest's, a permanent, a foreign grant) or
   * its run could not be read now (the warning says why).
   */
  live: boolean | null;
  /**
   * With `last-used: true` only (core/usage/last-used.ts): the newest use, ISO 8601 UTC, or
   * `none since <time>`, `too new to tell`, `unknown`; its event; for a group, its newest member
   * and how many members used it.
   */
  lastUsed?: string;
  lastUsedEvent?: string | null;
  lastUsedBy?: string | null;
  usedBy?: number | null;
}

/** The usage columns, after every other, present only with `last-used: true`. */
export const USAGE_COLUMNS = ['lastUsed', 'lastUsedEvent', 'lastUsedBy', 'usedBy'] as const;

/** A row as the files (JSON, CSV, `results`) hold it: its kind as the kind's word. */
export type WrittenRow = Omit<AccessRow, 'kind'> & { kind: AssignmentType };

/** The row as the files write it, its columns in the row's order. */
export const writtenRow = (r: AccessRow): WrittenRow => ({ ...r, kind: kindNamed(r.kind).assignmentType });

/** The columns, in the CSV's order. */
export const ROW_COLUMNS: readonly (keyof AccessRow)[] = [
  'cloud',
  'principalKind',
  'principalName',
  'principalId',
  'role',
  'roleId',
  'target',
  'targetId',
  'held',
  'manifest',
  'manifestLine',
  'run',
  'expiresAt',
  'viaGroup',
  'viaGroupId',
  'warning',
  // Added later: at the end, so that a spreadsheet reading columns by position reads the old ones.
  'grantedAt',
  'grantedBy',
  'inherited',
  'kind',
  'live',
];

/**
 * The class of one assignment, as a reconcile classes it (core/claims/holding.ts), from the
 * verdict on its claim. An eligibility's end (which no claim decides: no operation deletes an
 * eligibility it did not make, and Azure ends it) makes it time-bound.
 */
export function holdingOf(a: HeldAssignment): HoldingClass {
  const held = classOf({
    principalGone: a.principal.gone,
    listed: a.manifest !== undefined,
    claim: a.verdict,
  });
  return held === 'foreign' && a.verdict === undefined && a.endsAt ? 'time-bound' : held;
}

/**
 * The rows: one per assignment, and with `members` (expand-groups) one more per user each group
 * reaches, in the group's class, marked as via the group. Sorted by principal, names first.
 */
export function accessRows(
  cloud: Cloud,
  held: readonly HeldAssignment[],
  context: WorkflowContext,
  members?: ReadonlyMap<string, readonly GroupMember[]>,
): AccessRow[] {
  const rows: AccessRow[] = [];
  for (const a of held) {
    const row = rowOf(cloud, a, context);
    rows.push(row);
    if (!members || a.principal.kind !== 'group') continue;
    for (const m of members.get(a.principal.id.toLowerCase()) ?? [])
      rows.push({
        ...row,
        principalKind: m.kind,
        principalName: m.name ?? null,
        principalId: m.id,
        viaGroup: a.principal.name ?? a.principal.id,
        viaGroupId: a.principal.id,
      });
  }
  return rows.sort(byPrincipal);
}

/**
 * The claim on a row and whether it holds: a live claim's, or the claim a proven cloud-access
 * session made whose run has ended or could not be read now (the class keeps its kind either way).
 * Runs' reliance on it is no claim of the row's: it is said, by run, and whether it holds now.
 */
function claimOf(
  a: HeldAssignment,
  context: WorkflowContext,
): { claim?: LiveClaim; live: boolean | null; warning?: string } {
  const verdict = a.verdict;
  if (!verdict) return { live: null };
  if (verdict.reliance) return { live: null, warning: relianceShown(a, verdict, context) };
  if ('live' in verdict) return { claim: verdict.live, live: true };
  if ('unknown' in verdict)
    return verdict.permanent
      ? { live: null, warning: verdict.unknown }
      : { claim: verdict.made, live: null, warning: verdict.unknown };
  if (!verdict.made) return { live: null };
  return { claim: verdict.made, live: false, warning: `${verdict.none}: the sweep ends it` };
}

/**
 * `relied on by run <page> (why it holds, or not)`: the runs that found the grant in place and
 * relied on it, which say nothing of who made it.
 */
function relianceShown(a: HeldAssignment, verdict: ClaimVerdict, context: WorkflowContext): string {
  const claim = a.runClaim;
  const marks = claim?.reliance ? [claim.mark, ...(claim.reliers ?? [])] : (claim?.reliers ?? []);
  // Without the claim read, the run its verdict weighed.
  const weighed = 'live' in verdict ? verdict.live.run : 'unknown' in verdict ? verdict.made.run : undefined;
  const refs = marks.length > 0 ? marks.map((m) => m?.run) : [weighed];
  const runs = [...new Set(refs.flatMap((run) => (run ? [runShown(run, context)] : [])))];
  const now = 'live' in verdict ? verdict.live.reason : 'unknown' in verdict ? verdict.unknown : verdict.none;
  const by = runs.length === 0 ? 'a run' : `run${runs.length === 1 ? '' : 's'} ${runs.join(', ')}`;
  return `relied on by ${by} (${now}): a reliance, never who made it`;
}

function rowOf(cloud: Cloud, a: HeldAssignment, context: WorkflowContext): AccessRow {
  const held = holdingOf(a);
  const { claim, live, warning } = claimOf(a, context);
  const expiresAt =
    claim?.until !== undefined ? isoOfMs(claim.until) : held === 'time-bound' ? (a.endsAt ?? null) : null;
  return {
    cloud,
    principalKind: a.principal.kind ?? 'principal',
    principalName: a.principal.name || null,
    principalId: a.principal.id,
    role: a.role.name || null,
    roleId: a.role.id,
    target: a.target.name || null,
    targetId: a.target.id,
    held,
    manifest: a.manifest?.path ?? null,
    manifestLine: a.manifest?.line ?? null,
    // A run that made it; one that relied on it is said in `warning`.
    run: a.mark && !a.runClaim?.reliance ? runShown(a.mark.run, context) : null,
    expiresAt,
    viaGroup: null,
    viaGroupId: null,
    warning: [a.warning, warning].filter(Boolean).join('; ') || null,
    grantedAt: grantedAtOf(a.granted),
    grantedBy: grantedByOf(a.granted, context),
    inherited: a.inheritedFrom ? `inherited from ${a.inheritedFrom}` : null,
    kind: a.kind,
    live,
  };
}

const grantedAtOf = (g: Granted | undefined): string | null =>
  g?.at ?? (g?.before ? `before ${g.before}` : null);

/** A run as the run's page; a principal as `name (id)`, or its ID or ARN alone. */
function grantedByOf(g: Granted | undefined, context: WorkflowContext): string | null {
  if (g?.run) return runShown(g.run, context);
  if (!g?.by) return null;
  return g.by.name ? `${g.by.name} (${g.by.id})` : g.by.id;
}

const isoOfMs = (ms: number): string | null => {
  const date = new Date(ms);
  return Number.isFinite(date.getTime()) ? date.toISOString() : null;
};

/** A principal's sort key: named ones first, by name, then by ID. */
const principalKey = (r: AccessRow) =>
  `${r.principalName === null ? '1' : '0'}${(r.principalName ?? r.principalId).toLowerCase()}|${r.principalId}`;

function byPrincipal(a: AccessRow, b: AccessRow): number {
  return (
    principalKey(a).localeCompare(principalKey(b)) ||
    (a.target ?? a.targetId).localeCompare(b.target ?? b.targetId) ||
    (a.role ?? a.roleId).localeCompare(b.role ?? b.roleId) ||
    (a.viaGroupId ?? '').localeCompare(b.viaGroupId ?? '') ||
    (a.inherited ?? '').localeCompare(b.inherited ?? '') ||
    kindNamed(a.kind).assignmentType.localeCompare(kindNamed(b.kind).assignmentType)
  );
}

/** How many rows of each class. */
export function classCounts(rows: readonly AccessRow[]): Record<HoldingClass, number> {
  const counts = Object.fromEntries(HOLDING_CLASSES.map((c) => [c, 0])) as Record<HoldingClass, number>;
  for (const r of rows) counts[r.held]++;
  return counts;
}
