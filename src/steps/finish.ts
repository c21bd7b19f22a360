// The end of every step: outputs, job summary, annotations, and the step's exit status.
import type { GrantResult } from '../core/types.js';
import { setFailed } from '../github/log.js';
import { annotateFailures, setStepOutputs, writeJobSummary } from '../github/report.js';

export async function finish(
  results: GrantResult[],
  options: { title: string; dryRun: boolean; wait: boolean },
): Promise<void> {
  setStepOutputs(results);
  await writeJobSummary(options.title, results, options.dryRun);
  const failures = annotateFailures(results, options.wait);
  if (failures.length > 0) {
    setFailed(
      `${failures.length} of ${results.length} grant${results.length === 1 ? '' : 's'} did not succeed`,
    );
  }
}
