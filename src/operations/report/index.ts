// `operation: report`: who holds what, read-only, on any event. Check (operations/report/report-check.ts: the
// manifests and the previous report, before any sign-in) → read (the cloud's AccessReader: the
// plan and its cost said before it starts, progress while it runs) → plan (./access-rows.ts:
// each assignment's class, and a row per user a group reaches) → report (the files, the outputs and
// the summary: operations/report/access-ending.ts). Nothing is applied: a report writes no cloud state.
// The runner's effects and the sources (the workspace's files, the cloud's reader, the files' folder)
// come in as parameters, so the step is tested without a bundle.
import { runEventOf } from '../../core/check/events.js';
import { checkReport } from './report-check.js';
import type { ManifestText } from '../../core/check/manifest.js';
import type { ConfigOf } from '../../core/inputs/index.js';
import { reportEnding } from './access-ending.js';
import { coveredText } from './access-covered.js';
import { csvFileName, csvReadAt, reportCsv, reportDocument, reportJson } from './access-files.js';
import { accessRows } from './access-rows.js';
import { withUsage } from './access-usage.js';
import { pruneByPullRequest } from './prune-pull.js';
import type { ManifestPullsApi } from '../../github/manifest-pulls.js';
import { groupsWithoutUsers } from './access-summary.js';
import { emitStepReport, headerOf, stepTitle } from '../../core/output/step.js';
import type { AccessReader } from '../../engine/run/access-reader.js';
import { withReadProgress, type CallActivity } from '../../engine/calls/read-progress.js';
import type { EventRunner } from '../runner.js';
import type { ReadRuns } from '../../core/claims/claims.js';
import { claimVerdict, runsDecidingVerdicts } from '../../core/claims/live.js';
import type { HeldAssignment } from '../../engine/run/access-reader.js';

/**
 * Each assignment with the verdict on its run's claim (core/claims/live.ts), its runs asked about
 * once each: a claim whose run has ended, or cannot be read, holds nothing, as in a reconcile.
 */
async function withVerdicts(
  held: HeldAssignment[],
  readRuns: ReadRuns | undefined,
  now: number,
): Promise<{ held: HeldAssignment[]; notes: string[] }> {
  const weighed = (h: HeldAssignment) => h.runClaim !== undefined && h.verdict === undefined;
  const asked = runsDecidingVerdicts(
    held.filter(weighed).map((h) => h.runClaim!),
    now,
  );
  const runs = asked.length > 0 && readRuns ? await readRuns(asked) : undefined;
  const states = runs?.states ?? new Map();
  const notes =
    asked.length === 0
      ? []
      : runs
        ? [`GitHub: ${runs.states.size} run(s) that claim a grant asked about in ${runs.requests} request(s)`]
        : [
            `GitHub: ${asked.length} run(s) claim a grant, and no \`github-token\` was given to ask whether they have finished: whether their claims are live is unknown (\`live\` left empty)`,
          ];
  return {
    held: held.map((h) => (weighed(h) ? { ...h, verdict: claimVerdict(h.runClaim!, states, now) } : h)),
    notes: [
      ...notes,
      ...(runs?.rateLimited ? [runs.rateLimited] : []),
      ...(runs?.unreachable ? [runs.unreachable] : []),
    ],
  };
}

/** Where a report reads from and writes to. */
export interface ReportSources {
  readManifest(path: string): Promise<ManifestText>;
  readPrevious(path: string): Promise<ManifestText>;
  /**
   * Signs in, and gives the cloud's reader (and its calls, for the progress lines), and GitHub's
   * word on the runs that claim what it lists (none without a token).
   */
  openReader(): Promise<{ reader: AccessReader; activity?: CallActivity | undefined; readRuns?: ReadRuns }>;
  /** Writes the files (under RUNNER_TEMP), the CSV under `csvName`; their paths. */
  writeFiles(json: string, csv: string, csvName?: string): Promise<{ json: string; csv: string }>;
  /** GitHub's API with `github-token` on the run's repository: what `prune: pull-request` writes. */
  openPulls(): Promise<ManifestPullsApi>;
}

/** What a report read: the checked manifests and previous report, the cloud's read, and its rows. */
export type AccessRead = Exclude<Awaited<ReturnType<typeof readAccess>>, undefined>;

