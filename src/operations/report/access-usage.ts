// `report` with `last-used: true`: who last used each row's grant. The cloud's reader reads the
// sign-ins (AWS: CloudTrail's GetRoleCredentials in every Region of the instance; Azure: the PIM
// activations of its eligibilities) and each group row's members; the pure core
// (core/usage/last-used.ts) joins them with the rows; this module says what the evidence covers:
// since when, where, what it matched and what it could not, and whether it is complete (output
// `evidence-complete`). A row whose use the cloud does not log (Azure's active role assignments)
// says `unknown`, as every row does for a reader that reads no use at all.
import { escapeHtml, escapeHtmlWithCode } from '../../core/inert.js';
import type { UsageRequest } from '../../core/inputs/usage-inputs.js';
import {
  CURRENT_MEMBERS,
  TOO_NEW,
  unknownUsage,
  usageOf,
  type NameSpan,
  type RowUsage,
} from '../../core/usage/last-used.js';
import type { AccessReader, HeldAssignment, UsageRead } from '../../engine/run/access-reader.js';
import type { AccessRow } from './access-rows.js';

/** What the step says of the usage evidence at its end. */
export interface UsageEnding {
  complete: boolean;
  lines: string[];
  warnings: string[];
  summaryHtml: string;
  /** What the sign-ins read cover: since when (ISO 8601 UTC) and where; none where none were read. */
  covered?: { since: string; regions: string[] };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const withUsageOf = (row: AccessRow, usage: RowUsage): AccessRow => ({ ...row, ...usage });

/** The sets' current names, from the rows, where no history of their names was kept. */
const currentSetNames = (rows: readonly AccessRow[]): NameSpan[] => [
  ...new Map(
    rows.filter((r) => r.role !== null).map((r) => [r.roleId, { id: r.roleId, name: r.role! }]),
  ).values(),
];

/** The rows with their usage columns, and what the step says of the evidence; the rows alone without `last-used`. */
export async function withUsage(
  request: UsageRequest | undefined,
  reader: Pick<AccessReader, 'readUsage'>,
  held: readonly HeldAssignment[],
  rows: readonly AccessRow[],
  say: (line: string) => void,
  now: number,
): Promise<{ rows: AccessRow[]; ending?: UsageEnding }> {
  if (!request) return { rows: [...rows] };
  if (!reader.readUsage) {
    const why = 'Azure logs no per-grant use';
    return {
      rows: rows.map((r) => withUsageOf(r, unknownUsage(why))),
      ending: {
        complete: false,
        lines: [`last used: unknown on every row: ${why}`],
        warnings: [`last-used: ${why}: every row says \`unknown\`, and the evidence is not complete`],
        summaryHtml: `<p>${escapeHtmlWithCode(`Last used: \`unknown\` on every row (${why}).`)}</p>`,
      },
    };
  }
  const read = await reader.readUsage(held, request, say);
  return usageRows(rows, read, request, now);
}

/** The rows joined with a read's sign-ins, and the words on it. Pure. */
export function usageRows(
  rows: readonly AccessRow[],
  read: UsageRead,
  request: UsageRequest,
  now: number,
): { rows: AccessRow[]; ending: UsageEnding } {
  const joined = usageOf(rows, {
    signIns: read.signIns,
    since: read.since,
    now,
    windowMs: request.unusedAfterMs,
    setNames: read.setNames ?? currentSetNames(rows),
    userNames: read.userNames,
    members: read.members,
  });
  const withColumns = rows.map((r, i) => {
    const unlogged = read.unlogged?.(r);
    return withUsageOf(
      r,
      unlogged
        ? unknownUsage(unlogged)
        : read.unread
          ? unknownUsage('the sign-ins were not read')
          : joined.usage[i]!,
    );
  });
  const used = withColumns.filter((r) => /^\d/.test(r.lastUsed ?? '')).length;
  const tooNew = withColumns.filter((r) => r.lastUsed === TOO_NEW).length;
  const none = withColumns.filter((r) => r.lastUsed?.startsWith('none since')).length;
  const unknown = withColumns.filter((r) => r.lastUsed?.startsWith('unknown')).length;
  const evidence = read.evidence ?? "CloudTrail's `GetRoleCredentials`";
  const where = read.regions.length > 0 ? `, in ${read.regions.join(', ')}` : '';
  const notUses = Object.entries(read.notUses)
    .map(([why, n]) => `${n} ${why}`)
    .join(', ');
  const since = iso(read.since);
  const complete = read.gaps.length === 0;
  // A group's usedBy counts its members as the step read them: no history of memberships is kept.
  const counted = withColumns.some((r) => r.principalKind === 'group' && typeof r.usedBy === 'number');
  const lines = [
    ...read.notes,
    ...(read.setNames
      ? []
      : [
          'last used: sets matched by their current names (no history of their names is kept): a sign-in under a name a set had before is unmatched',
        ]),
    `last used: ${used} row(s) used, ${none} none since ${since}, ${tooNew} too new to tell${unknown > 0 ? `, ${unknown} unknown` : ''}; ${joined.unmatched} sign-in(s) matched no user or set (older records name their user only by name, matched where the names were kept)${notUses ? `; not uses: ${notUses}` : ''}`,
    `last used: evidence ${complete ? 'complete' : 'incomplete'}: since ${since}${where}`,
    ...(counted ? [`last used: ${CURRENT_MEMBERS}`] : []),
  ];
  return {
    rows: withColumns,
    ending: {
      complete,
      covered: { since, regions: read.regions },
      lines,
      warnings: read.gaps.map(
        (gap) => `last-used: the evidence is incomplete (\`evidence-complete: false\`): ${gap}`,
      ),
      summaryHtml: [
        `<p>${escapeHtmlWithCode(`Last used (${evidence} since ${since}${where}): ${used} row(s) used, ${none} with none since then, ${tooNew} too new to tell${unknown > 0 ? `, ${unknown} unknown` : ''}; ${joined.unmatched} sign-in(s) matched no row's user or set.`)}</p>`,
        `<p>Evidence ${complete ? 'complete' : `<strong>incomplete</strong>: ${read.gaps.map(escapeHtml).join('; ')}`}.</p>`,
        ...(counted ? [`<p>${escapeHtml(`U${CURRENT_MEMBERS.slice(1)}.`)}</p>`] : []),
      ].join('\n'),
    },
  };
}
