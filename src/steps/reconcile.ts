// `operation: reconcile`: make the cloud match the manifest. Every check that needs no cloud runs
// first (the event, the file and everything in it), then names are resolved and the current state
// read, and the plan is reported; only then, and only within `max-deletions`, is anything written
// (./reconcile-apply.ts: the old half of a change of role only once the new half exists).
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { CloudAccessError } from '../core/errors.js';
import { adapterSettingsOf, awsSettingsOf, azureSettingsOf, type StepConfig } from '../core/inputs/index.js';
import { inertJson } from '../core/inert.js';
import { closestNames } from '../core/lists.js';
import type { ManifestProblem } from '../core/manifest/nodes.js';
import { instanceArnConflict } from '../core/manifest/aws.js';
import { MAX_MANIFEST_ASSIGNMENTS, parseManifest } from '../core/manifest/parse.js';
import type { Manifest } from '../core/manifest/types.js';
import { manifestMarkerOf } from '../core/ownership-marker.js';
import {
  deletesAwaitCreate,
  driftRemaining,
  hasDrift,
  planCounts,
  planReconcile,
  refusalOf,
  shownRows,
  withNames,
} from '../core/reconcile-plan.js';
import { forkPlanSkipped, planLines, planSummaryHtml, refusedResult } from '../core/reconcile-report.js';
import { runSummaryLine, summariseResults } from '../core/report.js';
import type { GrantResult } from '../core/types.js';
import { writesRefusedFor } from '../core/write-events.js';
import type { Reconciler } from '../engine/reconcile.js';
import { applyPlan } from './reconcile-apply.js';
import { failOnResults, finishBeforeAnyGrant, logGrant, setStepOutputs } from '../github/job-report.js';
import {
  debug,
  error,
  errorAt,
  info,
  notice,
  setFailed,
  setJsonOutput,
  setOutput,
  warningAt,
} from '../github/log.js';
import { appendSummary } from '../github/summary.js';
import { adapterDeps } from './session.js';

