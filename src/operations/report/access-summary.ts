// What `operation: report` says: the log's lines and the job summary, grouped by principal (named
// ones first), with the count of each class, and with `compare-to` who gained and who lost what.
// Every name came from a cloud (or an earlier report's file): escaped for HTML, made inert for the
// log, and cut short where the summary shows it. The summary is bounded: past MAX_SUMMARY_ROWS rows,
// or past SUMMARY_MAX_BYTES (GitHub discards a step's summary whole past 1 MiB), it stops at a whole
// row and says what it left out and that the files hold every row. Pure.
import { escapeHtml, escapeHtmlWithCode } from '../../core/inert.js';
import { KINDS, LISTED_KIND, kindNamed } from '../../core/kinds/index.js';
import { named, namedPrincipal, principalKindOf } from '../../core/shown-names.js';
import type { ReportChanges } from './access-compare.js';
import { runHeaderHtml, type RunHeader } from '../../core/output/run-header.js';
import { HOLDING_CLASSES, type AccessRow, type HoldingClass } from './access-rows.js';
import type { GroupMember, HeldAssignment, Named } from '../../engine/run/access-reader.js';

/** Rows shown in the summary at most; the files hold them all. */
export const MAX_SUMMARY_ROWS = 1000;
/** Gained and lost rows shown at most, each. */
const MAX_CHANGES_SHOWN = 200;
/**
 * The summary's bytes at most (UTF-8): GitHub's runner uploads a step's summary only up to 1 MiB
 * ("supports content up to a size of 1024k", its error says; docs.github.com, workflow commands,
 * "Adding a job summary": each step's summary is limited to 1 MiB) and otherwise drops all of it.
 * 64 KiB are kept in hand.
 */
export const SUMMARY_MAX_BYTES = 1024 * 1024 - 64 * 1024;
/** A name or detail is cut to this many characters where the summary shows it. */
const SHOWN_MAX = 300;

/** `alice (id)` kind first, as every other operation shows a principal. */
export const principalShown = (
  r: Pick<AccessRow, 'principalKind' | 'principalName' | 'principalId'>,
): string =>
  namedPrincipal(
    r.principalId,
    r.principalName ?? undefined,
    principalKindOf(r.principalKind.replace(' ', '')) ?? undefined,
  );

const roleShown = (r: AccessRow) => named(r.roleId, r.role ?? undefined);
const targetShown = (r: AccessRow) => named(r.targetId, r.target ?? undefined);
/** A text as the summary shows it: cut short, then escaped. */
const shown = (text: string) => escapeHtml(text.length > SHOWN_MAX ? `${cutAt(text, SHOWN_MAX)}…` : text);
/** `text`'s first `units` UTF-16 units, less the half of a surrogate pair the cut would split. */
const cutAt = (text: string, units: number): string =>
  text.slice(0, /[\uD800-\uDBFF]/.test(text[units - 1] ?? '') ? units - 1 : units);

/** `3 manifest, 1 ephemeral` (classes with none left out). */
export function countsText(counts: Record<HoldingClass, number>): string {
  const said = HOLDING_CLASSES.filter((c) => counts[c] > 0).map((c) => `${counts[c]} ${c}`);
  return said.length > 0 ? said.join(', ') : 'none';
}

/** What a row's class rests on, in a few words. */
export function heldDetails(r: AccessRow): string {
  const parts = [
    r.manifest ? `${r.manifest}${r.manifestLine !== null ? `:${r.manifestLine}` : ''}` : undefined,
    r.run ? `run ${r.run}` : undefined,
    r.expiresAt ? `until ${r.expiresAt}` : undefined,
    r.viaGroup ? `via group ${named(r.viaGroupId ?? '', r.viaGroup)}` : undefined,
    r.inherited ?? undefined,
    r.grantedAt || r.grantedBy
      ? `granted${r.grantedAt ? ` ${r.grantedAt}` : ''}${r.grantedBy ? ` by ${r.grantedBy}` : ''}`
      : undefined,
    r.lastUsed !== undefined ? usageShown(r) : undefined,
    r.warning ? `warning: ${r.warning}` : undefined,
  ].filter((p): p is string => p !== undefined);
  return parts.join(', ');
}

