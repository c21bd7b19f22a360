// `report` with `prune: pull-request`: after the rows have their last use, the manifest's rows
// nobody used for `unused-after` (./prune-rows.ts), their sets' tags read first (only theirs, on
// the report's session), removed by one pull request on `cloud-access-prune/<UTC date>` (the
// review's machinery: github/manifest-pulls.ts), each with its evidence (./prune-text.ts). It
// never writes to the cloud: the reconcile applies the merged manifest. Nothing is pruned on
// incomplete evidence; a run that may not write (a dry run, an event outside WRITE_EVENTS) writes
// no branch and says what it would remove; an open pull request on today's branch is reused only
// when it is exactly this removal (a re-run with the same result changes nothing), else refused.
import { writesRefusedFor } from '../../core/check/events.js';
import { CloudAccessError } from '../../core/errors.js';
import type { ConfigOf } from '../../core/inputs/index.js';
import type { AccessReader } from '../../engine/run/access-reader.js';
import {
  openRemovalPull,
  removalEdits,
  type ManifestPullsApi,
  type RemovalWords,
} from '../../github/manifest-pulls.js';
import { rowKey } from './access-row-key.js';
import type { AccessRow } from './access-rows.js';
import type { UsageEnding } from './access-usage.js';
import { pruneCandidates, pruneChoice, type PruneChoice } from './prune-rows.js';
import {
  pruneSummaryHtml,
  pruneTexts,
  sourceText,
  windowText,
  type PruneEnding,
  type PruneFacts,
} from './prune-text.js';

export const pruneBranch = (date: string): string => `cloud-access-prune/${date}`;

const PRUNE_WORDS: RemovalWords = {
  by: 'the prune',
  ours: "this report's prune",
  rows: 'the unused rows',
  rerun: 'run the report again',
};

export interface PruneContext {
  rows: readonly AccessRow[];
  usage: UsageEnding | undefined;
  reader: Pick<AccessReader, 'setTags' | 'accountsUnder'>;
  eventName: string | undefined;
  now: number;
  /** GitHub's API with `github-token`, on the run's repository: opened only to write. */
  openPulls(): Promise<ManifestPullsApi>;
}

/** The prune's ending; none without `prune`. */
export async function pruneByPullRequest(
  config: ConfigOf<'report'>,
  context: PruneContext,
): Promise<PruneEnding | undefined> {
  const { usage: request, prune } = config.report;
  if (!prune || !request) return undefined;
  const date = new Date(context.now).toISOString().slice(0, 10);
  const facts: PruneFacts = {
    window: windowText(request.unusedAfterMs),
    since: context.usage?.covered?.since ?? '—',
    regions: context.usage?.covered?.regions ?? [],
    source: sourceText(request.source, config.report.snapshot !== undefined),
    date,
  };
  const complete = context.usage?.complete ?? false;
  const candidates = complete ? pruneCandidates(context.rows) : [];
  const setTags =
    candidates.length > 0 && context.reader.setTags
      ? await context.reader.setTags([...new Set(candidates.map((r) => r.roleId))])
      : new Map<string, string>();
  const choice = pruneChoice(context.rows, { complete, setTags });
  const said = (done: string, more: Partial<PruneEnding> = {}, removed = choice.pruned): PruneEnding => ({
    url: '',
    lines: [`prune: ${done}`],
    warnings: [],
    summaryHtml: pruneSummaryHtml(done, { ...choice, removed, facts }),
    ...more,
  });
  if (!complete) {
    const why =
      'no pull request: the evidence is incomplete (`evidence-complete: false`), so no row’s `none since` proves it unused';
    return said(why, { warnings: [`prune: ${why}`] });
  }
  if (choice.pruned.length === 0)
    return said(`no manifest row went unused for \`${facts.window}\`: no pull request`);
  const refused = config.dryRun
    ? '`dry-run: true`'
    : writesRefusedFor(context.eventName, 'no branch or pull request was written')?.reason;
  if (refused)
    return said(
      `would remove ${choice.pruned.length} manifest row(s) unused for \`${facts.window}\` by a pull request on \`${pruneBranch(date)}\`; this run writes none (${refused})`,
    );
  return pullRequestFor(choice, facts, context);
}

/** The pull request, opened or found; rows the edit could not remove kept, with why. */
async function pullRequestFor(
  choice: PruneChoice,
  facts: PruneFacts,
  context: PruneContext,
): Promise<PruneEnding> {
  const branch = pruneBranch(facts.date);
  const rows = choice.pruned.map((r) => ({ ...r, id: rowKey(r) }));
  try {
    const api = await context.openPulls();
    const accountsUnder = async (units: readonly string[]) =>
      (await context.reader.accountsUnder?.(units)) ?? new Map();
    const { edits, head, left } = await removalEdits(api, rows, accountsUnder);
    const leftWhy = new Map(left.map((l) => [l.rowId, l.why]));
    const kept = [
      ...choice.kept,
      ...rows.flatMap((r) =>
        leftWhy.has(r.id) ? [{ row: r, why: `left for removal by hand: ${leftWhy.get(r.id)}` }] : [],
      ),
    ];
    const removed = edits.flatMap((e) => e.rows);
    const warnings =
      left.length > 0
        ? [
            `prune: ${left.length} unused manifest row(s) could not be removed by the pull request: remove them by hand (the summary says why)`,
          ]
        : [];
    const parts = { ...choice, kept, removed, facts };
    if (edits.length === 0 || !head) {
      const done = 'no unused row could be removed from its manifest: no pull request';
      return { url: '', lines: [`prune: ${done}`], warnings, summaryHtml: pruneSummaryHtml(done, parts) };
    }
    const pull = await openRemovalPull(api, branch, { edits, head }, pruneTexts(removed, facts), PRUNE_WORDS);
    const done = `${removed.length} manifest row(s) unused for \`${facts.window}\` removed by pull request ${pull.url} (\`${branch}\`); merged, the reconcile deletes them`;
    return { url: pull.url, lines: [`prune: ${done}`], warnings, summaryHtml: pruneSummaryHtml(done, parts) };
  } catch (failure) {
    if (!(failure instanceof CloudAccessError)) throw failure;
    const done = `no pull request: ${failure.describe()}`;
    return {
      url: '',
      lines: [`prune: ${done}`],
      warnings: [],
      summaryHtml: pruneSummaryHtml(done, { ...choice, removed: [], facts }),
      failed: `prune: ${failure.describe()}`,
    };
  }
}