/**
 * The report's check, read and plan: each assignment's class, and the users each group reaches;
 * undefined when the check stopped the step (and said why).
 */
export async function readAccess(
  config: ConfigOf<'report'>,
  runner: EventRunner,
  sources: Pick<ReportSources, 'readManifest' | 'readPrevious' | 'openReader'>,
  now: () => number = Date.now,
) {
  const { effects } = runner;
  const run = runEventOf(runner.env);
  const request = config.report;

  // Check.
  const [manifests, previous] = await Promise.all([
    Promise.all(request.manifests.map((path) => sources.readManifest(path))),
    request.compareTo ? sources.readPrevious(request.compareTo) : Promise.resolve(undefined),
  ]);
  const checked = checkReport(config, manifests, previous, run);
  if ('stop' in checked) {
    await emitStepReport(checked.stop, effects);
    return undefined;
  }
  for (const note of checked.notes) effects.info(note);

  // Read.
  const { reader, activity, readRuns } = await sources.openReader();
  let estimate: number | undefined;
  const read = await withReadProgress(
    'who holds what',
    () =>
      reader.read({
        manifests: checked.manifests,
        onPlan: (plan) => {
          estimate = plan.calls;
          effects.info(
            `report: reading by ${plan.strategy}: about ${plan.calls} call(s), about ${plan.minutes} minute(s) at the service's pace`,
          );
        },
      }),
    { say: (line) => effects.info(line), activity, estimate: () => estimate },
  );
  for (const note of read.notes) effects.info(note);
  for (const warning of read.warnings) effects.warning(warning);
  const readLine = `read: ${read.read.strategy}: ${read.read.calls} call(s) in ${read.readMs} ms`;
  effects.info(readLine);

  // Plan: each claim weighed as a reconcile weighs it, each assignment's class, and the users each group reaches.
  const weighed = await withVerdicts(read.held, readRuns, now());
  for (const note of weighed.notes) effects.info(note);
  const rows = accessRows(config.cloud, weighed.held, config.run, read.members);
  return { checked, read, readLine, rows, reader, activity };
}

export async function runReport(
  config: ConfigOf<'report'>,
  runner: EventRunner,
  sources: ReportSources,
  now: () => number,
): Promise<void> {
  const { effects } = runner;
  const request = config.report;
  const title = stepTitle({ ...config, dryRun: false });
  const access = await readAccess(config, runner, sources, now);
  if (!access) return;
  const { checked, read, readLine, reader } = access;
  // With `last-used: true`: who last used each row, the cost said before the reads start.
  const { rows, ending: usage } = await withUsage(
    request.usage,
    reader,
    read.held,
    access.rows,
    (line) => effects.info(line),
    now(),
  );
  // With `prune: pull-request`: the manifest's unused rows removed by pull request, never the cloud's.
  const prune = await pruneByPullRequest(config, {
    ...{ rows, usage, reader, eventName: runner.env.GITHUB_EVENT_NAME, now: now() },
    openPulls: () => sources.openPulls(),
  });

  // Report.
  const cover = read.cover ? { ...read.cover, expandGroups: request.expandGroups } : undefined;
  const generatedAt = now();
  const document = reportDocument(config.cloud, rows, read.scope, generatedAt, cover, read.windows);
  // The CSV's name and its `readAt` column say the same time: when the grants were read.
  const readAt = csvReadAt(read.windows, generatedAt);
  const files = await sources.writeFiles(
    reportJson(document),
    reportCsv(
      config.cloud,
      rows,
      coveredText({ cloud: config.cloud, request, cover, instance: read.instance }),
      readAt,
    ),
    csvFileName(config.cloud, Date.parse(readAt)),
  );
  await emitStepReport(
    reportEnding(rows, {
      cloud: config.cloud,
      header: headerOf(config, title),
      readLine: `What was read: ${read.scope}. ${readLine}.`,
      files,
      emptyGroups: groupsWithoutUsers(read.held, read.members),
      ...(checked.previous && request.compareTo
        ? { previous: { report: checked.previous, path: request.compareTo } }
        : {}),
      cover,
      missed: read.read.missed ?? [],
      usage,
      prune,
    }),
    effects,
  );
  effects.debug(`calls: ${JSON.stringify(reader.stats)}`);
}
