// Lookups that only label rows share one budget per step, from the first of them, never past the
// step's own deadline; a lookup still out when it ends is given up, not waited for.
import { describe, expect, it, jest } from '@jest/globals';
import { onFakeClock, settled } from '../../harness/fake-clock.js';
import {
  LABELS_BUDGET_MS,
  LabelsBudget,
  LabelsTimedOut,
  withinBudget,
} from '../../../src/engine/limits/best-effort.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';

describe('the labels budget', () => {
  it('is 15 s from the first lookup, shared by every later one', () => {
    const clock = { now: 0 };
    const budget = new LabelsBudget(new Deadline(300, () => clock.now), undefined, () => clock.now);
    clock.now = 40_000;
    const first = budget.start();
    expect(first.endsAt).toBe(40_000 + LABELS_BUDGET_MS);
    clock.now = 50_000;
    expect(budget.start()).toBe(first);
    expect(first.remainingMs()).toBe(5_000);
  });

  it("never outlasts the step's deadline", () => {
    const clock = { now: 0 };
    const budget = new LabelsBudget(new Deadline(10, () => clock.now), undefined, () => clock.now);
    clock.now = 4_000;
    expect(budget.start().endsAt).toBe(10_000);
  });
});

describe('withinBudget', () => {
  it('gives the answer that comes in time', async () => {
    await expect(withinBudget(Promise.resolve('named'), new Deadline(1))).resolves.toBe('named');
  });

  it('gives up on one that does not when its deadline ends, saying how long it waited', () =>
    onFakeClock(jest, async () => {
      const never = new Promise<string>(() => undefined);
      const started = Date.now();
      const failure = await settled(withinBudget(never, new Deadline(0.2))).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(LabelsTimedOut);
      expect(Date.now() - started).toBe(200);
    }));
});
