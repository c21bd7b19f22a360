// The pure AIMD rule that lets jobs sharing one quota find a share each: no mocks, a clock the
// test moves.
import { describe, expect, it } from '@jest/globals';
import { Aimd } from '../../../src/engine/limits/aimd.js';

const quota = (ceiling = 15, maxIncrease?: number) =>
  new Aimd({ ceiling, floor: 1, decrease: 0.5, increase: 1, ...(maxIncrease ? { maxIncrease } : {}) });

/** Answers `n` calls. */
const answer = (aimd: Aimd, n: number) => {
  for (let i = 0; i < n; i++) aimd.answered();
};

describe('a lone client keeps the whole quota', () => {
  it('starts at the ceiling and never grows past it', () => {
    const aimd = quota(15);
    expect(aimd.limit).toBe(15);
    answer(aimd, 1000);
    expect(aimd.limit).toBe(15);
  });
});

describe('a refusal cuts the limit by the factor, once per crowding', () => {
  it('halves the limit at a refusal', () => {
    const aimd = quota(16);
    expect(aimd.refused(100, 100)).toBe(true);
    expect(aimd.limit).toBe(8);
  });

  it('ignores refusals of calls sent before the last cut: they met the same crowding', () => {
    const aimd = quota(16);
    aimd.refused(100, 110);
    // Sent at 100 and 105, refused after the cut at 110: already answered by it.
    expect(aimd.refused(100, 120)).toBe(false);
    expect(aimd.refused(105, 121)).toBe(false);
    expect(aimd.limit).toBe(8);
    // Sent after the cut, and refused still: the cut was not enough.
    expect(aimd.refused(111, 130)).toBe(true);
    expect(aimd.limit).toBe(4);
  });

  it('never goes below the floor, so the client keeps making progress', () => {
    const aimd = quota(16);
    for (let t = 1; t < 20; t++) aimd.refused(t * 10, t * 10 + 1);
    expect(aimd.limit).toBe(1);
  });
});

describe('answered calls grow the limit back', () => {
  it('grows by one for every limit’s worth of answered calls', () => {
    const aimd = quota(16);
    aimd.refused(0, 1);
    expect(aimd.limit).toBe(8);
    answer(aimd, 8);
    expect(aimd.limit).toBe(9);
  });

  it('grows faster the longer no refusal comes (1, 2, 4 a round), and starts over at the next refusal', () => {
    const aimd = quota(100, 4);
    aimd.refused(0, 1);
    for (let i = 0; i < 4; i++) aimd.refused(10 * (i + 1), 10 * (i + 1) + 1);
    expect(aimd.limit).toBe(3);
    const rounds: number[] = [];
    for (let round = 0; round < 5; round++) {
      answer(aimd, Math.max(1, Math.floor(aimd.limit)));
      rounds.push(aimd.limit);
    }
    // Growth per round: about 1, 2, 4, then 4 again (the most it may grow).
    expect(rounds[0]).toBe(4);
    expect(rounds[4]! - rounds[3]!).toBeGreaterThanOrEqual(3);
    expect(rounds[4]! - rounds[3]!).toBeLessThanOrEqual(4);
    const before = aimd.limit;
    aimd.refused(1000, 1001);
    answer(aimd, Math.floor(aimd.limit));
    expect(aimd.limit).toBe(Math.floor(before * 0.5) + 1);
  });
});

describe('clients sharing one quota converge on a share each', () => {
  it('two clients refused when their sum passes the quota each hold about half on average, and use most of it together', () => {
    const shared = 15;
    const a = quota(15, 4);
    const b = quota(15, 4);
    let now = 0;
    const sums: number[] = [];
    const shares: { a: number[]; b: number[] } = { a: [], b: [] };
    for (let round = 0; round < 200; round++) {
      now += 10;
      // Each round every client sends a limit's worth; the one that finds the quota full is refused
      // (the larger one first: it holds more of what is crowded).
      const sum = a.limit + b.limit;
      if (sum > shared) (a.limit >= b.limit ? a : b).refused(now - 5, now);
      else {
        answer(a, a.limit);
        answer(b, b.limit);
      }
      if (round >= 100) {
        sums.push(Math.min(shared, a.limit + b.limit));
        shares.a.push(a.limit);
        shares.b.push(b.limit);
      }
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(sums)).toBeGreaterThanOrEqual(0.75 * shared);
    for (const share of [shares.a, shares.b]) {
      expect(mean(share)).toBeGreaterThanOrEqual(0.4 * shared);
      expect(mean(share)).toBeLessThanOrEqual(0.6 * shared);
    }
  });
});
