// A runner that records what a step tells it, for the steps' tests without a bundle: the log,
// annotations, log groups, outputs, job summary and failure (RunnerEffects), and the state the main
// step saves, kept by key in a map the post step then loads, as GITHUB_STATE and STATE_* carry it.
import { inertJson } from '../../src/core/inert.js';
import type { WorkflowContext } from '../../src/core/run-context.js';
import type { LineOf, RunnerEffects } from '../../src/core/output/step.js';
import { stepState, type StepState } from '../../src/core/state/saved-state.js';
import type { StepRunner } from '../../src/operations/runner.js';
import type { RunEvent } from '../../src/core/check/events.js';

export interface Said {
  log: string[];
  notices: string[];
  warnings: { message: string; at?: LineOf }[];
  errors: { message: string; at?: LineOf }[];
  groups: { title: string; lines: string[] }[];
  summary: string;
  /** Every setFailed, in order (a step fails at most once; more would be a bug the tests see). */
  failed: string[];
  masked: string[];
}

export interface RecordedRunner {
  said: Said;
  outputs: Record<string, string>;
  effects: RunnerEffects;
  /** The state by key, as the runner keeps it between the main and the post step. */
  saved: Map<string, string>;
  state: StepState;
  runner: StepRunner;
  /**
   * The runner cancelling the job, as its SIGINT would: the step is told, then ended (thisJob()
   * exits the process), so nothing it saves after that reaches the post step.
   */
  cancel(signal?: string): void;
}

export interface RunnerSetup {
  inputs?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  run?: WorkflowContext;
  /** The state the main step saved, for a post step: the map another recorded runner filled. */
  saved?: Map<string, string>;
}

export function recordedRunner(setup: RunnerSetup = {}): RecordedRunner {
  const said: Said = {
    log: [],
    notices: [],
    warnings: [],
    errors: [],
    groups: [],
    summary: '',
    failed: [],
    masked: [],
  };
  const outputs: Record<string, string> = {};
  const effects: RunnerEffects = {
    info: (m) => void said.log.push(m),
    notice: (m) => void said.notices.push(m),
    warning: (message, at) => void said.warnings.push({ message, ...(at ? { at } : {}) }),
    error: (message, at) => void said.errors.push({ message, ...(at ? { at } : {}) }),
    debug: () => {},
    group: (title, lines) => void said.groups.push({ title, lines: [...lines] }),
    setOutput: (n, v) => void (outputs[n] = v),
    setJsonOutput: (n, v) => void (outputs[n] = inertJson(v)),
    setFailed: (m) => void said.failed.push(m),
    mask: (secret) => void said.masked.push(secret),
    appendSummary: async (html) => void (said.summary += html),
  };
  const saved = setup.saved ?? new Map<string, string>();
  let nonces = 0;
  let ended = false;
  const state = stepState({
    put: (key, value) => void (ended || saved.set(key, value)),
    saved: (key) => saved.get(key),
    savedWithPrefix: (prefix) => [...saved].filter(([key]) => key.startsWith(prefix)),
    newNonce: () => String(++nonces).padStart(32, '0'),
  });
  const stops: ((signal: string) => void)[] = [];
  const runner: StepRunner = {
    effects,
    state,
    input: (name) => setup.inputs?.[name] ?? '',
    env: setup.env ?? {},
    run: () => setup.run ?? ({} as WorkflowContext),
    onCancel: (stop) => {
      stops.push(stop);
      return () => void stops.splice(stops.indexOf(stop), 1);
    },
  };
  return {
    said,
    outputs,
    effects,
    saved,
    state,
    runner,
    cancel: (signal = 'SIGINT') => {
      for (const stop of [...stops]) stop(signal);
      ended = true;
    },
  };
}

/** The runner's effects in a run of `event` (GITHUB_EVENT_NAME, and the OIDC token endpoint when there is one). */
export function onEvent(effects: RunnerEffects, event: RunEvent): Pick<StepRunner, 'effects' | 'env'> {
  return {
    effects,
    env: {
      ...(event.eventName !== undefined ? { GITHUB_EVENT_NAME: event.eventName } : {}),
      ...(event.tokenEndpoint !== undefined ? { ACTIONS_ID_TOKEN_REQUEST_URL: event.tokenEndpoint } : {}),
    },
  };
}
