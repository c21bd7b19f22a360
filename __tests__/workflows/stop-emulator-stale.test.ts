// `npm run emulator:stop` after the emulator is long gone (a reboot, a crash, a killed terminal):
// its emulator.pid then names a process ID the system may have given to any other program of the
// user's. Stopping must end the emulator it started, and never another process that holds the ID.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'stop-emulator-stale-'));
// Another program of the user's, which now holds the process ID the stale pid file records.
const bystander = spawn('sleep', ['60'], { stdio: 'ignore' });
afterAll(() => {
  bystander.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm run emulator:stop with a stale pid file', () => {
  it('leaves alone a running process that is not the emulator the pid file recorded, and forgets the file', () => {
    const pid = bystander.pid!;
    writeFileSync(join(dir, 'emulator.pid'), `${pid}\n`);
    // The environment of the emulator that is gone: another process ID, a port nobody answers on.
    writeFileSync(join(dir, 'emulator.env'), 'EMULATOR_PID=1\nEMULATOR_URL=http://127.0.0.1:9\n');
    const stop = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'scripts', 'emulator', 'stop.ts'),
        '--write-env',
        join(dir, 'emulator.env'),
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
    );
    expect(stop.status).toBe(0);
    expect(alive(pid)).toBe(true);
    expect(stop.stdout).toContain('no emulator started here is running');
    expect(existsSync(join(dir, 'emulator.pid'))).toBe(false);
  }, 40_000);
});
