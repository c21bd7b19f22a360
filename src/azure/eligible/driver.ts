// Azure PIM eligibility (`assignment-type: eligible`) behind the engine's GrantDriver interface:
// who may activate a role, made through roleEligibilityScheduleRequests AdminAssign and ended by
// AdminRemove; `duration` is how long the eligibility lasts (none: no end, where the policy
// allows). Whose an eligibility is, with no ledger and requests that ARM forgets after about 45
// days: its schedule's `roleEligibilityScheduleRequestId` ends with a name derived for the grant
// from the repository (core/kinds/azure-pim-eligible.ts). A schedule whose request is another's
// (someone changed it in the portal, which gives it a new request) is never removed.
import type { RoleEligibilitySchedule } from '@azure/arm-authorization';
import { CloudAccessError } from '../../core/errors.js';
import {
  derivedNameIndex,
  eligibilityRequestNames,
  type EligibilityNameParts,
} from '../../core/kinds/azure-pim-eligible.js';
import { keyOfIds } from '../../core/kinds/index.js';
import type { AzureGrant, AzureResolvedIds } from '../../core/types.js';
import type * as Driver from '../../engine/calls/driver.js';
import type { ArmSession } from '../arm/session.js';
import { describeEligibilityRule } from './policy.js';
import { EligibilityReads, eligibilityScheduleIdAt, endOf, startOf } from './reads.js';
import { EligibilityRemoval } from './removal.js';
import { EligibleWrites, tailOf, type EligibleSettings } from './writes.js';
import { judgePimStatus, ownAdminAssign, pimStatusFailure } from '../pim/status.js';

export class AzurePimEligibilityDriver implements Driver.GrantDriver<AzureGrant> {
  readonly cloud = 'azure' as const;
  readonly assignmentType = 'eligible' as const;
  readonly stats: Driver.CallStats;
  private readonly reads: EligibilityReads;
  private readonly writes: EligibleWrites;
  private readonly removal: EligibilityRemoval;
  private operation: Driver.Preparation['operation'] = 'assign';
  /**
   * The schedules findExisting saw for each grant (by its key): a revoke removes only where every
   * one is this repository's (an AdminRemove names principal, role and scope, not a schedule).
   */
  private readonly seen = new Map<string, RoleEligibilitySchedule[]>();

  constructor(
    private readonly settings: EligibleSettings,
    private readonly session: ArmSession,
  ) {
    this.stats = session.stats;
    this.reads = new EligibilityReads(session);
    this.writes = new EligibleWrites(settings, session, this.reads);
    this.removal = new EligibilityRemoval(settings, session, this.reads);
  }

  prepare(preparation?: Driver.Preparation<AzureGrant>): Promise<void> {
    if (preparation) this.operation = preparation.operation;
    return this.session.prepare(preparation?.grants);
  }

  /** The names this repository's runs give the grant's requests; none in the post step (it removes by the saved name). */
  private nameParts(ids: AzureResolvedIds): EligibilityNameParts | undefined {
    const owner = this.settings.requestOwner;
    return owner
      ? { owner, scope: ids.scope.scope, roleId: ids.roleId, principalId: ids.principalId }
      : undefined;
  }

  /**
   * An assign's IDs carry the name its AdminAssign will be sent under, known before it is sent:
   * the first the derivation allows that ARM returns no request for (a request of an earlier life
   * still returned takes its name).
   */
  async resolve(grant: AzureGrant): Promise<AzureResolvedIds> {
    const ids = await this.session.idsOf(grant);
    if (this.operation !== 'assign') return ids;
    const name = await this.firstFreeName(ids);
    return name ? { ...ids, name } : ids;
  }

  /** The first name the derivation allows that ARM returns no request for; none without an owner. */
  private async firstFreeName(ids: AzureResolvedIds): Promise<string | undefined> {
    const parts = this.nameParts(ids);
    if (!parts) return undefined;
    for (const name of eligibilityRequestNames(parts))
      if (!(await this.reads.request(ids.scope, name))) return name;
    return undefined;
  }

  async findExisting(ids: AzureResolvedIds): Promise<Driver.ExistingAssignment | undefined> {
    const schedules = await this.reads.schedulesOf(ids);
    const [schedule] = schedules;
    if (!schedule) return undefined;
    this.seen.set(keyOfIds('azure-pim-eligible', ids), schedules);
    const expiresAt = endOf(schedule);
    const assignmentId = eligibilityScheduleIdAt(ids.scope, schedule.id ?? schedule.name);
    const until = expiresAt ? `until ${expiresAt}` : 'with no end';
    return {
      ...(assignmentId ? { assignmentId } : {}),
      ...(expiresAt ? { expiresAt } : {}),
      note: `already eligible ${until}${this.operation === 'assign' ? `; the requested ${this.settings.duration ? `duration ${this.settings.duration.iso}` : 'eligibility without end'} was not applied` : ''}`,
    };
  }

  async preview(
    ids: AzureResolvedIds,
    existing: Driver.ExistingAssignment | undefined,
  ): Promise<Driver.WritePreview> {
    if (this.operation === 'revoke') {
      // What the removal would refuse, the plan says: one not made by this repository's requests is left.
      const notOurs = this.notAllOurs(ids, this.seen.get(keyOfIds('azure-pim-eligible', ids)) ?? []);
      if (notOurs) throw new CloudAccessError(notOurs);
      return {
        note: `would end the eligibility${existing?.expiresAt ? ` that lasts until ${existing.expiresAt}` : ''}`,
      };
    }
    const rule = await this.writes.checkPolicy(ids);
    const { duration } = this.settings;
    const expiresAt = duration ? new Date(Date.now() + duration.ms).toISOString() : undefined;
    return {
      ...(expiresAt ? { expiresAt } : {}),
      note: `would be eligible ${expiresAt ? `for ${duration!.iso}, until about ${expiresAt}` : 'with no end'}; ${describeEligibilityRule(rule)}`,
    };
  }

