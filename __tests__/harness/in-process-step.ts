// A step of the bundled action run inside the test's own process: what harness/action-runner.ts's
// runStep does in a process of its own, with the same bundle ($CLOUD_ACCESS_BUNDLE_DIR, else
// dist/), the same environment (the runner's variables, INPUT_* and STATE_*, the emulator's), the
// same GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files and working folder, through the
// functions the bundle's entries call (its index.js: the step to its end; the process's exit is
// caught), and the same StepRun to show for it.
//
// Why: a step in a process of its own costs about 0.45 s of CPU, most of it Node's start and the
// SDKs' code loaded and run cold; here the bundle is loaded once per test file and its code is
// warm after the first step. The 112 e2e suites took 440 s of CPU where they took 774 s as
// processes (2 cores, 2026-11-29).
//
// What it cannot be, and where a suite keeps processes (useEmulator's `steps: 'processes'`, or
// runStep itself): two steps at once (the process's environment, working folder and log are one:
// a second step started while one runs is refused); a step sent signals or started with Node
// options; what only a process shows (its exit once its log has flushed, a CA it was not told to
// trust: here the emulator's CA is trusted by the whole process once a step names it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { pathToFileURL } from 'node:url';
import {
  announce,
  bundleDir,
  endedStep,
  stepFolder,
  type RunOptions,
  type StepRun,
} from '../../harness/action-runner.js';
// dist/post.js's own few lines (the gate before the bundle loads), from the source it is built from.
import { debug } from '../../src/github/log.js';
import { whyNothingToRevoke } from '../../src/steps/post-gate.js';

/** The bundle's index.js: the steps its entries run (src/index.ts). */
type Bundle = typeof import('../../src/index.js');
type Core = typeof import('@actions/core');

let running: string | undefined;
/**
 * Set on process.stdout (the one object every test file's context shares) while a step holds the
 * process: a file's own `running` starts anew with each file jest runs in the process.
 */
const HOLDING = Symbol.for('cloud-access.in-process-step');
const holder = () => process.stdout as unknown as Record<symbol, string | undefined>;
/** The step running in this process, until it has ended and the process is put back. */
let current: Promise<unknown> | undefined;
const trusted = new Set<string>();

/**
 * The process-wide hooks a step may add, removed after it, and Node's warning printer, which it
 * takes off (src/github/step-end.ts), put back (listenersRestorer).
 */
const HOOKS = ['uncaughtException', 'unhandledRejection', 'SIGINT', 'SIGTERM', 'warning'] as const;
type Hook = (...args: unknown[]) => void;

/**
 * Takes off, when called, every listener added to `emitter` since, and puts back any taken off: for
 * `events`, or for any event.
 * For the process's hooks a step may add (src/github/step-end.ts, a cancel's signals), and for its
 * stdout and stderr: step-end.ts waits for each to flush with a listener for its 'error', which a
 * process's exit would drop. Those streams are the worker's own, shared by every test file jest
 * runs in it: a listener left on them holds the test file's whole context (its modules, the
 * bundle, the emulator) for the worker's life, about 15 MB a file, which every later garbage
 * collection marks again.
 */
function listenersRestorer(emitter: NodeJS.EventEmitter, events?: readonly string[]): () => void {
  const eventsOf = () => events ?? emitter.eventNames();
  const before = new Map(eventsOf().map((e) => [e, emitter.rawListeners(e) as Hook[]]));
  return () => {
    for (const event of eventsOf())
      for (const listener of emitter.rawListeners(event) as Hook[])
        if (!(before.get(event) ?? []).includes(listener)) emitter.removeListener(event, listener);
    for (const [event, listeners] of before)
      for (const listener of listeners)
        if (!emitter.rawListeners(event).includes(listener)) emitter.on(event, listener);
  };
}

const loaded = (file: string) => import(pathToFileURL(join(bundleDir(), file)).href);

/** The step as the bundle's entry for it runs it (dist/main.js, a sub-action's, dist/post.js). */
async function stepOf(step: 'main' | 'post', action: string | undefined): Promise<() => Promise<unknown>> {
  const bundle = (await loaded('index.js')) as Bundle;
  // @actions/core's job summary keeps the file it first wrote to: a step's process starts without it.
  const { summary } = (await loaded('actions-core.js')) as Core;
  (summary as unknown as { _filePath?: string })._filePath = undefined;
  summary.emptyBuffer();
  if (step === 'main')
    return action
      ? () => bundle.subActionStepToTheEnd(action as Parameters<Bundle['subActionStepToTheEnd']>[0])
      : () => bundle.mainStepToTheEnd();
  // dist/post.js: a job with nothing to revoke says so in one debug line, and loads no more.
  return async () => {
    const idleBecause = whyNothingToRevoke(process.env);
    if (idleBecause === undefined) return bundle.postStepToTheEnd();
    debug(idleBecause);
    process.exit();
  };
}

