// The parsers the step's inputs need (core/inputs/parse-inputs.ts): the chosen cloud's and the
// operation's own, each loaded with import() once the inputs name it. ncc puts each in a chunk of
// its own, so an assign (the step most jobs run) evaluates neither the other cloud's parser nor any
// operation's before its first request. Every input is still checked before any request is sent.
import type { InputReader } from '../core/inputs/index.js';
import { chosenCloudAndOperation, type InputParsers } from '../core/inputs/parse-inputs.js';
import type { Cloud } from '../core/types.js';

/** Each cloud's parser, one row per cloud, loaded with import(). */
const CLOUD_PARSERS: { [C in Cloud]: () => Promise<Pick<InputParsers, C>> } = {
  aws: async () => ({ aws: (await import('../core/inputs/aws.js')).parseAwsInputs }),
  azure: async () => ({ azure: (await import('../core/inputs/azure.js')).parseAzureInputs }),
};

/** The parsers the inputs' `cloud` and `operation` need; none for a value that names nothing. */
export async function inputParsersOf(read: InputReader): Promise<InputParsers> {
  const { cloud, operation } = chosenCloudAndOperation(read);
  // None for a `cloud` that names no cloud.
  const clouds: InputParsers = cloud ? await CLOUD_PARSERS[cloud]() : {};
  if (operation === 'reconcile')
    return {
      ...clouds,
      reconcile: (await import('../core/inputs/reconcile-inputs.js')).parseReconcileInputs,
    };
  if (operation === 'sweep')
    return { ...clouds, sweep: (await import('../core/inputs/sweep-inputs.js')).parseSweepInputs };
  if (operation === 'report')
    return { ...clouds, report: (await import('../core/inputs/report-inputs.js')).parseReportInputs };
  if (operation === 'request')
    return { ...clouds, request: (await import('../core/inputs/request-inputs.js')).parseRequestInputs };
  if (operation === 'review')
    return { ...clouds, review: (await import('../core/inputs/review-inputs.js')).parseReviewInputs };
  return clouds;
}
