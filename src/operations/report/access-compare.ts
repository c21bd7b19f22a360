// `compare-to`: a previous report's JSON, read back to say who gained and who lost what since. The
// file comes from an artifact anyone with write access (or a pull request's checkout) could have
// replaced, so it is data of unknown shape: only rows whose IDs are strings are compared, each
// grant once, and what they show is made inert and cut short before it is shown. What cannot be
// compared is counted and said, never taken for a change: a row that cannot be read (its grant, if
// still held, would show as gained), a row twice, and a grant outside where either report read
// (its `cover`; a report without one is compared whole, and says so). Pure.
import { roleGuidOf } from '../../core/azure-scope.js';
import { inertText } from '../../core/inert.js';
import { TARGETS_AT_OR_ABOVE, type Cloud } from '../../core/types.js';
import { ASSIGNMENT_TYPES, kindNamed, type AssignmentType } from '../../core/kinds/index.js';
import { HOLDING_CLASSES, type AccessRow, type HoldingClass } from './access-rows.js';
import { kindOfWord, rowKey } from './access-row-key.js';
import type { ReportCover } from '../../engine/run/access-reader.js';

/** An ID longer than any cloud writes is no ID: the row is not read. */
const ID_MAX = 2048;
/** A name, a path or a link from the earlier file, cut to this many characters. */
const TEXT_MAX = 256;

/** The earlier report, as far as it can be read. */
export interface PreviousReport {
  rows: AccessRow[];
  /** Where it read; undefined for a report that does not say (an older version's). */
  cover: ReportCover | undefined;
  /** Rows without the IDs a grant is known by, or of a kind the cloud has none of: not compared. */
  unreadable: number;
  /** Rows of a grant another row already gave: counted once. */
  duplicates: number;
}

export interface ReportChanges {
  gained: AccessRow[];
  lost: AccessRow[];
  /** What could not be compared, in sentences (each also a warning). */
  caveats: string[];
}

/** The previous report's rows, or why the file cannot be compared with. */
export function previousRows(text: string, cloud: Cloud): PreviousReport | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'is not JSON' };
  }
  if (!isObject(parsed) || parsed.version !== 1 || !Array.isArray(parsed.rows))
    return { problem: 'is not a report of this action (`version: 1` and `rows`)' };
  if (parsed.cloud !== cloud)
    return { problem: `is a report of \`${cut(inertText(String(parsed.cloud)))}\`, not \`${cloud}\`` };
  const report: PreviousReport = { rows: [], cover: coverOf(parsed.cover), unreadable: 0, duplicates: 0 };
  const seen = new Set<string>();
  for (const r of parsed.rows as unknown[]) {
    const row = rowOf(r, cloud);
    if (!row) report.unreadable++;
    else if (seen.has(rowKey(row))) report.duplicates++;
    else {
      seen.add(rowKey(row));
      report.rows.push(row);
    }
  }
  return report;
}

function rowOf(r: unknown, cloud: Cloud): AccessRow | undefined {
  if (!isObject(r)) return undefined;
  const id = (k: string) =>
    typeof r[k] === 'string' && r[k] !== '' && r[k].length <= ID_MAX ? inertText(r[k]) : null;
  const text = (k: string) => (typeof r[k] === 'string' ? cut(inertText(r[k])) : null);
  const principalId = id('principalId');
  const roleId = id('roleId');
  const targetId = id('targetId');
  const kind = kindOfWord(cloud, r.kind);
  if (!principalId || !roleId || !targetId || !kind) return undefined;
  const held = HOLDING_CLASSES.includes(r.held as HoldingClass) ? (r.held as HoldingClass) : 'foreign';
  return {
    cloud,
    principalKind: text('principalKind') ?? 'principal',
    principalName: text('principalName'),
    principalId,
    role: text('role'),
    roleId,
    target: text('target'),
    targetId,
    held,
    manifest: text('manifest'),
    manifestLine: typeof r.manifestLine === 'number' ? r.manifestLine : null,
    run: text('run'),
    expiresAt: text('expiresAt'),
    viaGroup: text('viaGroup'),
    viaGroupId: id('viaGroupId'),
    warning: text('warning'),
    grantedAt: text('grantedAt'),
    grantedBy: text('grantedBy'),
    inherited: text('inherited'),
    // A report from before the column held the kind its cloud lists only; a word no kind of the
    // cloud says is no grant the cloud holds (the row is not read).
    kind,
    // A report from before the column says nothing of it.
    live: typeof r.live === 'boolean' ? r.live : null,
  };
}

/** The earlier report's `cover`, when it holds one of the shape a report writes. */
function coverOf(value: unknown): ReportCover | undefined {
  if (!isObject(value) || typeof value.expandGroups !== 'boolean') return undefined;
  const list = (v: unknown): string[] | null | undefined =>
    v === null
      ? null
      : Array.isArray(v) && v.every((t) => typeof t === 'string' && t.length <= ID_MAX)
        ? (v as string[])
        : undefined;
  const targets = list(value.targets);
  const roles = list(value.roles);
  if (targets === undefined || roles === undefined) return undefined;
  // Absent: every kind was read. Else the words of the kinds read, and nothing else.
  const kinds = value.kinds;
  if (kinds === undefined) return { targets, roles, expandGroups: value.expandGroups };
  if (!Array.isArray(kinds) || !kinds.every((k) => ASSIGNMENT_TYPES.includes(k as AssignmentType)))
    return undefined;
  return { targets, roles, expandGroups: value.expandGroups, kinds: kinds as AssignmentType[] };
}

