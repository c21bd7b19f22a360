// What a sweep tidied beside its revokes (engine/run/sweeper.ts SweepUpkeep: what a kind keeps up
// of what the action wrote before), added to the report of its revokes: its lines after theirs,
// its entries at the end of `results`, its counts in `plan`, and a write of it that did not succeed fails the step, as a
// revoke would. Pure.
import type { OutputValue, StepReport } from '../../core/output/step.js';
import type { SweepUpkeep } from '../../engine/run/sweeper.js';

export function withUpkeep(report: StepReport, upkeep: SweepUpkeep | undefined): StepReport {
  if (!upkeep || (upkeep.lines.length === 0 && upkeep.results.length === 0 && !upkeep.plan)) return report;
  const outputs = new Map(report.outputs ?? []);
  const changed = upkeep.results.some((r) => (r as { changed?: boolean }).changed === true);
  const failure = upkeep.failed;
  const amended = (report.outputs ?? []).map(([name, value]): [string, OutputValue] => {
    if (name === 'results') return [name, { json: [...listOf(value), ...upkeep.results] }];
    if (name === 'plan' && upkeep.plan) return [name, { json: { ...objectOf(value), ...upkeep.plan } }];
    if (name === 'changed' && changed) return [name, 'true'];
    if (name === 'status' && failure) return [name, 'FAILED'];
    return [name, value];
  });
  const given = outputs.get('failure-reason');
  const reason = typeof given === 'string' ? given : '';
  return {
    ...report,
    lines: [...(report.lines ?? []), ...upkeep.lines],
    outputs: [
      ...amended.filter(([name]) => !(failure && name === 'failure-reason')),
      ...(failure
        ? [['failure-reason', reason ? `${reason}; ${failure}` : failure] as [string, OutputValue]]
        : []),
    ],
    ...(failure
      ? { failed: report.failed ? `${report.failed}; ${failure}` : `FAILED to remove ${failure}` }
      : {}),
  };
}

/** The entries of a JSON list output (`results`, as ./sweep-report.ts sets it); none for any other value. */
const listOf = (value: OutputValue | undefined): unknown[] =>
  value !== undefined && typeof value !== 'string' && Array.isArray(value.json) ? value.json : [];

/** The object of a JSON object output (`plan`); none for any other value. */
const objectOf = (value: OutputValue | undefined): object =>
  value !== undefined && typeof value !== 'string' && typeof value.json === 'object' && value.json !== null
    ? value.json
    : {};
