// The Azure adapter, loaded with import() only when `cloud: azure`, so an AWS step never loads it.
import type { AzureSettings } from '../core/inputs/index.js';
import type { AdapterDeps, GrantDriver } from '../engine/calls/driver.js';
import { routeSdkLogs } from './sdk/logs.js';
import { createArmSession } from './arm/session.js';
import { settingsKindOf } from '../core/kinds/index.js';
import { AZURE_KINDS, azureSessionsOf } from './kinds.js';

export function createAzureDriver(settings: AzureSettings, deps: AdapterDeps): GrantDriver {
  routeSdkLogs(deps.debug);
  const session = createArmSession(settings, deps);
  // The kind by `assignment-type` and `duration` (an eligibility's length, or an active
  // assignment through PIM, which Azure ends itself); `target: group:…`: memberships of groups.
  return AZURE_KINDS[settingsKindOf(settings)].driver(settings, azureSessionsOf(session), deps);
}
