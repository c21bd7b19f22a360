// `operation: sweep` on AWS: the claims from CloudTrail (creates by sessions of the `created-by`
// roles), the creates CloudTrail has not delivered yet from the creation-status list, and the
// current state of each place a claim names, read once; then the revokes, each by its own
// principal type, through the assignment driver.
import type { AwsSessionSettings, SweepRequest } from '../core/inputs/index.js';
import {
  awsClaimsOf,
  consideredCreates,
  placeKeyOf,
  UNDELIVERED_WINDOW_MS,
  type AssignmentPlace,
  type RecentCreate,
} from '../core/sweep/aws-evidence.js';
import type { Claim } from '../core/sweep/types.js';
import type { AwsGrant, AwsResolvedIds } from '../core/types.js';
import type { AdapterDeps } from '../engine/driver.js';
import { changeKey, plannedDriver, type PlannedChange } from '../engine/reconcile.js';
import type { Sweeper, SweepRead } from '../engine/sweep.js';
import { CLOCK_SKEW_MS } from '../engine/ownership.js';
import { AwsAssignmentDriver } from './sso/assignments.js';
import { ExistingAssignments } from './sso/existing-assignments.js';
import { RequestHistory } from './trail/request-history.js';
import { createSsoSession, type SsoSession, type SsoSessionSeams } from './sso/session.js';
import { AssignmentTrail } from './trail/cloudtrail.js';

type PrincipalType = AssignmentPlace['principalType'];

const grantOf = (ids: AwsResolvedIds, shown: Claim['shown']): AwsGrant => ({
  cloud: 'aws',
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
  private readonly trail: AssignmentTrail;

  constructor(
    private readonly settings: AwsSessionSettings,
    private readonly request: SweepRequest,
    private readonly deps: AdapterDeps,
    seams?: SsoSessionSeams,
  ) {
    this.session = createSsoSession(settings, deps, seams);
    this.trail = new AssignmentTrail(this.session.clients, deps, this.session.stats);
  }

  get stats() {
    return this.session.stats;
  }

  /** Whose sessions' creates count: `created-by`, or the role the sweep signs in as. */
  private createdBy(): Set<string> {
    const roles =
      this.request.createdBy.length > 0 ? this.request.createdBy : [this.settings.roleToAssume ?? ''];
    return new Set(roles.filter(Boolean));
  }

  async read(now: number): Promise<SweepRead> {
    await this.session.prepare();
    const instance = this.session.instance;
    const since = now - this.request.lookbackSeconds * 1000;
    const trail = await this.trail.read(instance, since, now);
    const createdBy = this.createdBy();
    const considered = consideredCreates(trail.writes, createdBy);
    const places = new Map(considered.map((c) => [placeKeyOf(c.place), c.place]));
    const [recent, present] = await Promise.all([
      this.recentCreates(now, new Set(trail.writes.flatMap((w) => (w.requestId ? [w.requestId] : [])))),
      this.presentPlaces([...places.values()]),
    ]);
    const claims = awsClaimsOf(trail.writes, recent, {
      createdBy,
      exists: (place) => present.has(placeKeyOf(place)),
    });
    const others = trail.writes.filter(
      (w) => w.kind === 'create' && !(w.roleArn && createdBy.has(w.roleArn)),
    );
    return {
      claims,
      notes: [
        `CloudTrail: ${trail.events} account assignment event(s) since ${new Date(since).toISOString()} in ${trail.pages} LookupEvents page(s)${trail.ignored > 0 ? `; ${trail.ignored} not of this instance or not well formed, ignored` : ''}`,
        `${considered.length} create(s) by sessions of ${[...createdBy].join(', ') || '(no role)'}; ${others.length} create(s) by other callers, left alone`,
        `current state of ${places.size} assignment(s) read; ${recent.length} create request(s) of the last ${UNDELIVERED_WINDOW_MS / 60_000} minutes not yet in CloudTrail`,
      ],
    };
  }

  /**
   * The create requests of the minutes CloudTrail may not have delivered yet (the status list has
   * no delay, but names no caller): those not already known from CloudTrail, with what each was for.
   */
  private async recentCreates(now: number, known: ReadonlySet<string>): Promise<RecentCreate[]> {
    const history = new RequestHistory(this.session);
    const since = now - UNDELIVERED_WINDOW_MS - CLOCK_SKEW_MS;
    await history.readNewer('create', since);
    const unknown = history
      .shown('create')
      .filter((r) => r.RequestId && !known.has(r.RequestId) && (r.CreatedDate?.getTime() ?? 0) >= since);
    const statuses = await Promise.all(unknown.map((r) => history.status('create', r.RequestId!)));
    return statuses.flatMap((s) => {
      const type = s?.PrincipalType;
      if (
        !s?.RequestId ||
        !s.PrincipalId ||
        !s.PermissionSetArn ||
        !s.TargetId ||
        (type !== 'USER' && type !== 'GROUP')
      )
        return [];
      return [
        {
          requestId: s.RequestId,
          at: s.CreatedDate?.getTime() ?? now,
          status: s.Status ?? 'IN_PROGRESS',
          place: {
            principalType: type,
            principalId: s.PrincipalId,
            permissionSetArn: s.PermissionSetArn,
            accountId: s.TargetId,
          },
        },
      ];
    });
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

  revoker(claims: readonly Claim[]) {
    const drivers = new Map<PrincipalType, AwsAssignmentDriver>();
    const bound = { deadline: this.deps.deadline, ...(this.deps.signal ? { signal: this.deps.signal } : {}) };
    const driverFor = (type: PrincipalType) => {
      let driver = drivers.get(type);
      if (!driver) {
        driver = new AwsAssignmentDriver({ ...this.settings, principalType: type }, this.session, bound);
        drivers.set(type, driver);
      }
      return driver;
    };
    const changes = new Map<string, PlannedChange>();
    const grants = claims.flatMap((claim) => {
      const ids = claim.ids;
      if (ids.cloud !== 'aws' || !ids.principalType) return [];
      changes.set(changeKey(ids), { driver: driverFor(ids.principalType), existing: {} });
      return [grantOf(ids, claim.shown)];
    });
    return { grants, driver: plannedDriver('aws', this.stats, changes) };
  }
}

export function createAwsSweeper(
  settings: AwsSessionSettings,
  request: SweepRequest,
  deps: AdapterDeps,
): AwsSweeper {
  return new AwsSweeper(settings, request, deps);
}
