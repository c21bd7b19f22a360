// Reads the action's inputs into a typed `StepConfig` (./parse-inputs.ts), with every cloud's and
// operation's parser: the step loads only its own (steps/input-parsers.ts).
import { parseAwsInputs } from './aws.js';
import { parseAzureInputs } from './azure.js';
import type { StepConfig, WorkflowContext } from './config.js';
import type { InputReader } from './fields.js';
import { parseInputsWith, type InputParsers } from './parse-inputs.js';
import { parseReconcileInputs } from './reconcile-inputs.js';
import { parseReportInputs } from './report-inputs.js';
import { parseRequestInputs } from './request-inputs.js';
import { parseReviewInputs } from './review-inputs.js';
import { parseSweepInputs } from './sweep-inputs.js';

export type * from './config.js';
export type { InputReader } from './fields.js';
export {
  adapterSettingsOf,
  awsOnlyOf,
  awsSettingsOf,
  azureOnlyOf,
  azureSettingsOf,
  signsInWithToken,
} from './settings.js';

const EVERY_PARSER: InputParsers = {
  aws: parseAwsInputs,
  azure: parseAzureInputs,
  reconcile: parseReconcileInputs,
  sweep: parseSweepInputs,
  report: parseReportInputs,
  request: parseRequestInputs,
  review: parseReviewInputs,
};

/**
 * `context`: the run the step belongs to (github/run-context.ts reads it from the runner). `now`:
 * the clock an AWS `duration`'s expiry is counted from (epoch ms), read once, when the step runs.
 */
export function parseInputs(
  read: InputReader,
  env: NodeJS.ProcessEnv = {},
  context: WorkflowContext = {},
  now: () => number = Date.now,
): StepConfig {
  return parseInputsWith(EVERY_PARSER, read, env, context, now);
}
