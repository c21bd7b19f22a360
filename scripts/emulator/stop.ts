// `npm run emulator:stop`: stops the emulator `npm run emulator:start` started (its emulator.pid
// in .emulator/, or beside --write-env FILE), waits until it has exited, and removes the pid file.
//
//   npm run emulator:stop -- [--write-env FILE]
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, recordedPid, runningEmulator } from './running.js';

const ROOT = join(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const at = args.findIndex((a) => a === '--write-env' || a.startsWith('--write-env='));
const envFile =
  at < 0 ? join(ROOT, '.emulator', 'emulator.env') : resolve(args[at]!.split('=')[1] ?? args[at + 1] ?? '');
const pidFile = join(dirname(envFile), 'emulator.pid');

const pid = recordedPid(pidFile);
// Only the emulator the files describe, answering: a stale pid file's ID (after a reboot or a
// crash) may now be any other program's.
if (!pid || !(await runningEmulator(pidFile, envFile))) {
  rmSync(pidFile, { force: true });
  console.log(
    `emulator:stop: no emulator started here is running${pid && isAlive(pid) ? ` (process ${pid}, which the pid file named, is not it: left running)` : ''}`,
  );
  process.exit(0);
}
process.kill(pid, 'SIGTERM');
for (let waited = 0; isAlive(pid); waited += 100) {
  if (waited > 10_000) {
    console.error(`emulator:stop: ${pid} did not stop within 10 s; kill -9 ${pid}`);
    process.exit(1);
  }
  await sleep(100);
}
rmSync(pidFile, { force: true });
console.log(`emulator:stop: emulator ${pid} stopped`);