/** `last used: …` (`last-used: true`): by whom and by how many members for a group. */
const usageShown = (r: AccessRow): string =>
  `last used: ${r.lastUsed}${r.lastUsedBy ? ` by ${r.lastUsedBy}` : ''}${typeof r.usedBy === 'number' ? `, used by ${r.usedBy} member(s)` : ''}`;

/** The row's kind's word, where it is another than the kind its cloud lists says (the log says it then only). */
const kindShown = (r: AccessRow): string | undefined => {
  const word = kindNamed(r.kind).assignmentType;
  return word === KINDS[LISTED_KIND[r.cloud]].assignmentType ? undefined : word;
};

/** One log line per row. */
export function rowLine(r: AccessRow): string {
  const details = heldDetails(r);
  return `[${r.held}${kindShown(r) ? `, ${kindShown(r)}` : ''}] ${principalShown(r)} → ${targetShown(r)} / ${roleShown(r)}${details ? ` (${details})` : ''}`;
}

/**
 * With `members` (expand-groups): each group that holds a grant and whose members were listed
 * with no user among them, once, so the report can say why no row shows anyone through it. A
 * group whose members could not be listed is not in `members`, and not here.
 */
export function groupsWithoutUsers(
  held: readonly HeldAssignment[],
  members?: ReadonlyMap<string, readonly GroupMember[]>,
): Named[] {
  const empty = new Map<string, Named>();
  for (const a of held) {
    const key = a.principal.id.toLowerCase();
    if (a.principal.kind === 'group' && members?.get(key)?.length === 0 && !empty.has(key))
      empty.set(key, { id: a.principal.id, name: a.principal.name });
  }
  return [...empty.values()];
}

/** A group expand-groups found no user in: why no row shows anyone through it. */
export function emptyGroupLine(group: Named): string {
  return `expand-groups: ${namedPrincipal(group.id, group.name, 'group')} has no user members: no row shows anyone holding its grants through it`;
}

export interface ReportSummaryOptions {
  /** The step, its run and sign-in, as every summary starts (core/output/run-header.ts). */
  header: RunHeader;
  /** What was read, and at what cost, in words. */
  readLine: string;
  counts: Record<HoldingClass, number>;
  changes?: ReportChanges | undefined;
  /** The file compared with, as `compare-to` gave it. */
  comparedWith?: string | undefined;
  /** With expand-groups: the groups holding a grant whose members include no user. */
  emptyGroups?: readonly Named[] | undefined;
  /** With `last-used: true`: what the usage evidence covers, as HTML (./access-usage.ts). */
  usageHtml?: string | undefined;
}

export function reportSummaryHtml(rows: readonly AccessRow[], options: ReportSummaryOptions): string {
  const budget = new Budget(SUMMARY_MAX_BYTES);
  const left: string[] = [];
  budget.add(
    runHeaderHtml(options.header),
    `<p>${escapeHtmlWithCode(options.readLine)}</p>`,
    `<table><tr>${HOLDING_CLASSES.map((c) => `<th>${c}</th>`).join('')}<th>total</th></tr><tr>${HOLDING_CLASSES.map((c) => `<td>${options.counts[c]}</td>`).join('')}<td>${rows.length}</td></tr></table>`,
  );
  if (options.usageHtml) budget.add(options.usageHtml);
  if (options.changes) changesHtml(options.changes, options.comparedWith ?? '', budget, left);
  if (rows.length === 0) budget.add('<p>No assignment was found where the report read.</p>');
  budget.add(...(options.emptyGroups ?? []).map((group) => `<p>${shown(emptyGroupLine(group))}</p>`));
  const shownRows = byPrincipalHtml(rows.slice(0, MAX_SUMMARY_ROWS), budget);
  if (shownRows < rows.length) left.push(`${rows.length - shownRows} of the ${rows.length} row(s)`);
  if (left.length > 0)
    budget.close(
      `<p>Left out of this summary${budget.full ? ", to keep it within the 1 MiB GitHub keeps of a step's summary" : ''}: ${left.join('; ')}. The files hold every row (outputs <code>report-json</code> and <code>report-csv</code>).</p>`,
    );
  return `${budget.parts.join('\n')}\n`;
}

