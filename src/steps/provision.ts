// `operation: provision`: re-provision permission sets where they are out of date.
import type { AwsConfig, ProvisionRequest } from '../core/inputs/index.js';
import { mapWithConcurrency } from '../engine/limits.js';
import { debug, info } from '../github/log.js';
import { finish, logGrant } from '../github/job-report.js';
import { openProvisioningSession } from './session.js';

export async function runProvision(config: AwsConfig, request: ProvisionRequest): Promise<void> {
  const { session, provisioner } = await openProvisioningSession(config, request);
  await session.prepare();
  const permissionSets = await provisioner.permissionSets();
  info(
    `${config.dryRun ? 'Dry run: planning' : 'Re-provisioning'} ${permissionSets.length} permission set(s) to ${config.onlyOutdated ? 'the accounts where they are outdated' : 'the accounts asked'}`,
  );
  const results = await mapWithConcurrency(permissionSets, config.maxConcurrency, async (ps) => {
    const result = await provisioner.provision(ps);
    logGrant(result, config.dryRun);
    return result;
  });
  await finish(results, {
    title: `cloud-access: aws provision${config.dryRun ? ' (dry run)' : ''}`,
    operation: 'provision',
    dryRun: config.dryRun,
    wait: config.wait,
    run: config.run,
  });
  debug(`calls: ${JSON.stringify(session.stats)}`);
}
