// `operation: reconcile`: make the cloud match the manifest. Every check that needs no cloud runs
// first (the event, the file and everything in it), then names are resolved and the current state
// read, and the plan is reported; only then, and only within `max-deletions`, is anything written
// (./reconcile-apply.ts: the old half of a change of role only once the new half exists).
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { CloudAccessError } from '../core/errors.js';
import { adapterSettingsOf, awsSettingsOf, azureSettingsOf, type StepConfig } from '../core/inputs/index.js';
import { inertJson } from '../core/inert.js';
import type { ManifestProblem } from '../core/manifest/nodes.js';
import { instanceArnConflict } from '../core/manifest/aws.js';
import { MAX_MANIFEST_ASSIGNMENTS, parseManifest } from '../core/manifest/parse.js';
import type { Manifest } from '../core/manifest/types.js';
import { manifestMarkerOf } from '../core/ownership-marker.js';
import {
  deletesAwaitCreate,
  hasDrift,
  planCounts,
  planReconcile,
  refusalOf,
} from '../core/reconcile-plan.js';
import { forkPlanSkipped, planLines, planSummaryHtml } from '../core/reconcile-report.js';
import type { GrantResult } from '../core/types.js';
import { writesRefusedFor } from '../core/write-events.js';
import type { Reconciler } from '../engine/reconcile.js';
import { applyPlan } from './reconcile-apply.js';
import { finish, finishBeforeAnyGrant, logGrant } from '../github/job-report.js';
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
  const plan = planReconcile(expansion.desired, current);
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
  if (awaitCreate) info(waiting);
  const writes = reconciler.writes(plan.creates, plan.deletes);
  const common = {
    wait: true,
    maxConcurrency: config.maxConcurrency,
    deadline: deps.deadline,
    onResult: (r: GrantResult) => logGrant(r, dryRun),
  };
  const { results, held, heldForNoCreate } = await applyPlan(plan, writes, {
    ...common,
    dryRun,
    awaitCreate,
  });
  const noCreate = `${heldForNoCreate} delete(s) did not run: no create succeeded, and ${emptied}`;
  const outcome = refusal
    ? `Refused: ${refusal.reason}.`
    : config.dryRun
      ? `Dry run: nothing was written.${awaitCreate ? ` On apply, ${waiting}.` : ''}`
      : heldForNoCreate > 0
        ? `${noCreate}.`
        : held > 0
          ? `${held} delete(s) did not run: the create that replaces each did not succeed.`
          : 'Applied.';
  await appendSummary(
    planSummaryHtml(plan, {
      title,
      manifest: request.manifest,
      readStrategy: read.strategy,
      readCalls: read.calls,
      outcome,
      ownership: expansion.ownership ?? [],
    }),
  );
  await finish(results, { title, operation: 'assign', dryRun, wait: true, run: config.run });
  // After finish(), which sets every output (these two empty) from the results.
  setJsonOutput('plan', inertJson(planCounts(plan)));
  setOutput('drift', String(hasDrift(plan)));
  if (refusal) {
    // The dry run's results say what would be done; the step itself did not run the plan.
    setOutput('status', 'FAILED');
    setOutput('failure-reason', refusal.reason);
    setFailed(`${refusal.reason}: ${refusal.fix}`);
  }
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
    return fail(
      code === 'ENOENT'
        ? `was not found in the workspace (${workspace}): check out the repository first (actions/checkout)`
        : `could not be read (${code ?? 'error'})`,
    );
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
