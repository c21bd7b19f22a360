// The main step: read inputs, run every grant, report, and leave the post step its state.
import * as core from '@actions/core';
import { describeError, InputErrors } from '../core/errors.js';
import { parseInputs, type StepConfig } from '../core/inputs/index.js';
import type { Grant } from '../core/types.js';
import type { Ownership } from '../engine/driver.js';
import { runGrants } from '../engine/run-grants.js';
import { debug, error, info, setFailed, setOutput, warning } from '../github/log.js';
import { finish, logGrant } from '../github/report.js';
import { claimState, newNonce, saveGrant, saveHeader, signInOf, type StateHeader } from '../github/state.js';
import { runProvision } from './provision.js';
import { openSession } from './session.js';

export async function runMainStep(): Promise<void> {
  // Before anything else: the post step will see this step's header, never one planted earlier.
  claimState();
  let plan: StepConfig;
  try {
    plan = parseInputs((name) => core.getInput(name), process.env);
  } catch (problem) {
    reportInputErrors(problem);
    return;
  }
  try {
    if (plan.operation === 'provision') {
      // Input validation refuses provision on Azure.
      if (plan.cloud === 'aws') await runProvision(plan);
      return;
    }
    await runAssignments(plan);
  } catch (failure) {
    setOutput('status', 'FAILED');
    setOutput('failure-reason', describeError(failure));
    setFailed(describeError(failure));
  }
}

function reportInputErrors(problem: unknown): void {
  const problems =
    problem instanceof InputErrors ? problem.problems.map((p) => p.describe()) : [describeError(problem)];
  for (const p of problems) error(p);
  setFailed(
    `${problems.length} invalid input${problems.length === 1 ? '' : 's'}; nothing was requested from the cloud`,
  );
}

async function runAssignments(plan: StepConfig): Promise<void> {
  const header: StateHeader = {
    version: 2,
    nonce: newNonce(),
    count: plan.grants.length,
    cloud: plan.cloud,
    signIn: signInOf(plan),
    leftAlone: 0,
  };
  // Saved before the first request: from here on only entries with this nonce count.
  if (plan.revokeOnExit) saveHeader(header);
  const cancel = new AbortController();
  const { deadline, driver } = await openSession(plan, { step: 'main', signal: cancel.signal });
  const operation = plan.operation === 'revoke' ? 'revoke' : 'assign';
  info(
    `${plan.dryRun ? 'Dry run: planning' : 'Running'} ${plan.grants.length} ${operation} grant${plan.grants.length === 1 ? '' : 's'} on ${plan.cloud}`,
  );
  await driver.prepare();
  const handedOver = driver.postState?.();
  if (handedOver?.instanceArn) header.instanceArn = handedOver.instanceArn;
  if (plan.revokeOnExit) saveHeader(header);
  const slotOf = new Map(plan.grants.map((g, i) => [g, i]));
  const sentAt = new Map<Grant, number>();
  // What this step may have made: confirmed (`created`), or still to be resolved by the post step.
  const owned = new Map<Grant, Ownership>();
  const stopOnSignal = (signal: NodeJS.Signals) => {
    // The runner sends SIGINT, then SIGTERM, when the job is cancelled: the state saved so far
    // lets the post step revoke what this step created.
    warning(
      `received ${signal}: stopping; ${plan.revokeOnExit ? `the post step will revoke what this step created (${owned.size} grant(s) created or in flight)` : 'grants already made stay in place'}`,
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
    onOwnership: (grant, ids, ownership, requestId) => {
      if (ownership === 'not-created') owned.delete(grant);
      else owned.set(grant, ownership);
      if (!plan.revokeOnExit) return;
      if (!sentAt.has(grant)) sentAt.set(grant, Date.now());
      saveGrant(
        slotOf.get(grant)!,
        ownership === 'not-created'
          ? undefined
          : {
              nonce: header.nonce,
              principalId: ids.principalId,
              roleId: ids.roleId,
              ...(ids.name ? { name: ids.name } : {}),
              ownership,
              ...(requestId ? { requestId } : {}),
              sentAt: sentAt.get(grant)!,
            },
      );
    },
    onResult: (result) => {
      // Said where the grant is logged, and kept in the summary: the state keeps only what to revoke.
      if (plan.revokeOnExit && result.operation === 'assign' && result.alreadyExisted && !plan.dryRun)
        result.note ??= 'revoke-on-exit leaves it in place: it existed before this step';
      logGrant(result, plan.dryRun);
    },
  });
  process.off('SIGINT', stopOnSignal);
  process.off('SIGTERM', stopOnSignal);

  if (plan.revokeOnExit) {
    header.leftAlone = results.filter((r) => r.operation === 'assign' && r.alreadyExisted).length;
    saveHeader(header);
    const confirmed = [...owned.values()].filter((o) => o === 'created').length;
    const unsure = owned.size - confirmed;
    info(
      `revoke-on-exit: the post step will revoke the ${confirmed} grant(s) this step created${unsure > 0 ? `, and ${unsure} whose create has not ended or whose answer was lost, if the service shows this step created them` : ''}; the ${header.leftAlone} that existed before stay in place`,
    );
  }
  await finish(results, {
    title: `cloud-access: ${plan.cloud} ${operation}${plan.dryRun ? ' (dry run)' : ''}`,
    dryRun: plan.dryRun,
    wait: plan.wait,
  });
  debug(`calls: ${JSON.stringify(driver.stats)}`);
}
