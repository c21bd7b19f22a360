// `operation: sweep` on AWS: claims from CloudTrail (`created-by` sessions' creates) and the creation-status
// list, each place's state read once; then the revokes, each by its principal type, through the driver.
import type { AwsSessionSettings, SweepRequest } from '../core/inputs/index.js';
import { safeIso } from '../core/duration.js';
import { awsClaimsOf, consideredCreates, type AwsClaim } from '../core/claims/aws-evidence.js';
import { UNDELIVERED_WINDOW_MS } from '../core/claims/aws-writers.js';
import {
  placeKeyOf,
  type AssignmentPlace,
  type RecentCreate,
  type TrailWrite,
} from '../core/claims/aws-writes.js';
import {
  deletesToCheck,
  needingOlderHistory,
  recheckAwsClaims,
  recheckSince,
} from '../core/claims/aws-recheck.js';
import type { Claim } from '../core/claims/claims.js';
import type { AwsGrant, AwsResolvedIds } from '../core/types.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import { keyOfIds, LISTED_KIND } from '../core/kinds/index.js';
import { plannedDriver, type PlannedChange } from '../engine/run/planned-driver.js';
import type { Sweeper, SweepRead, SweepRecheck } from '../engine/run/sweeper.js';
import type { AwsAssignmentDriver } from './sso/assignments.js';
import { AWS_KINDS } from './kinds.js';
import { ExistingAssignments } from './sso/existing-assignments.js';
import { ClaimHistory, claimWindowOf, createdByRoles } from './trail/claim-history.js';
import { createSsoSession, type SsoSession, type SsoSessionSeams } from './sso/session.js';
import { nameAwsClaims } from './account-assignment/claim-names.js';
import { AWS_SECTIONS } from './kinds.js';
import type { AuditTrail } from '../engine/audit/trail.js';
import { joinedUpkeep, type SweepUpkeep } from '../engine/run/sweeper.js';

const grantOf = (ids: AwsResolvedIds, shown: Claim['shown']): AwsGrant => ({
  cloud: 'aws',
  kind: LISTED_KIND.aws,
  written: shown,
  principal: { kind: 'id', id: ids.principalId },
  accountId: ids.accountId,
  permissionSet: { kind: 'arn', arn: ids.roleId },
  resolved: ids,
});

const idsOf = (p: AssignmentPlace): AwsResolvedIds => ({
  cloud: 'aws',
  principalId: p.principalId,
  principalType: p.principalType,
  roleId: p.permissionSetArn,
  accountId: p.accountId,
});

export class AwsSweeper implements Sweeper {
  readonly cloud = 'aws' as const;
  private readonly session: SsoSession;
  private readonly claimHistory: ClaimHistory;
  /** How far back `recheck` read the creation-status list; and the newest read, shared by deletes. */
  private recheckedBack: number | undefined;
  private latest: Promise<RecentCreate[]> | undefined;

  constructor(
    private readonly settings: AwsSessionSettings,
    private readonly request: SweepRequest,
    private readonly deps: AdapterDeps,
    seams?: SsoSessionSeams,
  ) {
    this.session = createSsoSession(settings, deps, seams);
    this.claimHistory = new ClaimHistory(this.session, deps);
  }

  get stats() {
    return this.session.stats;
  }

  /** Whose sessions' creates count: `created-by`, or the role the sweep signs in as. */
  private createdBy(): Set<string> {
    return createdByRoles(this.request.createdBy, this.settings.roleToAssume);
  }

  /** The sweep's window: `lookback`, and the 15 minutes before it that no claim is decided without. */
  private windowOf(now: number) {
    return claimWindowOf(this.request.lookbackSeconds, now);
  }

  async read(now: number): Promise<SweepRead> {
    await this.session.prepare();
    const instance = this.session.instance;
    const { since, from } = this.windowOf(now);
    const createdBy = this.createdBy();
    // Deletes matter only to a claim: with none in the window, they are not read.
    const { creates, deletes, writes } = await this.claimHistory.window(
      from,
      now,
      (read) => consideredCreates(read, createdBy, since).length > 0,
    );
    const considered = consideredCreates(creates.writes, createdBy, since);
    const places = new Map(considered.map((c) => [placeKeyOf(c.place), c.place]));
    const [recent, present] = await Promise.all([
      places.size > 0
        ? this.claimHistory.recentCreates(now - UNDELIVERED_WINDOW_MS, now)
        : Promise.resolve([]),
      this.presentPlaces([...places.values()]),
    ]);
    const claims = awsClaimsOf(writes, recent, {
      createdBy,
      exists: (place) => present.has(placeKeyOf(place)),
      claimsSince: since,
    });
    const others = creates.writes.filter((w) => !(w.roleArn && createdBy.has(w.roleArn)));
    const ignored = creates.ignored + deletes.ignored;
    return {
      claims,
      instance: { instanceArn: instance, region: this.settings.region },
      notes: [
        `CloudTrail: ${creates.events + deletes.events} account assignment event(s) since ${safeIso(from)} (\`lookback\` and the 15 minutes before it) in ${creates.pages + deletes.pages} LookupEvents page(s)${considered.length === 0 ? ', deletes not read (no claim)' : ''}${ignored > 0 ? `; ${ignored} not of this instance or not well formed, ignored` : ''}`,
        `${considered.length} create(s) by sessions of ${[...createdBy].join(', ') || '(no role)'} since ${safeIso(since)}, on ${places.size} assignment(s); ${others.length} create(s) by other callers, left alone`,
        `current state of ${places.size} assignment(s) read; ${recent.length} create request(s) of the last ${UNDELIVERED_WINDOW_MS / 60_000} minutes not yet in CloudTrail`,
      ],
    };
  }

