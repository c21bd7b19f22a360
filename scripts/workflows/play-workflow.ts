// Plays a workflow job's steps on this machine, as the runner would run them, for a workflow that
// cannot run here (e2e.yml): `run:` steps in bash with the runner's GITHUB_ENV / GITHUB_OUTPUT files,
// `uses: ./` through the step runner the tests share, harness/action-runner.ts (the bundle the tests
// build, or dist/), other local actions (`uses: ./path`) with node, then the post steps in the
// reverse order of their main steps.
// Steps that set up the runner (remote actions such as checkout and setup-node, `npm ci`) are
// skipped: this machine already has the repository and its packages. At the end, the emulator the
// job started (EMULATOR_PID) is stopped, as the runner ends a job's processes.
//
// It is not the runner: it evaluates the expressions ./expressions.ts knows, with the
// contexts it is given (`github`, `vars`, `secrets`, `inputs`: a name it was not given throws), and
// sets no ACTIONS_ID_TOKEN_REQUEST_* of its own. A workflow users copy (examples/) names this action
// `cloud-access/cloud-access@v1`: `action` plays that `uses:` as `./`, and `inputDefaults` stands
// for action.yml's defaults where a test points an input at the emulator (`authority-host`).
//
//   npm run e2e   # plays .github/workflows/e2e.yml against dist/
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseFileCommands, runStep } from '../../harness/action-runner.js';
import { interpolate, shouldRun as evaluateIf, type ExpressionContext, type Value } from './expressions.js';
import {
  isRunnerSetup,
  readLocalAction,
  readWorkflow,
  type ActionMetadata,
  type Play,
  type PlayedStep,
  type PlayOptions,
  type Workflow,
  type WorkflowStep,
} from './files.js';

export * from './files.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface StepResult {
  outcome: 'success' | 'failure';
  outputs: Record<string, string>;
  log: string;
  summary?: string;
  post?: () => Promise<StepResult>;
}

const stepName = (step: WorkflowStep): string =>
  step.name ?? step.id ?? (step.uses ? `uses ${step.uses}` : `run ${(step.run ?? '').split('\n')[0]}`);

const isThisAction = (step: WorkflowStep, action: string | undefined): boolean =>
  action !== undefined && step.uses?.split('@')[0] === action;

