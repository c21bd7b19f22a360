// Which action `npm run local-action` (./local-action.ts) runs, and how, from its action.yml as the
// runner reads it for a `uses:` line: the root action (`uses: cloud-access/cloud-access@v1`), or a
// sub-action (`uses: cloud-access/cloud-access/grant@v1`), whose folder's action.yml declares its
// own inputs and defaults (an input it does not declare gets no default) and its own steps
// (`runs.main`, a bundle entry with its operation fixed; `runs.post`, grant's only). Each step is
// mapped from the bundle's entry (dist/, which the tests and the coordinator build, not this) to
// the source it is built from, so that a run tries the source as it is.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { SUB_ACTION_NAMES, subActionEntry } from '../actions/sub-actions.js';
import type { SubAction } from '../../src/core/inputs/operation-inputs.js';

export interface LocalTarget {
  /** The action's folder, relative to the repository: `.` or the sub-action's name. */
  dir: string;
  /** The sub-action's name; absent for the root action. */
  subAction?: SubAction;
  /** The module whose `run` is the main step, in the source (relative to the repository). */
  main: string;
  /** Whether action.yml has a post step (`runs.post`). */
  post: boolean;
  /** The inputs action.yml declares. */
  inputs: string[];
  /** The inputs whose default is `${{ github.token }}`, which the runner gives the job's token. */
  tokenInputs: string[];
}

/** `${{ github.token }}`, as action.yml writes a default the runner evaluates. */
const GITHUB_TOKEN_DEFAULT = /^\$\{\{\s*github\.token\s*\}\}$/;

/** The module that runs a sub-action's main step from the source (its `run`). */
export const SUB_ACTION_MAIN = 'scripts/emulator/local-action-sub.ts';

/** How the command is called, for its messages. */
export const USAGE = `npm run local-action -- [--no-post] [ACTION] [ENV_FILE]   (ACTION: . or ${SUB_ACTION_NAMES.join(', ')}; ENV_FILE: .env)`;

/**
 * The action an argument names, as a `uses:` line does or by its folder: `grant`, `./grant`,
 * `grant/`, `cloud-access/cloud-access/grant@v1`; `.`, `./` or `cloud-access/cloud-access@v1` for
 * the root action (''). Undefined when it names none of them.
 */
export function actionNamed(arg: string): SubAction | '' | undefined {
  const path = arg
    .replace(/@[^/]*$/, '')
    .replace(/^cloud-access\/cloud-access(?=\/|$)/, '.')
    .replace(/^\.\/?/, '')
    .replace(/\/$/, '');
  if (path === '') return '';
  return (SUB_ACTION_NAMES as string[]).includes(path) ? (path as SubAction) : undefined;
}

/**
 * The command's arguments: `[--no-post] [ACTION] [ENV_FILE]`. A lone argument is the action when it
 * names one (no file is called `grant`: that is the sub-action's folder), and the .env file
 * otherwise, as before actions could be named. `--no-post` (anywhere) leaves the post step out, as
 * in a job still running: what the main step created stays, for a reconcile or a report to see.
 */
export function localArguments(all: string[]): {
  action: SubAction | '';
  envFile: string;
  noPost: boolean;
} {
  const noPost = all.includes('--no-post');
  const args = all.filter((arg) => arg !== '--no-post');
  const option = args.find((arg) => arg.startsWith('--'));
  if (option) throw new Error(`\`${option}\` is no option of this command: ${USAGE}`);
  return { ...actionAndFile(args), noPost };
}

function actionAndFile(args: string[]): { action: SubAction | ''; envFile: string } {
  if (args.length > 2) throw new Error(`too many arguments: ${USAGE}`);
  const [first, second] = args;
  const action = first === undefined ? '' : actionNamed(first);
  if (args.length === 2 && action === undefined)
    throw new Error(`\`${first}\` names no action of this repository: ${USAGE}`);
  if (action === undefined || args.length === 0) return { action: '', envFile: first ?? '.env' };
  return { action, envFile: second ?? '.env' };
}

/** The steps and inputs of the action `action` names, from its action.yml under `root`. */
export function localTarget(root: string, action: SubAction | ''): LocalTarget {
  const dir = action === '' ? '.' : action;
  const file = join(dir, 'action.yml');
  if (!existsSync(join(root, file))) throw new Error(`${file} does not exist`);
  const yml = parse(readFileSync(join(root, file), 'utf8')) as {
    inputs?: Record<string, { default?: unknown } | null>;
    runs?: { main?: unknown; post?: unknown };
  };
  const { main, post } = yml.runs ?? {};
  const expected = action === '' ? 'main.js' : subActionEntry(action);
  // Any other entry would be a step this command does not know how to run from the source.
  if (typeof main !== 'string' || basename(main) !== expected)
    throw new Error(`${file}: runs.main is ${String(main)}, not the bundle's ${expected}`);
  if (post !== undefined && (typeof post !== 'string' || basename(post) !== 'post.js'))
    throw new Error(`${file}: runs.post is ${String(post)}, not the bundle's post.js`);
  return {
    dir,
    ...(action === '' ? {} : { subAction: action }),
    main: action === '' ? 'src/index.ts' : SUB_ACTION_MAIN,
    post: post !== undefined,
    inputs: Object.keys(yml.inputs ?? {}),
    tokenInputs: Object.entries(yml.inputs ?? {})
      .filter(([, input]) => GITHUB_TOKEN_DEFAULT.test(String(input?.default ?? '')))
      .map(([name]) => name),
  };
}

/**
 * The inputs a .env file gives (`INPUT_NAME`) that the action does not declare: the runner passes
 * them all the same, with a warning.
 */
export function undeclaredInputs(env: Record<string, string>, target: LocalTarget): string[] {
  const declared = new Set(target.inputs.map((name) => name.toUpperCase()));
  return Object.keys(env)
    .filter((key) => key.startsWith('INPUT_'))
    .map((key) => key.slice('INPUT_'.length))
    .filter((name) => !declared.has(name.toUpperCase()))
    .map((name) => name.toLowerCase());
}

/**
 * The inputs a .env file leaves to their `${{ github.token }}` default, with the token the runner
 * would give them: the file's GITHUB_TOKEN, or else the job token of the emulator the file names
 * (EMULATOR_GITHUB_TOKEN, which reads octo-org/octo-repo as a job's token reads its repository).
 * local-action itself would pass the default's text, which no GitHub API takes. Empty when the file
 * has neither token: the step then gets the text, as before.
 */
export function tokenDefaults(env: Record<string, string>, target: LocalTarget): Record<string, string> {
  const token = env.GITHUB_TOKEN || env.EMULATOR_GITHUB_TOKEN;
  if (!token) return {};
  return Object.fromEntries(
    target.tokenInputs
      .map((name) => `INPUT_${name.toUpperCase()}`)
      // Absent or empty: local-action would give an empty one its default's text too.
      .filter((key) => !env[key])
      .map((key) => [key, token]),
  );
}