  /** The claims' principals and permission sets by name (Identity Store, DescribePermissionSet), kinds first. */
  nameClaims(claims: readonly Claim[]) {
    return nameAwsClaims(claims, this.session, this.deps.deadline);
  }

  /**
   * Just before the revokes: CloudTrail's older history (to its 90 days) for the claims whose
   * assignment's life began before the window read, and the creation-status list again, back to
   * 15 minutes before the oldest claim about to be revoked. Only for these claims, so a sweep with
   * nothing to revoke reads neither.
   */
  async recheck(claims: readonly Claim[], now: number): Promise<SweepRecheck> {
    const candidates = claims as readonly AwsClaim[];
    const notes: string[] = [];
    let older: TrailWrite[] | undefined;
    const needing = needingOlderHistory(candidates);
    if (needing.length > 0) {
      const read = await this.claimHistory.older(
        needing,
        this.windowOf(now).from,
        now,
        'about to be revoked',
      );
      older = read.writes;
      notes.push(read.note);
    }
    const back = recheckSince(candidates);
    this.recheckedBack = back;
    const recentAgain = back === undefined ? [] : await this.claimHistory.recentCreates(back, now, true);
    if (back !== undefined)
      notes.push(
        `creation-status list read again just before the revokes, back to ${safeIso(back)}: ${recentAgain.length} create request(s) not in CloudTrail`,
      );
    const remade = deletesToCheck(candidates);
    const statuses = this.claimHistory.deleteStatuses;
    if (remade.length > 0) {
      await this.claimHistory.readDeleteStatuses(remade);
      notes.push(
        `${remade.length} delete request(s) that remade grants' lives began with, read: ${[...statuses.values()].filter((s) => s === 'SUCCEEDED').length} SUCCEEDED`,
      );
    }
    return { dropped: recheckAwsClaims(candidates, older, recentAgain, statuses), notes };
  }

  /**
   * In each revoke's own turn: the creation-status list's newest requests (deletes whose turns come
   * together share one read), so a reliance or create made during earlier deletes leaves this one.
   */
  async recheckBeforeDelete(claim: Claim, now: number): Promise<string | undefined> {
    const aws = claim as AwsClaim;
    const back = this.recheckedBack ?? recheckSince([aws]);
    if (back === undefined || !aws.basis) return 'its evidence could not be checked again before the revoke';
    this.latest ??= this.claimHistory.recentCreates(back, now).finally(() => (this.latest = undefined));
    const recent = await this.latest;
    return recheckAwsClaims([aws], [], recent, this.claimHistory.deleteStatuses).get(aws);
  }

  /** Which places hold their assignment now: one read per principal or per account × permission set, the cheaper. */
  private async presentPlaces(places: AssignmentPlace[]): Promise<Set<string>> {
    const present = new Set<string>();
    await Promise.all(
      (['USER', 'GROUP'] as const).map(async (type) => {
        const ofType = places.filter((p) => p.principalType === type);
        if (ofType.length === 0) return;
        const existing = new ExistingAssignments({ ...this.settings, principalType: type }, this.session);
        existing.plan(ofType.map((p) => grantOf(idsOf(p), { principal: '', target: '', role: '' })));
        await Promise.all(
          ofType.map(async (p) => {
            if (await existing.find(idsOf(p))) present.add(placeKeyOf(p));
          }),
        );
      }),
    );
    return present;
  }

  /**
   * What the kinds beside the assignments keep up of what sessions of `created-by` wrote within
   * `lookback` (CloudTrail; ./kinds.ts AWS_SECTIONS), whether or not this sweep revokes anything:
   * each kind's in turn.
   */
  async upkeep(now: number, options: { dryRun: boolean; audit?: AuditTrail }): Promise<SweepUpkeep> {
    const query = { createdBy: this.createdBy(), since: this.windowOf(now).since, now };
    const parts: SweepUpkeep[] = [];
    for (const kind of AWS_SECTIONS)
      if (kind.sweepUpkeep) parts.push(await kind.sweepUpkeep(this.session, this.deps, query, options));
    return joinedUpkeep(parts);
  }

  revoker(claims: readonly Claim[]) {
    const drivers = new Map<AssignmentPlace['principalType'], AwsAssignmentDriver>();
    const bound = { deadline: this.deps.deadline, ...(this.deps.signal ? { signal: this.deps.signal } : {}) };
    const driverFor = (type: AssignmentPlace['principalType']) => {
      let driver = drivers.get(type);
      if (!driver) {
        // The kind's own driver, with the effects other kinds register on its deletes.
        driver = AWS_KINDS[LISTED_KIND.aws].reconcileWriter(
          { ...this.settings, principalType: type },
          this.session,
          bound,
        );
        drivers.set(type, driver);
      }
      return driver;
    };
    const changes = new Map<string, PlannedChange>();
    const revoked: Claim[] = [];
    const grants = claims.flatMap((claim) => {
      const ids = claim.ids;
      if (ids.cloud !== 'aws' || !ids.principalType) return [];
      revoked.push(claim);
      changes.set(keyOfIds(LISTED_KIND.aws, ids), {
        driver: driverFor(ids.principalType),
        existing: {},
      });
      return [grantOf(ids, claim.shown)];
    });
    return { grants, claims: revoked, driver: plannedDriver(LISTED_KIND.aws, this.stats, changes) };
  }
}

export function createAwsSweeper(
  settings: AwsSessionSettings,
  request: SweepRequest,
  deps: AdapterDeps,
): AwsSweeper {
  return new AwsSweeper(settings, request, deps);
}