export async function playWorkflow(workflow: Workflow, options: PlayOptions = {}): Promise<Play> {
  const jobName = options.job ?? Object.keys(workflow.jobs)[0]!;
  const job = workflow.jobs[jobName];
  if (!job) throw new Error(`the workflow has no job ${jobName}`);
  const runnerTemp = mkdtempSync(join(tmpdir(), 'cloud-access-play-'));
  const jobEnv: Record<string, string> = {};
  const results = new Map<string, { outcome: string; conclusion: string; outputs: Record<string, string> }>();
  const played: PlayedStep[] = [];
  const posts: { name: string; run: () => Promise<StepResult> }[] = [];
  let failed = false;
  const workspace = options.workspace ?? ROOT;

  const context = (): ExpressionContext => ({
    contexts: {
      env: jobEnv,
      steps: Object.fromEntries(results) as Record<string, Value>,
      // action.yml's `github-token` defaults to github.token: empty unless a test gives one.
      github: { token: '', ...options.github },
      vars: options.vars ?? {},
      secrets: options.secrets ?? {},
      inputs: options.inputs ?? {},
    },
    strict: new Set(['github', 'vars', 'secrets', 'inputs']),
    jobFailed: failed,
  });
  const evaluate = (text: string): string => interpolate(text, context());
  const evaluateAll = (values: Record<string, unknown> = {}): Record<string, string> =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, evaluate(String(v))]));
  const shouldRun = (condition: string | undefined): boolean => evaluateIf(condition, context());
  const record = (
    name: string,
    stage: PlayedStep['stage'],
    outcome: PlayedStep['outcome'],
    result: Partial<StepResult> = {},
    conclusion: PlayedStep['conclusion'] = outcome,
  ) => {
    const step = {
      name,
      stage,
      outcome,
      conclusion,
      log: result.log ?? '',
      outputs: result.outputs ?? {},
      summary: result.summary ?? '',
    };
    played.push(step);
    options.onStep?.(step);
  };
  const githubEnv = Object.fromEntries(
    Object.entries(options.github ?? {})
      .filter(([name]) => name !== 'token')
      .map(([name, value]) => [`GITHUB_${name.toUpperCase()}`, value]),
  );

  /** The environment every step starts from: the runner's variables and the job's. */
  const baseEnv = (): Record<string, string> => ({
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? runnerTemp,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    ...options.env,
    ...githubEnv,
    ...evaluateAll(workflow.env),
    ...evaluateAll(job.env),
    ...jobEnv,
  });

  /** Runs `command` with the runner's file commands; what it put in GITHUB_ENV joins the job's environment. */
  const spawnStep = async (
    command: string[],
    env: Record<string, string>,
    cwd = ROOT,
  ): Promise<StepResult & { state: Record<string, string> }> => {
    const dir = mkdtempSync(join(runnerTemp, 'step-'));
    const files = {
      GITHUB_ENV: join(dir, 'env'),
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STATE: join(dir, 'state'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    };
    for (const file of Object.values(files)) writeFileSync(file, '');
    const child = spawn(command[0]!, command.slice(1), {
      cwd,
      env: { ...env, ...files },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const code = await new Promise<number | null>((done, fail) => {
      child.once('error', fail);
      child.once('close', done);
    });
    Object.assign(jobEnv, parseFileCommands(readFileSync(files.GITHUB_ENV, 'utf8')));
    return {
      outcome: code === 0 ? 'success' : 'failure',
      outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
      state: parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8')),
      log,
    };
  };

  /** The inputs the runner passes: `with:`, then action.yml's defaults for the rest. */
  const inputsOf = (step: WorkflowStep, action: ActionMetadata, uses: string): Record<string, string> => {
    const given = evaluateAll(step.with);
    return {
      ...Object.fromEntries(
        Object.entries(action.inputs ?? {})
          .filter(([, input]) => input.default !== undefined)
          .map(([name, input]) => [name, evaluate(String(input.default))]),
      ),
      ...(uses === './' ? options.inputDefaults?.(given) : {}),
      ...given,
    };
  };
  const inputEnv = (inputs: Record<string, string>) =>
    Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));

  const runMain = async (step: WorkflowStep): Promise<StepResult> => {
    const env = { ...baseEnv(), ...evaluateAll(step.env) };
    if (step.run !== undefined) {
      const script = join(runnerTemp, `script-${played.length}.sh`);
      writeFileSync(script, evaluate(step.run));
      const cwd = step['working-directory']
        ? resolve(workspace, evaluate(step['working-directory']))
        : workspace;
      return spawnStep(['bash', '--noprofile', '--norc', '-eo', 'pipefail', script], env, cwd);
    }
    const uses = isThisAction(step, options.action) ? './' : step.uses!;
    const action = readLocalAction(uses);
    const inputs = inputsOf(step, action, uses);
    if (uses === './') {
      const run = await runStep('main', { inputs, env });
      return {
        outcome: run.exitCode === 0 ? 'success' : 'failure',
        outputs: run.outputs,
        log: run.log.join('\n'),
        summary: run.summary,
        ...(action.runs.post
          ? {
              post: async () => {
                const post = await runStep('post', {
                  inputs,
                  env: { ...baseEnv(), ...evaluateAll(step.env) },
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
    if (!/^node\d+$/.test(action.runs.using) || !action.runs.main)
      throw new Error(`the player runs only node actions: ${uses} uses ${action.runs.using}`);
    const entry = (file: string) => join(ROOT, uses, file);
    const main = await spawnStep([process.execPath, entry(action.runs.main)], {
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
              return spawnStep([process.execPath, entry(postFile)], {
                ...baseEnv(),
                ...evaluateAll(step.env),
                ...inputEnv(inputs),
                ...state,
              });
            },
          }
        : {}),
    };
  };

  try {
    for (const step of job.steps) {
      const name = stepName(step);
      if ((!isThisAction(step, options.action) && isRunnerSetup(step)) || !shouldRun(step.if)) {
        record(name, 'main', 'skipped');
        continue;
      }
      const result = await runMain(step);
      const conclusion = step['continue-on-error'] ? 'success' : result.outcome;
      if (conclusion === 'failure') failed = true;
      if (step.id) results.set(step.id, { outcome: result.outcome, conclusion, outputs: result.outputs });
      if (result.post) posts.push({ name: `Post ${name}`, run: result.post });
      record(name, 'main', result.outcome, result, conclusion);
    }
    // The runner's post steps: every one registered (post-if: always()), last registered first.
    for (const post of posts.reverse()) {
      const result = await post.run();
      if (result.outcome === 'failure') failed = true;
      record(post.name, 'post', result.outcome, result);
    }
  } finally {
    // The runner ends the job's processes once the post steps are done: the emulator among them.
    const pid = Number(jobEnv.EMULATOR_PID);
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    rmSync(runnerTemp, { recursive: true, force: true });
  }
  return { conclusion: failed ? 'failure' : 'success', steps: played, env: jobEnv };
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
