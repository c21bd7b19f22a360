// `operation: sweep` on Azure RBAC: one paged role assignment list per swept scope, the claims
// among them (./role-assignment/run-markers.ts: run markers at the end of the description, on an assignment ARM
// says one of `created-by` made and last wrote), then the revokes, each deleting its claim's assignment by scope
// and name through the assignment driver and followed to its end as every Azure revoke is.
// Loaded with import() only by a sweep step.
import { CloudAccessError } from '../core/errors.js';
import { assignmentIdOf } from '../core/azure-scope.js';
import type { AzureSettings, SweepRequest } from '../core/inputs/index.js';
import type { RoleAssignment } from '@azure/arm-authorization';
import type { Claim, SweepEntry } from '../core/claims/claims.js';
import type { AzureGrant } from '../core/types.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import { keyOfIds, LISTED_KIND } from '../core/kinds/index.js';
import { plannedDriver, type PlannedChange } from '../engine/run/planned-driver.js';
import { mapWithConcurrency } from '../engine/limits/limits.js';
import {
  joinedUpkeep,
  type Sweeper,
  type SweepRead,
  type SweepRecheck,
  type SweepUpkeep,
} from '../engine/run/sweeper.js';
import { routeSdkLogs } from './sdk/logs.js';
import { createArmSession, type ArmSession } from './arm/session.js';
import { AzureRoleAssignmentDriver } from './arm/assignments.js';
import { listAssignmentsAtOrUnder } from './arm/assignment-reads.js';
import { azureClaimsOf, createdByIdentities, type CreatedBy } from './role-assignment/run-markers.js';
import { tidyLeftGrants } from './sweep/tidy.js';
import { AZURE_SECTIONS } from './kinds.js';
import type { SectionSweep } from './kind/section.js';
import type { ReadRuns } from '../engine/calls/driver.js';
import type { AuditTrail } from '../engine/audit/trail.js';

export class AzureSweeper implements Sweeper {
  readonly cloud = 'azure' as const;

  constructor(
    private readonly settings: AzureSettings,
    private readonly request: SweepRequest,
    private readonly session: ArmSession,
    /** GitHub's word on the runs that claim what the kind of targets of its own holds. */
    private readonly readRuns?: ReadRuns,
  ) {}

  get stats() {
    return this.session.stats;
  }

  /**
   * Whose markers count: `created-by`, or the identity the sweep signs in as (its token's `oid`,
   * which ARM records as `createdBy` of what that identity creates).
   */
  private createdBy(): CreatedBy {
    const createdBy = createdByIdentities(this.request.createdBy, this.session.objectId, "the sweep's");
    if (!createdBy)
      throw new CloudAccessError(
        "`created-by` is not set and the sweep's own object ID could not be read from its Entra token (no `oid` claim)",
        {
          input: 'created-by',
          fix: 'set `created-by` to the object ID(s) of the service principal or managed identity your ephemeral steps sign in as',
        },
      );
    return createdBy;
  }

  // An assignment has no time of its own to weigh: the plan weighs the marker's expiry against `now`.
  async read(_now: number): Promise<SweepRead> {
    await this.session.prepare();
    const createdBy = this.createdBy();
    const { scopes } = this.request;
    const lists = await Promise.all(scopes.map((scope) => listAssignmentsAtOrUnder(this.session, scope)));
    const read = azureClaimsOf(
      lists.flatMap((l) => l.assignments),
      createdBy,
    );
    const pages = lists.reduce((sum, l) => sum + l.pages, 0);
    const holding = read.claims.filter((c) => c.standing.holds).length;
    return {
      claims: read.claims,
      notes: [
        `ARM: the role assignments at or under ${scopes.length} scope(s) (${scopes.map((s) => s.scope).join(', ')}) read in ${pages} list page(s)`,
        `${read.seen} assignment(s) seen: ${read.claims.length} with a run marker, ${read.unmarked} without one (left alone)${read.malformed > 0 ? `, ${read.malformed} not well formed (ignored)` : ''}`,
        `${holding} marked assignment(s) created and last written by \`created-by\` (${createdBy.shown}); ${read.claims.length - holding} unproven`,
      ],
    };
  }

  /**
   * Just before the deletes, each assignment about to be deleted is read again by its name: a
   * reliance written since the list (a job that still runs), another writer, or another assignment
   * under the name drops it, and the next sweep decides on what it then finds. ARM's delete takes
   * no condition, so this read is as close to it as the sweep can come.
   */
  async recheck(claims: readonly Claim[]): Promise<SweepRecheck> {
    const dropped = new Map<Claim, string>();
    await mapWithConcurrency([...claims], RECHECK_READS_AT_ONCE, async (claim) => {
      const why = await this.recheckBeforeDelete(claim);
      if (why !== undefined) dropped.set(claim, why);
    });
    return {
      dropped,
      notes: [
        `${claims.length} assignment(s) about to be deleted read again by name: ${dropped.size} no longer as listed`,
      ],
    };
  }

