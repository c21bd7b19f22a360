// Time-bound Azure role assignments (`duration`): made and removed through PIM role assignment
// schedule requests, so that Azure itself ends each assignment on time whatever happens to the job.
// Sign-in, role lookup and scopes are the plain driver's; what differs is how an assignment is
// found (schedule instances, with their end times), written (an AdminAssign or AdminRemove request
// under a fresh GUID: requests are immutable) and followed (the request's status, then the instance).
import { randomUUID } from 'node:crypto';
import type { RoleAssignmentScheduleInstance, RoleAssignmentScheduleRequest } from '@azure/arm-authorization';
import { roleGuidOf, type AzureScope } from '../core/azure-scope.js';
import { CloudAccessError } from '../core/errors.js';
import type { Duration } from '../core/duration.js';
import { GUID } from '../core/patterns.js';
import type { AzureConfig } from '../core/inputs/index.js';
import type { AzureGrant, ResolvedIds } from '../core/types.js';
import type { ExistingAssignment, OwnCreate, WriteOutcome, WritePreview } from '../engine/driver.js';
import type { StatusSnapshot } from '../engine/follow.js';
import { matches } from './arm-reads.js';
import { ActiveDurationTooShortError, ArmError, PimPolicyRefusal, requestIdOf } from './arm-errors.js';
import { AzureRoleAssignmentDriver, type AzureDriverParts } from './assignments.js';
import { urlPathArgument } from './clients.js';
import { CreateAttempts } from './create-attempts.js';
import {
  describeLimit,
  pimPolicyOf,
  policyError,
  rulesBroken,
  rulesNamedIn,
  type PimPolicy,
} from './pim-policy.js';
import { activeNow, guidAtEnd, sameAssignment, type ActiveNow } from './pim-own-instance.js';
import { sameScope } from './roles.js';
import { awaitingApproval, judgePimStatus, pimPacing, pimStatusFailure } from './pim-status.js';

/**
 * How long the post step reads again for its own instance before it concludes that the instance
 * has ended (at most half of what is left of its deadline): ARM's reads catch up with a write
 * within seconds, and the post step may follow the main step's create closely.
 */
const OWN_INSTANCE_READ_LAG_MS = 5_000;
const READ_AGAIN_EVERY_MS = 1_000;

type TimeBoundConfig = AzureConfig & { duration: Duration };

export class AzurePimAssignmentDriver extends AzureRoleAssignmentDriver {
  private readonly duration: Duration;
  /** Post step: this step's own AdminAssign requests by name, once read with the schedule they created. */
  private readonly ownRequests = new Map<string, RoleAssignmentScheduleRequest>();

  constructor(config: TimeBoundConfig, parts: AzureDriverParts) {
    super(config, parts);
    this.duration = config.duration;
  }

  /**
   * An assign's IDs carry the name its AdminAssign request will be sent under (a fresh GUID, as
   * requests are immutable and their names unique), known before it is sent: the post step finds
   * it by that name if the answer is lost, and removes only what that request made.
   */
  override async resolve(grant: AzureGrant): Promise<ResolvedIds> {
    const { name: _plainName, ...ids } = await super.resolve(grant);
    return this.config.operation === 'assign' ? { ...ids, name: randomUUID() } : ids;
  }

  /** The assignment active now, from the schedule instances (which carry the end time), else the plain list. */
  override async findExisting(ids: ResolvedIds): Promise<ExistingAssignment | undefined> {
    const scope = this.scopeOf(ids.targetId);
    const instance = await this.activeInstance(scope, ids, { shared: true });
    if (instance) return this.existingOf(scope, instance);
    // Permanent assignments made outside PIM are listed as instances too ("a one-to-one mapping"),
    // but a service that does not list them must not make the step think the grant absent.
    const plain = (await this.reads.sharedListForPrincipal(scope, ids.principalId)).find((a) =>
      matches(a, ids),
    );
    if (plain)
      return { ...(plain.id ? { assignmentId: plain.id } : {}), note: this.alreadyActive(undefined) };
    // A revoke also ends what is about to become active: an AdminAssign still pending (awaiting
    // approval, say) is cancelled rather than left to grant access later. Not in the post step
    // (saved IDs carry the name of this step's request): its own pending request was cancelled by
    // name when its ownership was settled, and any other is someone else's.
    return this.config.operation === 'revoke' && !ids.name ? this.pendingAssign(scope, ids) : undefined;
  }

