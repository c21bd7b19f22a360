// What every step opens first: its deadline, and the driver of its cloud, signed in with a fresh
// GitHub OIDC token. Each cloud's adapter is reached through import(), so ncc puts its SDK in a
// chunk of its own and a step only loads the cloud it uses.
import type { ExpandTargets } from '../aws/index.js';
import type { AwsConfig, StepConfig } from '../core/inputs/index.js';
import { Deadline } from '../engine/deadline.js';
import type {
  AdapterDeps,
  AdapterState,
  GrantDriver,
  ProvisionDriver,
  TokenSource,
} from '../engine/driver.js';
import { debug, info, mask } from '../github/log.js';
import { readManifestFile } from '../github/manifest-file.js';
import { githubOidcTokenSource } from '../github/oidc.js';
import type { ReconcileSources } from './reconcile.js';
import type { SweepSources } from './sweep.js';

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
  /** AWS: OU, root and path targets into accounts (aws/index.ts). */
  expandTargets?: ExpandTargets;
}

/** Whether the adapter signs in with a GitHub OIDC token (rather than the ambient credentials). */
function signsInWithToken(config: StepConfig): boolean {
  return config.cloud === 'aws' ? Boolean(config.roleToAssume) : Boolean(config.clientId && config.tenantId);
}

/**
 * The step's first OIDC token, asked for before the cloud's SDK chunk is loaded rather than by the
 * adapter once it is: evaluating the chunk takes most of the time to the first request, and the
 * token endpoint can answer meanwhile. The adapter's first request for `audience` is handed that
 * token (it is at most as old as the chunk's evaluation), every later one goes to the endpoint; a
 * failure reaches the adapter when it asks, as its own request's would.
 */
export function tokenAskedAhead(
  source: TokenSource,
  audience: string,
): { requestToken: TokenSource; first: Promise<string> } {
  const first = source(audience);
  first.catch(() => undefined);
  let handedOut = false;
  return {
    first,
    requestToken: (wanted) => {
      if (!handedOut && wanted === audience) {
        handedOut = true;
        return first;
      }
      return source(wanted);
    },
  };
}

/**
 * How long a step waits for its first token request to be on the wire before it loads the SDK:
 * evaluating the chunk holds the event loop, so a request not yet connected (DNS, TCP, TLS) would
 * wait for it. Past this, the chunk is loaded and the request goes out after it, as before.
 */
const SEND_AHEAD_MAX_MS = 200;

/**
 * The first token, asked for ahead; resolves once its request is on the wire (connected and
 * written), or failed, or SEND_AHEAD_MAX_MS passed: the endpoint answers while the chunk is evaluated.
 */
async function askFirstTokenAhead(deadline: Deadline, audience: string): Promise<TokenSource> {
  let sent: () => void = () => undefined;
  const onTheWire = new Promise<void>((resolve) => (sent = resolve));
  const ahead = tokenAskedAhead(
    githubOidcTokenSource(deadline, process.env, () => sent()),
    audience,
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    onTheWire,
    ahead.first.catch(() => undefined),
    new Promise((resolve) => (timer = setTimeout(resolve, SEND_AHEAD_MAX_MS))),
  ]);
  clearTimeout(timer);
  return ahead.requestToken;
}

export async function adapterDeps(config: StepConfig, options: SessionOptions): Promise<AdapterDeps> {
  const deadline =
    options.step === 'post'
      ? new Deadline(config.postTimeoutSeconds, Date.now, 'post-timeout-seconds')
      : new Deadline(config.timeoutSeconds);
  const requestToken = signsInWithToken(config)
    ? await askFirstTokenAhead(deadline, config.audience)
    : githubOidcTokenSource(deadline);
  return {
    deadline,
    requestToken,
    mask,
    debug,
    info,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.saved ? { saved: options.saved } : {}),
  };
}

export async function openSession(config: StepConfig, options: SessionOptions): Promise<Session> {
  const deps = await adapterDeps(config, options);
  if (config.cloud === 'aws') {
    const { createAwsAssignments } = await import('../aws/index.js');
    return { deadline: deps.deadline, ...createAwsAssignments(config, deps) };
  }
  const { createAzureDriver } = await import('../azure/index.js');
  return { deadline: deps.deadline, driver: createAzureDriver(config, deps) };
}

/** `operation: provision` (AWS only): the provisioning driver, over the same kind of session. */
export async function openProvisioningSession(
  config: AwsConfig,
): Promise<{ deadline: Deadline; driver: ProvisionDriver; expandTargets: ExpandTargets }> {
  const deps = await adapterDeps(config, { step: 'main' });
  const { createAwsProvisioning } = await import('../aws/index.js');
  return { deadline: deps.deadline, ...createAwsProvisioning(config, deps) };
}

/**
 * `operation: sweep`: the cloud's sweeper, signed in as every step is, and the GitHub runs
 * reader (github/runs.ts), each loaded with import() only for a sweep.
 */
export async function openSweep(config: StepConfig): Promise<SweepSources> {
  const request = config.sweep!;
  const deps = await adapterDeps(config, { step: 'main' });
  const sweeper =
    config.cloud === 'aws'
      ? (await import('../aws/sweep.js')).createAwsSweeper(config, request, deps)
      : (await import('../azure/sweep.js')).createAzureSweeper(config, request, deps);
  const { readRunStates } = await import('../github/runs.js');
  return {
    sweeper,
    deadline: deps.deadline,
    readRuns: (runs) =>
      readRunStates(runs, {
        token: request.githubToken,
        own: { repository: config.run.repository, repositoryId: config.run.repositoryId },
        deadline: deps.deadline,
      }),
  };
}

/** A reconcile's sources: the manifest from the job's workspace, and the cloud's reconciler for it. */
export function reconcileSources(config: StepConfig): ReconcileSources {
  return {
    readManifest: (path) => readManifestFile(path),
    openReconciler: async (manifest, marker) => {
      const deps = await adapterDeps(config, { step: 'main' });
      const reconciler =
        config.cloud === 'aws'
          ? (await import('../aws/reconcile.js')).createAwsReconciler(config, manifest.aws!, deps)
          : (await import('../azure/reconcile.js')).createAzureReconciler(
              config,
              manifest.azure!,
              deps,
              marker,
            );
      return { reconciler, deadline: deps.deadline };
    },
  };
}
