// What the main step leaves its post step as it goes: the header first, then each grant's entry the
// moment its create is sent and again as the service answers, so a step cancelled or killed
// mid-batch still leaves a complete record of what it may have created. Each entry is the grant as
// written and resolved: the post step revokes exactly it (core/state/saved-state.ts).
import type { StepConfig } from '../../core/inputs/index.js';
import { savedIdsOf } from '../../core/kinds/index.js';
import { STATE_VERSION, type StateHeader, type StepState } from '../../core/state/saved-state.js';
import { postStepSettingsOf } from '../../core/state/saved-sections.js';
import type { Grant, ResolvedIds } from '../../core/types.js';
import type { GrantResult } from '../../core/grant-result.js';
import type { AdapterState } from '../../engine/calls/driver.js';
import type { Ownership } from '../../engine/calls/ownership-proofs.js';

export class CreatedGrantsRecord {
  private readonly header: StateHeader;
  private readonly slotOf: Map<Grant, number>;
  private readonly sentAt = new Map<Grant, number>();
  private readonly answeredAt = new Map<Grant, number>();
  /** What this step may have made: confirmed (`created`), or still to be resolved by the post step. */
  private readonly owned = new Map<Grant, Ownership>();
  /** Creates the service answered but that were not this step's (found in place, or raced by another party's). */
  private readonly disowned = new Set<Grant>();

  /**
   * Only for a step whose grants end with the job (`revoke-on-exit: true`, or an AWS `duration`):
   * the others leave the header main.ts claimed.
   */
  constructor(
    config: StepConfig,
    private readonly state: StepState,
  ) {
    this.header = {
      version: STATE_VERSION,
      nonce: state.newNonce(),
      count: config.grants.length,
      revokeOnExit: true,
      ...postStepSettingsOf(config),
      leftAlone: 0,
    };
    this.slotOf = new Map(config.grants.map((g, i) => [g, i]));
    // Saved before the first request: from here on only entries with this nonce count.
    this.state.saveHeader(this.header);
  }

  /** Grants created or in flight so far (for the message when the job is cancelled). */
  get ownedCount(): number {
    return this.owned.size;
  }

  /** What the driver hands its post step once signed in, saved as it is (engine/calls/driver.ts `postState`). */
  signedIn(handedOver: AdapterState | undefined): void {
    if (handedOver) this.header.handedOver = handedOver;
    this.state.saveHeader(this.header);
  }

  /**
   * The engine's `onOwnership`: the grant's entry as it goes; none once the service says it is not
   * the step's, and a `contested` one (left in place, and said if still there) when the step's
   * create SUCCEEDED but another party's for the same assignment ran too.
   */
  readonly saveOwnership = (
    grant: Grant,
    ids: ResolvedIds,
    ownership: Ownership,
    requestId?: string,
    answeredAt?: number,
  ): void => {
    if (ownership === 'not-created' || ownership === 'contested') {
      this.owned.delete(grant);
      this.disowned.add(grant);
    } else {
      this.owned.set(grant, ownership);
      this.disowned.delete(grant);
    }
    if (!this.sentAt.has(grant)) this.sentAt.set(grant, Date.now());
    if (answeredAt !== undefined) this.answeredAt.set(grant, answeredAt);
    const answered = this.answeredAt.get(grant);
    this.state.saveGrant(
      this.slotOf.get(grant)!,
      ownership === 'not-created'
        ? undefined
        : {
            nonce: this.header.nonce,
            written: grant.written,
            kind: grant.kind,
            ...savedIdsOf(grant.kind, ids),
            ownership,
            ...(requestId ? { requestId } : {}),
            sentAt: this.sentAt.get(grant)!,
            ...(answered !== undefined ? { answeredAt: answered } : {}),
          },
    );
  };

  /**
   * Of the batch's results (in grant order), the grants this step relies on but did not make, and
   * with no reliance sent for them: assigned, and found in place or made by another party's create.
   * A reliance sent is what the run that made the grant sees before it revokes; one that failed
   * is warned of on its own (./assign-report.ts).
   */
  notMadeHere(grants: readonly Grant[], results: GrantResult[]): GrantResult[] {
    return results.filter(
      (r, i) =>
        r.operation === 'assign' &&
        r.status === 'SUCCEEDED' &&
        !r.reliance &&
        (r.before === 'present' || this.disowned.has(grants[i]!)),
    );
  }

  /** The batch is over: the header counts what existed before; returns what the post step will do. */
  close(results: GrantResult[]): string {
    // A grant its reliance made again, shown to be the step's, is among what it created.
    this.header.leftAlone = results.filter(
      (r) => r.operation === 'assign' && r.before === 'present' && !r.reliance?.remade?.byStep,
    ).length;
    this.state.saveHeader(this.header);
    const confirmed = [...this.owned.values()].filter((o) => o === 'created').length;
    const unsure = this.owned.size - confirmed;
    return `revoke-on-exit: the post step will revoke the ${confirmed} grant(s) this step created${unsure > 0 ? `, and ${unsure} whose create has not ended or whose answer was lost, if the service shows this step created them` : ''}; the ${this.header.leftAlone} that existed before stay in place`;
  }
}