  private async pendingAssign(scope: AzureScope, ids: ResolvedIds): Promise<ExistingAssignment | undefined> {
    const pending = (await this.reads.scheduleRequestsFor(scope, ids.principalId)).find(
      (r) =>
        r.requestType === 'AdminAssign' &&
        r.name !== undefined &&
        GUID.test(r.name) &&
        sameAssignment({ ...r, memberType: undefined }, ids) &&
        ['pending', 'awaiting-approval'].includes(judgePimStatus(r.status, 'AdminAssign')),
    );
    return pending?.name
      ? { pendingRequest: { name: pending.name, status: pending.status ?? 'pending' } }
      : undefined;
  }

  async preview(ids: ResolvedIds, existing: ExistingAssignment | undefined): Promise<WritePreview> {
    if (this.config.operation === 'revoke') {
      if (existing?.pendingRequest)
        return {
          note: `would cancel PIM request ${existing.pendingRequest.name} (${existing.pendingRequest.status})`,
        };
      return existing?.expiresAt
        ? { note: `would end the assignment active until ${existing.expiresAt}` }
        : { note: 'would end the assignment (permanent)' };
    }
    const policy = await this.checkPolicy(this.scopeOf(ids.targetId), ids);
    const expiresAt = new Date(Date.now() + this.duration.ms).toISOString();
    return {
      expiresAt,
      note: `would be active for ${this.duration.iso}, until about ${expiresAt}; ${describeLimit(policy)}`,
    };
  }

  override async create(ids: ResolvedIds): Promise<WriteOutcome> {
    const scope = this.scopeOf(ids.targetId);
    await this.checkPolicy(scope, ids);
    const client = this.clientFor(scope);
    const name = ids.name ?? randomUUID();
    const body: RoleAssignmentScheduleRequest = {
      principalId: ids.principalId,
      roleDefinitionId: ids.roleId,
      requestType: 'AdminAssign',
      scheduleInfo: {
        startDateTime: new Date(),
        expiration: { type: 'AfterDuration', duration: this.duration.iso },
      },
      justification: this.config.description,
      ...(this.config.condition
        ? { condition: this.config.condition, conditionVersion: this.config.conditionVersion ?? '2.0' }
        : {}),
    };
    const attempts = new CreateAttempts();
    try {
      // Every attempt goes under the same name: if an earlier one was applied with its answer
      // lost, the next is refused, and the request under that name is this step's.
      const request = await this.call('RoleAssignmentScheduleRequests_Create', (signal) =>
        client.roleAssignmentScheduleRequests.create(
          urlPathArgument(scope.scope),
          name,
          body,
          attempts.options(signal),
        ),
      );
      return this.assignAnswered(scope, ids, name, request, attempts.lastAnswer?.requestId);
    } catch (error) {
      // An earlier attempt may have been applied with its answer lost (a later one is then
      // refused, as a name reused or an assignment that exists). The request under this step's
      // name says whether it was, before anything else is concluded.
      if (attempts.mayHaveApplied) {
        const earlier = await this.reads.scheduleRequest(scope, name).catch(() => undefined);
        if (earlier && this.isOwnRequest(earlier, ids))
          return this.assignAnswered(scope, ids, name, earlier, attempts.lastAnswer?.requestId);
        attempts.markFailure(error);
      }
      if (error instanceof ArmError && error.code === 'RoleAssignmentExists')
        return this.existedAlready(scope, ids, error);
      if (error instanceof PimPolicyRefusal)
        throw policyError(rulesNamedIn(error.message), await this.policyContext(scope, ids), error.message);
      throw error;
    }
  }

