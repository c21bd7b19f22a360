// The data of a played workflow (./play-workflow.ts): the workflow file and a local action's
// action.yml as read, the options of a play and what it reports.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { runStep } from '../../harness/action-runner.js';
import { SUB_ACTION_NAMES } from '../actions/sub-actions.js';

const ROOT = join(import.meta.dirname, '..', '..');

const { safeLoad } = createRequire(import.meta.url)('js-yaml') as { safeLoad(text: string): unknown };

/** A YAML document as data (js-yaml, YAML 1.2: `on` stays a key, `'0111…'` stays a string). */
export function parseYaml(text: string): unknown {
  return safeLoad(text);
}

export interface WorkflowStep {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: string;
  'continue-on-error'?: boolean;
  'timeout-minutes'?: number;
  'working-directory'?: string;
}

export interface Workflow {
  env?: Record<string, unknown>;
  permissions?: unknown;
  jobs: Record<string, { env?: Record<string, unknown>; permissions?: unknown; steps: WorkflowStep[] }>;
}

export interface ActionMetadata {
  inputs?: Record<string, { default?: unknown; required?: boolean }>;
  outputs?: Record<string, unknown>;
  runs: { using: string; main?: string; post?: string };
}

export function readWorkflow(file: string): Workflow {
  return parseYaml(readFileSync(resolve(ROOT, file), 'utf8')) as Workflow;
}

/**
 * The folder of this action a step uses (`''` the root action, `grant` a sub-action), or undefined
 * for another action: `uses: ./` and `./<sub-action>`, or `action` (`cloud-access/cloud-access`)
 * and `action/<sub-action>` at any ref.
 */
export function thisActionFolder(step: WorkflowStep, action: string | undefined): string | undefined {
  const uses = step.uses;
  if (uses === undefined) return undefined;
  const [path] = uses.split('@');
  const folder =
    uses === './'
      ? ''
      : uses.startsWith('./')
        ? uses.slice(2).replace(/\/$/, '')
        : action !== undefined && path === action
          ? ''
          : action !== undefined && path!.startsWith(`${action}/`)
            ? path!.slice(action.length + 1)
            : undefined;
  if (folder === undefined || folder === '') return folder;
  return (SUB_ACTION_NAMES as string[]).includes(folder) ? folder : undefined;
}

/** The action.yml of a local action (`./` or `./path`). */
export function readLocalAction(uses: string): ActionMetadata {
  return parseYaml(readFileSync(join(ROOT, uses, 'action.yml'), 'utf8')) as ActionMetadata;
}

export interface PlayedStep {
  name: string;
  stage: 'main' | 'post';
  outcome: 'success' | 'failure' | 'skipped';
  /** The outcome, but `success` for a failed step with `continue-on-error: true`. */
  conclusion: 'success' | 'failure' | 'skipped';
  /** What the step wrote to stdout and stderr. */
  log: string;
  /** The step's outputs, and for this action's steps the job summary it wrote. */
  outputs: Record<string, string>;
  summary: string;
}

export interface Play {
  conclusion: 'success' | 'failure';
  steps: PlayedStep[];
  /** The job's environment at its end: what the steps put in GITHUB_ENV. */
  env: Record<string, string>;
}

export interface PlayOptions {
  job?: string;
  onStep?: (step: PlayedStep) => void;
  /** The `github` context (`event_name`, `token`, `repository`, …); each also sets GITHUB_<NAME>. */
  github?: Record<string, string>;
  vars?: Record<string, string>;
  secrets?: Record<string, string>;
  /** `workflow_dispatch`'s inputs. */
  inputs?: Record<string, string>;
  /** The `uses:` of this action in a workflow users copy (`cloud-access/cloud-access`), played as `./`. */
  action?: string;
  /** Values that replace action.yml's defaults for a step's `with:` (the emulator's Azure endpoints). */
  inputDefaults?: (given: Record<string, string>) => Record<string, string>;
  /** GITHUB_WORKSPACE, where `run:` steps run (default: the repository). */
  workspace?: string;
  /** The runner's environment for every step (the emulator's; PATH with stand-ins such as `gh`). */
  env?: Record<string, string>;
  /**
   * How this action's steps run: by default each in a process of its own, as the runner runs them
   * (harness/action-runner.ts's runStep); a test may run them in its own process instead.
   */
  runStep?: typeof runStep;
}

/** The steps a runner needs and this machine has: remote actions (checkout, setup-node…) and `npm ci`. */
export function isRunnerSetup(step: WorkflowStep): boolean {
  return (step.uses !== undefined && !step.uses.startsWith('./')) || /^npm ci\b/.test(step.run?.trim() ?? '');
}