/** The summary's parts while they fit its bytes, a closing line's room kept. */
class Budget {
  readonly parts: string[] = [];
  full = false;
  private bytes = 0;
  constructor(private readonly max: number) {}

  /** Adds each part that fits, in order, until one does not; whether all did. */
  add(...parts: string[]): boolean {
    for (const part of parts) {
      const size = Buffer.byteLength(part, 'utf8') + 1;
      if (this.full || this.bytes + size > this.max - CLOSING_ROOM) {
        this.full = true;
        return false;
      }
      this.parts.push(part);
      this.bytes += size;
    }
    return true;
  }

  /** Whether `bytes` more would fit; once they would not, nothing more is added. */
  fits(bytes: number): boolean {
    if (this.bytes + bytes + 1 > this.max - CLOSING_ROOM) this.full = true;
    return !this.full;
  }

  /** The closing line, within the room kept for it. */
  close(part: string): void {
    this.parts.push(part);
  }
}

/** Room kept for the closing line (its texts are counts and fixed words). */
const CLOSING_ROOM = 2048;

/** Each principal's rows while they fit, whole rows only; how many rows were shown. */
function byPrincipalHtml(rows: readonly AccessRow[], budget: Budget): number {
  const groups = new Map<string, AccessRow[]>();
  for (const r of rows) {
    const key = `${r.principalKind}|${r.principalId}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  let shownRows = 0;
  for (const held of groups.values()) {
    const counts = Object.fromEntries(HOLDING_CLASSES.map((c) => [c, 0])) as Record<HoldingClass, number>;
    for (const r of held) counts[r.held]++;
    const open = `<details><summary><code>${shown(principalShown(held[0]!))}</code>: ${held.length} grant(s), ${countsText(counts)}</summary><table><tr><th>held</th><th>kind</th><th>target</th><th>role</th><th>details</th></tr>`;
    const close = '</table></details>';
    let bytes = Buffer.byteLength(open + close, 'utf8');
    const lines: string[] = [];
    for (const r of held) {
      const line = `<tr><td>${r.held}</td><td>${kindNamed(r.kind).assignmentType}</td><td><code>${shown(targetShown(r))}</code></td><td><code>${shown(roleShown(r))}</code></td><td>${shown(heldDetails(r))}</td></tr>`;
      const size = Buffer.byteLength(line, 'utf8');
      if (!budget.fits(bytes + size)) break;
      lines.push(line);
      bytes += size;
    }
    if (lines.length === 0 || !budget.add(`${open}${lines.join('')}${close}`)) break;
    shownRows += lines.length;
    if (lines.length < held.length) break;
  }
  return shownRows;
}

function changesHtml(changes: ReportChanges, comparedWith: string, budget: Budget, left: string[]): void {
  budget.add(
    `<p>Since <code>${shown(comparedWith)}</code>: ${changes.gained.length} gained, ${changes.lost.length} lost.</p>`,
    ...changes.caveats.map((c) => `<p>Not compared: ${shown(c)}.</p>`),
  );
  for (const [title, rows] of [
    ['Gained', changes.gained],
    ['Lost', changes.lost],
  ] as const) {
    if (rows.length === 0) continue;
    const items: string[] = [];
    let bytes = Buffer.byteLength(`<p>${title}:</p><ul></ul>`, 'utf8') + 64;
    for (const r of rows.slice(0, MAX_CHANGES_SHOWN)) {
      const item = `<li><code>${shown(principalShown(r))}</code> → <code>${shown(targetShown(r))}</code> / <code>${shown(roleShown(r))}</code> (${r.held}${r.viaGroup ? `, via group ${shown(r.viaGroup)}` : ''})</li>`;
      const size = Buffer.byteLength(item, 'utf8');
      if (!budget.fits(bytes + size)) break;
      items.push(item);
      bytes += size;
    }
    const more = rows.length - items.length;
    if (items.length > 0)
      budget.add(`<p>${title}:</p><ul>${items.join('')}${more > 0 ? `<li>and ${more} more</li>` : ''}</ul>`);
    if (more > 0 && budget.full) left.push(`${more} of the ${rows.length} ${title.toLowerCase()}`);
  }
}
