// The end-to-end suite's leak check: every step a test file runs (with step debug logging on, as
// runStep runs them) is scanned, after each test, for any secret its emulator issued — GitHub OIDC
// JWTs, STS credentials, Entra access tokens — appearing unmasked in the log or at all in the
// output, state or summary files. One line per file: `watchForLeaks(() => emulator)`.
import { afterAll, afterEach } from '@jest/globals';
import type { Emulator } from '../../emulator/index.js';
import { onStepRun, type RunOptions, type StepRun } from '../../harness/action-runner.js';
import { describeLeaks, findSecretLeaks } from '../harness/secret-scan.js';

interface Ran {
  run: StepRun;
  step: 'main' | 'post';
  options: RunOptions;
}

/** Throws, naming step, place and kind (never the value), when a step run so far leaked a secret. */
export function expectNoSecretLeaks(runs: Ran[], emulators: Emulator[]): void {
  const secrets = emulators.flatMap((e) => e.issuedSecrets());
  const reports = runs.flatMap(({ run, step, options }) => {
    const leaks = findSecretLeaks(run, secrets);
    if (leaks.length === 0) return [];
    const what = ['cloud', 'operation', 'revoke-on-exit']
      .map((k) => `${k}=${options.inputs[k] ?? ''}`)
      .join(' ');
    return [`${step} step (${what}):\n${describeLeaks(leaks, secrets)}`];
  });
  if (reports.length > 0) throw new Error(`secrets appeared unmasked:\n${reports.join('\n')}`);
}

/**
 * Registers the check for this test file: after each test, and once more after all (for steps run
 * in hooks), every step run since the last check is scanned against what the emulators issued.
 * `emulators` is called at check time, so it may name an emulator started in beforeAll.
 */
export function watchForLeaks(emulators: () => Emulator | undefined | (Emulator | undefined)[]): void {
  const pending: Ran[] = [];
  const unsubscribe = onStepRun((run, step, options) => void pending.push({ run, step, options }));
  const check = () => {
    const list = [emulators()].flat().filter((e): e is Emulator => e !== undefined);
    expectNoSecretLeaks(pending.splice(0), list);
  };
  afterEach(check);
  afterAll(() => {
    unsubscribe();
    check();
  });
}