  override async remove(ids: ResolvedIds, existing: ExistingAssignment | undefined): Promise<WriteOutcome> {
    const scope = this.scopeOf(ids.targetId);
    if (existing?.pendingRequest) return this.cancelPending(scope, existing.pendingRequest);
    // The post step (saved IDs name this step's request): AdminRemove names only principal, role
    // and scope, so it is sent only while the instance active now is the one that request made.
    // What findExisting saw does not say whose it is, and may miss what reads do not show yet.
    const ownRequest = ids.name;
    let own: RoleAssignmentScheduleInstance | undefined;
    if (ownRequest !== undefined) {
      const shown = await this.ownInstanceShown(scope, ids, ownRequest);
      if (!shown.own || shown.othersShown) return this.notOwn(ownRequest, shown, { readAgain: true });
      own = shown.own;
    }
    const client = this.clientFor(scope);
    const body: RoleAssignmentScheduleRequest = {
      principalId: ids.principalId,
      roleDefinitionId: ids.roleId,
      requestType: 'AdminRemove',
      // Cut by whole characters: half an emoji would not be valid JSON text for Azure.
      justification: Array.from(`Removed by cloud-access. ${this.config.description}`)
        .slice(0, 2048)
        .join(''),
    };
    let name = '';
    let attempts = 0;
    try {
      // ActiveDurationTooShort is retried, slowly, until the deadline would pass (errors.ts): for
      // minutes, in which this step's assignment may end and the role be assigned again. So each
      // retry in the post step checks again first, with what is active now. No read lag to wait
      // out here: this step's instance was shown before the first send, so not shown now is ended.
      const request = await this.call('RoleAssignmentScheduleRequests_Create', async (signal) => {
        if (ownRequest !== undefined && attempts++ > 0) {
          const shown = await this.activeNow(scope, ids, ownRequest);
          if (!shown.own || shown.othersShown)
            throw new NoLongerThisStepsError(this.notOwn(ownRequest, shown));
          own = shown.own;
        }
        name = randomUUID();
        return client.roleAssignmentScheduleRequests.create(urlPathArgument(scope.scope), name, body, {
          abortSignal: signal,
        });
      });
      switch (judgePimStatus(request.status, 'AdminRemove')) {
        case 'failed':
          return { kind: 'failed', requestId: name, failureReason: pimStatusFailure(request.status, name) };
        case 'succeeded':
          return { kind: 'done', requestId: name, changed: true };
        default:
          return {
            kind: 'pending',
            request: { requestId: name, poll: this.followRemove(scope, name), pacing: pimPacing('remove') },
          };
      }
    } catch (error) {
      if (error instanceof NoLongerThisStepsError) return error.outcome;
      if (error instanceof ArmError && error.code === 'RoleAssignmentDoesNotExist')
        return { kind: 'done', changed: false, ...requestIdOf(error) };
      if (error instanceof ActiveDurationTooShortError) {
        if (ownRequest === undefined)
          return this.endsOnItsOwn(
            error,
            existing?.expiresAt ??
              isoOf((await this.activeInstance(scope, ids).catch(() => undefined))?.endDateTime),
          );
        // Azure refused to end whatever is active for the role and scope: said to end on its own
        // only of this step's instance, read once more (the last check came before the last send).
        const shown = await this.activeNow(scope, ids, ownRequest).catch(() => undefined);
        if (shown && (!shown.own || shown.othersShown)) return this.notOwn(ownRequest, shown);
        return this.endsOnItsOwn(error, isoOf((shown?.own ?? own)?.endDateTime));
      }
      throw error;
    }
  }

