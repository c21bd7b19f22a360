// Size checks come first: a few tens of kilobytes of input can describe hundreds of
// millions of grants. The step counts them from the list lengths and refuses at once, naming the
// input and the count, before building a single grant or sending a single request.
import { describe, expect, it } from '@jest/globals';
import { runStep } from '../../harness/action-runner.js';
import { accounts, awsInputs, useEmulator, watched } from './fixture.js';

const emulator = useEmulator({ azure: false });

const numbered = (prefix: string, count: number, width: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(width, '0')}`);

describe('the number of grants', () => {
  it('2,000 principals × 2,000 targets × 50 roles is refused before any request, naming `principal` and the 200,000,000 grants', async () => {
    const inputs = awsInputs({
      principal: numbered('user', 2000, 4).join('\n'),
      target: accounts(2000).join('\n'),
      role: numbered('PS', 50, 2).join('\n'),
    });
    const inputBytes = Object.values(inputs).reduce((n, v) => n + Buffer.byteLength(v), 0);
    const { options, watch } = watched({ inputs, env: emulator().env }, 20_000);
    const step = await runStep('main', options);
    console.log(
      `${inputBytes} bytes of input: the step ${watch.killed ? 'was killed' : `exited ${String(step.exitCode)}`} after ${step.durationMs} ms, peak resident memory ${Math.round(watch.peakRssKiB / 1024)} MiB`,
    );
    expect(watch.killed).toBe(false);
    expect(step.exitCode).toBe(1);
    // How fast it refused is the machine's, not the step's: the watch's kill is the hang guard,
    // and nothing reached the cloud (below).
    // The count may be written with thousands separators.
    const digits = (text: string) => text.replace(/[,\s\u202f]/g, '');
    const naming = step.errors.filter((e) => e.includes('`principal`'));
    expect(naming.map(digits).join('\n')).toContain('200000000');
    expect(emulator().requests).toEqual([]);
  }, 30_000);
});
