// The main step: read inputs, run every grant, report, and leave the post step its state.
import * as core from '@actions/core';
import { describeError, InputErrors } from '../core/errors.js';
import { parseInputs, type Plan } from '../core/inputs.js';
import type { Grant, GrantResult, ResolvedIds } from '../core/types.js';
import { Deadline } from '../engine/deadline.js';
import { runGrants } from '../engine/run-grants.js';
import { githubOidcTokenSource } from '../github/oidc.js';
import { annotateFailures, logGrant, setStepOutputs, writeJobSummary } from '../github/report.js';
import { saveGrant, saveHeader, type StateHeader } from '../github/state.js';
import { loadDriver } from './drivers.js';
import { runProvision } from './provision.js';

export async function runMainStep(): Promise<void> {
  let plan: Plan;
  try {
    plan = parseInputs((name) => core.getInput(name), process.env);
  } catch (error) {
    reportInputErrors(error);
    return;
  }
  try {
    if (plan.operation === 'provision') {
      await runProvision(plan);
      return;
    }
    await runAssignments(plan);
  } catch (error) {
    core.setOutput('status', 'FAILED');
    core.setOutput('failure-reason', describeError(error));
    core.setFailed(describeError(error));
  }
}

function reportInputErrors(error: unknown): void {
  const problems =
    error instanceof InputErrors ? error.problems.map((p) => p.describe()) : [describeError(error)];
  for (const p of problems) core.error(p);
  core.setFailed(
    `${problems.length} invalid input${problems.length === 1 ? '' : 's'}; nothing was requested from the cloud`,
  );
}

async function runAssignments(plan: Plan): Promise<void> {
  const deadline = new Deadline(plan.timeoutSeconds);
  const cancel = new AbortController();
  const driver = await loadDriver(plan, {
    deadline,
    requestToken: githubOidcTokenSource(deadline),
    signal: cancel.signal,
    debug: (m) => core.debug(m),
  });
  const operation = plan.operation === 'revoke' ? 'revoke' : 'assign';
  core.info(
    `${plan.dryRun ? 'Dry run: planning' : 'Running'} ${plan.grants.length} ${operation} grant${plan.grants.length === 1 ? '' : 's'} on ${plan.cloud}`,
  );
  await driver.prepare();

  const header: StateHeader = {
    version: 1,
    cloud: plan.cloud,
    leftAlone: [],
    ...(driver.instance ? { instanceArn: driver.instance } : {}),
  };
  if (plan.revokeOnExit) saveHeader(header);
  const indexOf = new Map(plan.grants.map((g, i) => [g, i]));
  const tracked = new Set<Grant>();
  const stopOnSignal = (signal: NodeJS.Signals) => {
    // The runner sends SIGINT, then SIGTERM, when the job is cancelled: the state saved so far
    // lets the post step revoke what was created.
    core.warning(
      `received ${signal}: stopping; ${plan.revokeOnExit ? `the post step will revoke the ${tracked.size} grant(s) this step created` : 'grants already made stay in place'}`,
    );
    cancel.abort();
    process.exit(1);
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  const results = await runGrants(plan.grants, driver, {
    operation,
    dryRun: plan.dryRun,
    wait: plan.wait,
    maxConcurrency: plan.maxConcurrency,
    deadline,
    signal: cancel.signal,
    onCreate: (grant: Grant, ids: ResolvedIds, phase, requestId) => {
      if (phase === 'not-created') tracked.delete(grant);
      else tracked.add(grant);
      if (plan.revokeOnExit)
        saveGrant(
          indexOf.get(grant)!,
          phase === 'not-created'
            ? undefined
            : { ...grant, resolved: ids, ...(requestId ? { createRequestId: requestId } : {}) },
        );
    },
    onResult: (result) => logGrant(result, plan.dryRun),
  });
  process.off('SIGINT', stopOnSignal);
  process.off('SIGTERM', stopOnSignal);

  header.leftAlone = results
    .filter((r) => r.operation === 'assign' && r.alreadyExisted)
    .map(({ principal, target, role }) => ({ principal, target, role }));
  if (plan.revokeOnExit) saveHeader(header);
  if (plan.revokeOnExit && tracked.size > 0)
    core.info(`revoke-on-exit: the post step will revoke ${tracked.size} grant(s) this step created`);
  await finish(plan, results, `cloud-access: ${plan.cloud} ${operation}${plan.dryRun ? ' (dry run)' : ''}`);
  core.debug(`calls: ${JSON.stringify(driver.stats)}`);
}

export async function finish(plan: Plan, results: GrantResult[], title: string): Promise<void> {
  setStepOutputs(results);
  await writeJobSummary(title, results, plan.dryRun);
  const failures = annotateFailures(results, plan.wait);
  if (failures.length > 0) {
    core.setFailed(
      `${failures.length} of ${results.length} grant${results.length === 1 ? '' : 's'} did not succeed`,
    );
  }
}
