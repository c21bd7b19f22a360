// Lookups whose answers only label what a step shows (a principal's name beside its ID, whether an
// ID is an application's client ID): worth a few seconds, never a wait. Every such lookup of a
// step shares one budget, LABELS_BUDGET_MS from the first; past it, or once one has failed, the
// rows show IDs and the step says why once. Only what a step acts on (a principal written by
// name) waits for its service as long as the step's deadline allows.
import { Deadline } from './deadline.js';

/** The most a step spends, in all, on lookups that only label its rows. */
export const LABELS_BUDGET_MS = 15_000;

/** The deadline of a step's label lookups: LABELS_BUDGET_MS from the first, or the step's own when sooner. */
export class LabelsBudget {
  private deadline: Deadline | undefined;

  constructor(
    private readonly step: Deadline,
    private readonly budgetMs: number = LABELS_BUDGET_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The budget's deadline, started by the first lookup that asks for it. */
  start(): Deadline {
    this.deadline ??= new Deadline(
      Math.min(this.budgetMs, this.step.remainingMs()) / 1000,
      this.now,
      this.step.input,
    );
    return this.deadline;
  }
}

/** A label lookup that was not answered within its budget: what it waited for stays unnamed. */
export class LabelsTimedOut extends Error {
  constructor(readonly budgetMs: number) {
    super(`no answer within ${Math.round(budgetMs / 1000)} s`);
    this.name = 'LabelsTimedOut';
  }
}

/**
 * `work`'s answer, or LabelsTimedOut once `deadline` passes first. The calls of `work` that are
 * still out end on their own deadline; nothing waits for them.
 */
export async function withinBudget<T>(work: Promise<T>, deadline: Deadline): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const budgetMs = deadline.seconds * 1000;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LabelsTimedOut(budgetMs)), deadline.remainingMs());
  });
  // The work's own failure after the budget ended is nobody's to handle.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
