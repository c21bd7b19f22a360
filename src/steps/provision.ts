// `operation: provision`: re-provision permission sets where they are out of date.
import type { Plan } from '../core/inputs.js';
import { Deadline } from '../engine/deadline.js';
import { mapWithConcurrency } from '../engine/limits.js';
import { debug, info } from '../github/log.js';
import { githubOidcTokenSource } from '../github/oidc.js';
import { logGrant } from '../github/report.js';
import { finish } from './finish.js';

export async function runProvision(plan: Plan): Promise<void> {
  if (plan.cloud !== 'aws') return; // rejected by input validation already
  const deadline = new Deadline(plan.timeoutSeconds);
  const { createAwsDriver, PermissionSetProvisioner } = await import('../aws/index.js');
  const driver = createAwsDriver(plan, {
    deadline,
    requestToken: githubOidcTokenSource(deadline),
    debug,
  });
  await driver.prepare();
  const provisioner = new PermissionSetProvisioner(plan, driver, deadline);
  const permissionSets = await provisioner.permissionSets();
  info(
    `${plan.dryRun ? 'Dry run: planning' : 'Re-provisioning'} ${permissionSets.length} permission set(s) to ${plan.onlyOutdated ? 'the accounts where they are outdated' : 'the accounts asked'}`,
  );
  const results = await mapWithConcurrency(permissionSets, plan.maxConcurrency, async (ps) => {
    const result = await provisioner.provision(ps);
    logGrant(result, plan.dryRun);
    return result;
  });
  await finish(results, {
    title: `cloud-access: aws provision${plan.dryRun ? ' (dry run)' : ''}`,
    dryRun: plan.dryRun,
    wait: plan.wait,
  });
  debug(`calls: ${JSON.stringify(driver.stats)}`);
}