/**
 * What is in `now` and was not before (gained), and what was and is not now (lost), within the
 * part both reports read; with what could not be compared.
 */
export function compareRows(
  before: PreviousReport,
  now: readonly AccessRow[],
  cover: ReportCover | undefined,
  cloud: Cloud,
): ReportChanges {
  const caveats: string[] = [];
  if (before.unreadable > 0)
    caveats.push(
      `${before.unreadable} row(s) of the earlier report could not be read (no principal, role or target ID, or a kind no grant of this cloud is): not compared, so a grant among them that is still held shows as gained`,
    );
  if (before.duplicates > 0)
    caveats.push(
      `${before.duplicates} row(s) of the earlier report repeat a grant it already lists: counted once`,
    );
  let earlier = before.rows;
  let current = [...new Map(now.map((r) => [rowKey(r), r])).values()];
  const earlierCover = before.cover;
  if (!earlierCover || !cover)
    caveats.push(
      `${earlierCover ? 'this' : 'the earlier'} report does not say where it read${earlierCover ? '' : ' (an older version wrote it)'}: compared whole, so a grant outside where either report read shows as gained or lost`,
    );
  else if (!sameCover(earlierCover, cover)) {
    const [a, b] = [coverSets(earlierCover), coverSets(cover)];
    const inBoth = (r: AccessRow) => covers(a, r, cloud) && covers(b, r, cloud);
    const [e, c] = [earlier.filter(inBoth), current.filter(inBoth)];
    caveats.push(
      `the earlier report read ${coverText(earlierCover)}; this one ${coverText(cover)}: only grants both read are compared (${earlier.length - e.length} of the earlier report's and ${current.length - c.length} of this one's left out)`,
    );
    [earlier, current] = [e, c];
  }
  const beforeKeys = new Set(earlier.map(rowKey));
  const nowKeys = new Set(current.map(rowKey));
  return {
    gained: current.filter((r) => !beforeKeys.has(rowKey(r))),
    lost: earlier.filter((r) => !nowKeys.has(rowKey(r))),
    caveats,
  };
}

const sortedLower = (list: string[] | null) =>
  list
    ? list
        .map((s) => s.toLowerCase())
        .sort()
        .join('\n')
    : null;

function sameCover(a: ReportCover, b: ReportCover): boolean {
  return (
    a.expandGroups === b.expandGroups &&
    sortedLower(a.targets) === sortedLower(b.targets) &&
    sortedLower(a.roles) === sortedLower(b.roles) &&
    sortedLower(a.kinds ?? null) === sortedLower(b.kinds ?? null)
  );
}

/** A cover as sets, lower-cased: a hostile file's long lists cost one look-up a row, not one per entry. */
interface CoverSets {
  targets: Set<string> | null;
  roles: Set<string> | null;
  expandGroups: boolean;
  /** The words of the kinds read; null: every kind. */
  kinds: Set<string> | null;
}

const coverSets = (cover: ReportCover): CoverSets => ({
  targets: cover.targets && new Set(cover.targets.map((t) => t.toLowerCase())),
  roles: cover.roles && new Set(cover.roles.map((t) => t.toLowerCase())),
  expandGroups: cover.expandGroups,
  kinds: cover.kinds ? new Set(cover.kinds) : null,
});

/**
 * Whether a report of `cover` read the row's grant: AWS, its account; Azure, its scope or one above
 * it by path (a subscription under a management group is not below it by path: left out); and its
 * kind, where the report could not read every kind.
 */
function covers(cover: CoverSets, r: AccessRow, cloud: Cloud): boolean {
  if (r.viaGroupId !== null && !cover.expandGroups) return false;
  if (cover.kinds !== null && !cover.kinds.has(kindNamed(r.kind).assignmentType)) return false;
  const places = TARGETS_AT_OR_ABOVE[cloud](r.targetId.toLowerCase());
  const roles = [r.roleId.toLowerCase(), roleGuidOf(r.roleId), r.role?.toLowerCase()];
  return (
    (cover.targets === null || places.some((p) => cover.targets!.has(p))) &&
    (cover.roles === null || roles.some((role) => role !== undefined && cover.roles!.has(role)))
  );
}

/** `2 target(s) (a, b), role(s) x, with groups expanded`, each text cut short. */
function coverText(cover: ReportCover): string {
  const list = (l: string[]) =>
    `${l.length} (${cut(l.slice(0, 3).map(inertText).join(', '))}${l.length > 3 ? ', …' : ''})`;
  return [
    cover.targets === null ? 'every target' : `target(s) ${list(cover.targets)}`,
    cover.roles === null ? 'every role' : `role(s) ${list(cover.roles)}`,
    cover.expandGroups ? 'with groups expanded' : 'without groups expanded',
    ...(cover.kinds ? [`${cover.kinds.join(' and ') || 'no'} grants only`] : []),
  ].join(', ');
}

const cut = (text: string): string => (text.length > TEXT_MAX ? `${text.slice(0, TEXT_MAX)}…` : text);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
