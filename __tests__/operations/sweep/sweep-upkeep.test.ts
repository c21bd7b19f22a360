// What a sweep tidied beside its revokes (expired session fences) in its report: its lines after the
// revokes', its entries at the end of `results`, `changed` when it wrote, and a removal that failed
// fails the step with its reason, as a revoke would.
import { describe, expect, it, jest } from '@jest/globals';
import { onFakeClock, settled, tick } from '../../harness/fake-clock.js';
import type { StepReport } from '../../../src/core/output/step.js';
import { withUpkeep } from '../../../src/operations/sweep/sweep-upkeep.js';
import type { ConfigOf } from '../../../src/core/inputs/index.js';
import { emptyStats } from '../../../src/engine/calls/driver.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import type { Sweeper } from '../../../src/engine/run/sweeper.js';
import { runSweep } from '../../../src/operations/sweep/index.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';
import { outputsAsSet } from '../../harness/step-outputs.js';

const report: StepReport = {
  lines: ['revoked alice'],
  outputs: [
    ['plan', { json: { revoke: 1 } }],
    ['results', { json: [{ principal: 'alice' }] }],
    ['status', 'SUCCEEDED'],
    ['changed', 'false'],
  ],
};
const output = (r: StepReport, name: string) => outputsAsSet(r).text[name];

describe('a sweep’s removal of expired session fences in its report', () => {
  it('adds its lines and `results` entries; a removal made is a change', () => {
    const removal = {
      change: 'session-fence-removal',
      target: '222222222222',
      status: 'SUCCEEDED',
      changed: true,
    };
    const amended = withUpkeep(report, { lines: ['removed the expired session fence'], results: [removal] });
    expect(amended.lines).toEqual(['revoked alice', 'removed the expired session fence']);
    expect(JSON.parse(output(amended, 'results')!)).toEqual([{ principal: 'alice' }, removal]);
    expect(output(amended, 'changed')).toBe('true');
    expect(output(amended, 'status')).toBe('SUCCEEDED');
    expect(amended.failed).toBeUndefined();
  });

  it('a removal that failed fails the step, naming the set and why', () => {
    const amended = withUpkeep(report, {
      lines: [],
      results: [{ status: 'FAILED', changed: false }],
      failed: 'the expired session fence(s) of ReadOnly: AccessDeniedException',
    });
    expect(output(amended, 'status')).toBe('FAILED');
    expect(output(amended, 'failure-reason')).toBe(
      'the expired session fence(s) of ReadOnly: AccessDeniedException',
    );
    expect(amended.failed).toBe(
      'FAILED to remove the expired session fence(s) of ReadOnly: AccessDeniedException',
    );
  });

  it('nothing tidied leaves the report as it was', () => {
    expect(withUpkeep(report, undefined)).toBe(report);
    expect(withUpkeep(report, { lines: [], results: [] })).toBe(report);
  });
});

describe('the sweep step and its upkeep', () => {
  const config = {
    cloud: 'aws',
    operation: 'sweep',
    dryRun: false,
    maxConcurrency: 10,
    run: {},
    sweep: {
      createdBy: [],
      githubToken: 'token',
      lookbackSeconds: 86400,
      maxDeletions: 10,
      failOnStuck: false,
    },
  } as unknown as ConfigOf<'sweep'>;

  async function sweep(dryRun: boolean, failed?: string, slowMs = 0) {
    const asked: boolean[] = [];
    const sweeper: Sweeper = {
      cloud: 'aws',
      stats: emptyStats(),
      read: async () => ({ claims: [], notes: [] }),
      revoker: () => {
        throw new Error('nothing to revoke');
      },
      upkeep: async (_now, options) => {
        asked.push(options.dryRun);
        if (slowMs > 0) await tick(slowMs);
        return {
          lines: ['removed the expired session fence of ReadOnly in 222222222222'],
          results: [
            { change: 'session-fence-removal', status: failed ? 'FAILED' : 'SUCCEEDED', changed: !failed },
          ],
          ...(failed ? { failed } : {}),
        };
      },
    };
    const recorded = recordedRunner();
    await runSweep(
      { ...config, dryRun },
      onEvent(recorded.effects, { eventName: 'schedule', tokenEndpoint: 'https://token.example' }),
      {
        open: async () => ({
          sweeper,
          deadline: new Deadline(60),
          readRuns: async (wanted) => ({ states: new Map(), requests: wanted.length }),
        }),
      },
      Date.now,
    );
    return { asked, runner: recorded };
  }

  it('takes out expired fences with nothing to revoke, and says so in the log and `results`', async () => {
    const { asked, runner } = await sweep(false);
    expect(asked).toEqual([false]);
    expect(runner.said.log).toContain('removed the expired session fence of ReadOnly in 222222222222');
    expect(JSON.parse(runner.outputs.results!)).toEqual([
      expect.objectContaining({ change: 'session-fence-removal' }),
    ]);
    expect(runner.outputs.changed).toBe('true');
    expect(runner.said.failed).toEqual([]);
  });

  it('a dry run asks for the list only; a removal that failed fails the step', async () => {
    expect((await sweep(true)).asked).toEqual([true]);
    const { runner } = await sweep(false, 'the expired session fence(s) of ReadOnly: denied');
    expect(runner.outputs.status).toBe('FAILED');
    expect(runner.said.failed.join('\n')).toContain('the expired session fence(s) of ReadOnly: denied');
  });

  it('an upkeep that takes long is never a silent wait: it says it is still writing 10 s in and every 15 s after', async () => {
    await onFakeClock(jest, async () => {
      const { runner } = await settled(sweep(false, undefined, 27_000));
      expect(runner.said.log.filter((line) => line.startsWith('still writing'))).toEqual([
        'still writing after 10 s (what the action wrote before and no longer needs)',
        'still writing after 25 s (what the action wrote before and no longer needs)',
      ]);
      expect(runner.outputs.changed).toBe('true');
    });
  });
});
