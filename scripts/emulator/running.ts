// The emulator `npm run emulator:start` started in a folder, found from its emulator.pid and its
// environment file: used by emulator:start (refuse or reuse) and emulator:stop.
import { existsSync, readFileSync } from 'node:fs';

/** KEY=VALUE lines, as the emulator writes them (`--write-env`); comments skipped. */
export function parseEnvLines(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0 && !line.startsWith('#')) env[line.slice(0, at)] = line.slice(at + 1);
  }
  return env;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid file's process ID, when the file holds one. */
export function recordedPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * The environment of the emulator recorded in `pidFile`, when that process is alive, is the one
 * `envFile` names, and its control API answers; otherwise undefined (a stale pid file, a process
 * ID reused by another program).
 */
export async function runningEmulator(
  pidFile: string,
  envFile: string,
): Promise<Record<string, string> | undefined> {
  const pid = recordedPid(pidFile);
  if (!pid || !isAlive(pid) || !existsSync(envFile)) return undefined;
  const env = parseEnvLines(readFileSync(envFile, 'utf8'));
  if (env.EMULATOR_PID !== String(pid) || !env.EMULATOR_URL) return undefined;
  const answer = await fetch(`${env.EMULATOR_URL}/_emulator/state`, {
    signal: AbortSignal.timeout(5_000),
  }).catch(() => undefined);
  return answer?.ok ? env : undefined;
}
