// The main step: read inputs, run every grant, report, and leave the post step its state.
import { getInput } from '@actions/core';
import { describeError, InputErrors } from '../core/errors.js';
import { adapterSettingsOf, awsSettingsOf, parseInputs, type StepConfig } from '../core/inputs/index.js';
import { sharedGrantsNotice } from '../core/report/revoke.js';
import type { Grant } from '../core/types.js';
import { runGrants } from '../engine/run-grants.js';
import { debug, error, info, notice, warning } from '../github/log.js';
import { finish, finishBeforeAnyGrant, logGrant } from '../github/job-report.js';
import { runnerEffects } from '../github/runner-effects.js';
import { claimState } from '../github/state.js';
import { workflowContext } from '../github/run-context.js';
import { runProvision } from './provision.js';
import { runReconcile } from './reconcile.js';
import { CreatedGrantsRecord } from './created-grants.js';
import { withExpandedTargets } from './org-targets.js';
import { openProvisioningSession, openSession, openSweep, reconcileSources } from './session.js';
import { runSweep } from './sweep.js';

export async function runMainStep(): Promise<void> {
  // Before anything else: the post step will see this step's header, never one planted earlier.
  claimState();
  let config: StepConfig;
  try {
    config = parseInputs((name) => getInput(name), process.env, workflowContext());
  } catch (problem) {
    await reportInputErrors(problem);
    return;
  }
  for (const message of config.warnings ?? []) warning(message);
  try {
    if (config.operation === 'sweep') {
      await runSweep(config, runnerEffects, () => openSweep(config, adapterSettingsOf(config)));
      return;
    }
    if (config.operation === 'reconcile') {
      await runReconcile(config, runnerEffects, reconcileSources(config, adapterSettingsOf(config)), {
        eventName: process.env.GITHUB_EVENT_NAME,
        tokenEndpoint: process.env.ACTIONS_ID_TOKEN_REQUEST_URL,
      });
      return;
    }
    if (config.operation === 'provision') {
      // Input validation refuses provision on Azure, and gives AWS provision its request.
      if (config.cloud === 'aws' && config.provision)
        await runProvision(config, config.provision, runnerEffects, () =>
          openProvisioningSession(config, awsSettingsOf(config)),
        );
      return;
    }
    await runAssignments(config);
  } catch (failure) {
    // Before the first grant (the sign-in, the instance's discovery): once grants run, each one's
    // failure is its own result. Every output is set all the same, for `if: always()` steps.
    const reason = describeError(failure);
    error(reason);
    await finishBeforeAnyGrant(
      [reason],
      'the step failed before its first grant; nothing was granted or revoked',
      `cloud-access: ${config.cloud} ${config.operation}${config.dryRun ? ' (dry run)' : ''} failed`,
    );
  }
}

async function reportInputErrors(problem: unknown): Promise<void> {
  const problems =
    problem instanceof InputErrors ? problem.problems.map((p) => p.describe()) : [describeError(problem)];
  for (const p of problems) error(p);
  await finishBeforeAnyGrant(
    problems,
    `${problems.length} invalid input${problems.length === 1 ? '' : 's'}; nothing was requested from the cloud`,
    'cloud-access: invalid input',
  );
}

/** `asWritten`: the step's config with its targets as the inputs wrote them (OUs and roots not yet accounts). */
async function runAssignments(asWritten: StepConfig): Promise<void> {
  const cancel = new AbortController();
  const { deadline, driver, expandTargets } = await openSession(asWritten, adapterSettingsOf(asWritten), {
    step: 'main',
    signal: cancel.signal,
  });
  // OU and root targets become accounts first (reads only): what is saved is per account.
  const { config, expansion } =
    asWritten.cloud === 'aws'
      ? await withExpandedTargets(asWritten, expandTargets, runnerEffects)
      : { config: asWritten };
  // Only a step that revokes on exit (`revoke-on-exit`, or an AWS `duration`) saves what it creates
  // (and proves that it created it).
  const record = config.revokeOnExit ? new CreatedGrantsRecord(config) : undefined;
  const operation = config.operation === 'revoke' ? 'revoke' : 'assign';
  const expiresAt = awsExpiry(config);
  info(
    `${config.dryRun ? 'Dry run: planning' : 'Running'} ${config.grants.length} ${operation} grant${config.grants.length === 1 ? '' : 's'} on ${config.cloud}`,
  );
  await driver.prepare({
    operation,
    grants: config.grants,
    proveOwnership: config.revokeOnExit && !config.dryRun,
  });
  record?.signedIn(driver.postState?.());
  const stopOnSignal = (signal: NodeJS.Signals) => {
    // The runner sends SIGINT, then SIGTERM, when the job is cancelled: the state saved so far
    // lets the post step revoke what this step created.
    warning(
      `received ${signal}: stopping; ${record ? `the post step will revoke what this step created (${record.ownedCount} grant(s) created or in flight)` : 'grants already made stay in place'}`,
    );
    cancel.abort();
    process.exit(1);
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  const results = await runGrants<Grant>(config.grants, driver, {
    operation,
    dryRun: config.dryRun,
    wait: config.wait,
    maxConcurrency: config.maxConcurrency,
    deadline,
    signal: cancel.signal,
    ...(record ? { onOwnership: record.saveOwnership } : {}),
    onResult: (result) => {
      // Said where the grant is logged, and kept in the summary: the state keeps only what to revoke.
      if (
        config.revokeOnExit &&
        result.operation === 'assign' &&
        result.before === 'present' &&
        !config.dryRun
      ) {
        const leftAlone = 'revoke-on-exit leaves it in place: it existed before this step';
        result.note = result.note ? `${result.note}; ${leftAlone}` : leftAlone;
      }
      // AWS `duration`: what this step creates (or would) ends then; one found in place stays.
      if (expiresAt && result.change === 'create' && result.status !== 'FAILED') result.expiresAt = expiresAt;
      logGrant(result, config.dryRun);
    },
  });
  process.off('SIGINT', stopOnSignal);
  process.off('SIGTERM', stopOnSignal);

  if (record) {
    info(record.close(results));
    const shared = sharedGrantsNotice(config.dryRun ? [] : record.notMadeHere(config.grants, results));
    if (shared) notice(shared);
  }
  await finish(results, {
    title: `cloud-access: ${config.cloud} ${operation}${config.dryRun ? ' (dry run)' : ''}`,
    operation,
    dryRun: config.dryRun,
    wait: config.wait,
    run: config.run,
    ...(expansion ? { expansion } : {}),
  });
  debug(`calls: ${JSON.stringify(driver.stats)}`);
}

/** AWS `duration`: when the step's grants end, ISO 8601 UTC (the `expires-at` output, as on Azure). */
function awsExpiry(config: StepConfig): string | undefined {
  return config.cloud === 'aws' && config.timeBound
    ? new Date(config.timeBound.expiresAt * 1000).toISOString()
    : undefined;
}
