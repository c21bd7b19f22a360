// What every session of a step opens first, in one place: the adapter's dependencies (the
// deadline on the plan's budget, the GitHub OIDC token source, the call activity, GitHub's word on
// runs for a step that relies on another's grant) and, for a step that records, `audit-log`'s
// trail over them (./audit-trail.ts, loaded with import() once the first token request is on the
// wire). ./sessions.ts puts each operation's session on top.
import type { AdapterSettings, StepConfig } from '../core/inputs/index.js';
import { signsInWithToken } from '../core/inputs/settings.js';
import { Deadline } from '../engine/limits/deadline.js';
import type { AuditRequest } from '../engine/audit/record.js';
import type { AuditTrail } from '../engine/audit/trail.js';
import type { CallActivity } from '../engine/calls/read-progress.js';
import type { AdapterDeps, TokenSource } from '../engine/calls/driver.js';
import { debug, info, mask } from '../github/log.js';
import { githubOidcTokenSource } from '../github/oidc.js';
import type { PostSessionPlan, SessionOptions, SessionPlan } from '../operations/step-session.js';

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

async function adapterDeps(
  plan: SessionPlan | PostSessionPlan,
  settings: AdapterSettings,
  options: SessionOptions,
): Promise<AdapterDeps> {
  // Every main step's plan has both budgets; the post step's has only its own.
  const deadline =
    options.step === 'main' && 'timeoutSeconds' in plan
      ? new Deadline(plan.timeoutSeconds)
      : new Deadline(plan.postTimeoutSeconds, Date.now, 'post-timeout-seconds');
  const requestToken = signsInWithToken(settings)
    ? await askFirstTokenAhead(deadline, settings.audience)
    : githubOidcTokenSource(deadline);
  // Loaded once the first token request is on the wire: nothing before it reports progress.
  const { CallActivity: Activity } = await import('../engine/calls/read-progress.js');
  const activity = new Activity();
  return {
    deadline,
    requestToken,
    mask,
    debug,
    info,
    activity,
    ...(options.runs ? { readRuns: runsReader(options.runs, deadline, activity) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.saved ? { saved: options.saved } : {}),
    ...(options.ownCreates ? { ownCreates: options.ownCreates } : {}),
  };
}

/** GitHub's word on the runs a relying step names (github/runs.ts, loaded with import() when first asked). */
function runsReader(
  runs: NonNullable<SessionOptions['runs']>,
  deadline: Deadline,
  activity: CallActivity,
): NonNullable<AdapterDeps['readRuns']> {
  mask(runs.token);
  return async (refs) => {
    const { readRunStates } = await import('../github/runs.js');
    const own = { repository: runs.repository, repositoryId: runs.repositoryId };
    return (await readRunStates(refs, { token: runs.token, own, deadline, activity })).states;
  };
}

/**
 * What every session opens first, in this one place: the adapter's dependencies (the deadline on
 * the plan's budget, the token source, the call activity), and with `options.audit` the trail
 * that records the session's writes over them.
 */
export async function openGround(
  plan: SessionPlan | PostSessionPlan,
  settings: AdapterSettings,
  options: SessionOptions,
): Promise<{ deps: AdapterDeps; audit?: AuditTrail }> {
  const deps = await adapterDeps(plan, settings, options);
  if (!options.audit) return { deps };
  const { openAuditTrail } = await import('./audit-trail.js');
  return { deps, audit: await openAuditTrail(options.audit, settings, deps) };
}

/**
 * A main step's ground: `audit-log`'s trail unless the step records nothing (no `audit-log`, a
 * dry run). `request`: an access request's decision, which each of its records carries.
 */
export async function openMainGround(
  plan: SessionPlan & Pick<StepConfig, 'auditLog' | 'dryRun' | 'operation' | 'run'>,
  settings: AdapterSettings,
  options: Omit<SessionOptions, 'step' | 'audit'> = {},
  request?: AuditRequest,
): Promise<{ deps: AdapterDeps; audit?: AuditTrail }> {
  const deps = await adapterDeps(plan, settings, { step: 'main', ...options });
  if (!plan.auditLog || plan.dryRun) return { deps };
  const { mainAuditOf, openAuditTrail } = await import('./audit-trail.js');
  return { deps, audit: await openAuditTrail(mainAuditOf(plan.auditLog, plan, request), settings, deps) };
}
