// Graph asked for what only labels rows or explains an error (names by object ID, the client-ID
// check): within the step's labels budget (engine/limits/best-effort.ts), on a call runner that
// announces nothing, and not asked again once Graph went unanswered, which the step is told once.
// The directory (./directory.ts) asks through it; what the step acts on never does.
import type { CallRunner } from '../../engine/calls/call-runner.js';
import type { AdapterDeps } from '../../engine/calls/driver.js';
import { LabelsBudget, withinBudget } from '../../engine/limits/best-effort.js';
import type { Deadline } from '../../engine/limits/deadline.js';
import { GraphCalls } from './calls.js';
import { GraphError, type JsonClient } from './client.js';
import { namesByIds, namesOfObjects, type ObjectName, type ObjectNames } from './object-names.js';

export class GraphLabels {
  private calls: GraphCalls | undefined;
  private readonly budget: LabelsBudget;
  /** Why Graph went unanswered for a label lookup: later ones are not asked (the budget is for all). */
  private unanswered: unknown;
  /** Whether the step has been told that Graph went unanswered (once is enough). */
  private unansweredSaid = false;

  constructor(
    private readonly client: () => JsonClient,
    /** A call runner on the lookup's own deadline: a label lookup's failure is said by whoever shows the labels. */
    private readonly runner: (deadline: Deadline) => CallRunner,
    private readonly deps: Pick<AdapterDeps, 'deadline' | 'signal'>,
  ) {
    this.budget = new LabelsBudget(deps.deadline);
  }

  /** Graph requests sent so far for labels (each `$batch` once). */
  get requests(): number {
    return this.calls?.requests ?? 0;
  }

  /**
   * A lookup on the labels budget: its answer, or its failure. Once Graph went unanswered
   * (unreachable, too slow, no token), later lookups are not asked, and fail with that at once.
   */
  async ask<T>(lookup: (graph: GraphCalls) => Promise<T>): Promise<T> {
    if (this.unanswered !== undefined) throw this.unanswered;
    const deadline = this.budget.start();
    this.calls ??= new GraphCalls(this.client, this.runner(deadline), deadline, this.deps.signal);
    try {
      return await withinBudget(lookup(this.calls), deadline);
    } catch (error) {
      // An answer (403, 404…) says Graph is there: another lookup may fare better.
      if (!(error instanceof GraphError)) this.unanswered = error;
      throw error;
    }
  }

  /** The names and types of directory objects by object ID, batched (./object-names.ts). */
  namesOf(objectIds: readonly string[]): Promise<ObjectNames> {
    return this.ask((graph) => namesOfObjects(graph, objectIds)).catch((error: unknown) => {
      // The caller says why the names are missing: the client-ID check need not say it again.
      if (error === this.unanswered) this.unansweredSaid = true;
      throw error;
    });
  }

  /** The names and types of directory objects by object ID, one `getByIds` per 1,000. */
  namesByIds(objectIds: readonly string[]): Promise<Map<string, ObjectName>> {
    return this.ask((graph) => namesByIds(graph, objectIds));
  }

  /** Whether `error` is why Graph went unanswered for labels, not yet said: it is said once. */
  firstUnanswered(error: unknown): boolean {
    if (error !== this.unanswered || this.unansweredSaid) return false;
    this.unansweredSaid = true;
    return true;
  }
}
