// The post step (`post-if: always()`): revokes exactly the grants its own main step saved, with a
// fresh OIDC token and a budget of its own, whether the job succeeded, failed or was cancelled.
//
// It acts on the saved state alone (core/state/saved-state.ts): each entry is a grant as the main step
// wrote and resolved it, and the header says where and as whom the main step signed in. The
// runner evaluates the step's `with:` again for the post step, so its inputs may name other
// targets or another Region by now; the post step reads only `revoke-on-exit` (not even that after
// an AWS main step with `duration`, whose grants end with the job whatever it says now) and
// `post-timeout-seconds` of them. It fails closed: saved grants it may not act on fail the step,
// with what was left and how to remove it.
import { describeError } from '../../core/errors.js';
import type { AdapterSettings } from '../../core/inputs/index.js';
import type { RunHeader } from '../../core/output/run-header.js';
import { emitStepReport, type StepReport } from '../../core/output/step.js';
import { BatchProgress } from '../../engine/calls/progress.js';
import { withReadProgress } from '../../engine/calls/read-progress.js';
import { postStepOf, postTitle, signedInHeader } from './revoke-plan.js';
import { leftBehind, leftBehindError, postStepFailed, type InstanceHandedOver } from './revoke-report.js';
import { revokeSaved } from './revoke-owned.js';
import { readSectionEntries } from './revoke-sections.js';
import type { StepRunner } from '../runner.js';
import type { PostSessionPlan, SavedAudit, Session, SessionOptions } from '../step-session.js';
import { parseSavedState } from '../../core/state/saved-state-checks.js';

/**
 * A signed-in session on the post step's budget (steps/post.ts), its records following the main
 * step's (`audit`: where they went, and the next number).
 */
export type OpenPostSession = (
  plan: PostSessionPlan,
  settings: AdapterSettings,
  options: Omit<SessionOptions, 'audit'> & { audit?: SavedAudit },
) => Promise<Session>;

/**
 * Where the post step works: a session signed in as the main step was, and the adapter's reading
 * of the instance its handed-over state names (for a removal by hand, before any sign-in).
 */
export interface PostSources {
  open: OpenPostSession;
  instanceOf: InstanceHandedOver;
}

/**
 * The post step's config is the state its main step saved (`runner.state`): no config of its own.
 * The state goes one way: loaded and checked (core/state/), what to do with it (./revoke-plan.ts),
 * the session it hands back to the adapter, then the revoke and what it came to (./revoke-owned.ts),
 * said once, at the end.
 */
export async function runRevokeOnExit(runner: StepRunner, sources: PostSources): Promise<void> {
  const report = await revokedOnExit(runner, sources);
  // The step fails even when its summary cannot be written.
  if (report)
    await emitStepReport(report, runner.effects).catch((failure: unknown) =>
      runner.effects.setFailed(report.failed ?? `revoke-on-exit: ${describeError(failure)}`),
    );
}

/** The post step's work, and what it says at its end: nothing more than its log when nothing was saved. */
async function revokedOnExit(runner: StepRunner, sources: PostSources): Promise<StepReport | undefined> {
  // What the summary's header says of the step, more once the saved state says where it signs in.
  let header: RunHeader = { title: postTitle(undefined), run: runner.run() };
  try {
    const { info, warning } = runner.effects;
    const state = parseSavedState(runner.state.saved());
    if (typeof state === 'string')
      return postStepFailed(
        `revoke-on-exit: ${state}; nothing was revoked, and what the main step created may be left in place`,
        header,
      );
    if ('nothing' in state) {
      info(`revoke-on-exit: ${state.nothing}; nothing to revoke`);
      return undefined;
    }
    if (state.ignored.length > 0) warning(`revoke-on-exit: ignored saved state: ${state.ignored.join('; ')}`);
    const { created } = state;
    if (created.length === 0 && !state.sections) {
      info('revoke-on-exit: the main step created no grants, so there is nothing to revoke');
      return undefined;
    }
    header = signedInHeader(header, state.header.settings);
    const post = postStepOf(state, runner);
    if ('refused' in post)
      return postStepFailed(
        leftBehindError(
          post.refused,
          created.map((e) => leftBehind(e, state.header, sources.instanceOf)),
        ),
        header,
      );
    info(
      `revoke-on-exit: revoking what the main step created (${created.length} grant(s)${state.sections ? ` and ${state.sections.length} of its kinds' own` : ''} saved), with a fresh GitHub OIDC token and a ${post.plan.postTimeoutSeconds}s budget`,
    );
    // Its own budget: a tight `timeout-seconds` on the main step must not cut cleanup short.
    const session = await sources.open(post.plan, post.signIn, {
      step: 'post',
      ...(post.audit ? { audit: post.audit } : {}),
      ...(state.header.handedOver ? { saved: state.header.handedOver } : {}),
      ownCreates: created.flatMap((entry) => (entry.requestId ? [entry.requestId] : [])),
    });
    // The post step's sign-in (a fresh token, the role) is made here, bounded by its budget alone.
    await withReadProgress(
      'the post step’s sign-in',
      () => session.driver.prepare({ operation: 'revoke', grants: post.plan.grants, proveOwnership: false }),
      { say: (line) => info(line), activity: session.activity },
    );
    // Where the grants stand while they wait: first whether each is the step's, then the revokes.
    const progress = {
      checks: new BatchProgress((line) => info(line), 'ownership checks'),
      revokes: new BatchProgress((line) => info(line), 'revokes'),
    };
    // The kinds' own entries, each read by its section's own parser before any of their calls.
    const own = readSectionEntries(state.sections ?? [], session.sections ?? []);
    if (own.refused.length > 0) warning(`revoke-on-exit: ignored saved state: ${own.refused.join('; ')}`);
    return await revokeSaved(
      state,
      own.read,
      session,
      { plan: post.plan, header: header, instanceOf: sources.instanceOf, progress },
      runner.effects,
    );
  } catch (failure) {
    return postStepFailed(`revoke-on-exit: ${describeError(failure)}`, header);
  }
}
