// The AWS adapter, loaded with import() only when `cloud: aws`, so an Azure step never loads it.
import type { AwsConfig, ProvisionRequest } from '../core/inputs/index.js';
import type { AdapterDeps } from '../engine/driver.js';
import { AwsAssignmentDriver } from './assignments.js';
import { PermissionSetProvisioner } from './provisioning.js';
import { createSsoSession, type SsoSession, type SsoSessionSeams } from './sso.js';

function driverOver(config: AwsConfig, session: SsoSession, deps: AdapterDeps): AwsAssignmentDriver {
  return new AwsAssignmentDriver(
    config,
    session,
    { deadline: deps.deadline, signal: deps.signal },
    deps.saved,
  );
}

export function createAwsDriver(
  config: AwsConfig,
  deps: AdapterDeps,
  seams?: SsoSessionSeams,
): AwsAssignmentDriver {
  return driverOver(config, createSsoSession(config, deps, seams), deps);
}

/** `operation: provision`: the session (to prepare, and for its call counts) and the provisioner over it. */
export function createAwsProvisioner(
  config: AwsConfig,
  request: ProvisionRequest,
  deps: AdapterDeps,
  seams?: SsoSessionSeams,
) {
  const session = createSsoSession(config, deps, seams);
  return { session, provisioner: new PermissionSetProvisioner(config, request, session, deps.deadline) };
}
