// How a step's process ends: once the runner has every byte of its log, and never on an exception
// nobody caught. The log goes to the runner through pipes, which Node writes asynchronously: a
// process.exit() while a burst of lines is still queued (a 50-grant revoke's last groups and
// warnings, read slowly by a busy runner) drops them, and the step passes all the same. Yet the
// process must end itself: a request the deadline abandoned (MSAL ignores abort signals) may still
// hold a socket or a timer that would keep the job waiting. So it ends once stdout and stderr have
// flushed, with the exit code the step set (process.exitCode). An error that escapes the step, or
// a rejection or exception no one handles, ends it the same way after one inert `::error::` (and,
// for a main step, the `status` and `failure-reason` outputs), never as a stack trace of the
// minified bundle on stderr.
import { describeError } from '../core/errors.js';
import { debug, setFailed, setOutput } from './log.js';

/** The longest the process waits for a runner that stopped reading its log (a pipe never drained). */
const FLUSH_CAP_MS = 30_000;

/** Resolves once everything written to `stream` so far has been handed to the OS (or it cannot be). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || !stream.writable) return Promise.resolve();
  return new Promise((resolve) => {
    // A reader that went away (EPIPE) will take nothing more: there is nothing to wait for.
    stream.once('error', () => resolve());
    // Writes are flushed in order: the callback of an empty one comes after every earlier byte.
    stream.write('', () => resolve());
  });
}

/** Ends the process with process.exitCode once stdout and stderr have flushed (at most `capMs`). */
export async function exitOnceFlushed(capMs: number = FLUSH_CAP_MS): Promise<never> {
  let cap: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all([flushed(process.stdout), flushed(process.stderr)]),
    new Promise<void>((resolve) => (cap = setTimeout(resolve, capMs))),
  ]);
  clearTimeout(cap);
  process.exit();
}

/** What a step says of an error that escaped it: its message only (a minified stack helps no one). */
export const unexpectedFailure = (error: unknown): string =>
  `the step stopped on an unexpected error (${error instanceof Error ? `${error.name}: ` : ''}${describeError(error)}); what it did before is in the log above, and what was granted stays as the log says`;

/**
 * Runs a step to its end and ends the process (exitOnceFlushed). Whatever escapes the step, or
 * reaches Node as an uncaught exception or an unhandled rejection while it runs, fails it with one
 * inert `::error::`, sets `status` FAILED and `failure-reason` when `outputs` (a main step's; a
 * post step has none), and exit code 1: no error leaves the step as a crash.
 */
export async function runToTheEnd(step: () => Promise<void>, options: { outputs: boolean }): Promise<never> {
  let failed = false;
  const fail = (error: unknown) => {
    // Once: a second escape (the step's own promise rejecting after the first) adds nothing.
    if (failed) return;
    failed = true;
    const message = unexpectedFailure(error);
    if (options.outputs) {
      setOutput('status', 'FAILED');
      setOutput('failure-reason', message);
    }
    setFailed(message);
  };
  const escaped = (error: unknown) => {
    fail(error);
    void exitOnceFlushed();
  };
  process.on('uncaughtException', escaped);
  process.on('unhandledRejection', escaped);
  // Node writes a warning raw to stderr, which the runner reads for commands too, and a library's
  // may quote what it read (yaml's quotes a manifest's key): the debug log has it, inert.
  process.removeAllListeners('warning');
  process.on('warning', (w) => debug(`${w.name}: ${w.message}`));
  try {
    await step();
  } catch (error) {
    fail(error);
  }
  return exitOnceFlushed();
}
