// The Azure adapter, loaded with import() only when `cloud: azure`, so an AWS step never loads it.
import { AzureLogger } from '@azure/logger';
import { format } from 'node:util';
import type { AzureConfig } from '../core/inputs/index.js';
import { createCallRunner } from '../engine/calls.js';
import { emptyStats, type AdapterDeps, type GrantDriver } from '../engine/driver.js';
import { AzureRoleAssignmentDriver } from './assignments.js';
import { createArmClients } from './clients.js';
import { AzurePimAssignmentDriver } from './pim.js';
import { createAzureCredential } from './credentials.js';
import { classifyAzureError } from './errors.js';
import { ArmWritePacer } from './pacing.js';

/**
 * The Azure SDKs log to stderr, raw, when `AZURE_LOG_LEVEL` or `DEBUG` is set (an earlier step can
 * set either through GITHUB_ENV), and what they log includes Entra's and ARM's error texts. The
 * runner obeys workflow commands on stderr too, so their log goes to the step's debug log instead,
 * through the same escaping as every other line.
 */
function routeSdkLogs(debug: ((message: string) => void) | undefined): void {
  AzureLogger.log = (...args: unknown[]) => debug?.(format(...args));
}

export function createAzureDriver(config: AzureConfig, deps: AdapterDeps): GrantDriver {
  routeSdkLogs(deps.debug);
  const stats = emptyStats();
  const call = createCallRunner({
    classify: classifyAzureError,
    deadline: deps.deadline,
    stats,
    signal: deps.signal,
    ...(deps.debug ? { debug: deps.debug } : {}),
    ...(deps.info ? { info: deps.info } : {}),
  });
  const credential = createAzureCredential(config, deps.requestToken);
  const pacer = new ArmWritePacer((ms) => deps.deadline.sleep(ms, deps.signal));
  const parts = {
    clientFor: createArmClients(config, credential, pacer),
    credential,
    call,
    stats,
    deadline: deps.deadline,
    signal: deps.signal,
    debug: deps.debug,
  };
  // `duration`: time-bound assignments through PIM schedule requests, which Azure ends itself.
  const { duration } = config;
  return duration
    ? new AzurePimAssignmentDriver({ ...config, duration }, parts)
    : new AzureRoleAssignmentDriver(config, parts);
}
