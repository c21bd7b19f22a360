// What every step opens first: its deadline, and the driver of its cloud, signed in with a fresh
// GitHub OIDC token. Each cloud's adapter is reached through import(), so ncc puts its SDK in a
// chunk of its own and a step only loads the cloud it uses.
import type { AwsConfig, ProvisionRequest, StepConfig } from '../core/inputs/index.js';
import { Deadline } from '../engine/deadline.js';
import type { AdapterDeps, AdapterState, GrantDriver } from '../engine/driver.js';
import { debug } from '../github/log.js';
import { githubOidcTokenSource } from '../github/oidc.js';

export interface SessionOptions {
  /** The post step runs on its own budget (`post-timeout-seconds`), the others on `timeout-seconds`. */
  step: 'main' | 'post';
  signal?: AbortSignal;
  /** Post step: what the main step's driver handed over. */
  saved?: AdapterState;
}

export interface Session {
  deadline: Deadline;
  driver: GrantDriver;
}

function adapterDeps(config: StepConfig, options: SessionOptions): AdapterDeps {
  const deadline =
    options.step === 'post'
      ? new Deadline(config.postTimeoutSeconds, Date.now, 'post-timeout-seconds')
      : new Deadline(config.timeoutSeconds);
  return {
    deadline,
    requestToken: githubOidcTokenSource(deadline),
    debug,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.saved ? { saved: options.saved } : {}),
  };
}

export async function openSession(config: StepConfig, options: SessionOptions): Promise<Session> {
  const deps = adapterDeps(config, options);
  if (config.cloud === 'aws') {
    const { createAwsDriver } = await import('../aws/index.js');
    return { deadline: deps.deadline, driver: createAwsDriver(config, deps) };
  }
  const { createAzureDriver } = await import('../azure/index.js');
  return { deadline: deps.deadline, driver: createAzureDriver(config, deps) };
}

/** `operation: provision` (AWS only): the provisioner, over the same kind of session. */
export async function openProvisioningSession(config: AwsConfig, request: ProvisionRequest) {
  const deps = adapterDeps(config, { step: 'main' });
  const { createAwsProvisioner } = await import('../aws/index.js');
  return createAwsProvisioner(config, request, deps);
}
