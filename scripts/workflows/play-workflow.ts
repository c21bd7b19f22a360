// Plays a workflow job's steps on this machine, as the runner would run them, for a workflow that
// cannot run here (e2e.yml): `run:` steps in bash with the runner's GITHUB_ENV / GITHUB_OUTPUT files,
// `uses: ./` and its sub-actions (`uses: ./grant`) through the step runner the tests share,
// harness/action-runner.ts (the bundle the tests build, or dist/), other local actions
// (`uses: ./path`) with node (each `run:` step and node action a process of its own, ./step-process.ts),
// then the post steps in the reverse order of their main steps.
// Steps that set up the runner (remote actions such as checkout and setup-node, `npm ci`) are
// skipped: this machine already has the repository and its packages. At the end, the emulator the
// job started (EMULATOR_PID) is stopped, as the runner ends a job's processes.
//
// It is not the runner: it evaluates the expressions ./expressions.ts knows, with the
// contexts it is given (`github`, `vars`, `secrets`, `inputs`: a name it was not given throws), and
// sets no ACTIONS_ID_TOKEN_REQUEST_* of its own. A workflow users copy (examples/) names this action
// `cloud-access/cloud-access@v1` (a sub-action `cloud-access/cloud-access/grant@v1`): `action`
// plays that `uses:` as `./` (`./grant`), and `inputDefaults` stands
// for action.yml's defaults where a test points an input at the emulator (`authority-host`).
//
//   npm run e2e   # plays .github/workflows/e2e.yml against dist/
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { runStep } from '../../harness/action-runner.js';
import { interpolate, shouldRun as evaluateIf, type ExpressionContext, type Value } from './expressions.js';
import {
  isRunnerSetup,
  readLocalAction,
  readWorkflow,
  thisActionFolder,
  type ActionMetadata,
  type Play,
  type PlayedStep,
  type PlayOptions,
  type Workflow,
  type WorkflowStep,
} from './files.js';
import { inputEnv, spawnStep, type StepResult } from './step-process.js';

export * from './files.js';

const ROOT = join(import.meta.dirname, '..', '..');

const stepName = (step: WorkflowStep): string =>
  step.name ?? step.id ?? (step.uses ? `uses ${step.uses}` : `run ${(step.run ?? '').split('\n')[0]}`);

const isThisAction = (step: WorkflowStep, action: string | undefined): boolean =>
  thisActionFolder(step, action) !== undefined;

export async function playWorkflow(workflow: Workflow, options: PlayOptions = {}): Promise<Play> {
  const jobName = options.job ?? Object.keys(workflow.jobs)[0]!;
  const job = workflow.jobs[jobName];
  if (!job) throw new Error(`the workflow has no job ${jobName}`);
  return new JobPlayer(workflow, job, options).play();
}

type Job = Workflow['jobs'][string];

/** One job played: its environment, its steps' results, and what the runner keeps between steps. */
class JobPlayer {
  readonly runnerTemp = mkdtempSync(join(tmpdir(), 'cloud-access-play-'));
  readonly jobEnv: Record<string, string> = {};
  readonly results = new Map<
    string,
    { outcome: string; conclusion: string; outputs: Record<string, string> }
  >();
  readonly played: PlayedStep[] = [];
  readonly posts: { name: string; run: () => Promise<StepResult> }[] = [];
  failed = false;
  readonly workspace: string;
  readonly githubEnv: Record<string, string>;

  constructor(
    readonly workflow: Workflow,
    readonly job: Job,
    readonly options: PlayOptions,
  ) {
    this.workspace = options.workspace ?? ROOT;
    this.githubEnv = Object.fromEntries(
      Object.entries(options.github ?? {})
        .filter(([name]) => name !== 'token')
        .map(([name, value]) => [`GITHUB_${name.toUpperCase()}`, value]),
    );
  }

  async play(): Promise<Play> {
    try {
      for (const step of this.job.steps) {
        const name = stepName(step);
        if ((!isThisAction(step, this.options.action) && isRunnerSetup(step)) || !this.shouldRun(step.if)) {
          this.record(name, 'main', 'skipped');
          continue;
        }
        const result = await this.runMain(step);
        const conclusion = step['continue-on-error'] ? 'success' : result.outcome;
        if (conclusion === 'failure') this.failed = true;
        if (step.id)
          this.results.set(step.id, { outcome: result.outcome, conclusion, outputs: result.outputs });
        if (result.post) this.posts.push({ name: `Post ${name}`, run: result.post });
        this.record(name, 'main', result.outcome, result, conclusion);
      }
      // The runner's post steps: every one registered (post-if: always()), last registered first.
      for (const post of this.posts.reverse()) {
        const result = await post.run();
        if (result.outcome === 'failure') this.failed = true;
        this.record(post.name, 'post', result.outcome, result);
      }
    } finally {
      // The runner ends the job's processes once the post steps are done: the emulator among them.
      const pid = Number(this.jobEnv.EMULATOR_PID);
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
      rmSync(this.runnerTemp, { recursive: true, force: true });
    }
    return { conclusion: this.failed ? 'failure' : 'success', steps: this.played, env: this.jobEnv };
  }

  context(): ExpressionContext {
    return {
      contexts: {
        env: this.jobEnv,
        steps: Object.fromEntries(this.results) as Record<string, Value>,
        // action.yml's `github-token` defaults to github.token: empty unless a test gives one.
        github: { token: '', ...this.options.github },
        vars: this.options.vars ?? {},
        secrets: this.options.secrets ?? {},
        inputs: this.options.inputs ?? {},
      },
      strict: new Set(['github', 'vars', 'secrets', 'inputs']),
      jobFailed: this.failed,
    };
  }

