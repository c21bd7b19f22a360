// Which reliance markers on a description a relying step may take out to make room for its own:
// those of runs GitHub says have ended, by the sweep's own rule (core/claims/claimant-state.ts), so
// a step never removes the marker of a run the sweep would still count as running. Only its own
// repository's runs are asked about (the job's token reads those with `permissions: actions:
// read`); any other marker, and any run GitHub does not answer for, is kept. Asked once per run
// for the whole step: one instance serves every grant of the step's driver (./assignments.ts), and
// the jobs that share one full grant share its others, whose descriptions name the same runs.
import type { AzureRunMark } from '../../core/run-marks.js';
import { azureRunMarksOf } from '../../core/run-marks.js';
import { claimantState } from '../../core/claims/claimant-state.js';
import { runKeyOf, type ClaimMark, type RunRef, type RunState } from '../../core/claims/claims.js';
import type { ReadRuns } from '../../engine/calls/driver.js';

const claimMarkOf = (mark: AzureRunMark): ClaimMark => ({
  run: { repository: mark.repository, runId: mark.runId, attempt: mark.attempt },
  ephemeral: true,
  ...(mark.expiresAt !== undefined ? { expiresAt: mark.expiresAt } : {}),
});

export class EndedReliers {
  /** GitHub's answers so far, by run (runKeyOf). */
  private readonly states = new Map<string, RunState>();
  /** The reads under way, by run: a grant relying at the same moment waits for them, never asks again. */
  private readonly asking = new Map<string, Promise<void>>();

  /** `own`: the relying run's mark; `readRuns`: GitHub's answers for runs (absent: nothing is proven). */
  constructor(
    private readonly own: AzureRunMark,
    private readonly readRuns: ReadRuns | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Which of `description`'s markers have provably ended, after asking GitHub about the runs of its
   * reliance markers not asked about yet; undefined when nothing can be proven (no reader).
   */
  async provenIn(description: string): Promise<((mark: AzureRunMark) => boolean) | undefined> {
    const { readRuns } = this;
    if (!readRuns) return undefined;
    const ask = new Map<string, RunRef>();
    const waits = new Set<Promise<void>>();
    for (const mark of azureRunMarksOf(description).marks.slice(1))
      if (this.askable(mark)) {
        const run = claimMarkOf(mark).run;
        const key = runKeyOf(run);
        const pending = this.asking.get(key);
        if (pending) waits.add(pending);
        else if (!this.states.has(key)) ask.set(key, run);
      }
    if (ask.size > 0) {
      const reading = this.read(readRuns, ask);
      for (const key of ask.keys()) this.asking.set(key, reading);
      waits.add(reading);
    }
    await Promise.all(waits);
    const now = this.now();
    return (mark) =>
      this.askable(mark) && claimantState(claimMarkOf(mark), this.states, now).kind === 'ended';
  }

  private async read(readRuns: ReadRuns, ask: Map<string, RunRef>): Promise<void> {
    try {
      for (const [key, state] of await readRuns([...ask.values()])) this.states.set(key, state);
    } catch {
      // Nothing read is nothing proven: every marker is kept.
    } finally {
      for (const key of ask.keys()) this.asking.delete(key);
    }
  }

  /** Its own repository's other runs: the relying run itself is going, so none of its attempts has ended. */
  private askable(mark: AzureRunMark): boolean {
    return mark.relies === true && mark.repository === this.own.repository && mark.runId !== this.own.runId;
  }
}
