// What `npm run local-action` (./local-action.ts) shows of @github/local-action's output: every
// line as it comes, but for local-action's own stack trace. Its bin runs the action in a child
// process with execSync, and when the action failed (it sets its exit code itself) execSync throws
// and the bin logs the error before it exits: "Error: Command failed: npm exec tsx
// …/@github/local-action/…", its stack and the child's result, some twenty lines that say nothing
// about the action and come after everything it said. Here they are one line, and the action's own `::error::` messages are kept to
// be said again last, where a person reads first, as plain text that no runner takes for a command.
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The error local-action's bin throws when the child it ran exited non-zero: its first line. */
const LOCAL_ACTION_TRACE = /^Error: Command failed: .*@github[\\/]local-action\b/;
/** An annotation as the stand-in for @actions/core prints it: `::error::MESSAGE`, `::error file=…::MESSAGE`. */
const ERROR_COMMAND = /^::error(?: [^:]*)?::(.*)$/;
// eslint-disable-next-line no-control-regex -- the terminal's colour codes, when colours are forced
const COLOURS = /\x1b\[[0-9;]*m/g;

export interface RelayedOutput {
  /** The messages of the `::error::` lines, in order. */
  errors: string[];
  /** Whether local-action's stack trace was left out. */
  traceLeftOut: boolean;
}

/**
 * Copies the child's stdout and stderr to this process's, line by line, collecting the action's
 * errors; from local-action's stack trace on (the last thing its bin says), the rest of that stream
 * is left out. Resolves once both streams have ended.
 */
export async function relayOutput(child: ChildProcess): Promise<RelayedOutput> {
  const relayed: RelayedOutput = { errors: [], traceLeftOut: false };
  const copy = async (from: NodeJS.ReadableStream | null, to: NodeJS.WriteStream) => {
    if (!from) return;
    let inTrace = false;
    for await (const line of createInterface({ input: from, crlfDelay: Infinity })) {
      const plain = line.replace(COLOURS, '');
      if (inTrace || LOCAL_ACTION_TRACE.test(plain)) {
        inTrace = relayed.traceLeftOut = true;
        continue;
      }
      const error = ERROR_COMMAND.exec(plain)?.[1];
      if (error !== undefined) relayed.errors.push(error);
      to.write(`${line}\n`);
    }
  };
  await Promise.all([copy(child.stdout, process.stdout), copy(child.stderr, process.stderr)]);
  return relayed;
}

/**
 * The lines that end a failed run: what failed, then each error of the action, each line of it
 * after a prefix, so that none starts a workflow command (`::…`) where this output is a job's log.
 */
export function failureEnding(failed: string[], relayed: RelayedOutput): string[] {
  const errors = relayed.errors.map(unescapeCommandData);
  return [
    ...(relayed.traceLeftOut
      ? ["local-action: local-action's own stack trace (its child process exited non-zero) is left out"]
      : []),
    `local-action: ${failed.join(', and ')}${errors.length > 0 ? '; the action said:' : ' (see the lines above)'}`,
    ...errors.flatMap((e) =>
      e.split('\n').map((line, i) => `local-action: ${i === 0 ? 'error: ' : '  '}${line}`),
    ),
  ];
}

/** A workflow command's data as the runner shows it (`%25`, `%0D`, `%0A` back to `%`, CR, LF). */
function unescapeCommandData(data: string): string {
  return data.replace(/%0D/gi, '').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}
