// What `operation: report` says: the log's lines and the job summary, grouped by principal (named
// ones first), with the count of each class, and with `compare-to` who gained and who lost what.
// Every name came from a cloud: escaped for HTML, made inert for the log. The summary is bounded
// (GitHub keeps 1 MiB of it): past MAX_SUMMARY_ROWS rows it says the files hold the rest. Pure.
import { escapeHtml, escapeHtmlWithCode } from '../../core/inert.js';
import { named, namedPrincipal, principalKindOf } from '../../core/shown-names.js';
import type { ReportChanges } from './access-compare.js';
import { runHeaderHtml, type RunHeader } from '../../core/report/run-header.js';
import {
  HOLDING_CLASSES,
  type AccessRow,
  type HoldingClass,
  type Named,
} from '../../core/report/access-rows.js';

/** Rows shown in the summary at most; the files hold them all. */
export const MAX_SUMMARY_ROWS = 1000;
/** Gained and lost rows shown at most, each. */
const MAX_CHANGES_SHOWN = 200;

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
  ].filter((p): p is string => p !== undefined);
  return parts.join(', ');
}

/** One log line per row. */
export function rowLine(r: AccessRow): string {
  const details = heldDetails(r);
  return `[${r.held}] ${principalShown(r)} → ${targetShown(r)} / ${roleShown(r)}${details ? ` (${details})` : ''}`;
}

/** A group expand-groups found no user in: why no row shows anyone through it. */
export function emptyGroupLine(group: Named): string {
  return `expand-groups: ${namedPrincipal(group.id, group.name, 'group')} has no user members: no row shows anyone holding its grants through it`;
}

export interface ReportSummaryOptions {
  /** The step, its run and sign-in, as every summary starts (./run-header.ts). */
  header: RunHeader;
  /** What was read, and at what cost, in words. */
  readLine: string;
  counts: Record<HoldingClass, number>;
  changes?: ReportChanges | undefined;
  /** The file compared with, as `compare-to` gave it. */
  comparedWith?: string | undefined;
  /** With expand-groups: the groups holding a grant whose members include no user. */
  emptyGroups?: readonly Named[] | undefined;
}

export function reportSummaryHtml(rows: readonly AccessRow[], options: ReportSummaryOptions): string {
  const html = [
    runHeaderHtml(options.header),
    `<p>${escapeHtmlWithCode(options.readLine)}</p>`,
    `<table><tr>${HOLDING_CLASSES.map((c) => `<th>${c}</th>`).join('')}<th>total</th></tr><tr>${HOLDING_CLASSES.map((c) => `<td>${options.counts[c]}</td>`).join('')}<td>${rows.length}</td></tr></table>`,
  ];
  if (options.changes) html.push(...changesHtml(options.changes, options.comparedWith ?? ''));
  if (rows.length === 0) html.push('<p>No assignment was found where the report read.</p>');
  for (const group of options.emptyGroups ?? []) html.push(`<p>${escapeHtml(emptyGroupLine(group))}</p>`);
  html.push(...byPrincipalHtml(rows.slice(0, MAX_SUMMARY_ROWS)));
  if (rows.length > MAX_SUMMARY_ROWS)
    html.push(
      `<p>${rows.length - MAX_SUMMARY_ROWS} more row(s) are in the files (outputs <code>report-json</code> and <code>report-csv</code>).</p>`,
    );
  return `${html.join('\n')}\n`;
}

function byPrincipalHtml(rows: readonly AccessRow[]): string[] {
  const groups = new Map<string, AccessRow[]>();
  for (const r of rows) {
    const key = `${r.principalKind}|${r.principalId}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((held) => {
    const counts = Object.fromEntries(HOLDING_CLASSES.map((c) => [c, 0])) as Record<HoldingClass, number>;
    for (const r of held) counts[r.held]++;
    const lines = held.map(
      (r) =>
        `<tr><td>${r.held}</td><td><code>${escapeHtml(targetShown(r))}</code></td><td><code>${escapeHtml(roleShown(r))}</code></td><td>${escapeHtml(heldDetails(r))}</td></tr>`,
    );
    return `<details><summary><code>${escapeHtml(principalShown(held[0]!))}</code>: ${held.length} grant(s), ${countsText(counts)}</summary><table><tr><th>held</th><th>target</th><th>role</th><th>details</th></tr>${lines.join('')}</table></details>`;
  });
}

function changesHtml(changes: ReportChanges, comparedWith: string): string[] {
  const list = (rows: AccessRow[]) =>
    `<ul>${rows
      .slice(0, MAX_CHANGES_SHOWN)
      .map(
        (r) =>
          `<li><code>${escapeHtml(principalShown(r))}</code> → <code>${escapeHtml(targetShown(r))}</code> / <code>${escapeHtml(roleShown(r))}</code> (${r.held}${r.viaGroup ? `, via group ${escapeHtml(r.viaGroup)}` : ''})</li>`,
      )
      .join(
        '',
      )}${rows.length > MAX_CHANGES_SHOWN ? `<li>and ${rows.length - MAX_CHANGES_SHOWN} more</li>` : ''}</ul>`;
  return [
    `<p>Since <code>${escapeHtml(comparedWith)}</code>: ${changes.gained.length} gained, ${changes.lost.length} lost.</p>`,
    ...(changes.gained.length > 0 ? [`<p>Gained:</p>${list(changes.gained)}`] : []),
    ...(changes.lost.length > 0 ? [`<p>Lost:</p>${list(changes.lost)}`] : []),
  ];
}
