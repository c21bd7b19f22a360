// A benchmark script run as a process of its own (its own emulator, no other load in it), and the
// figures read back from the lines it prints: used by `npm run bench` for the reconcile and sweep
// goals (reconcile-goals.ts, sweep-goals.ts) and the batches at default settings
// (default-goals.ts).
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** Runs scripts/bench/`script` (with `args`) under tsx with `env` added; its stdout and stderr, and `exit N` if it failed. */
export function runBenchScript(
  script: string,
  env: Record<string, string>,
  args: string[] = [],
): Promise<string> {
  return new Promise<string>((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, script), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('close', (code) => done(code === 0 ? text : `${text}\nexit ${code}`));
  });
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** The number `pattern` captures in each line that has one. */
export const ratios = (lines: string[], pattern: RegExp): number[] =>
  lines.flatMap((line) => {
    const m = pattern.exec(line);
    return m ? [Number(m[1])] : [];
  });
