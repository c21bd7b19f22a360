// The runner as a step receives it in a real job (thisJob()): its inputs as the runner passes them
// (INPUT_* variables), the job's environment, and cancellation heard from SIGINT and SIGTERM until
// the step stops listening. The steps themselves are tested over a recorded runner
// (__tests__/steps/recorded-runner.ts).
import { afterEach, describe, expect, it } from '@jest/globals';
import { thisJob } from '../../src/operations/runner.js';

const INPUT = 'INPUT_MAX-DELETIONS';
afterEach(() => {
  delete process.env[INPUT];
});

describe('the runner of this job', () => {
  it('reads an input from the variable the runner sets for it, trimmed, and an unset one as empty', () => {
    process.env[INPUT] = '  3 ';
    const runner = thisJob();
    expect(runner.input('max-deletions')).toBe('3');
    expect(runner.input('compare-to')).toBe('');
  });

  it("gives the job's own environment", () => {
    expect(thisJob().env).toBe(process.env);
  });

  it('listens for the runner cancelling the job (SIGINT, then SIGTERM) until told to stop', () => {
    const before = ['SIGINT', 'SIGTERM'].map((signal) => process.listenerCount(signal));
    const stop = thisJob().onCancel(() => {});
    expect(['SIGINT', 'SIGTERM'].map((signal) => process.listenerCount(signal))).toEqual(
      before.map((count) => count + 1),
    );
    stop();
    expect(['SIGINT', 'SIGTERM'].map((signal) => process.listenerCount(signal))).toEqual(before);
  });
});
