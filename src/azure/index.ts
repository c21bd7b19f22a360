// The Azure adapter, loaded with import() only when `cloud: azure`, so an AWS step never loads it.
import { AzureLogger } from '@azure/logger';
import { format } from 'node:util';
import type { AzureSettings } from '../core/inputs/index.js';
import type { AdapterDeps, GrantDriver } from '../engine/driver.js';
import { createArmSession } from './arm-session.js';
import { AzureRoleAssignmentDriver } from './assignments.js';
import { AzurePimAssignmentDriver } from './pim.js';

/**
 * The Azure SDKs log to stderr, raw, when `AZURE_LOG_LEVEL` or `DEBUG` is set (an earlier step can
 * set either through GITHUB_ENV), and what they log includes Entra's and ARM's error texts. The
 * runner obeys workflow commands on stderr too, so their log goes to the step's debug log instead,
 * through the same escaping as every other line.
 */
function routeSdkLogs(debug: ((message: string) => void) | undefined): void {
  AzureLogger.log = (...args: unknown[]) => debug?.(format(...args));
}

export function createAzureDriver(settings: AzureSettings, deps: AdapterDeps): GrantDriver {
  routeSdkLogs(deps.debug);
  const session = createArmSession(settings, deps);
  // `duration`: time-bound assignments through PIM schedule requests, which Azure ends itself.
  const { duration } = settings;
  return duration
    ? new AzurePimAssignmentDriver({ ...settings, duration }, session)
    : new AzureRoleAssignmentDriver(settings, session);
}
