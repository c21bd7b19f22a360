// The Azure driver over an ArmSession signed in to the emulated Entra and ARM (./emulated-arm.ts),
// as the steps build it, for the adapter's tests.
import { ArmSession } from '../../src/azure/arm/session.js';
import { AzureRoleAssignmentDriver } from '../../src/azure/arm/assignments.js';
import { createArmClients, createSubscriptionReader } from '../../src/azure/arm/clients.js';
import { createDirectory } from '../../src/azure/graph/directory.js';
import { classifyAzureError } from '../../src/azure/sdk/azure-errors.js';
import { ArmPacer } from '../../src/azure/sdk/pacing.js';
import { createCallRunner } from '../../src/engine/calls/call-runner.js';
import { Deadline } from '../../src/engine/limits/deadline.js';
import { emptyStats } from '../../src/engine/calls/driver.js';
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { AzureConfig } from '../../src/core/inputs/index.js';
import { PRINCIPAL, READER, SCOPE, type EmulatedArm } from './emulated-arm.js';

/**
 * An ArmSession over the emulator for `plan`, as the steps build it: signed in with `credential`
 * (the file's, by default), within `seconds`, its requests paced as ARM's buckets say only with
 * `paced` (the step's pacer, sleeping for real); ARM reached through `armClient` (a test's faults).
 */
export function signedInSession(
  arm: EmulatedArm,
  plan: AzureConfig,
  {
    credential = arm.credential(),
    seconds = 30,
    paced = false,
    armClient = arm.httpClient,
  }: { credential?: TokenCredential; seconds?: number; paced?: boolean; armClient?: HttpClient } = {},
) {
  const deadline = new Deadline(seconds);
  const pacer = new ArmPacer(paced ? (ms) => deadline.sleep(ms) : async () => {});
  const stats = emptyStats();
  const session = new ArmSession(plan, {
    clientFor: createArmClients(plan, credential, pacer, armClient),
    subscriptions: createSubscriptionReader(plan, credential, pacer, armClient),
    credential,
    call: createCallRunner({ classify: classifyAzureError, deadline, stats }),
    directory: createDirectory(plan, credential, { deadline }, stats, arm.httpClient),
    stats,
    deadline,
  });
  return { session, deadline, stats };
}

/**
 * The plan of PRINCIPAL as READER at SCOPE (with `inputs` over it), its session and driver. Its
 * requests are paced as ARM's buckets say only with `paced` (the step's pacer, sleeping for real).
 */
export function signedInDriver(
  arm: EmulatedArm,
  inputs: Record<string, string> = {},
  seconds = 30,
  paced = false,
) {
  const plan = arm.plan({ principal: PRINCIPAL, target: SCOPE, role: READER, ...inputs });
  const { session, deadline } = signedInSession(arm, plan, { seconds, paced });
  const driver = new AzureRoleAssignmentDriver(plan, session);
  return { plan, arm, session, driver, deadline, grant: plan.grants[0]! };
}