  /**
   * Post step, for a create whose answer was lost: the request under the name this step sent it
   * with, if Azure has it and it is this step's (same principal, role and requester).
   */
  override async findOwnCreate(ids: ResolvedIds): Promise<OwnCreate> {
    if (!ids.name) return { ownership: 'not-created', why: 'no PIM request name was saved for it' };
    const scope = this.scopeOf(ids.targetId);
    const request = await this.reads.scheduleRequest(scope, ids.name);
    if (!request)
      return { ownership: 'not-created', why: `Azure has no PIM request ${ids.name}: it was never made` };
    if (!this.isOwnRequest(request, ids))
      return { ownership: 'not-created', why: `PIM request ${ids.name} is not this step's` };
    switch (judgePimStatus(request.status, 'AdminAssign')) {
      case 'succeeded':
        return { ownership: 'created', requestId: ids.name };
      case 'failed':
        return { ownership: 'not-created', why: pimStatusFailure(request.status, ids.name) };
      default:
        return { ownership: 'accepted', requestId: ids.name };
    }
  }

  /**
   * Post step: the AdminAssign the main step left unfinished. One still pending (awaiting approval,
   * or still provisioning) is cancelled, so that it cannot grant access after the job; if it became
   * Provisioned meanwhile, it is this step's and is removed.
   */
  async followCreate(requestId: string, ids: ResolvedIds): Promise<StatusSnapshot> {
    const scope = this.scopeOf(ids.targetId);
    const request = GUID.test(requestId) ? await this.reads.scheduleRequest(scope, requestId) : undefined;
    if (!request || !this.isOwnRequest(request, ids))
      return { status: 'FAILED', failureReason: `PIM request ${requestId} is not a request of this step's` };
    const verdict = judgePimStatus(request.status, 'AdminAssign');
    if (verdict === 'succeeded') return { status: 'SUCCEEDED' };
    if (verdict === 'failed')
      return { status: 'FAILED', failureReason: pimStatusFailure(request.status, requestId) };
    const refusal = await this.cancel(scope, requestId);
    const after = await this.reads.scheduleRequest(scope, requestId);
    switch (judgePimStatus(after?.status, 'AdminAssign')) {
      case 'succeeded':
        return { status: 'SUCCEEDED' };
      case 'failed':
        return {
          status: 'FAILED',
          failureReason: `it was still ${request.status ?? 'pending'} when the job ended, and was cancelled (now ${after?.status ?? 'unknown'})`,
        };
      default:
        // A refused cancel is Azure's answer: asking again until the deadline would change nothing,
        // and would hold back the revokes of the step's other grants, which wait for this one.
        return refusal
          ? {
              status: 'IN_PROGRESS',
              awaiting: `is still ${after?.status ?? 'pending'}, and Azure refused to cancel it (${refusal.message}): it grants access if it is approved; cancel it in Privileged Identity Management → Azure resources → Requests`,
            }
          : { status: 'IN_PROGRESS' };
    }
  }

  /** Revoke of an assignment not active yet: its pending request is cancelled, and read back. */
  private async cancelPending(
    scope: AzureScope,
    pending: { name: string; status: string },
  ): Promise<WriteOutcome> {
    const refusal = await this.cancel(scope, pending.name);
    const after = await this.reads.scheduleRequest(scope, pending.name);
    if (after?.status === 'Canceled')
      return {
        kind: 'done',
        changed: true,
        requestId: pending.name,
        note: `cancelled PIM request ${pending.name}, which was ${pending.status}`,
      };
    return {
      kind: 'failed',
      requestId: pending.name,
      failureReason: `PIM request ${pending.name} was ${pending.status}; after the cancel it is ${after?.status ?? 'not found'}${refusal ? `, and Azure refused the cancel (${refusal.message})` : ''}: run the revoke again`,
    };
  }