  evaluate(text: string): string {
    return interpolate(text, this.context());
  }

  evaluateAll(values: Record<string, unknown> = {}): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, this.evaluate(String(v))]));
  }

  shouldRun(condition: string | undefined): boolean {
    return evaluateIf(condition, this.context());
  }

  record(
    name: string,
    stage: PlayedStep['stage'],
    outcome: PlayedStep['outcome'],
    result: Partial<StepResult> = {},
    conclusion: PlayedStep['conclusion'] = outcome,
  ): void {
    const step = {
      name,
      stage,
      outcome,
      conclusion,
      log: result.log ?? '',
      outputs: result.outputs ?? {},
      summary: result.summary ?? '',
    };
    this.played.push(step);
    this.options.onStep?.(step);
  }

  /** The environment every step starts from: the runner's variables and the job's. */
  baseEnv(): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? this.runnerTemp,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: this.workspace,
      RUNNER_TEMP: this.runnerTemp,
      ...this.options.env,
      ...this.githubEnv,
      ...this.evaluateAll(this.workflow.env),
      ...this.evaluateAll(this.job.env),
      ...this.jobEnv,
    };
  }

  /** The inputs the runner passes: `with:`, then action.yml's defaults for the rest. */
  inputsOf(step: WorkflowStep, action: ActionMetadata, ours: boolean): Record<string, string> {
    const given = this.evaluateAll(step.with);
    return {
      ...Object.fromEntries(
        Object.entries(action.inputs ?? {})
          .filter(([, input]) => input.default !== undefined)
          .map(([name, input]) => [name, this.evaluate(String(input.default))]),
      ),
      ...(ours ? this.options.inputDefaults?.(given) : {}),
      ...given,
    };
  }

  async runMain(step: WorkflowStep): Promise<StepResult> {
    const env = { ...this.baseEnv(), ...this.evaluateAll(step.env) };
    if (step.run !== undefined) {
      const script = join(this.runnerTemp, `script-${this.played.length}.sh`);
      writeFileSync(script, this.evaluate(step.run));
      const cwd = step['working-directory']
        ? resolve(this.workspace, this.evaluate(step['working-directory']))
        : this.workspace;
      return spawnStep(this, ['bash', '--noprofile', '--norc', '-eo', 'pipefail', script], env, cwd);
    }
    const folder = thisActionFolder(step, this.options.action);
    const uses = folder === undefined ? step.uses! : `./${folder}`;
    const action = readLocalAction(uses);
    const inputs = this.inputsOf(step, action, folder !== undefined);
    if (folder !== undefined) return this.runThisAction(step, action, inputs, env, folder);
    if (!/^node\d+$/.test(action.runs.using) || !action.runs.main)
      throw new Error(`the player runs only node actions: ${uses} uses ${action.runs.using}`);
    const entry = (file: string) => join(ROOT, uses, file);
    const main = await spawnStep(this, [process.execPath, entry(action.runs.main)], {
      ...env,
      ...inputEnv(inputs),
    });
    const postFile = action.runs.post;
    return {
      ...main,
      ...(postFile
        ? {
            post: () => {
              const state = Object.fromEntries(Object.entries(main.state).map(([k, v]) => [`STATE_${k}`, v]));
              return spawnStep(this, [process.execPath, entry(postFile)], {
                ...this.baseEnv(),
                ...this.evaluateAll(step.env),
                ...inputEnv(inputs),
                ...state,
              });
            },
          }
        : {}),
    };
  }

  /**
   * `uses: ./` or a sub-action (`folder`): the bundled action, through the step runner, with its
   * post step registered.
   */
  async runThisAction(
    step: WorkflowStep,
    action: ActionMetadata,
    inputs: Record<string, string>,
    env: Record<string, string>,
    folder: string,
  ): Promise<StepResult> {
    const runAction = this.options.runStep ?? runStep;
    const run = await runAction('main', { inputs, env, action: folder });
    return {
      outcome: run.exitCode === 0 ? 'success' : 'failure',
      outputs: run.outputs,
      log: run.log.join('\n'),
      summary: run.summary,
      ...(action.runs.post
        ? {
            post: async () => {
              const post = await runAction('post', {
                action: folder,
                inputs,
                env: { ...this.baseEnv(), ...this.evaluateAll(step.env) },
                state: run.state,
              });
              return {
                outcome: post.exitCode === 0 ? 'success' : 'failure',
                outputs: {},
                log: post.log.join('\n'),
                summary: post.summary,
              };
            },
          }
        : {}),
    };
  }
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  const file = process.argv[2] ?? '.github/workflows/e2e.yml';
  const play = await playWorkflow(readWorkflow(file), {
    onStep: (step) => {
      const continued = step.outcome !== step.conclusion ? ' (continue-on-error)' : '';
      console.log(`${step.outcome.padEnd(7)} ${step.stage === 'post' ? '' : '    '}${step.name}${continued}`);
      if (step.conclusion === 'failure') console.log(step.log.replace(/^/gm, '        | '));
    },
  });
  console.log(`${relative(ROOT, resolve(ROOT, file))}: ${play.conclusion}`);
  process.exitCode = play.conclusion === 'success' ? 0 : 1;
}
