// The runner's side of the saved state: the main step writes its header and entries to GITHUB_STATE
// (@actions/core's saveState), and the post step reads them back as `STATE_<key>` variables. The
// keys and the format are core/state/ (saved-state.ts, saved-state-checks.ts); this module only reads and
// writes. An entry is a few hundred bytes, so a batch of 1,000 stays far below Linux's limits
// (128 KiB for one variable, 2 MiB for the whole environment).
import { saveState } from '@actions/core';
import { randomBytes } from 'node:crypto';
import { stepState, type StepState } from '../core/state/saved-state.js';

/** This job's state: written through the runner, read from `env` (the post step's environment). */
export function runnerState(env: NodeJS.ProcessEnv = process.env): StepState {
  return stepState({
    put: (key, value) => saveState(key, value),
    saved: (key) => env[`STATE_${key}`],
    savedWithPrefix: (prefix) =>
      Object.entries(env).flatMap(([name, value]) =>
        name.startsWith(`STATE_${prefix}`) && value !== undefined
          ? [[name.slice('STATE_'.length), value] as [string, string]]
          : [],
      ),
    newNonce: () => randomBytes(16).toString('hex'),
  });
}
