// `npx tsx scripts/bench/shared-slots.ts`: steps sharing one instance's 15 outstanding creates, on
// a simulated clock (./shared-slots-simulation.ts): the outstanding-creates policy alone, against
// the waves the quota allows, with no machine's load in the figure. Writes take 2 s, as in the
// batches; a call's round trip 20 ms; a status read sees a create end 50 ms after it does.
// `--refusals`: a refusal waited out on a slot against one backed off (refusalHandlingLines).
import { simulateSharedSlots } from './shared-slots-simulation.js';

export const SHARED_SLOTS_SHAPES = [[90], [45, 45], [30, 60], [45, 45, 45], [150, 150]];

export async function sharedSlotsLines(): Promise<string[]> {
  const lines: string[] = [];
  for (const creates of SHARED_SLOTS_SHAPES) {
    const run = await simulateSharedSlots({ creates, writeMs: 2_000, roundTripMs: 20, noticeMs: 50 });
    const boundMs = Math.ceil(creates.reduce((a, b) => a + b, 0) / 15) * 2_000;
    const steps = run.stepsMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ');
    lines.push(
      `${creates.join(' + ')} creates: ${(run.makespanMs / 1000).toFixed(1)} s = ${(run.makespanMs / boundMs).toFixed(2)} × the ${boundMs / 1000} s of ${boundMs / 2000} waves; steps ${steps}; refused ${run.refused}; peak outstanding ${run.peak}`,
    );
  }
  return lines;
}

/** Steps that start apart, as two jobs' processes do, by these ms. */
export const LATE_READS_SHAPES: [number[], number[]][] = [
  [
    [45, 45],
    [0, 300],
  ],
  [
    [45, 45],
    [0, 1_000],
  ],
  [
    [45, 45, 45],
    [0, 200, 400],
  ],
  [
    [150, 150],
    [0, 300],
  ],
];

/**
 * The same policy when steps start apart and their status reads see an end up to 300 ms late
 * (each wave longer, alone or shared), against one step of all their creates with such reads:
 * what sharing adds.
 */
export async function lateReadsLines(): Promise<string[]> {
  const late = { writeMs: 2_000, roundTripMs: 20, noticeMs: 50, noticeSpreadMs: 300 };
  const lines: string[] = [];
  for (const [creates, startsMs] of LATE_READS_SHAPES) {
    const all = creates.reduce((a, b) => a + b, 0);
    const alone = await simulateSharedSlots({ creates: [all], ...late });
    const run = await simulateSharedSlots({ creates, startsMs, ...late });
    const steps = run.stepsMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ');
    lines.push(
      `${creates.join(' + ')} creates starting ${startsMs.join('/')} ms, reads up to 300 ms late: ${(run.makespanMs / 1000).toFixed(1)} s = ${(run.makespanMs / alone.makespanMs).toFixed(2)} × one step of ${all} with such reads (${(alone.makespanMs / 1000).toFixed(1)} s); steps ${steps}; refused ${run.refused}`,
    );
  }
  return lines;
}

/**
 * Two steps of 45 starting together, as the outside run's two reconciles did, with a refusal
 * waited out on a slot (as the action takes any throttling answer to a create now) and backed off
 * exponentially with the slot kept (as it took HTTP 429 ones before): what the refusal's shape cost.
 */
export async function refusalHandlingLines(): Promise<string[]> {
  const lines: string[] = [];
  for (const [creates, startsMs] of [
    [
      [45, 45],
      [0, 0],
    ],
    [
      [45, 45],
      [0, 300],
    ],
    [
      [150, 150],
      [0, 300],
    ],
  ] as const) {
    const boundMs = Math.ceil(creates.reduce((a, b) => a + b, 0) / 15) * 2_000;
    for (const refusalBacksOff of [false, true]) {
      const run = await simulateSharedSlots({
        creates: [...creates],
        startsMs: [...startsMs],
        writeMs: 2_000,
        roundTripMs: 20,
        noticeMs: 50,
        refusalBacksOff,
      });
      lines.push(
        `${creates.join(' + ')} creates starting ${startsMs.join('/')} ms, a refusal ${refusalBacksOff ? 'backed off' : 'waiting for a slot'}: ${(run.makespanMs / 1000).toFixed(1)} s = ${(run.makespanMs / boundMs).toFixed(2)} × the ${boundMs / 1000} s bound; refused ${run.refused}`,
      );
    }
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`)
  for (const line of process.argv.includes('--refusals')
    ? await refusalHandlingLines()
    : [...(await sharedSlotsLines()), ...(await lateReadsLines())])
    console.log(line);
