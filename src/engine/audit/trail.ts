// The audit log's rule: never a change without its record. A step's first record (what it is about
// to do) is written before its first cloud write, and a write waits for it; when it cannot be
// written, no write is made and each fails naming the sink and the permission it lacks. A record
// that fails after its change is a warning naming the change, which stays in the step's results.
// Every record write is bounded by the step's deadline: a store that answers slowly or never is
// abandoned when it passes, so it never holds the step (nor the post step's revoke) past it. The
// store records go to, and its one bounded write, are ./sink.ts's.
import { CloudAccessError, describeError } from '../../core/errors.js';
import type { WaitBound } from '../limits/deadline.js';
import type { AssignmentType, Operation, ResolvedIds } from '../../core/types.js';
import type { GrantResult, PlannedChange } from '../../core/grant-result.js';
import { auditKey } from './key.js';
import { withNames, type RecordNamer } from './names.js';
import { changeOf, changeRecord, unansweredRecord } from './grant-record.js';
import {
  planRecord,
  stepRecord,
  type AuditStep,
  type PlannedGrant,
  type PlannedKindChange,
  type RecordBody,
} from './record.js';
import { putWithinBound, sinkFix, type AuditSink } from './sink.js';

/** How many numbers a record skips past ones other steps of the run attempt took, at most. */
const MAX_TAKEN = 1000;

export class AuditTrail {
  private next: number;
  private first: Promise<void> | undefined;
  /** What the step is about to do, for a record that no write of its own preceded (./guard.ts). */
  private plan: { operation: Operation; planned: () => PlannedGrant[] } | undefined;
  /** The kinds' own changes the step is about to make beside its grants, whichever write asks first (planBesides). */
  private besides: () => readonly PlannedKindChange[] = () => [];
  private readonly pending = new Set<Promise<void>>();
  /** Records written, for the benchmarks and the post step's numbering. */
  written = 0;
  /** What a change's record calls the IDs the step's reads did not name (./names.ts). */
  private namer: RecordNamer | undefined;

  constructor(
    private readonly sink: AuditSink,
    private readonly step: AuditStep,
    private readonly warn: (message: string) => void,
    /** The step's deadline (`timeout-seconds`, the post step's `post-timeout-seconds`): no write outlives it. */
    private readonly bound: WaitBound,
    firstNumber = 1,
    private readonly now: () => number = Date.now,
  ) {
    this.next = firstNumber;
  }

  /** The number the next record will try first (the post step starts after the main step's). */
  get nextNumber(): number {
    return this.next;
  }

  /**
   * Resolves once the step's first record is written (it is written once, by the first write
   * that asks); rejects, for every write that asks, when it could not be.
   */
  beforeFirstWrite(
    operation: Operation,
    planned: () => PlannedGrant[],
    /** The changes of a kind's plan the step is about to make beside its grants (a reconcile's). */
    kindChanges: () => readonly PlannedKindChange[] = () => [],
  ): Promise<void> {
    this.first ??= this.write(planRecord(operation, planned(), [...kindChanges(), ...this.besides()])).then(
      () => undefined,
      (failure: unknown) => {
        throw this.refused(failure);
      },
    );
    return this.first;
  }

  /**
   * The kinds' own changes the step is about to make beside its grants (the post step's revokes of
   * its sections' entries), listed by the first record whichever write asks for it first: a grant's
   * (through ./guard.ts, which knows only the grants) or a kind's.
   */
  planBesides(kindChanges: () => readonly PlannedKindChange[]): void {
    this.besides = kindChanges;
  }

  /** Each change's record names its IDs through `namer` where the step's reads did not. */
  nameWith(namer: RecordNamer): void {
    this.namer = namer;
  }

  /** The plan the first record says, when a record comes before any write (the engine's batch). */
  planWith(operation: Operation, planned: () => PlannedGrant[]): void {
    this.plan ??= { operation, planned };
  }

