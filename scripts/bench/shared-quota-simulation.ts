// `npx tsx scripts/bench/shared-quota-simulation.ts`: its figures (also in `npm run bench`).
// Steps sharing one IAM Identity Center instance's two quotas at once, its 15 outstanding creates
// and its 20 calls a second, on a fake clock (@sinonjs/fake-timers, whose timers the action's own
// limits then run on): each step's calls go through the step's own AdaptiveRateLimiter (19 a
// window, as src/aws/sso/quotas.ts sets it) and its creates through its AdaptiveSemaphore, as in
// the action; its reads before the first create and the status reads that free its slots take
// their places in the rate window too. The instance answers as the emulator does: a call beyond 20
// in a second is throttled (HTTP 429, which a create's refusal for the outstanding creates may
// also be), a create beyond 15 outstanding refused. What ./shared-slots-simulation.ts leaves out:
// two steps' calls share one rate, so a wave's creates and status reads compete with the other
// step's, and a refused create costs a call of it.
import FakeTimers from '@sinonjs/fake-timers';
import { SlidingWindowLimiter } from '../../emulator/common/http.js';
import { AdaptiveRateLimiter } from '../../src/engine/limits/adaptive-limits.js';
import { AdaptiveSemaphore, type AdaptiveSlot } from '../../src/engine/limits/adaptive-semaphore.js';
import { FIRST_PRIORITY_THROTTLE_SCHEDULE, retryDelayMs } from '../../src/engine/limits/backoff.js';
import { sameEveryRun } from './shared-slots-simulation.js';
import { SSO_ADMIN_CALLS_PER_WINDOW, SSO_ADMIN_WINDOW_MS } from '../../src/aws/sso/quotas.js';

export interface SharedQuotaShape {
  /** Creates per step. */
  creates: number[];
  /** When each step sends its first call; 0 each when not given. */
  startsMs?: number[];
  /** The reads each step makes before its first create, in rounds sent together (a reconcile's of SSO Admin: ListInstances, then the set's accounts and the set: 1, 2). */
  readRounds?: number[];
  /** How long the instance takes to finish a create it accepted. */
  writeMs: number;
  /** A call's round trip. */
  roundTripMs: number;
  /** How long a status read waits, once one is due, for the creates due just after (one read for all). */
  gatherMs: number;
}

export interface SharedQuotaRun {
  /** When the last create was seen to end, from the first step's first call. */
  makespanMs: number;
  /** When each step's last create was seen to end. */
  stepsMs: number[];
  /** Creates refused for the outstanding creates, and calls throttled for the rate. */
  refused: number;
  throttled: number;
  /** Calls made, of every kind. */
  calls: number;
  /** Each create the instance accepted: by which step, when. */
  accepted: { step: number; at: number }[];
}

type Answer = 'ok' | 'rate' | 'outstanding';

/** One instance: 20 calls in any second, 15 creates outstanding. */
function instance(writeMs: number) {
  const rate = new SlidingWindowLimiter(() => 20);
  let outstanding = 0;
  const ended = new Set<number>();
  let next = 0;
  const stats = { refused: 0, throttled: 0, calls: 0 };
  const call = (): boolean => {
    stats.calls++;
    if (rate.tryAcquire('', Date.now())) return true;
    stats.throttled++;
    return false;
  };
  return {
    stats,
    read: (): Answer => (call() ? 'ok' : 'rate'),
    accepted: [] as { step: number; at: number }[],
    create(step: number): { answer: Answer; id?: number } {
      if (!call()) return { answer: 'rate' };
      if (outstanding >= 15) {
        stats.refused++;
        return { answer: 'outstanding' };
      }
      outstanding++;
      this.accepted.push({ step, at: Date.now() });
      const id = next++;
      setTimeout(() => {
        outstanding--;
        ended.add(id);
      }, writeMs);
      return { answer: 'ok', id };
    },
    /** A list read of the creates' statuses: which of `ids` have ended. */
    list(ids: number[]): { answer: Answer; ended?: Set<number> } {
      if (!call()) return { answer: 'rate' };
      return { answer: 'ok', ended: new Set(ids.filter((id) => ended.has(id))) };
    },
  };
}

export async function simulateSharedQuota(shape: SharedQuotaShape): Promise<SharedQuotaRun> {
  const clock = FakeTimers.install({
    now: 0,
    toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date'],
  });
  try {
    return await run(shape, clock);
  } finally {
    clock.uninstall();
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One call through the step's rate limiter; a throttled read backs off and goes again. */
function sender(limiter: AdaptiveRateLimiter, roundTripMs: number, jitter: () => number) {
  return async <T extends { answer: Answer }>(priority: number, call: () => T): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      const done = await limiter.take('a call', undefined, priority);
      const sentAt = Date.now();
      await sleep(roundTripMs / 2);
      const answer = call();
      await sleep(roundTripMs / 2);
      done?.();
      if (answer.answer === 'ok') limiter.answered();
      // A create's refusal is its slot's to handle (as the action's call runner leaves it).
      if (answer.answer === 'ok' || priority === 0) return answer;
      limiter.refused(sentAt);
      // A status read the slots wait on backs off on the shorter schedule, as the call runner has it.
      const schedule = priority === 0 ? FIRST_PRIORITY_THROTTLE_SCHEDULE : undefined;
      await sleep(retryDelayMs(attempt, undefined, jitter, schedule));
    }
  };
}