  /**
   * One claim read again by its name, as listed: why it no longer holds, or undefined. Asked for
   * every claim just before the revokes (`recheck`), and again in each delete's own turn, since a
   * run may rely on an assignment while the batch works through the deletes before it.
   */
  async recheckBeforeDelete(claim: Claim): Promise<string | undefined> {
    const again = await this.readAgain(claim, 'the delete');
    return 'why' in again ? again.why : undefined;
  }

  /** One claim's assignment read again by its name just before `what`, if it is still as listed. */
  private async readAgain(claim: Claim, what: string): Promise<{ found: RoleAssignment } | { why: string }> {
    const { ids } = claim;
    if (ids.cloud !== 'azure' || !ids.name) return { why: 'it has no name to read it again by' };
    const now = await this.session.reads.getAssignment(ids.scope, { name: ids.name });
    if (!now) return { why: `not there when read again just before ${what}` };
    const again = azureClaimsOf([now], this.createdBy()).claims[0];
    if (!again || !again.standing.holds)
      return {
        why: `read again just before ${what}, it no longer holds${again && !again.standing.holds ? `: ${again.standing.reason}` : ''}`,
      };
    if (fingerprint(again) !== fingerprint(claim))
      return {
        why: `read again just before ${what}, its markers or last writer had changed (a run relied on it since, say): the next sweep decides`,
      };
    return { found: now };
  }

  /** The grants left while a run relies on them, without the markers of the runs that have ended (./sweep/tidy.ts). */
  tidy(entries: readonly SweepEntry[], dryRun: boolean, beforeWrite?: () => Promise<void>) {
    return tidyLeftGrants(this.session, entries, {
      dryRun,
      readAgain: (claim) => this.readAgain(claim, 'the rewrite'),
      beforeWrite,
    });
  }

  /** The targets of each kind with a section of its own (./kinds.ts, AZURE_SECTIONS), each weighed once. */
  private sections?: SectionSweep[];

  private sectionSweeps(): SectionSweep[] {
    this.sections ??= AZURE_SECTIONS.flatMap((kind) =>
      kind.sweep
        ? [
            kind.sweep({
              directory: this.session.directory,
              request: this.request,
              judge: () => {
                const createdBy = this.createdBy();
                return { createdBy: createdBy.ids, shown: createdBy.shown, repository: undefined };
              },
              readRuns: this.readRuns,
            }),
          ]
        : [],
    );
    return this.sections;
  }

  /** Those of their targets whose claim has ended: each end counts toward `max-deletions`, as a revoke does. */
  async upkeepDeletions(now: number): Promise<number> {
    let deletions = 0;
    for (const sweep of this.sectionSweeps()) deletions += await sweep.deletions(now);
    return deletions;
  }

  /**
   * Their targets (PIM for groups' memberships, ./group/sweep.ts) that a run of `created-by` made
   * and whose claim has ended, ended beside the revokes; the unproven left, and said. Each kind's in turn.
   */
  async upkeep(now: number, options: { dryRun: boolean; audit?: AuditTrail }): Promise<SweepUpkeep> {
    const parts: SweepUpkeep[] = [];
    for (const sweep of this.sectionSweeps()) parts.push(await sweep.upkeep(now, options));
    return joinedUpkeep(parts);
  }

  /** Each claim's grant, and a driver that deletes its assignment by scope and name (known to be present). */
  revoker(claims: readonly Claim[]) {
    const driver = new AzureRoleAssignmentDriver(
      {
        ...this.settings,
        assignmentName: undefined,
        delegatedManagedIdentityResourceId: undefined,
        duration: undefined,
      },
      this.session,
    );
    const changes = new Map<string, PlannedChange>();
    const revoked: Claim[] = [];
    const grants = claims.flatMap((claim): AzureGrant[] => {
      const ids = claim.ids;
      if (ids.cloud !== 'azure' || !ids.name) return [];
      revoked.push(claim);
      changes.set(keyOfIds('azure-role-assignment', ids), {
        driver,
        existing: { name: ids.name, assignmentId: assignmentIdOf(ids.scope.scope, ids.name) },
      });
      return [
        {
          cloud: 'azure',
          kind: LISTED_KIND.azure,
          written: claim.shown,
          principal: { kind: 'object', id: ids.principalId, bare: true },
          scope: ids.scope,
          role: { kind: 'id', id: ids.roleId },
          resolved: ids,
        },
      ];
    });
    return { grants, claims: revoked, driver: plannedDriver('azure-role-assignment', this.stats, changes) };
  }
}

/** Reads at once when the claims about to be deleted are read again (ARM's read bucket is paced by the session). */
const RECHECK_READS_AT_ONCE = 8;

/** What a claim stands on, to tell whether the assignment changed between two reads. */
const fingerprint = (claim: Claim) =>
  JSON.stringify([
    claim.ids,
    claim.mark,
    claim.reliers?.map((r) => [r.run, r.expiresAt, r.madeBy, r.madeAt]),
    claim.madeBy,
  ]);

export function createAzureSweeper(
  settings: AzureSettings,
  request: SweepRequest,
  deps: AdapterDeps,
): AzureSweeper {
  routeSdkLogs(deps.debug);
  return new AzureSweeper(settings, request, createArmSession(settings, deps), deps.readRuns);
}
