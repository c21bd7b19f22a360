// A membership of an Entra group through PIM for groups (`target: group:…`, `role: member | owner`)
// behind the engine's GrantDriver interface, over Microsoft Graph (../graph/group-pim.ts): made by an
// adminAssign schedule request whose justification carries the run's marker and whose ticketInfo
// names the run, ended by an adminRemove, each followed to its terminal status
// (./grant-writes.ts). Before any write every group is resolved and, for an assign, its
// policy read once (../graph/group-pim-checks.ts). A membership found in force is reused (`created:
// false`): the step saves nothing of it, so its post step never removes it.
import type { AzureSettings } from '../../core/inputs/index.js';
import type { AzureGroupGrant, AzureGroupIds } from '../../core/types.js';
import type * as Driver from '../../engine/calls/driver.js';
import type { NameFields } from '../../core/shown-names.js';
import type { Directory } from '../graph/directory.js';
import { GroupChecks, onboardedWarning } from '../graph/group-pim-checks.js';
import { explainGroupPimError } from '../graph/group-pim-errors.js';
import { GroupGrantWrites } from './grant-writes.js';
import { heldDirectly, readGroupMemberships, type GroupMembershipRecord } from '../graph/group-pim-reads.js';
import { endOf, groupPimOf, snapshotOf, type GroupMembershipKind } from '../graph/group-pim.js';

export class GroupMembershipDriver implements Driver.GrantDriver<AzureGroupGrant> {
  readonly cloud = 'azure' as const;
  readonly assignmentType;
  readonly stats: Driver.CallStats;
  private readonly checks: GroupChecks;
  private readonly writes: GroupGrantWrites;
  private operation: Driver.Preparation['operation'] = 'assign';
  /** Each group's memberships of the driver's kind, read once for all the step's groups ($batch). */
  private readonly inForce = new Map<string, Promise<GroupMembershipRecord[]>>();
  /** Groups a revoke found nothing of, and said so of already. */
  private readonly saidNotManaged = new Set<string>();

  constructor(
    private readonly kind: GroupMembershipKind,
    private readonly settings: AzureSettings,
    private readonly directory: Directory,
    private readonly deps: Pick<Driver.AdapterDeps, 'info'>,
    stats: Driver.CallStats,
  ) {
    this.assignmentType = kind === 'eligible' ? ('eligible' as const) : undefined;
    this.stats = stats;
    this.checks = new GroupChecks(directory);
    this.writes = new GroupGrantWrites(kind, settings, directory);
  }

  private get pim() {
    return groupPimOf(this.directory);
  }

  async prepare(preparation?: Driver.Preparation<AzureGroupGrant>): Promise<void> {
    if (!preparation) return;
    this.operation = preparation.operation;
    const { grants } = preparation;
    await this.checks.resolveGroups(grants.map((g) => g.group));
    if (preparation.operation === 'assign')
      await this.checks.checkAssign(
        grants,
        {
          kind: this.kind,
          duration: this.settings.duration,
          pimOnboard: this.settings.groups?.pimOnboard ?? false,
        },
        (line) => this.deps.info?.(line),
      );
    this.readAhead(grants.map((g) => this.checks.groupOf(g.group).id));
  }

  /** Every group's memberships in one read ($batch of at most 20 per request). */
  private readAhead(groupIds: readonly string[]): void {
    const todo = [...new Set(groupIds)].filter((id) => !this.inForce.has(id));
    if (todo.length === 0) return;
    const all = readGroupMemberships(this.pim, todo, this.kind);
    for (const id of todo)
      this.inForce.set(
        id,
        all.then((byGroup) => {
          const answer = byGroup.get(id)!;
          if (!answer.ok) throw explainGroupPimError(answer.failure, { part: this.kind, groupId: id });
          return answer.memberships;
        }),
      );
  }

  async resolve(grant: AzureGroupGrant): Promise<AzureGroupIds> {
    if (grant.resolved) return grant.resolved;
    await this.checks.resolveGroups([grant.group]);
    const [principal] = (await this.directory.resolvePrincipals([grant.principal])).values();
    return {
      cloud: 'azure',
      principalId: principal!.objectId.toLowerCase(),
      groupId: this.checks.groupOf(grant.group).id.toLowerCase(),
      roleId: grant.access,
    };
  }

  namesOf(ids: AzureGroupIds): NameFields {
    const principal = this.directory.resolvedNames().get(ids.principalId);
    const group = this.directory.resolvedNames().get(ids.groupId);
    return {
      ...(principal ? { principalName: principal.name } : {}),
      ...(group ? { targetName: `group: ${group.name}` } : {}),
      roleName: ids.roleId,
    };
  }

