// The step's last line reaches the runner: the log goes through a pipe that a busy runner may read
// slowly, and a step that ended its process while lines were still queued lost them (a 50-account
// revoke's last `::group::` lines and warnings) and passed all the same. Here the runner reads
// nothing of the bundled step's stdout until the step's process has exited (or for 8 s, should it
// be waiting for its lines to be read): what is not in the pipe by then was lost.
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { runStep } from '../../harness/action-runner.js';
import { accounts, awsInputs, useEmulator } from './fixture.js';

const emulator = useEmulator();

/** A runner that reads none of the step's stdout until its process exits, or `atMostMs` passed. */
const readAfterExit = (atMostMs: number) => (child: ChildProcess) => {
  const out = child.stdout!;
  out.pause();
  const resume = () => {
    clearTimeout(timer);
    out.resume();
  };
  const timer = setTimeout(resume, atMostMs);
  child.once('exit', resume);
};

describe('the log reaches the runner whole', () => {
  it('a 400-grant dry run whose log is read late ends with its last group and line, exit code 0', async () => {
    // 400 grants write about 130 KB at the end, twice what a pipe holds while nobody reads it.
    const targets = accounts(400, 900);
    const step = await runStep('main', {
      inputs: awsInputs({
        principal: 'alice',
        target: targets.join('\n'),
        role: 'ReadOnlyAccess',
        'dry-run': 'true',
      }),
      env: emulator().env,
      onSpawn: readAfterExit(8_000),
    });
    expect(step.exitCode).toBe(0);
    const lines = step.stdout.split('\n');
    const groups = lines.filter((l) => l.startsWith('::group::'));
    expect(groups).toHaveLength(400);
    expect(groups.at(-1)).toContain(targets.at(-1));
    // Every group is closed, and the last line the step writes (its calls, in debug) is there.
    expect(lines.filter((l) => l === '::endgroup::')).toHaveLength(400);
    expect(lines.at(-2)).toMatch(/^::debug::calls: /);
    expect(step.stdout.endsWith('\n')).toBe(true);
  }, 120_000);
});
