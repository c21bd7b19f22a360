// Time-bound Azure role assignments (`duration`) behind the engine's GrantDriver interface: made and
// removed through PIM role assignment schedule requests, so that Azure itself ends each assignment
// on time whatever happens to the job. Sign-in, role lookup and scopes are the step's ArmSession;
// how an assignment is found is schedules.ts, made assign.ts, ended remove.ts, and a
// request not yet granted cancelled cancel.ts.
import { randomUUID } from 'node:crypto';
import type { AzureGrant, AzureResolvedIds } from '../../core/types.js';
import type * as Driver from '../../engine/calls/driver.js';
import type { ArmSession } from '../arm/session.js';
import { PimAssign, type TimeBoundSettings } from './assign.js';
import { PimRemove, previewRemove } from './remove.js';
import { PimSchedules } from './schedules.js';

export class AzurePimAssignmentDriver implements Driver.GrantDriver<AzureGrant> {
  readonly cloud = 'azure' as const;
  readonly stats: Driver.CallStats;
  private readonly schedules: PimSchedules;
  private readonly assigning: PimAssign;
  private readonly removing: PimRemove;

  /** What the step does with its grants, as `prepare` was told: an assign names its requests, a revoke also ends pending ones. */
  private operation: Driver.Preparation['operation'] = 'assign';

  constructor(
    settings: TimeBoundSettings,
    private readonly session: ArmSession,
  ) {
    this.stats = session.stats;
    this.schedules = new PimSchedules(session, settings.duration);
    this.assigning = new PimAssign(settings, session, this.schedules);
    this.removing = new PimRemove(settings, session, this.schedules);
  }

  prepare(preparation?: Driver.Preparation<AzureGrant>): Promise<void> {
    if (preparation) this.operation = preparation.operation;
    return this.session.prepare(preparation?.grants);
  }

  /**
   * An assign's IDs carry the name its AdminAssign request will be sent under (a fresh GUID, as
   * requests are immutable and their names unique), known before it is sent: the post step finds
   * it by that name if the answer is lost, and removes only what that request made.
   */
  async resolve(grant: AzureGrant): Promise<AzureResolvedIds> {
    const ids = await this.session.idsOf(grant);
    return this.operation === 'assign' ? { ...ids, name: randomUUID() } : ids;
  }

  async findExisting(ids: AzureResolvedIds): Promise<Driver.ExistingAssignment | undefined> {
    const scope = ids.scope;
    const active = await this.schedules.findActive(scope, ids);
    if (active) return active;
    // A revoke also ends what is about to become active: an AdminAssign still pending (awaiting
    // approval, say) is cancelled rather than left to grant access later. Not in the post step
    // (saved IDs carry the name of this step's request): its own pending request was cancelled by
    // name when its ownership was settled, and any other is someone else's.
    return this.operation === 'revoke' && !ids.name ? this.schedules.pendingAssign(scope, ids) : undefined;
  }

  preview(
    ids: AzureResolvedIds,
    existing: Driver.ExistingAssignment | undefined,
  ): Promise<Driver.WritePreview> {
    return this.operation === 'revoke'
      ? Promise.resolve(previewRemove(existing))
      : this.assigning.preview(ids);
  }

  create(ids: AzureResolvedIds): Promise<Driver.WriteOutcome> {
    return this.assigning.create(ids);
  }

  remove(
    ids: AzureResolvedIds,
    existing: Driver.ExistingAssignment | undefined,
  ): Promise<Driver.WriteOutcome> {
    return this.removing.remove(ids, existing);
  }

  findOwnCreate(ids: AzureResolvedIds): Promise<Driver.OwnCreate> {
    return this.assigning.findOwnCreate(ids);
  }

  readCreate(requestId: string, ids: AzureResolvedIds): Promise<Driver.StatusSnapshot> {
    return this.assigning.readCreate(requestId, ids);
  }
}
