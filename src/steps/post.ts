// The post step (`post-if: always()`): revokes exactly the grants the main step created, with a
// fresh OIDC token, whether the job succeeded, failed or was cancelled.
import * as core from '@actions/core';
import { describeError } from '../core/errors.js';
import { parseInputs, type Plan } from '../core/inputs.js';
import type { Grant, GrantResult } from '../core/types.js';
import { Deadline } from '../engine/deadline.js';
import { runGrants } from '../engine/run-grants.js';
import { githubOidcTokenSource } from '../github/oidc.js';
import { logGrant } from '../github/report.js';
import { loadState } from '../github/state.js';
import { loadDriver } from './drivers.js';
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
    const results = await runGrants(grants, driver, {
      operation: 'revoke',
      dryRun: false,
      wait: true,
      maxConcurrency: plan.maxConcurrency,
      deadline,
      onResult: (result) => logGrant(result, false),
    });
    // Show the grants as the user wrote them, not as resolved IDs.
    const shown = results.map((r, i) => ({
      ...r,
      principal: state.created[i]!.principal,
      target: state.created[i]!.target,
      role: state.created[i]!.role,
    }));
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