  /** Records a grant's result when it changed something (or a write the service answered); never throws. */
  recordResult(result: GrantResult): void {
    const change = changeOf(result, this.step);
    if (!change) return;
    const what = `${change} of ${result.role} on ${result.target} for ${result.principal}`;
    // Never before the step's first record: a request's grant found in place sent no write that
    // waited for it (Azure PIM registers no reliance), so it is written first, here.
    const plan = this.plan;
    const first = this.first ?? (plan && this.beforeFirstWrite(plan.operation, plan.planned));
    const record = changeRecord(result, change);
    this.track(
      Promise.resolve(first).then(() => this.writeNamed(record)),
      what,
    );
  }

  /** Records a write sent without an answer, which may have been applied; never throws. */
  recordUnanswered(
    ids: ResolvedIds,
    write: Exclude<PlannedChange, 'none'>,
    kind: AssignmentType,
    error: unknown,
  ): void {
    const operation = write === 'delete' ? 'revoke' : 'assign';
    const change = changeOf({ change: write, changed: true, operation }, this.step);
    if (!change) return;
    const failureReason = `${describeError(error)}: sent without an answer, it may have been applied`;
    const what = `${change} sent without an answer (${failureReason})`;
    const record = unansweredRecord(ids, change, failureReason, kind);
    this.track(this.writeNamed(record), what);
  }

  /**
   * Records a change a kind's own run made (a permission set's provisioning request), as that kind
   * builds its record, its IDs named as a grant's are (`nameWith`); never throws. It does not wait
   * for the step's first record: the run waited for it before it sent the change. `what` names the
   * change in a warning when its record cannot be written.
   */
  recordNamedChange(what: string, record: RecordBody): void {
    this.track(this.writeNamed(record), what);
  }

  /**
   * Records a change a kind's writer made beside the grants (a reconcile's change of a permission
   * set its manifest defines), as that kind builds its record, after the step's first record;
   * never throws. `what` names it in a warning when it cannot be written.
   */
  recordChange(what: string, record: RecordBody): void {
    this.track(
      Promise.resolve(this.first).then(() => this.write(record)),
      what,
    );
  }

  /** `recordChange` as a write is given it (../calls/write-plan.ts WriteContext), its record's type unnamed. */
  readonly changeRecorder = (what: string, record: object): void =>
    this.recordChange(what, record as RecordBody);

  /** Every record asked for so far, written or warned about. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private track(writing: Promise<unknown>, what: string): void {
    const done: Promise<void> = writing.then(
      () => undefined,
      (failure: unknown) =>
        this.warn(
          `audit-log: the record of the ${what} was not written to ${this.sink.where} (${describeError(failure)}); the change was made and stays in \`results\``,
        ),
    );
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }

  /** A change's record, once what its IDs are called is known, as far as it can be. */
  private async writeNamed(record: RecordBody): Promise<string> {
    // A namer that failed names nothing: the record goes by its IDs, as it would without one.
    const names = this.namer ? await this.namer.namesOf(record).catch(() => ({})) : {};
    return this.write(withNames(record, names));
  }

  /**
   * Writes the record at the next number no other record of the run attempt holds, with what
   * every record of the step carries first.
   */
  private async write(body: RecordBody): Promise<string> {
    for (let tries = 0; tries < MAX_TAKEN; tries++) {
      const n = this.next++;
      const at = new Date(this.now());
      const record = stepRecord(this.step, body, n, at);
      const key = auditKey(this.sink.prefix, at, this.step.run, n);
      // One line per record: Athena's JSON reader (and `jq -c`, Synapse's line reader) take a record per line.
      if ((await putWithinBound(this.sink, this.bound, key, `${JSON.stringify(record)}\n`)) === 'written') {
        this.written++;
        return key;
      }
    }
    throw new Error(`${MAX_TAKEN} record numbers in a row were taken by other steps of the run`);
  }

  private refused(failure: unknown): CloudAccessError {
    return new CloudAccessError(
      `audit-log: the step's first record could not be written to ${this.sink.where} (${describeError(failure)}), so nothing was written to the cloud`,
      { input: 'audit-log', fix: sinkFix(this.sink, failure), cause: failure },
    );
  }
}