/** The most a manifest file may hold: far more than any real one, and a bound on what is parsed. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

export async function runReconcile(config: StepConfig): Promise<void> {
  const request = config.reconcile!;
  const title = `cloud-access: ${config.cloud} reconcile${config.dryRun ? ' (dry run)' : ''}`;
  const refusedEvent = config.dryRun
    ? undefined
    : writesRefusedFor(process.env.GITHUB_EVENT_NAME || undefined);
  if (refusedEvent)
    return stopBefore([new CloudAccessError(refusedEvent.reason, { fix: refusedEvent.fix })], title);

  const manifest = await loadManifest(request.manifest);
  if ('problems' in manifest)
    return stopAtLines(
      request.manifest,
      manifest.problems,
      'invalid manifest; nothing was requested from the cloud',
      title,
    );
  if (!manifest.manifest[config.cloud])
    return stopBefore(
      [
        new CloudAccessError(`the manifest ${request.manifest} has no \`${config.cloud}\` section`, {
          input: 'manifest',
          fix: `add an \`${config.cloud}:\` section, or set \`cloud\` to the section it has`,
        }),
      ],
      title,
    );
  const instanceConflict =
    config.cloud === 'aws' ? instanceArnConflict(manifest.manifest.aws!, config.instanceArn) : undefined;
  if (instanceConflict)
    return stopAtLines(
      request.manifest,
      [instanceConflict],
      'the manifest and the inputs name two instances; nothing was requested from the cloud',
      title,
    );
  const skipped = forkPlanSkipped(
    process.env.GITHUB_EVENT_NAME,
    config.dryRun,
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL,
    config.cloud === 'aws' ? Boolean(config.roleToAssume) : Boolean(config.clientId && config.tenantId),
  );
  if (skipped) return notice(skipped);
  const marker =
    config.cloud === 'azure' ? manifestMarkerOf(config.run.repository, manifest.manifest.path) : '';
  const deps = await adapterDeps(config, adapterSettingsOf(config), { step: 'main' });
  const reconciler = await openReconciler(config, manifest.manifest, deps, marker);

  await reconciler.prepare();
  const expansion = await reconciler.expand();
  for (const note of [...expansion.notes, ...(expansion.ownership ?? [])]) info(note);
  for (const w of expansion.warnings ?? [])
    warningAt(`${request.manifest}:${w.line}: ${w.message}`, request.manifest, w.line);
  const section = manifest.manifest[config.cloud]!;
  if (expansion.desired.length > MAX_MANIFEST_ASSIGNMENTS)
    expansion.problems.push({
      line: section.line,
      message: `\`${config.cloud}\` expands to ${expansion.desired.length} assignments (OU targets counted by their accounts); at most ${MAX_MANIFEST_ASSIGNMENTS} fit in one manifest section`,
      fix: 'split the manifest, or narrow the OU targets',
    });
  if (expansion.problems.length > 0)
    return stopAtLines(
      request.manifest,
      expansion.problems,
      'the manifest does not resolve against the cloud (names, tags, or its size once OUs are expanded); nothing was written',
      title,
    );

  const readStarted = Date.now();
  const { current, read, problems } = await reconciler.readCurrent(expansion.desired);
  const readMs = Date.now() - readStarted;
  if (problems?.length)
    return stopAtLines(
      request.manifest,
      problems,
      'the cloud contradicts the manifest; nothing was written',
      title,
    );
  const unnamed = planReconcile(expansion.desired, current);
  // Who gains and loses what, by name: a reviewer cannot read IDs. After the read it reports.
  const naming = await reconciler.names(shownRows(unnamed));
  for (const note of naming.notes) info(note);
  const plan = withNames(unnamed, naming.nameOf);
  for (const line of planLines(plan, read.strategy, read.calls, readMs)) info(line);
  for (const alternative of read.alternatives)
    info(`(instead: ${alternative.strategy}: ${alternative.calls} call(s))`);

  const refusal = refusalOf(plan, {
    maxDeletions: request.maxDeletions,
    allowDeleteAll: section.manages.allowDeleteAll,
    section: config.cloud,
  });
  const dryRun = config.dryRun || refusal !== undefined;
  // A refused plan is reported as a dry run of the whole of it.
  const awaitCreate = !refusal && deletesAwaitCreate(plan, section.manages.allowDeleteAll);
  const emptied = `they would leave the \`${config.cloud}\` section managing nothing`;
  const waiting = `the ${plan.deletes.length} delete(s) wait until a create has SUCCEEDED: without one, ${emptied}`;
  if (awaitCreate) info(dryRun ? `on apply, ${waiting}` : waiting);
  const writes = reconciler.writes(plan.creates, plan.deletes);
  // A refused plan is run as a dry run, and each of its rows is FAILED: the plan was not run.
  const shown = (r: GrantResult) => (refusal ? refusedResult(r, refusal.reason) : r);
  const common = {
    wait: true,
    maxConcurrency: config.maxConcurrency,
    deadline: deps.deadline,
    onResult: (r: GrantResult) => logGrant(shown(r), dryRun),
  };
  const applied = await applyPlan(plan, writes, { ...common, dryRun, awaitCreate });
  const { held, heldForNoCreate } = applied;
  const results = applied.results.map(shown);
  const noCreate = `${heldForNoCreate} delete(s) did not run: no create succeeded, and ${emptied}`;
  const { status } = summariseResults(results);
  const outcome = refusal
    ? `FAILED: the plan was refused: ${refusal.reason}. To apply it: ${refusal.fix}.`
    : config.dryRun
      ? `Dry run${status === 'SUCCEEDED' ? '' : `, status ${status}`}: nothing was written.${awaitCreate ? ` On apply, ${waiting}.` : ''}`
      : heldForNoCreate > 0
        ? `FAILED: ${noCreate}.`
        : held > 0
          ? `FAILED: ${held} delete(s) did not run: the create that replaces each did not succeed.`
          : `Applied, status ${status}.`;
  const runLine = runSummaryLine(config.run);
  await appendSummary(
    planSummaryHtml(plan, {
      title: refusal ? `${title}: plan refused` : title,
      ...(runLine ? { runLine } : {}),
      manifest: request.manifest,
      readStrategy: read.strategy,
      readCalls: read.calls,
      outcome,
      results: {
        mode: refusal ? 'refused' : config.dryRun ? 'dry-run' : 'apply',
        creates: applied.results.slice(0, plan.creates.length).map(shown),
        deletes: applied.deleteResults.map((r) => r && shown(r)),
      },
      ownership: expansion.ownership ?? [],
    }),
  );
  setStepOutputs(results);
  // After setStepOutputs(), which sets every output (these three empty) from the results.
  setJsonOutput('plan', inertJson(planCounts(plan)));
  setOutput('drift', String(hasDrift(plan)));
  setOutput('drift-remaining', String(driftRemaining(plan, { wrote: !dryRun, results })));
  if (refusal) {
    // One error for the refusal, not one for each row it held back.
    setOutput('status', 'FAILED');
    setOutput('failure-reason', refusal.reason);
    setFailed(`${refusal.reason}: ${refusal.fix}`);
  } else failOnResults(results, { operation: 'assign', wait: true });
  if (heldForNoCreate > 0) error(noCreate);
  if (held > 0)
    error(
      `${held} delete(s) did not run: the create that replaces each (a change of role) did not succeed, and a principal is never left with neither`,
    );
  debug(`calls: ${JSON.stringify(reconciler.stats)}`);
  return undefined;
}

async function openReconciler(
  config: StepConfig,
  manifest: Manifest,
  deps: Awaited<ReturnType<typeof adapterDeps>>,
  marker: string,
): Promise<Reconciler> {
  if (config.cloud === 'aws') {
    const { createAwsReconciler } = await import('../aws/reconcile.js');
    return createAwsReconciler(awsSettingsOf(config), manifest.aws!, deps);
  }
  const { createAzureReconciler } = await import('../azure/reconcile.js');
  return createAzureReconciler(azureSettingsOf(config), manifest.azure!, deps, marker);
}

/** The manifest from the workspace: a regular file inside it (a link out of it is refused), parsed. */
async function loadManifest(path: string): Promise<{ manifest: Manifest } | { problems: ManifestProblem[] }> {
  const workspace = resolve(process.env.GITHUB_WORKSPACE || process.cwd());
  const file = join(workspace, path);
  const fail = (message: string) => ({ problems: [{ line: 1, message }] });
  try {
    const [root, real] = await Promise.all([realpath(workspace), realpath(file)]);
    if (!real.startsWith(root + sep)) return fail(`is outside the workspace (a link to ${real})`);
    const info = await stat(real);
    if (!info.isFile()) return fail('is not a file');
    if (info.size > MAX_MANIFEST_BYTES)
      return fail(`is ${info.size} bytes; a manifest may hold at most ${MAX_MANIFEST_BYTES}`);
    return parseManifest(path, await readFile(real, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') return fail(`could not be read (${code ?? 'error'})`);
    const similar = await similarFile(workspace, path);
    return fail(
      `was not found in the workspace (${workspace}): ${similar ? `did you mean \`${similar}\`? Or` : 'or'} check out the repository first (actions/checkout)`,
    );
  }
}

/**
 * A file beside the missing manifest with a close name (`access/manifest.yaml` for
 * `access/manifest.yml`, another case), as a path like the one written. Only the folder the path
 * names is read, and only when it is inside the workspace.
 */
async function similarFile(workspace: string, path: string): Promise<string | undefined> {
  try {
    const [root, folder] = await Promise.all([realpath(workspace), realpath(dirname(join(workspace, path)))]);
    if (folder !== root && !folder.startsWith(root + sep)) return undefined;
    const files = (await readdir(folder, { withFileTypes: true })).filter((f) => f.isFile());
    const [close] = closestNames(
      basename(path),
      files.map((f) => f.name),
      1,
    );
    return close === undefined ? undefined : join(dirname(path), close);
  } catch {
    // No such folder, or one that cannot be read: nothing to suggest.
    return undefined;
  }
}

/** Every problem as an annotation on its line, then the step's failure, before any write. */
async function stopAtLines(
  file: string,
  problems: ManifestProblem[],
  headline: string,
  title: string,
): Promise<void> {
  const described = problems.map((p) => `${file}:${p.line}: ${p.message}${p.fix ? `: ${p.fix}` : ''}`);
  for (const [i, p] of problems.entries()) errorAt(described[i]!, file, p.line);
  await finishBeforeAnyGrant(
    described,
    `${problems.length} problem(s) in the manifest: ${headline}`,
    `${title}: invalid manifest`,
  );
}

async function stopBefore(problems: CloudAccessError[], title: string): Promise<void> {
  const described = problems.map((p) => p.describe());
  for (const d of described) error(d);
  await finishBeforeAnyGrant(described, 'nothing was requested from the cloud', `${title}: refused`);
}
