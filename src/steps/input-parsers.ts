// The parsers the step's inputs need (core/inputs/parse-inputs.ts): both clouds', in the bundle's
// main chunk, and the operation's own, loaded with import() once the inputs name it. ncc puts each
// operation's in a chunk of its own, so an assign or a revoke (the steps most jobs run) evaluates
// none of them before its first request, and loads no file more for them. A cloud's parser stays in
// the main chunk: a chunk of its own, one file more to load, cost an assign more than it saved.
import type { InputReader } from '../core/inputs/index.js';
import { parseAwsInputs } from '../core/inputs/aws.js';
import { parseAzureInputs } from '../core/inputs/azure.js';
import { chosenCloudAndOperation, type InputParsers } from '../core/inputs/parse-inputs.js';

/** The parsers the inputs' `operation` needs, and both clouds'; none for a value that names nothing. */
export async function inputParsersOf(read: InputReader): Promise<InputParsers> {
  const { operation } = chosenCloudAndOperation(read);
  const clouds = { aws: parseAwsInputs, azure: parseAzureInputs };
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
  return clouds;
}
