// Steps sharing one IAM Identity Center instance's 15 outstanding creates, on a clock only the
// simulation moves: each step's creates go through its own AdaptiveSemaphore, as the action's do
// (src/aws/sso/assignments.ts), against an instance that refuses a create while 15 are
// outstanding, as AWS does. What it measures is the semaphore's policy alone, whatever the load
// on the machine: how long the steps take against the waves the quota allows.
import { AdaptiveSemaphore, type SlotClock } from '../../src/engine/limits/adaptive-semaphore.js';
import { retryDelayMs } from '../../src/engine/limits/backoff.js';

export interface SharedSlotsRun {
  /** When the last create was seen to end (ms on the simulated clock). */
  makespanMs: number;
  /** When each step's last create was seen to end. */
  stepsMs: number[];
  /** Creates the instance refused. */
  refused: number;
  /** The most creates outstanding at once at the instance. */
  peak: number;
}

export interface SharedSlotsShape {
  /** Creates per step. */
  creates: number[];
  /** How long the instance takes to finish a create it accepted. */
  writeMs: number;
  /** A call's round trip. */
  roundTripMs: number;
  /** How long after a create ends its status read sees it (the step reads when it expects the end). */
  noticeMs: number;
  /**
   * Up to this much more, for each create (a fixed pseudo-random sequence, the same every run):
   * steps' status reads are not all on time, so another step's probe may find a slot first.
   */
  noticeSpreadMs?: number;
  capacity?: number;
  /** When each step sends its first create (steps that start apart, as two jobs' processes do); 0 each when not given. */
  startsMs?: number[];
  /**
   * A refused create keeps its slot and backs off exponentially (engine/limits/backoff.ts), as the
   * action did with a refusal it took for the TPS quota's (HTTP 429, the model's status for
   * ThrottlingException), rather than waiting for a slot.
   */
  refusalBacksOff?: boolean;
}

/** A clock whose timers run as the simulation advances it, each after what the last one let run. */
function simulatedClock() {
  let now = 0;
  let timers: { at: number; seq: number; tick: () => void }[] = [];
  let seq = 0;
  const clock: SlotClock = {
    now: () => now,
    after(ms, tick) {
      const timer = { at: now + Math.max(0, ms), seq: seq++, tick };
      timers.push(timer);
      return () => void (timers = timers.filter((t) => t !== timer));
    },
  };
  const settle = () => new Promise((r) => setImmediate(r));
  /** Runs timers in order until `done()`; throws if nothing is left to run before that. */
  const run = async (done: () => boolean) => {
    await settle();
    while (!done()) {
      const next = timers.sort((a, b) => a.at - b.at || a.seq - b.seq).shift();
      if (!next) throw new Error('the simulation stalled: no timer left and steps still waiting');
      now = next.at;
      next.tick();
      await settle();
    }
  };
  const sleep = (ms: number) => new Promise<void>((r) => clock.after(ms, r));
  return { clock, run, sleep };
}

/** Numbers in [0, 1) from `seed`, a linear congruential sequence: the same every run. */
export function sameEveryRun(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

export async function simulateSharedSlots(shape: SharedSlotsShape): Promise<SharedSlotsRun> {
  const { clock, run, sleep } = simulatedClock();
  const capacity = shape.capacity ?? 15;
  let outstanding = 0;
  let refused = 0;
  let peak = 0;
  /** The instance: accepts a create while fewer than `capacity` are outstanding. */
  const instanceCreate = (): boolean => {
    if (outstanding >= capacity) {
      refused++;
      return false;
    }
    outstanding++;
    peak = Math.max(peak, outstanding);
    clock.after(shape.writeMs, () => void outstanding--);
    return true;
  };
  const stepsMs = shape.creates.map(() => 0);
  const notice = sameEveryRun(1);
  const spread = () => notice() * (shape.noticeSpreadMs ?? 0);
  // The backoff's jitter: a sequence of its own.
  const jitter = sameEveryRun(7);
  let pending = shape.creates.reduce((n, c) => n + c, 0);
  shape.creates.forEach((creates, step) => {
    const slots = new AdaptiveSemaphore({ ceiling: capacity }, 'a slot', clock);
    for (let i = 0; i < creates; i++)
      void (async () => {
        await sleep(shape.startsMs?.[step] ?? 0);
        const slot = await slots.acquire('CreateAccountAssignment');
        let attempt = 0;
        for (;;) {
          await sleep(shape.roundTripMs / 2);
          const accepted = instanceCreate();
          await sleep(shape.roundTripMs / 2);
          if (accepted) break;
          if (shape.refusalBacksOff) await sleep(retryDelayMs(attempt++, undefined, jitter));
          else await slot.refused();
        }
        slot.answered();
        await sleep(shape.writeMs + shape.noticeMs + spread());
        slot.release();
        stepsMs[step] = clock.now();
        pending--;
      })();
  });
  await run(() => pending === 0);
  return { makespanMs: Math.max(...stepsMs), stepsMs, refused, peak };
}