async function run(
  shape: SharedQuotaShape,
  clock: ReturnType<typeof FakeTimers.install>,
): Promise<SharedQuotaRun> {
  const service = instance(shape.writeMs);
  // The backoff's jitter, the same every run.
  const jitter = sameEveryRun(7);
  const stepsMs = shape.creates.map(() => 0);
  let pending = shape.creates.reduce((n, c) => n + c, 0);

  const step = async (index: number, creates: number) => {
    const limiter = new AdaptiveRateLimiter({
      ceiling: SSO_ADMIN_CALLS_PER_WINDOW,
      windowMs: SSO_ADMIN_WINDOW_MS,
    });
    const slots = new AdaptiveSemaphore({ ceiling: 15 }, 'a slot');
    const send = sender(limiter, shape.roundTripMs, jitter);

    // Followed creates: each read when it should have ended, those due together in one list read.
    const followed = new Map<number, { due: number; slot: AdaptiveSlot; seen: () => void }>();
    let reading = false;
    const readDue = async () => {
      if (reading || followed.size === 0) return;
      const first = Math.min(...[...followed.values()].map((f) => f.due));
      reading = true;
      await sleep(Math.max(0, first - Date.now()) + shape.gatherMs);
      const ids = [...followed.keys()].filter((id) => followed.get(id)!.due <= Date.now());
      const { ended } = await send(0, () => service.list(ids));
      for (const id of ids) {
        const f = followed.get(id)!;
        if (ended?.has(id)) {
          followed.delete(id);
          f.slot.release();
          f.seen();
        } else f.due = Date.now() + 100;
      }
      reading = false;
      void readDue();
    };

    await sleep(shape.startsMs?.[index] ?? 0);
    for (const round of shape.readRounds ?? [1, 2])
      await Promise.all(Array.from({ length: round }, () => send(2, () => ({ answer: service.read() }))));
    await Promise.all(
      Array.from({ length: creates }, async () => {
        const slot = await slots.acquire('CreateAccountAssignment');
        for (;;) {
          const { answer, id } = await send(0, () => service.create(index));
          if (answer === 'ok') {
            slot.answered();
            await new Promise<void>((seen) => {
              followed.set(id!, { due: Date.now() + shape.writeMs, slot, seen });
              void readDue();
            });
            break;
          }
          // Throttled or refused, the create waits for a slot, as the action takes any throttling
          // answer to a create (src/aws/sdk/aws-errors.ts).
          await slot.refused();
        }
        stepsMs[index] = Date.now();
        pending--;
      }),
    );
  };

  const steps = shape.creates.map((creates, index) => step(index, creates));
  while (pending > 0) await clock.nextAsync();
  await Promise.all(steps);
  return { makespanMs: Math.max(...stepsMs), stepsMs, ...service.stats, accepted: service.accepted };
}

/**
 * Two reconciles of 45 each, the second starting 0 to 400 ms after the first (as two jobs' processes
 * do), at round trips of 10 and 30 ms: each run's makespan against the 12 s of the quota's waves.
 */
export async function sharedQuotaSweep(): Promise<{ ratios: number[]; refused: number; throttled: number }> {
  const ratios: number[] = [];
  let refused = 0;
  let throttled = 0;
  for (const roundTripMs of [10, 30])
    for (let lateMs = 0; lateMs <= 400; lateMs += 20) {
      const r = await simulateSharedQuota({
        creates: [45, 45],
        startsMs: [0, lateMs],
        writeMs: 2_000,
        roundTripMs,
        gatherMs: 20,
      });
      ratios.push(r.makespanMs / 12_000);
      refused += r.refused;
      throttled += r.throttled;
    }
  return { ratios, refused, throttled };
}

/**
 * The figures `npm run bench` prints: two reconciles of 45 starting together with two and with
 * three SSO Admin reads each before their first creates (a reconcile without `instance-arn` makes
 * three: ListInstances, the set's accounts, the set's name), then the sweep above.
 */
export async function sharedQuotaLines(): Promise<string[]> {
  const lines: string[] = [];
  for (const readRounds of [
    [1, 1],
    [1, 2],
  ]) {
    const run = await simulateSharedQuota({
      creates: [45, 45],
      readRounds,
      writeMs: 2_000,
      roundTripMs: 10,
      gatherMs: 20,
    });
    const lastOfFirstWave = Math.max(...run.accepted.slice(0, 15).map((a) => a.at));
    const reads = readRounds.reduce((a, b) => a + b, 0);
    lines.push(
      `45 + 45 creates starting together, ${reads} SSO Admin reads each before them, sharing 20 calls a second: ${(run.makespanMs / 1000).toFixed(2)} s = ${(run.makespanMs / 12_000).toFixed(3)} × the 12 s of 6 waves; the first wave's last create at ${lastOfFirstWave} ms; refused ${run.refused}, throttled ${run.throttled}`,
    );
  }
  const { ratios, refused, throttled } = await sharedQuotaSweep();
  const sorted = [...ratios].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(3);
  const mean = (ratios.reduce((a, b) => a + b, 0) / ratios.length).toFixed(3);
  lines.push(
    `45 + 45 creates, 3 reads each, the second step 0–400 ms late, round trips 10 and 30 ms (${ratios.length} runs): mean ${mean} ×, median ${at(0.5)} ×, 90th percentile ${at(0.9)} ×, worst ${at(1)} × the 12 s bound; refused ${refused}, throttled ${throttled}`,
  );
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`)
  for (const line of await sharedQuotaLines()) console.log(line);
