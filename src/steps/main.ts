// The main step: claim the state, read the inputs, and run the operation they ask for, each a
// pipeline of its own (operations/<op>/) over sessions that sign in (./sessions.ts). The runner
// (operations/runner.ts) and the sessions come in as parameters: this module only puts the
// operations together with them. Every operation's pipeline, and the step's report, is loaded with
// import() when the step runs it, so ncc puts it in a chunk of its own: what a step reads and
// evaluates before its first request is the inputs' parse and its sign-in, and an assign (the
// step most jobs run) loads its pipeline once that request is on the wire.
import { CloudAccessError, describeError, InputErrors } from '../core/errors.js';
import type { StepConfig } from '../core/inputs/index.js';
import { parseInputsWith } from '../core/inputs/parse-inputs.js';
import type { SubAction } from '../core/inputs/operation-inputs.js';
import { givenInputs, subActionInputs, type UndeclaredInput } from '../core/inputs/sub-action-inputs.js';
import { thisJob, type StepRunner } from '../operations/runner.js';
import { inputParsersOf } from './input-parsers.js';
import { cloudSessions, type StepSessions } from './sessions.js';

/**
 * The main step of the root action, whose `operation` input says what it does, or of a sub-action
 * (`subAction`: `grant`, `report`…), whose operation is fixed.
 */
export async function runMainStep(
  job: StepRunner = thisJob(),
  sessions: StepSessions = cloudSessions,
  subAction?: SubAction,
): Promise<void> {
  const inputs = subAction
    ? subActionInputs(job.input, subAction, givenInputs(job.env))
    : { read: job.input, undeclared: [] };
  const runner: StepRunner = { ...job, input: inputs.read };
  const { effects } = runner;
  // Before anything else: the post step will see this step's header, never one planted earlier.
  runner.state.claim();
  let config: StepConfig;
  try {
    config = await parseStepInputs(runner, inputs.undeclared);
  } catch (problem) {
    await reportInputErrors(problem, runner);
    return;
  }
  for (const message of config.warnings ?? []) effects.warning(message);
  try {
    await runOperation(config, runner, sessions);
  } catch (failure) {
    // Before the first grant (the sign-in, the instance's discovery): once grants run, each one's
    // failure is its own result. Every output is set all the same, for `if: always()` steps.
    const reason = describeError(failure);
    const { emitStepReport, headerOf, stepTitle, stoppedBeforeAnyGrant } =
      await import('../core/output/step.js');
    // The deadline, not a fault: every grant is one not started, reported as such.
    const { stoppedAtDeadline } = await import('../operations/assign/stopped-at-deadline.js');
    const notStarted = stoppedAtDeadline(config, failure);
    if (notStarted) {
      await emitStepReport(notStarted, effects);
      return;
    }
    effects.error(reason);
    await emitStepReport(
      stoppedBeforeAnyGrant(
        [reason],
        config.operation === 'review'
          ? 'the review stopped at this error: what it wrote before is in its issues and this log, and the next run goes on from what it finds'
          : 'the step failed before its first grant; nothing was granted or revoked',
        headerOf(config, `${stepTitle(config)} failed`),
      ),
      effects,
    );
  }
}

/**
 * The pipeline the step's operation names, loaded with import() as it runs, over the runner and
 * the sessions it signs in with.
 */
async function runOperation(config: StepConfig, runner: StepRunner, sessions: StepSessions): Promise<void> {
  if (config.operation === 'sweep') {
    const { runSweep } = await import('../operations/sweep/index.js');
    return await runSweep(config, runner, { open: () => sessions.sweep(config) }, Date.now);
  }
  if (config.operation === 'report') {
    const { runReport } = await import('../operations/report/index.js');
    return await runReport(config, runner, await sessions.report(config), Date.now);
  }
  if (config.operation === 'reconcile') {
    const { runReconcile, postStepSettingsOf } = await import('../operations/reconcile/index.js');
    const postStep = { state: runner.state, settings: postStepSettingsOf(config) };
    return await runReconcile(config, { ...runner, postStep }, await sessions.reconcile(config));
  }
  if (config.operation === 'provision') {
    const { runProvision } = await import('../operations/provision/index.js');
    return await runProvision(config, runner, { open: () => sessions.provisioning(config) });
  }
  if (config.operation === 'review') {
    const { runReview } = await import('../operations/review/index.js');
    return await runReview(config, runner, await sessions.review(config), Date.now);
  }
  if (config.operation === 'request') {
    // The checks first (GitHub only); allowed, the request runs its grant as an assign.
    const { runRequest } = await import('../operations/request/index.js');
    await runRequest(config, runner, {
      ...(await sessions.request(config)),
      openGrant: (grant, signal, decision) => sessions.grants(grant, signal, decision),
    });
    return;
  }
  // The session first: its first request (the OIDC token) goes out before the pipeline is
  // loaded, which is evaluated while the endpoint answers. The pipeline's abort (the job
  // cancelled) reaches the session's requests as if it had opened it.
  const ahead = new AbortController();
  const session = await sessions.grants(config, ahead.signal);
  const { runAssignments } = await import('../operations/assign/index.js');
  await runAssignments(config, runner, {
    open: (signal) => {
      signal.addEventListener('abort', () => ahead.abort(signal.reason), { once: true });
      return Promise.resolve(session);
    },
  });
}

export type { SubAction };

/** A sub-action's main step (`grant`, `report`…): the main step with its operation fixed. */
export const runSubActionStep = (name: SubAction): Promise<void> =>
  runMainStep(thisJob(), cloudSessions, name);

/**
 * The step's inputs parsed, every problem at once: first the inputs a sub-action does not declare
 * (hidden from the parse, so none is answered with another operation's hint), then the parse's.
 * Only the chosen cloud's and operation's parsers are loaded (./input-parsers.ts).
 */
async function parseStepInputs(
  runner: StepRunner,
  undeclared: readonly UndeclaredInput[],
): Promise<StepConfig> {
  const refused = undeclared.map(
    ({ input, message, fix }) => new CloudAccessError(`input \`${input}\`: ${message}`, { input, fix }),
  );
  let parsed: StepConfig | InputErrors;
  try {
    parsed = parseInputsWith(await inputParsersOf(runner.input), runner.input, runner.env, runner.run());
  } catch (problem) {
    if (!(problem instanceof InputErrors)) throw problem;
    parsed = problem;
  }
  if (parsed instanceof InputErrors) throw new InputErrors([...refused, ...parsed.problems]);
  if (refused.length) throw new InputErrors(refused);
  return parsed;
}

async function reportInputErrors(problem: unknown, runner: StepRunner): Promise<void> {
  const { effects } = runner;
  const { headerOfInvalidInputs } = await import('../core/output/run-header.js');
  const { emitStepReport, stoppedBeforeAnyGrant } = await import('../core/output/step.js');
  const header = headerOfInvalidInputs(runner.input, runner.run());
  const problems =
    problem instanceof InputErrors ? problem.problems.map((p) => p.describe()) : [describeError(problem)];
  for (const p of problems) effects.error(p);
  await emitStepReport(
    stoppedBeforeAnyGrant(
      problems,
      `${problems.length} invalid input${problems.length === 1 ? '' : 's'}; nothing was requested from the cloud`,
      header,
    ),
    effects,
  );
}
