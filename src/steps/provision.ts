// `operation: provision`: re-provision permission sets where they are out of date.
import * as core from '@actions/core';
import type { Plan } from '../core/inputs.js';
import { Deadline } from '../engine/deadline.js';
import { mapWithConcurrency } from '../engine/limits.js';
import { githubOidcTokenSource } from '../github/oidc.js';
import { logGrant } from '../github/report.js';
import { finish } from './main.js';

export async function runProvision(plan: Plan): Promise<void> {
  if (plan.cloud !== 'aws') return; // rejected by input validation already
  const deadline = new Deadline(plan.timeoutSeconds);
  const { createAwsDriver, PermissionSetProvisioner } = await import('../aws/index.js');
  const driver = createAwsDriver(plan, {
    deadline,
    requestToken: githubOidcTokenSource(deadline),
    debug: (m) => core.debug(m),
  });
  await driver.prepare();
  const provisioner = new PermissionSetProvisioner(plan, driver, deadline);
  const permissionSets = await provisioner.permissionSets();
  core.info(
    `${plan.dryRun ? 'Dry run: planning' : 'Re-provisioning'} ${permissionSets.length} permission set(s) to ${plan.onlyOutdated ? 'the accounts where they are outdated' : 'the accounts asked'}`,
  );
  const results = await mapWithConcurrency(permissionSets, plan.maxConcurrency, async (ps) => {
    const result = await provisioner.provision(ps);
    logGrant(result, plan.dryRun);
    return result;
  });
  await finish(plan, results, `cloud-access: aws provision${plan.dryRun ? ' (dry run)' : ''}`);
  core.debug(`calls: ${JSON.stringify(driver.stats)}`);
}
