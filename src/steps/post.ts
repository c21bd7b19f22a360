// The post step (`post-if: always()`): revokes exactly the grants the main step created, with a
// fresh OIDC token, whether the job succeeded, failed or was cancelled.
import * as core from '@actions/core';
import { describeError } from '../core/errors.js';
import { parseInputs, type Plan } from '../core/inputs.js';
import type { Grant, GrantResult } from '../core/types.js';
import { Deadline } from '../engine/deadline.js';
import { waitForTerminalStatus } from '../engine/poll.js';
import { runGrants } from '../engine/run-grants.js';
import { githubOidcTokenSource } from '../github/oidc.js';
import { logGrant } from '../github/report.js';
import { loadState, type SavedGrant } from '../github/state.js';
import { loadDriver, type LoadedDriver } from './drivers.js';
import { finish } from './main.js';

const describe = (g: Grant) => `${g.principal} → ${g.target} / ${g.role}`;

export async function runPostStep(): Promise<void> {
  try {
    const state = loadState();
    if (!state) {
      core.info('revoke-on-exit: the main step saved no grants, so there is nothing to revoke');
      return;
    }
    for (const grant of state.leftAlone) {
      core.info(
        `revoke-on-exit: leaving ${describe(grant)} in place: it existed before this job's step, which only revokes what it created`,
      );
    }
    if (state.created.length === 0) {
      core.info('revoke-on-exit: the main step created no grants, so there is nothing to revoke');
      return;
    }
    const inputs = parseInputs((name) => core.getInput(name), process.env);
    const grants: Grant[] = state.created.map((g) => ({
      principal: g.resolved.principalId,
      target: g.resolved.targetId,
      role: g.resolved.roleId,
    }));
    const plan: Plan =
      inputs.cloud === 'aws'
        ? {
            ...inputs,
            operation: 'revoke',
            dryRun: false,
            wait: true,
            grants,
            ...(state.instanceArn ? { instanceArn: state.instanceArn } : {}),
          }
        : { ...inputs, operation: 'revoke', dryRun: false, wait: true, grants };
    const deadline = new Deadline(plan.timeoutSeconds);
    core.info(
      `revoke-on-exit: revoking the ${grants.length} grant(s) the main step created, with a fresh GitHub OIDC token`,
    );
    const driver = await loadDriver(plan, {
      deadline,
      requestToken: githubOidcTokenSource(deadline),
      debug: (m) => core.debug(m),
    });
    await driver.prepare();
    await settleCreates(driver, state.created, deadline);
    // Log and report the grants as the user wrote them, not as the resolved IDs they are revoked by.
    const asWritten = new Map(
      grants.map((g, i) => [`${g.principal}|${g.target}|${g.role}`, state.created[i]!]),
    );
    const written = (r: GrantResult): GrantResult => {
      const saved = asWritten.get(`${r.principal}|${r.target}|${r.role}`);
      return saved ? { ...r, principal: saved.principal, target: saved.target, role: saved.role } : r;
    };
    const results = await runGrants(grants, driver, {
      operation: 'revoke',
      dryRun: false,
      wait: true,
      maxConcurrency: plan.maxConcurrency,
      deadline,
      // The main step may have been cancelled right after sending a create that reads do not show yet.
      deleteWhenAbsent: true,
      onResult: (result) => logGrant(written(result), false),
    });
    const shown = results.map(written);
    for (const r of shown) {
      if (r.changed) {
        core.warning(
          `revoke-on-exit removed ${describe(r)}. Another run that started while it existed may have found it in place and still rely on it; put jobs that share a grant in one \`concurrency:\` group`,
        );
      }
    }
    await finish(plan, shown, `cloud-access: ${plan.cloud} revoke on exit`);
  } catch (error) {
    core.setFailed(`revoke-on-exit: ${describeError(error)}`);
  }
}

/**
 * A create the main step sent may still be IN_PROGRESS (the job was cancelled mid-request): wait
 * for it to finish first, or the revoke would find nothing yet and leave it behind.
 */
async function settleCreates(driver: LoadedDriver, created: SavedGrant[], deadline: Deadline): Promise<void> {
  const pending = created.filter((g) => g.createRequestId);
  if (!driver.followCreate || pending.length === 0) return;
  await Promise.all(
    pending.map((g) => waitForTerminalStatus(() => driver.followCreate!(g.createRequestId!), { deadline })),
  );
}
