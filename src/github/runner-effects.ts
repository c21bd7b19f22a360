// The runner's effects as the steps receive them (core/output/step.ts, RunnerEffects): the log,
// annotations, outputs and job summary of this job, through ./log.js (which makes every text inert)
// and ./summary.js.
import type { RunnerEffects } from '../core/output/step.js';
import {
  debug,
  endGroup,
  error,
  errorAt,
  info,
  mask,
  notice,
  setFailed,
  setJsonOutput,
  setOutput,
  startGroup,
  warning,
  warningAt,
} from './log.js';
import { appendSummary } from './summary.js';

export const runnerEffects: RunnerEffects = {
  info,
  notice,
  debug,
  warning: (message, at) => (at ? warningAt(message, at.file, at.line) : warning(message)),
  error: (message, at) => (at ? errorAt(message, at.file, at.line) : error(message)),
  group: (title, lines) => {
    startGroup(title);
    for (const line of lines) info(line);
    endGroup();
  },
  setOutput,
  setJsonOutput,
  setFailed,
  mask,
  appendSummary,
};