  /**
   * Cancels a pending request. A refusal (4xx) is returned rather than thrown: when it is because
   * the request ended meanwhile, the read that follows says so; when the request is still pending,
   * the refusal is why.
   */
  private async cancel(scope: AzureScope, name: string): Promise<ArmError | undefined> {
    try {
      await this.call('RoleAssignmentScheduleRequests_Cancel', (signal) =>
        this.clientFor(scope).roleAssignmentScheduleRequests.cancel(urlPathArgument(scope.scope), name, {
          abortSignal: signal,
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ArmError) || error.statusCode === undefined || error.statusCode >= 500)
        throw error;
      return error;
    }
  }

  /** The policy's rules for the role at the scope, checked before a write: a broken one fails the grant, unwritten. */
  private async checkPolicy(scope: AzureScope, ids: ResolvedIds): Promise<PimPolicy | undefined> {
    const policy = await this.policyFor(scope, ids);
    const broken = policy ? rulesBroken(policy, this.duration) : [];
    if (broken.length > 0) throw policyError(broken, { ...this.describe(scope, ids), policy });
    return policy;
  }

  private async policyFor(scope: AzureScope, ids: ResolvedIds): Promise<PimPolicy | undefined> {
    try {
      return pimPolicyOf(await this.reads.policyAssignments(scope), ids.roleId, scope.scope);
    } catch (error) {
      // Reading it needs roleAssignments/read at the scope: without it, the request is made and
      // Azure applies the policy (a refusal is explained the same way).
      if (error instanceof ArmError && error.statusCode === 403) {
        this.parts.debug?.(
          `the PIM policy at ${scope.scope} could not be read (${error.message}); writing anyway`,
        );
        return undefined;
      }
      throw error;
    }
  }

  private async policyContext(scope: AzureScope, ids: ResolvedIds) {
    return { ...this.describe(scope, ids), policy: await this.policyFor(scope, ids).catch(() => undefined) };
  }

  private describe(scope: AzureScope, ids: ResolvedIds) {
    return { role: ids.roleId, scope: scope.scope, duration: this.duration };
  }

  /** The 201 (or a request found under this step's name): followed to Provisioned, then to its instance. */
  private assignAnswered(
    scope: AzureScope,
    ids: ResolvedIds,
    name: string,
    request: RoleAssignmentScheduleRequest,
    armRequestId: string | undefined,
  ): WriteOutcome {
    const verdict = judgePimStatus(request.status, 'AdminAssign');
    this.parts.debug?.(
      `PIM request ${name} (ARM request ${armRequestId ?? 'unknown'}): ${request.status ?? 'no status'}`,
    );
    if (verdict === 'failed')
      return { kind: 'failed', requestId: name, failureReason: pimStatusFailure(request.status, name) };
    const assignmentId = scheduleIdAt(scope, request.targetRoleAssignmentScheduleId);
    return {
      kind: 'pending',
      request: {
        requestId: name,
        ...(assignmentId ? { assignmentId } : {}),
        // Only an AdminAssign this step made and saw Provisioned counts as created.
        createdOnAcceptance: verdict === 'succeeded',
        poll: this.followAssign(scope, ids, name, verdict === 'succeeded'),
        pacing: pimPacing('assign'),
      },
    };
  }

  /** One status read: the request until Provisioned, then the instance it made, with its real end time. */
  private followAssign(
    scope: AzureScope,
    ids: ResolvedIds,
    name: string,
    provisioned: boolean,
  ): () => Promise<StatusSnapshot> {
    let seenProvisioned = provisioned;
    return async () => {
      if (!seenProvisioned) {
        const request = await this.reads.scheduleRequest(scope, name);
        switch (judgePimStatus(request?.status, 'AdminAssign')) {
          case 'failed':
            return { status: 'FAILED', failureReason: pimStatusFailure(request?.status, name) };
          case 'awaiting-approval':
            return { status: 'IN_PROGRESS', awaiting: awaitingApproval(name, request?.status) };
          case 'pending':
            return { status: 'IN_PROGRESS' };
          case 'succeeded':
            seenProvisioned = true;
        }
      }
      const instance = await this.activeInstance(scope, ids);
      if (!instance) return { status: 'IN_PROGRESS' };
      const expiresAt = isoOf(instance.endDateTime);
      return { status: 'SUCCEEDED', ...(expiresAt ? { expiresAt } : {}) };
    };
  }

  private followRemove(scope: AzureScope, name: string): () => Promise<StatusSnapshot> {
    return async () => {
      const request = await this.reads.scheduleRequest(scope, name);
      switch (judgePimStatus(request?.status, 'AdminRemove')) {
        case 'succeeded':
          return { status: 'SUCCEEDED' };
        case 'failed':
          return { status: 'FAILED', failureReason: pimStatusFailure(request?.status, name) };
        default:
          return { status: 'IN_PROGRESS' };
      }
    };
  }

  /**
   * The grant's schedule instance active now (its end time, and the schedule that made it), read
   * afresh, or `shared` with the other grants of the principal at the scope (reads before writes).
   */
  private async activeInstance(
    scope: AzureScope,
    ids: ResolvedIds,
    options: { shared?: boolean } = {},
  ): Promise<RoleAssignmentScheduleInstance | undefined> {
    const instances = options.shared
      ? await this.reads.sharedScheduleInstancesFor(scope, ids.principalId)
      : await this.reads.scheduleInstancesFor(scope, ids.principalId);
    return instances.find((i) => sameAssignment(i, ids));
  }

  /** RoleAssignmentExists: an active assignment is there already; it is left as it is, and the log says until when. */
  private async existedAlready(scope: AzureScope, ids: ResolvedIds, error: ArmError): Promise<WriteOutcome> {
    const instance = await this.activeInstance(scope, ids);
    const expiresAt = isoOf(instance?.endDateTime);
    const assignmentId = scheduleIdAt(scope, instance?.roleAssignmentScheduleId);
    return {
      kind: 'done',
      changed: false,
      ...requestIdOf(error),
      ...(assignmentId ? { assignmentId } : {}),
      ...(expiresAt ? { expiresAt } : {}),
      note: this.alreadyActive(expiresAt),
    };
  }

  private existingOf(scope: AzureScope, instance: RoleAssignmentScheduleInstance): ExistingAssignment {
    const expiresAt = isoOf(instance.endDateTime);
    const assignmentId = scheduleIdAt(scope, instance.roleAssignmentScheduleId);
    return {
      ...(assignmentId ? { assignmentId } : {}),
      ...(expiresAt ? { expiresAt } : {}),
      note: this.alreadyActive(expiresAt),
    };
  }

  private alreadyActive(expiresAt: string | undefined): string {
    return `an active assignment exists already, ${expiresAt ? `until ${expiresAt}` : 'permanently (no end time)'}; the requested duration ${this.duration.iso} was not applied`;
  }

  /**
   * Post step: the grant as the reads show it now, this step's own instance told apart by the
   * schedule its request created. That request is read by name once it names its schedule.
   */
  private async activeNow(scope: AzureScope, ids: ResolvedIds, requestName: string): Promise<ActiveNow> {
    let request = this.ownRequests.get(requestName);
    if (!request) {
      const read = await this.reads.scheduleRequest(scope, requestName);
      if (read && this.isOwnRequest(read, ids)) {
        request = read;
        if (guidAtEnd(read.targetRoleAssignmentScheduleId)) this.ownRequests.set(requestName, read);
      }
    }
    const [schedules, instances] = await Promise.all([
      this.reads.schedulesFor(scope, ids.principalId),
      this.reads.scheduleInstancesFor(scope, ids.principalId),
    ]);
    return activeNow(ids, requestName, request, schedules, instances);
  }

  /**
   * activeNow, read again for a few seconds while nothing of the grant is shown at all: reads may
   * not show this step's own instance yet. Anything shown settles it at once (one active
   * assignment per principal, role and scope).
   */
  private async ownInstanceShown(
    scope: AzureScope,
    ids: ResolvedIds,
    requestName: string,
  ): Promise<ActiveNow> {
    const until = Date.now() + Math.min(OWN_INSTANCE_READ_LAG_MS, this.parts.deadline.remainingMs() / 2);
    let shown = await this.activeNow(scope, ids, requestName);
    while (!shown.own && !shown.othersShown && Date.now() + READ_AGAIN_EVERY_MS <= until) {
      if (!(await this.parts.deadline.sleep(READ_AGAIN_EVERY_MS, this.parts.signal))) break;
      shown = await this.activeNow(scope, ids, requestName);
    }
    return shown;
  }

  /**
   * Post step: nothing is sent, as the reads do not show this step's own instance alone. One made
   * otherwise, shown beside it or instead of it, is someone else's (this step's ended, and the role
   * was assigned again). Nothing shown at all: this step's has ended, and an AdminRemove could
   * still end another party's assignment that reads do not show yet.
   */
  private notOwn(requestName: string, shown: ActiveNow, options: { readAgain?: boolean } = {}): WriteOutcome {
    if (shown.own && shown.othersShown)
      return {
        kind: 'done',
        changed: false,
        after: 'present',
        note: `left in place: Azure shows another assignment of the same principal, role and scope beside the one this step's PIM request (${requestName}) made, and an AdminRemove, which names only those, could end either`,
      };
    if (shown.othersShown)
      return {
        kind: 'done',
        changed: false,
        after: 'present',
        note: `left in place: Azure does not show the assignment active now as made by this step's PIM request (${requestName}); this step's ended, and the role was assigned again by another PIM request or outside PIM`,
      };
    return {
      kind: 'done',
      changed: false,
      after: 'absent',
      note: `nothing removed: Azure shows no active assignment made by this step's PIM request (${requestName})${options.readAgain ? ', also when read again' : ''}: this step's assignment has already ended. No AdminRemove was sent: it names only principal, role and scope, and Azure would end whatever is active for them, which may be another party's assignment that reads do not show yet`,
    };
  }

  /**
   * ActiveDurationTooShort until the deadline: Azure would not remove it yet. It is time-bound, so
   * Azure ends it on time anyway; the step reports when, and does not fail for it. In the post
   * step, only of an instance shown as this step's own.
   */
  private endsOnItsOwn(error: ActiveDurationTooShortError, expiresAt: string | undefined): WriteOutcome {
    return {
      kind: 'done',
      changed: false,
      after: 'present',
      endsOnItsOwn: true,
      ...requestIdOf(error),
      ...(expiresAt ? { expiresAt } : {}),
      note: `not removed: Azure PIM refuses to end an assignment within 5 minutes of its start (ActiveDurationTooShort), and it still did when \`${this.parts.deadline.input}\` (${this.parts.deadline.seconds}s) ran out. It is time-bound: Azure ends it ${expiresAt ? `at ${expiresAt}` : 'at its end time'}`,
    };
  }

  /** A request is this step's when it is the AdminAssign of this grant's principal and role, made by the identity the step signs in as. */
  private isOwnRequest(request: RoleAssignmentScheduleRequest, ids: ResolvedIds): boolean {
    return (
      request.requestType === 'AdminAssign' &&
      request.principalId?.toLowerCase() === ids.principalId.toLowerCase() &&
      request.roleDefinitionId !== undefined &&
      roleGuidOf(request.roleDefinitionId) === roleGuidOf(ids.roleId) &&
      (request.scope === undefined || sameScope(request.scope, ids.targetId)) &&
      (this.objectId === undefined || request.requestorId?.toLowerCase() === this.objectId)
    );
  }
}

/** Ends the retries of a removal once the assignment it would end is no longer this step's (`outcome` says so). */
class NoLongerThisStepsError extends CloudAccessError {
  constructor(readonly outcome: WriteOutcome) {
    super('the assignment is no longer the one this step made');
  }
}

/**
 * The `assignment-id` of a schedule: built from the scope as written and the GUID that ends the
 * ID Azure gave (a bare GUID in the examples, a full ID elsewhere), never that text as it is; a
 * workflow may pass the output on to a command.
 */
function scheduleIdAt(scope: AzureScope, scheduleId: string | undefined): string | undefined {
  const guid = scheduleId?.split('/').pop();
  return guid && GUID.test(guid)
    ? `${scope.scope}/providers/Microsoft.Authorization/roleAssignmentSchedules/${guid}`
    : undefined;
}

function isoOf(date: Date | undefined): string | undefined {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}
