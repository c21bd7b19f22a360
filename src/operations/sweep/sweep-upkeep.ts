// What a sweep tidied beside its revokes (engine/run/sweeper.ts SweepUpkeep: what a kind keeps up
// of what the action wrote before), added to the report of its revokes: its lines after theirs,
// its entries at the end of `results`, and a write of it that did not succeed fails the step, as a
// revoke would. Pure.
import { inertJson } from '../../core/inert.js';
import type { StepReport } from '../../core/output/step.js';
import type { SweepUpkeep } from '../../engine/run/sweeper.js';

export function withUpkeep(report: StepReport, upkeep: SweepUpkeep | undefined): StepReport {
  if (!upkeep || (upkeep.lines.length === 0 && upkeep.results.length === 0)) return report;
  const outputs = new Map(report.outputs ?? []);
  const results = JSON.parse(outputs.get('results') ?? '[]') as unknown[];
  const changed = upkeep.results.some((r) => (r as { changed?: boolean }).changed === true);
  const failure = upkeep.failed;
  const amended = (report.outputs ?? []).map(([name, value]): [string, string] => {
    if (name === 'results') return [name, inertJson([...results, ...upkeep.results])];
    if (name === 'changed' && changed) return [name, 'true'];
    if (name === 'status' && failure) return [name, 'FAILED'];
    return [name, value];
  });
  const reason = outputs.get('failure-reason');
  return {
    ...report,
    lines: [...(report.lines ?? []), ...upkeep.lines],
    outputs: [
      ...amended.filter(([name]) => !(failure && name === 'failure-reason')),
      ...(failure
        ? [['failure-reason', reason ? `${reason}; ${failure}` : failure] as [string, string]]
        : []),
    ],
    ...(failure
      ? { failed: report.failed ? `${report.failed}; ${failure}` : `FAILED to remove ${failure}` }
      : {}),
  };
}
