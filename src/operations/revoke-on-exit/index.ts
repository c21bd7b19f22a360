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
import { INSTANCE_ARN } from '../../core/patterns.js';
import type { AdapterSettings, RunPlan } from '../../core/inputs/index.js';
import { describeSignIn, postStepBudget, signInNow } from '../../core/inputs/post-step.js';
import {
  describeRevokes,
  leftBehindError,
  leftToExpireWarning,
  postStepFailed,
  postTitle,
  type LeftBehind,
} from './revoke-report.js';
import { signInText, type RunHeader } from '../../core/report/run-header.js';
import { revokePlanOf, revokeSettingsOf } from './revoke-plan.js';
import { savedIdsOf } from '../../core/state/saved-ids.js';
import {
  type HandedOver,
  type LoadedState,
  type SavedGrant,
  type SavedSettings,
} from '../../core/state/saved-state.js';
import { emitGrantLog, emitStepReport, grantsEnding, type RunnerEffects } from '../../core/report/step.js';
import type { Grant } from '../../core/types.js';
import { BatchProgress } from '../../engine/calls/progress.js';
import { revokeOwned } from './revoke-owned.js';
import type { StepRunner } from '../runner.js';
import type { Session, SessionOptions, SessionPlan } from '../step-session.js';

/** A signed-in session on the post step's budget (steps/sessions.ts openSession). */
export type OpenPostSession = (
  plan: SessionPlan,
  settings: AdapterSettings,
  options: SessionOptions,
) => Promise<Session>;

/** Where the post step works: a session signed in as the main step was. */
export interface PostSources {
  open: OpenPostSession;
}

/** The post step's config is the state its main step saved (`runner.state`): no config of its own. */
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
    const state = runner.state.load();
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
    if (state.created.length === 0) {
      info('revoke-on-exit: the main step created no grants, so there is nothing to revoke');
      return;
    }
    const saved = state.header.settings;
    header = { ...header, title: postTitle(saved.cloud), signIn: signInText(saved) };
    const own = postStepBudget(runner.input, saved.cloud === 'aws' && saved.duration !== undefined);
    if (typeof own === 'string') {
      await fail(
        leftBehindError(
          own,
          state.created.map((e) => leftBehind(e, state.header)),
        ),
      );
      return;
    }
    noteOtherSignIn(runner, state.header.settings);
    const plan = revokePlanOf(state, { postTimeoutSeconds: own, run: header.run ?? {} });
    await revoke(plan, revokeSettingsOf(saved), state, runner.effects, sources.open);
  } catch (failure) {
    await fail(`revoke-on-exit: ${describeError(failure)}`);
  }
}

/** Says so when the post step's own inputs would sign in elsewhere: it signs in as the main step did. */
function noteOtherSignIn(runner: StepRunner, saved: SavedSettings): void {
  const inputs = signInNow(runner.input, runner.env, runner.run());
  if (!inputs) return;
  const now = describeSignIn(inputs);
  const then = describeSignIn(saved);
  if (now !== then)
    runner.effects.info(
      `revoke-on-exit: this step's inputs now sign in to ${now}; the post step signs in as the main step did, to ${then}`,
    );
}

/**
 * How to remove a saved grant by hand, with its IDs (checked against the services' patterns on
 * load), and on AWS the instance the driver handed over, when it names one.
 */
function leftBehind(
  entry: Pick<SavedGrant, 'ids' | 'grant'>,
  { settings, handedOver }: { settings: SavedSettings; handedOver?: HandedOver | undefined },
): LeftBehind {
  const ids = savedIdsOf(entry.ids);
  if (settings.cloud === 'aws')
    return {
      written: entry.grant.written,
      removeBy: `aws sso-admin delete-account-assignment --instance-arn ${instanceNamed(handedOver)} --target-type AWS_ACCOUNT --target-id ${ids.targetId} --permission-set-arn ${ids.roleId} --principal-type ${settings.principalType} --principal-id ${ids.principalId}`,
    };
  return {
    written: entry.grant.written,
    removeBy: settings.duration
      ? `a PIM AdminRemove of role ${ids.roleId} for principal ${ids.principalId} at ${ids.targetId}`
      : `az role assignment delete --ids ${ids.targetId}/providers/Microsoft.Authorization/roleAssignments/${ids.name ?? ''}`,
  };
}

/** The instance a removal names: the one the driver handed over, when it is an instance ARN. */
function instanceNamed(handedOver: HandedOver | undefined): string {
  const arn = handedOver?.instanceArn;
  return typeof arn === 'string' && INSTANCE_ARN.test(arn) ? arn : '<instance ARN>';
}

async function revoke(
  plan: RunPlan<Grant>,
  signIn: AdapterSettings,
  state: LoadedState,
  effects: RunnerEffects,
  open: OpenPostSession,
): Promise<void> {
  const { info, notice, warning } = effects;
  const { created, header } = state;
  const settings = header.settings;
  info(
    `revoke-on-exit: revoking what the main step created (${created.length} grant(s) saved), with a fresh GitHub OIDC token and a ${plan.postTimeoutSeconds}s budget`,
  );
  // Its own budget: a tight `timeout-seconds` on the main step must not cut cleanup short.
  const { deadline, driver } = await open(plan, signIn, {
    step: 'post',
    saved: {
      ...header.handedOver,
      ownCreates: created.flatMap((entry) => (entry.requestId ? [entry.requestId] : [])),
    },
  });
  await driver.prepare({ operation: 'revoke', grants: plan.grants, proveOwnership: false });
  const { results, tally, leftToExpire, mayBeOwn } = await revokeOwned(created, driver, {
    maxConcurrency: plan.maxConcurrency,
    deadline,
    existedBefore: header.leftAlone,
    onResult: (result) => emitGrantLog(result, false, effects),
    progress: {
      checks: new BatchProgress((line) => effects.info(line), 'ownership checks'),
      revokes: new BatchProgress((line) => effects.info(line), 'revokes'),
    },
  });
  notice(describeRevokes(tally));
  const expiring = leftToExpireWarning(leftToExpire);
  if (expiring) warning(expiring);
  if (mayBeOwn.length > 0)
    warning(
      leftBehindError(
        'the service cannot show that this step created them (an answer to a create was lost, or another party created the same assignment meanwhile: a person, or another job that relies on it)',
        mayBeOwn.map((entry) => leftBehind(entry, header)),
        "that may be the main step's",
        'When another run relies on one, a scheduled `operation: sweep` ends it once every run that relies on it has ended (docs/sweep.md)',
      ),
    );
  await emitStepReport(
    grantsEnding(results, {
      title: postTitle(settings.cloud),
      run: plan.run,
      signIn: signInText(settings),
      operation: 'revoke',
      dryRun: false,
      wait: true,
    }),
    effects,
  );
}
