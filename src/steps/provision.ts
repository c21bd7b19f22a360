// `operation: provision`: re-provision permission sets where they are out of date.
import { awsSettingsOf, type AwsConfig, type ProvisionRequest } from '../core/inputs/index.js';
import { provisionPermissionSets } from '../engine/run-provision.js';
import { debug, info } from '../github/log.js';
import { finish, logGrant } from '../github/job-report.js';
import { withExpandedTargets } from './org-targets.js';
import { openProvisioningSession } from './session.js';

export async function runProvision(parsed: AwsConfig, parsedRequest: ProvisionRequest): Promise<void> {
  const { deadline, driver, expandTargets } = await openProvisioningSession(parsed, awsSettingsOf(parsed));
  const { config, expansion } = await withExpandedTargets(parsed, expandTargets);
  const request = config.provision ?? parsedRequest;
  await driver.prepare();
  const permissionSets = await driver.permissionSets(request.permissionSets);
  info(
    `${config.dryRun ? 'Dry run: planning' : 'Re-provisioning'} ${permissionSets.length} permission set(s) to ${config.onlyOutdated ? 'the accounts where they are outdated' : 'the accounts asked'}`,
  );
  const results = await provisionPermissionSets(permissionSets, driver, {
    accounts: request.accounts,
    onlyOutdated: config.onlyOutdated,
    dryRun: config.dryRun,
    wait: config.wait,
    maxConcurrency: config.maxConcurrency,
    deadline,
    onResult: (result) => logGrant(result, config.dryRun),
  });
  await finish(results, {
    title: `cloud-access: aws provision${config.dryRun ? ' (dry run)' : ''}`,
    operation: 'provision',
    dryRun: config.dryRun,
    wait: config.wait,
    run: config.run,
    ...(expansion ? { expansion } : {}),
  });
  debug(`calls: ${JSON.stringify(driver.stats)}`);
}
