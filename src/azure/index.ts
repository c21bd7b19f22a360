// The Azure adapter, loaded with import() only when `cloud: azure`, so an AWS step never loads it.
import type { AzureSettings } from '../core/inputs/index.js';
import type { AdapterDeps, GrantDriver } from '../engine/calls/driver.js';
import type { SavedSection } from '../engine/run/saved-sections.js';
import { routeSdkLogs } from './sdk/logs.js';
import { createArmSession, type ArmSession } from './arm/session.js';
import { settingsKindOf } from '../core/kinds/index.js';
import { AZURE_KINDS, azureSessionsOf, savedSectionsOf } from './kinds.js';

/**
 * The grants' driver and the post step's parts of the kinds whose sections save creates that end
 * with the job, signed in with `settings`.
 */
export function createAzureAssignments(
  settings: AzureSettings,
  deps: AdapterDeps,
): { driver: GrantDriver; sections: SavedSection[] } {
  routeSdkLogs(deps.debug);
  return assignmentsOver(settings, createArmSession(settings, deps), deps);
}

/** The same, over a session already signed in. */
export function assignmentsOver(
  settings: AzureSettings,
  session: ArmSession,
  deps: AdapterDeps,
): { driver: GrantDriver; sections: SavedSection[] } {
  // The kind by `assignment-type` and `duration` (an eligibility's length, or an active
  // assignment through PIM, which Azure ends itself); `target: group:…`: memberships of groups.
  const driver = AZURE_KINDS[settingsKindOf(settings)].driver(settings, azureSessionsOf(session), deps);
  return { driver, sections: savedSectionsOf(session.directory) };
}