  /**
   * A reconcile's write comes with a name of its own (no resolve): the first derived one takes its
   * place, so that a later run recognises what this one made.
   */
  async create(ids: AzureResolvedIds): Promise<Driver.WriteOutcome> {
    const parts = this.nameParts(ids);
    const names = parts ? eligibilityRequestNames(parts) : [];
    if (parts && !names.includes(ids.name?.toLowerCase() ?? '')) {
      const name = await this.firstFreeName(ids);
      if (!name)
        throw new CloudAccessError(
          `every request name derived for this eligibility (${names.length}) is taken: make it in the portal, or remove it there first`,
        );
      ids.name = name;
    }
    return this.writes.create(ids, (used) => names[names.indexOf(used) + 1]);
  }

  /**
   * Ends the grant's eligibility, only when its schedule names a request of this repository's runs
   * (the post step: this step's own request); any other is left, and the grant fails saying why.
   */
  async remove(
    ids: AzureResolvedIds,
    existing: Driver.ExistingAssignment | undefined,
  ): Promise<Driver.WriteOutcome> {
    const schedules =
      this.seen.get(keyOfIds('azure-pim-eligible', ids)) ?? (await this.reads.schedulesOf(ids));
    if (schedules.length === 0) return { kind: 'done', changed: false };
    const notOurs = this.notAllOurs(ids, schedules);
    if (notOurs) return { kind: 'failed', failureReason: notOurs };
    return this.removal.remove(ids, existing?.expiresAt ?? endOf(schedules[0]), startOf(schedules));
  }

  /** Why not every schedule listed is one this repository's runs made: the first that is not. */
  private notAllOurs(ids: AzureResolvedIds, schedules: RoleEligibilitySchedule[]): string | undefined {
    for (const schedule of schedules) {
      const notOurs = this.notOurs(ids, schedule);
      if (notOurs) return notOurs;
    }
    return undefined;
  }

  /** Why a schedule is not one this repository's runs (in the post step, this step) made; undefined when it is. */
  private notOurs(
    ids: AzureResolvedIds,
    schedule: RoleEligibilitySchedule,
    requestId?: string,
  ): string | undefined {
    const request = tailOf(schedule.roleEligibilityScheduleRequestId);
    const parts = this.nameParts(ids);
    const own = parts
      ? derivedNameIndex(parts, request) !== undefined
      : request !== undefined &&
        (request === ids.name?.toLowerCase() || request === requestId?.toLowerCase());
    if (own) return undefined;
    return `left in place: the eligibility's schedule names PIM request ${request ?? '(none)'}, which is not ${parts ? 'one this repository names for it (an `assign` step names its requests after the repository, a reconcile after its manifest)' : "this step's"}: it was made or changed elsewhere (a change in the portal gives the schedule a new request). Remove it by hand if it should go: Privileged Identity Management → Azure resources → Assignments → Eligible assignments`;
  }

  /** Post step, in each delete's turn: the eligibility is still the one this step's request made. */
  async stillOwn(ids: AzureResolvedIds, requestId: string): Promise<Driver.CreateProof> {
    const schedules = await this.reads.schedulesOf(ids);
    if (schedules.length === 0)
      return {
        created: false,
        gone: true,
        why: 'the eligibility is no longer there (it ended, or was removed)',
      };
    const mine = schedules.find((s) => !this.notOurs(ids, s, requestId));
    if (mine && schedules.length === 1) {
      this.seen.set(keyOfIds('azure-pim-eligible', ids), schedules);
      return { created: true };
    }
    return {
      created: false,
      why: this.notOurs(
        ids,
        schedules.find((s) => s !== mine)!,
        requestId,
      )!.replace(/^left in place: /, ''),
    };
  }

  /** Post step, for a create whose answer was lost: the request under the saved name, if it is this grant's and this identity's. */
  async findOwnCreate(ids: AzureResolvedIds): Promise<Driver.OwnCreate> {
    if (!ids.name) return { ownership: 'not-created', why: 'no eligibility request name was saved for it' };
    const request = await this.reads.request(ids.scope, ids.name);
    if (!request || !this.writes.isOwnRequest(request, ids))
      return { ownership: 'not-created', why: `Azure has no eligibility request ${ids.name} of this step's` };
    return ownAdminAssign(request.status, ids.name);
  }

  /** Post step: a request the main step left unfinished: one still pending is cancelled, so it cannot make the principal eligible later. */
  async readCreate(requestId: string, ids: AzureResolvedIds): Promise<Driver.StatusSnapshot> {
    const request = await this.reads.request(ids.scope, requestId);
    if (!request || !this.writes.isOwnRequest(request, ids))
      return {
        status: 'FAILED',
        failureReason: `eligibility request ${requestId} is not a request of this step's`,
      };
    const verdict = judgePimStatus(request.status, 'AdminAssign');
    if (verdict === 'succeeded') return { status: 'SUCCEEDED' };
    if (verdict === 'failed')
      return { status: 'FAILED', failureReason: pimStatusFailure(request.status, requestId) };
    await this.reads.cancel(ids.scope, requestId);
    const after = await this.reads.request(ids.scope, requestId);
    return judgePimStatus(after?.status, 'AdminAssign') === 'succeeded'
      ? { status: 'SUCCEEDED' }
      : {
          status: 'FAILED',
          failureReason: `it was still ${request.status ?? 'pending'} when the job ended, and was cancelled (now ${after?.status ?? 'unknown'})`,
        };
  }
}
