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
import { emitStepReport } from '../../core/output/step.js';
import { postStepOf, postTitle, signedInHeader } from './revoke-plan.js';
import { leftBehind, leftBehindError, postStepFailed, type InstanceHandedOver } from './revoke-report.js';
import { revokeSaved } from './revoke-owned.js';
import type { StepRunner } from '../runner.js';
import type { AuditPlan, PostSessionPlan, Session, SessionOptions } from '../step-session.js';
import { auditLogOf } from '../../core/state/saved-fields.js';
import type { SavedSettings } from '../../core/state/saved-settings.js';
import { parseSavedState } from '../../core/state/saved-state-checks.js';
import { auditRunOf } from '../../engine/audit/key.js';

/** The post step's audit, from what its main step saved: its records follow the main step's. */
function postAuditOf(
  settings: SavedSettings,
  runner: Pick<StepRunner, 'run' | 'env'>,
): AuditPlan | undefined {
  const target = settings.auditLog ? auditLogOf(settings.auditLog, settings.cloud) : undefined;
  if (!target) return undefined;
  return {
    target,
    firstNumber: settings.auditFirst ?? 1,
    step: { step: 'post', operation: 'assign', run: auditRunOf(runner.run(), runner.env) },
  };
}

/** A signed-in session on the post step's budget (steps/sessions.ts openSession). */
export type OpenPostSession = (
  plan: PostSessionPlan,
  settings: AdapterSettings,
  options: SessionOptions,
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
 * the session it hands back to the adapter, then the revoke and what it came to (./revoke-owned.ts).
 */
export async function runRevokeOnExit(runner: StepRunner, sources: PostSources): Promise<void> {
  const { info, warning } = runner.effects;
  // What the summary's header says of the step, more once the saved state says where it signs in.
  let header: RunHeader = { title: postTitle(undefined), run: runner.run() };
  // The step fails even when its summary cannot be written.
  const fail = (message: string) =>
    emitStepReport(postStepFailed(message, header), runner.effects).catch(() =>
      runner.effects.setFailed(message),
    );
  try {
    const state = parseSavedState(runner.state.saved());
    if (typeof state === 'string') {
      await fail(
        `revoke-on-exit: ${state}; nothing was revoked, and what the main step created may be left in place`,
      );
      return;
    }
    if ('nothing' in state) {
      info(`revoke-on-exit: ${state.nothing}; nothing to revoke`);
      return;
    }
    if (state.ignored.length > 0) warning(`revoke-on-exit: ignored saved state: ${state.ignored.join('; ')}`);
    const { created } = state;
    if (created.length === 0) {
      info('revoke-on-exit: the main step created no grants, so there is nothing to revoke');
      return;
    }
    header = signedInHeader(header, state.header.settings);
    const post = postStepOf(state, runner);
    if ('refused' in post) {
      await fail(
        leftBehindError(
          post.refused,
          created.map((e) => leftBehind(e, state.header, sources.instanceOf)),
        ),
      );
      return;
    }
    info(
      `revoke-on-exit: revoking what the main step created (${created.length} grant(s) saved), with a fresh GitHub OIDC token and a ${post.plan.postTimeoutSeconds}s budget`,
    );
    // Its own budget: a tight `timeout-seconds` on the main step must not cut cleanup short.
    const audit = postAuditOf(state.header.settings, runner);
    const session = await sources.open(post.plan, post.signIn, {
      step: 'post',
      ...(audit ? { audit } : {}),
      ...(state.header.handedOver ? { saved: state.header.handedOver } : {}),
      ownCreates: created.flatMap((entry) => (entry.requestId ? [entry.requestId] : [])),
    });
    await revokeSaved(
      state,
      session,
      { plan: post.plan, header, instanceOf: sources.instanceOf },
      runner.effects,
    );
  } catch (failure) {
    await fail(`revoke-on-exit: ${describeError(failure)}`);
  }
}
