// The Azure adapter, loaded with import() only when `cloud: azure`, so an AWS step never loads it.
import type { AzureSettings } from '../core/inputs/index.js';
import type { AdapterDeps, GrantDriver } from '../engine/calls/driver.js';
import { routeSdkLogs } from './sdk/logs.js';
import { createArmSession } from './arm/session.js';
import { AzureRoleAssignmentDriver } from './arm/assignments.js';
import { AzurePimAssignmentDriver } from './pim/driver.js';
import { AzurePimEligibilityDriver } from './eligible/driver.js';

export function createAzureDriver(settings: AzureSettings, deps: AdapterDeps): GrantDriver {
  routeSdkLogs(deps.debug);
  const session = createArmSession(settings, deps);
  // `assignment-type: eligible`: PIM eligibilities, `duration` their length.
  const { duration, assignmentType } = settings;
  if (assignmentType === 'eligible')
    return new AzurePimEligibilityDriver({ ...settings, assignmentType }, session);
  // `duration`: time-bound assignments through PIM schedule requests, which Azure ends itself.
  return duration
    ? new AzurePimAssignmentDriver({ ...settings, duration }, session)
    : new AzureRoleAssignmentDriver(settings, session, deps.readRuns);
}