  /** The membership in force directly (not through another group), or undefined. */
  async findExisting(ids: AzureGroupIds): Promise<Driver.ExistingAssignment | undefined> {
    this.readAhead([ids.groupId]);
    const found = (await this.inForce.get(ids.groupId)!).find(
      (m) =>
        m.principalId === ids.principalId &&
        m.access === ids.roleId &&
        m.accessUnknown === undefined &&
        heldDirectly(m),
    );
    if (!found) {
      if (this.operation === 'revoke') await this.sayNotManaged(ids.groupId);
      return undefined;
    }
    const until = found.end ? `until ${found.end}` : 'with no end';
    return {
      // What is in force: the instance, as for a membership the step makes (../graph/group-pim-instance.ts).
      ...(found.id ? { assignmentId: found.id } : {}),
      ...(found.end ? { expiresAt: found.end } : {}),
      note: `already ${this.kind === 'eligible' ? 'eligible for' : 'holds'} ${ids.roleId} of the group ${until}${this.operation === 'assign' ? '; left as it is, and never removed by revoke-on-exit' : ''}`,
    };
  }

  /**
   * A revoke that found nothing, of a group PIM does not manage: said once per group, so that
   * "already absent" is not read as a membership ended (one made outside PIM is not PIM's to end).
   */
  private async sayNotManaged(groupId: string): Promise<void> {
    if (this.saidNotManaged.has(groupId)) return;
    this.saidNotManaged.add(groupId);
    // Read only to say it: a refused or throttled read leaves the revoke's "already absent" as it is.
    const policy = await this.checks.policyOf(groupId).catch(() => undefined);
    if (!policy || policy.onboarded) return;
    this.deps.info?.(
      `group ${this.checks.shownById(groupId)} is not managed by PIM for groups, so there is no PIM membership of it to end: a membership made outside PIM (the group's members in Entra) is left as it is`,
    );
  }

  async preview(
    ids: AzureGroupIds,
    existing: Driver.ExistingAssignment | undefined,
  ): Promise<Driver.WritePreview> {
    const group = this.checks.shownById(ids.groupId);
    if (this.operation === 'revoke')
      return {
        note: `would send an adminRemove of ${ids.roleId} of group ${group}${existing?.expiresAt ? ` (it lasts until ${existing.expiresAt})` : ''}`,
      };
    const { duration } = this.settings;
    const expiresAt = duration ? new Date(Date.now() + duration.ms).toISOString() : undefined;
    const policy = await this.checks.policyOf(ids.groupId);
    return {
      ...(expiresAt ? { expiresAt } : {}),
      note: `would send an adminAssign of ${ids.roleId} of group ${group}, ${expiresAt ? `for ${duration!.iso}, until about ${expiresAt}` : 'with no end'}${policy.onboarded ? '' : '; the group is not managed by PIM yet: this request would onboard it, which cannot be undone'}`,
    };
  }

  /**
   * The adminAssign. Sent for a group PIM did not manage (`pim-onboard: true` allowed it), it
   * onboarded the group for good: a warning naming the group, whatever the request's end, unless
   * Graph refused it outright (no request was made) or the membership was there already.
   */
  async create(ids: AzureGroupIds): Promise<Driver.WriteOutcome> {
    const outcome = await this.writes.create(ids);
    const { onboarded } = await this.checks.policyOf(ids.groupId);
    const sent = outcome.kind === 'failed' ? outcome.requestId !== undefined : true;
    const madeNothing = outcome.kind === 'done' && !outcome.changed;
    if (onboarded || !sent || madeNothing) return outcome;
    const group = this.checks.shownById(ids.groupId);
    const onboarding = onboardedWarning(group);
    return { ...outcome, warning: outcome.warning ? `${onboarding}; ${outcome.warning}` : onboarding };
  }

  remove(ids: AzureGroupIds): Promise<Driver.WriteOutcome> {
    return this.writes.remove(ids);
  }

  /** Post step: a request the main step left unfinished, read once. */
  async readCreate(requestId: string): Promise<Driver.StatusSnapshot> {
    return snapshotOf(endOf(await this.pim.read(this.kind, requestId), 'adminAssign'));
  }

  /** Post step, for a create whose answer was lost: Graph names no request of it, so none is taken for this step's. */
  findOwnCreate(ids: AzureGroupIds): Promise<Driver.OwnCreate> {
    return Promise.resolve(
      ids.name
        ? { ownership: 'accepted', requestId: ids.name }
        : {
            ownership: 'not-created',
            why: 'its adminAssign was sent and no answer came back, so no request ID shows it was this step’s',
            mayBeOwn: true,
          },
    );
  }
}
