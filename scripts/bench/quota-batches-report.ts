// How the quota-bound batches are reported: one line of figures per batch (`npm run bench:batches`),
// and the goals and the report section `npm run bench` writes. Apart from ./quota-batches.ts, which
// runs the batches and measures them: this file only reads the figures it gives.
import { OUTSTANDING_CREATES, type BatchFigures } from './quota-batches.js';

/** One line of figures for a batch, as the bench prints it. */
export function describeBatch(name: string, b: BatchFigures): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return [
    `${name}: ${s(b.wallMs)} = ${(b.wallMs / b.boundMs).toFixed(2)} × the ${s(b.boundMs)} bound`,
    `${b.succeeded}/${b.grants} SUCCEEDED (${b.failed} failed)`,
    `throttled ${b.throttled} (${b.outstandingRefused} for outstanding creates)`,
    `peak outstanding ${b.peakOutstanding}`,
    `SSO Admin calls ${b.ssoCalls} (minimum ${b.lists + 2 * b.grants}), status reads ${b.statusReads}`,
    `first create at ${b.firstCreateMs} ms, all ${OUTSTANDING_CREATES} slots held at ${b.slotsFullMs} ms, slots idle ${b.idleMs} ms of the instance's time, gapless after the first slots ${s(b.gaplessMs)} (${(b.gaplessMs / b.boundMs).toFixed(2)} ×), last write completed → exit ${b.lastCompletionToExitMs} ms`,
    ...(b.auditPuts > 0 ? [`audit-log PutObject calls ${b.auditPuts}`] : []),
    ...(b.jobs.length > 1
      ? [`jobs: ${b.jobs.map((j) => `${s(j.exitedAt - j.spawnedAt)} (exit ${j.exitCode})`).join(', ')}`]
      : []),
  ].join('; ');
}

/** The goals for batches against the quota bound, in the bench's goal table's form. */
export function quotaGoals(b: {
  batch60Ms: number;
  batch60BoundMs: number;
  batch300: BatchFigures;
  shared: BatchFigures;
}) {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const ratio = (ms: number, bound: number) =>
    `${s(ms)} = ${(ms / bound).toFixed(2)} × the ${s(bound)} bound`;
  const { batch300: b300, shared } = b;
  return [
    {
      figure: '60 AWS grants, wall time against the quota bound',
      value: ratio(b.batch60Ms, b.batch60BoundMs),
      goal: `≤ 1.05 × bound = ${s(1.05 * b.batch60BoundMs)}`,
      met: b.batch60Ms <= 1.05 * b.batch60BoundMs,
    },
    {
      figure: '300 AWS grants, wall time (spawn → exit)',
      value: `${ratio(b300.wallMs, b300.boundMs)}; ${b300.succeeded}/${b300.grants} SUCCEEDED; ${b300.throttled} throttled`,
      goal: `≤ 1.1 × bound = ${s(1.1 * b300.boundMs)}, every grant SUCCEEDED`,
      met: b300.wallMs <= 1.1 * b300.boundMs && b300.failed === 0,
    },
    {
      figure: 'two jobs × 150 AWS grants sharing one instance, wall time (first spawn → last exit)',
      value: `${ratio(shared.wallMs, shared.boundMs)} (joint); ${shared.failed} failed`,
      goal: `≤ 1.25 × joint bound = ${s(1.25 * shared.boundMs)}, 0 failed`,
      met: shared.wallMs <= 1.25 * shared.boundMs && shared.failed === 0,
    },
    {
      figure: 'two jobs × 150 AWS grants, peak outstanding creates (emulator)',
      value: String(shared.peakOutstanding),
      goal: `≤ ${OUTSTANDING_CREATES}`,
      met: shared.peakOutstanding <= OUTSTANDING_CREATES,
    },
  ];
}

/** The bench report's section on the 300-grant batch and the two jobs sharing a quota. */
export function sharedQuotaSection(b300: BatchFigures, shared: BatchFigures): string[] {
  return [
    '## Sharing the quota: 300 grants, and two jobs at once',
    '',
    `Every write completes ${b300.writeMs / 1000} s after the emulator accepts it. 300 grants: one step, 15 principals × 20 accounts. Two jobs: two steps (separate processes, as a matrix's jobs), each 5 principals × 30 accounts of its own, started together against one emulated instance, so they share its 20 TPS and 15 outstanding creates; the joint bound is that of their 300 grants and ${shared.lists} lists. \`npm run bench:batches -- 300 two-jobs\` runs them alone.`,
    '',
    describeBatch('300 grants', b300),
    '',
    describeBatch('two jobs × 150 grants', shared),
    '',
  ];
}