/** Whatever the step writes to `stream`, kept as text and as the lines the runner's log receives. */
function captured(stream: 'stdout' | 'stderr', text: Record<typeof stream, string>, log: string[]) {
  let partial = '';
  const write = (chunk: unknown, ...rest: unknown[]) => {
    const written = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString();
    text[stream] += written;
    const lines = (partial + written).split('\n');
    partial = lines.pop()!;
    log.push(...lines);
    // A write's callback: the step's end waits for its log to be flushed (src/github/step-end.ts).
    const flushed = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    if (flushed) queueMicrotask(flushed);
    return true;
  };
  return { write: write as typeof process.stdout.write, rest: () => partial };
}

/** `run` with the process set up as the step's own, and everything put back after it. */
async function asTheStep(
  step: 'main' | 'post',
  env: Record<string, string>,
  dir: string,
  run: () => Promise<unknown>,
  text: { stdout: string; stderr: string },
  log: string[],
): Promise<number> {
  const saved = {
    env: { ...process.env },
    cwd: process.cwd(),
    exit: process.exit,
    exitCode: process.exitCode,
    stdout: process.stdout.write,
    stderr: process.stderr.write,
    addedListeners: [
      listenersRestorer(process, HOOKS),
      listenersRestorer(process.stdout),
      listenersRestorer(process.stderr),
    ],
  };
  const out = captured('stdout', text, log);
  const err = captured('stderr', text, log);
  try {
    for (const name of Object.keys(process.env)) delete process.env[name];
    Object.assign(process.env, env);
    process.chdir(dir);
    process.exitCode = undefined;
    holder()[HOLDING] = step;
    process.stdout.write = out.write;
    process.stderr.write = err.write;
    await new Promise<void>((ended) => {
      process.exit = ((code?: number) => {
        if (code !== undefined) process.exitCode = code;
        ended();
      }) as typeof process.exit;
      void run();
    });
    return Number(process.exitCode ?? 0);
  } finally {
    delete holder()[HOLDING];
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    process.exit = saved.exit;
    process.exitCode = saved.exitCode;
    process.chdir(saved.cwd);
    for (const name of Object.keys(process.env)) delete process.env[name];
    Object.assign(process.env, saved.env);
    for (const removeAdded of saved.addedListeners) removeAdded();
    for (const rest of [out.rest(), err.rest()]) if (rest) log.push(rest);
  }
}

/**
 * Resolves once no step runs in this process: a test file waits for it before it ends, so that a
 * step a test left running (one that timed out) never runs on, with the process still its own,
 * into the next file jest runs in this process.
 */
export async function noStepRunning(): Promise<void> {
  await current?.catch(() => {});
}

/** The bundled step `step`, run in this process as runStep runs it in one of its own. */
export function runStepInProcess(step: 'main' | 'post', options: RunOptions): Promise<StepRun> {
  const holding = running ?? holder()[HOLDING];
  if (holding)
    return Promise.reject(
      new Error(
        `a ${step} step started while a ${holding} step runs in this process: steps at once run as processes (useEmulator's \`steps: 'processes'\`)`,
      ),
    );
  const run = stepInProcess(step, options);
  current = run;
  return run;
}

async function stepInProcess(step: 'main' | 'post', options: RunOptions): Promise<StepRun> {
  if (options.onSpawn || options.nodeArgs)
    throw new Error('a step sent signals or started with Node options runs as a process (runStep)');
  running = step;
  try {
    const run = await stepOf(step, options.action);
    const { dir, env, files } = stepFolder(step, options);
    // NODE_EXTRA_CA_CERTS, which Node reads only as a process starts: trusted here from the first
    // step that names it, as that step's process would trust it.
    const extraCa = env.NODE_EXTRA_CA_CERTS;
    if (extraCa && !trusted.has(extraCa)) {
      trusted.add(extraCa);
      setDefaultCACertificates([...getCACertificates('default'), readFileSync(extraCa, 'utf8')]);
    }
    const started = Date.now();
    const text = { stdout: '', stderr: '' };
    const log: string[] = [];
    const exitCode = await asTheStep(step, env, dir, run, text, log);
    const ended = endedStep({ exitCode, signal: null, ...text, log, files, dir, started });
    announce(ended, step, options);
    return ended;
  } finally {
    running = undefined;
  }
}
