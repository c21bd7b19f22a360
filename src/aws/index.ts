// The AWS adapter, loaded with import() only when `cloud: aws`, so an Azure step never loads it.
import type { AwsSettings } from '../core/inputs/index.js';
import type { AdapterDeps } from '../engine/driver.js';
import { AwsAssignmentDriver } from './assignments.js';
import { AwsProvisioningDriver } from './provisioning.js';
import { createSsoSession, type SsoSession, type SsoSessionSeams } from './sso.js';

function driverOver(settings: AwsSettings, session: SsoSession, deps: AdapterDeps): AwsAssignmentDriver {
  return new AwsAssignmentDriver(
    settings,
    session,
    { deadline: deps.deadline, signal: deps.signal },
    deps.saved,
  );
}

export function createAwsDriver(
  settings: AwsSettings,
  deps: AdapterDeps,
  seams?: SsoSessionSeams,
): AwsAssignmentDriver {
  return driverOver(settings, createSsoSession(settings, deps, seams), deps);
}

/** `operation: provision`: the provisioning driver, over a session like the assignment driver's. */
export function createAwsProvisioningDriver(
  settings: AwsSettings,
  deps: AdapterDeps,
  seams?: SsoSessionSeams,
): AwsProvisioningDriver {
  return new AwsProvisioningDriver(createSsoSession(settings, deps, seams), {
    deadline: deps.deadline,
    signal: deps.signal,
  });
}
