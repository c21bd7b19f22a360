// What `prune: pull-request` says: the pull request's body (each removed row with its evidence
// line: none since when, the window, the source and the Regions; what that evidence proves and what
// it cannot), and the step's lines, warnings and job summary (what it removed or would remove, the
// rows it kept and why, the unused rows outside the manifest as candidates for `revoke` or a
// review). Server text is inert: code spans in the Markdown, escaped in the HTML. Pure.
import { escapeHtml, escapeHtmlWithCode } from '../../core/inert.js';
import { code, tableHead, tableRow } from '../../core/inert-markdown.js';
import type { UsageSource } from '../../core/inputs/usage-inputs.js';
import type { AccessRow } from './access-rows.js';
import { principalShown } from './access-summary.js';

/** What the evidence covers: the window, since when, where, and from which source. */
export interface PruneFacts {
  /** `unused-after`, as `90d`. */
  window: string;
  since: string;
  regions: readonly string[];
  source: string;
  /** The UTC date of the run, the branch's and the title's. */
  date: string;
}

/** What the prune says at the step's end. */
export interface PruneEnding {
  /** The pull request's URL (output `prune-pull-request`); empty when none. */
  url: string;
  lines: string[];
  warnings: string[];
  summaryHtml: string;
  /** The pull request was refused (a branch not ours, a permission): the step fails with this. */
  failed?: string | undefined;
}

/** Rows a summary's table shows at most; the report's files hold every row. */
const SHOWN_ROWS = 50;
const DAY = 86_400_000;

export const windowText = (ms: number): string =>
  ms % DAY === 0 ? `${ms / DAY}d` : `${Math.round(ms / 3_600_000)}h`;

export function sourceText(source: UsageSource, ledger = false): string {
  if (source.kind === 'athena')
    return `the Athena table \`${source.database}.${source.table}\` (workgroup \`${source.workgroup}\`)`;
  // With a snapshot, the uses read on earlier runs are kept in its usage ledger: "none since" may be older than 90 days.
  return ledger
    ? "CloudTrail's event history (`LookupEvents`), kept run after run in the snapshot's usage ledger"
    : "CloudTrail's event history (`LookupEvents`)";
}

/** One row's evidence, in the words of the pull request and the summary. */
export function evidenceLine(row: AccessRow, facts: PruneFacts): string {
  const who = row.principalKind === 'group' ? 'no member of the group' : 'nobody';
  return `${row.lastUsed ?? ''}: ${who} signed in with it (\`GetRoleCredentials\`) in the \`${facts.window}\` window, read from ${facts.source} in ${facts.regions.join(', ')}`;
}

const EVIDENCE_LIMITS =
  "The evidence is IAM Identity Center's own record of each sign-in to an account with a permission set (a portal or CLI `GetRoleCredentials`): a CLI session refreshed without a new sign-in is one event, a use through another path (an IAM user, a role assumed from elsewhere) is not seen, and a group's uses are its current members'.";

/** The pull request's title, its commit's message per manifest, and its body. */
export function pruneTexts(rows: readonly AccessRow[], facts: PruneFacts) {
  const title = `Prune unused access (${facts.date}): remove ${rows.length} row(s) from the manifest`;
  const body = [
    `The access report of ${facts.date} found these manifest rows unused for \`${facts.window}\`: no sign-in with them since ${facts.since}, in ${facts.regions.join(', ')}, read from ${facts.source}. Merged, the reconcile deletes them; until then nothing changes in the cloud. Only their entries' lines change.`,
    '',
    EVIDENCE_LIMITS,
    '',
    ...tableHead(['Principal', 'Account', 'Permission set', 'Manifest', 'Evidence']),
    ...rows.map((r) =>
      tableRow([
        `${r.principalName ? `${code(r.principalName)} ` : ''}${code(r.principalId)}`,
        code(r.target ?? r.targetId),
        code(r.role ?? r.roleId),
        code(`${r.manifest}:${r.manifestLine}`),
        code(evidenceLine(r, facts)),
      ]),
    ),
    '',
  ].join('\n');
  return {
    title,
    body,
    message: (e: { path: string; rows: readonly unknown[] }) =>
      `Prune unused access (${facts.date}): remove ${e.rows.length} row(s) from ${e.path}`,
  };
}

const cell = (text: string) => `<td>${escapeHtml(text)}</td>`;

/** A table of rows with a last column of their own; past SHOWN_ROWS, how many more. */
function rowsTable(rows: readonly AccessRow[], last: string, lastOf: (r: AccessRow) => string): string {
  const head = ['principal', 'account', 'permission set', 'manifest', last].map((h) => `<th>${h}</th>`);
  const body = rows.slice(0, SHOWN_ROWS).map((r) =>
    [
      '<tr>',
      cell(principalShown(r)),
      cell(r.target ?? r.targetId),
      cell(r.role ?? r.roleId),
      cell(r.manifest ? `${r.manifest}:${r.manifestLine}` : '—'),
      // The action's own words, with its code spans (any server text inside is escaped first).
      `<td>${escapeHtmlWithCode(lastOf(r))}</td>`,
      '</tr>',
    ].join(''),
  );
  const more =
    rows.length > SHOWN_ROWS
      ? [`<p>… and ${rows.length - SHOWN_ROWS} more (the report's files hold every row).</p>`]
      : [];
  return [`<table><tr>${head.join('')}</tr>`, ...body, '</table>', ...more].join('\n');
}

/** The summary's section: what the prune did (`done`: its one sentence), its rows, those kept, and the candidates. */
export function pruneSummaryHtml(
  done: string,
  parts: {
    removed: readonly AccessRow[];
    kept: readonly { row: AccessRow; why: string }[];
    outside: readonly AccessRow[];
    facts: PruneFacts;
  },
): string {
  const whyOf = new Map(parts.kept.map((k) => [k.row, k.why]));
  return [
    `<h3>Prune</h3>`,
    `<p>${escapeHtmlWithCode(done)}</p>`,
    ...(parts.removed.length > 0
      ? [rowsTable(parts.removed, 'evidence', (r) => evidenceLine(r, parts.facts))]
      : []),
    ...(parts.kept.length > 0
      ? [
          `<p>${escapeHtmlWithCode(`Kept in the manifest: ${parts.kept.length} row(s).`)}</p>`,
          rowsTable(
            parts.kept.map((k) => k.row),
            'why kept',
            (r) => whyOf.get(r) ?? '',
          ),
        ]
      : []),
    ...(parts.outside.length > 0
      ? [
          `<p>${escapeHtmlWithCode(`Unused for \`${parts.facts.window}\` and in no manifest: ${parts.outside.length} row(s), candidates for \`operation: revoke\` or an access review (the prune never touches them).`)}</p>`,
          rowsTable(parts.outside, 'last used', (r) => r.lastUsed ?? ''),
        ]
      : []),
    `<p>${escapeHtmlWithCode(EVIDENCE_LIMITS)}</p>`,
  ].join('\n');
}
