// `operation: report` on Azure RBAC: at or under each `target` scope, and above it (inherited, the
// same list), one role assignment list, one PIM schedule instance list (./reconcile-reads.ts) and
// one eligibility schedule list (./report-eligible.ts), each assignment validated as the sweep
// validates it (./sweep-claims.ts), and one it cannot read still a row, raw; how it is held from
// what it carries and who wrote it (./report-held.ts): a manifest's marker, a run's marker proven as
// the sweep proves it, a cloud-access default description (a step without revoke-on-exit), a PIM
// end; names as a reconcile's plan shows them (./reconcile-names.ts), a subscription target by its
// display name (./report-places.ts), and with `expand-groups` each group's users through Microsoft
// Graph. The read's estimate, the `role` filter and the naming of creators: ./report-reads.ts.
// Loaded with import() only by a report step. Nothing here writes.
import type { RoleAssignment } from '@azure/arm-authorization';
import type { AzureScope } from '../core/azure-scope.js';
import { describeError } from '../core/errors.js';
import type { AzureSettings, ReportRequest } from '../core/inputs/index.js';
import type { AzureManifestSection } from '../core/manifest/types.js';
import { ROLE_DEFINITION_ID } from '../core/patterns.js';
import { principalKindOf } from '../core/shown-names.js';
import {
  type AccessRead,
  type AccessReader,
  type GroupMember,
  type HeldAssignment,
  type ReadOptions,
} from '../engine/run/access-reader.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import { createArmSession, type ArmSession } from './arm/session.js';
import { usersInGroups } from './graph/group-members.js';
import { nameAzureRows } from './reconcile-names.js';
import { eligibleHeld, listEligibilities, shownAt } from './report-eligible.js';
import { manifestClaim, markOf, rawHeld, reportedAssignment, type MarkerJudge } from './report-held.js';
import {
  entryLines,
  listedOf,
  placeKey,
  subscriptionNames,
  targetNameOf,
  type SubscriptionNames,
} from './report-places.js';
import { listAssignmentsAround, listScheduleInstancesAround } from './reconcile-reads.js';
import { routeSdkLogs } from './sdk/logs.js';
import type { Checked } from './sweep-claims.js';
import { inheritedOf, nameWithCreators, readEstimate, roleMatches, roleRefText } from './report-reads.js';

export class AzureAccessReader implements AccessReader<AzureManifestSection> {
  readonly cloud = 'azure' as const;

  constructor(
    private readonly request: ReportRequest,
    private readonly session: ArmSession,
    /** `owner/repo` of this run: its own manifests' markers are shown by path alone. */
    private readonly repository: string | undefined,
  ) {}

  get stats() {
    return this.session.stats;
  }

  async read(options: ReadOptions<AzureManifestSection>): Promise<AccessRead> {
    const { session } = this;
    await session.prepare();
    const scopes = this.request.scopes ?? [];
    const notes: string[] = [];
    const calls = () => Object.values(session.stats.calls).reduce((n, c) => n + c, 0);
    const before = calls();
    options.onPlan(readEstimate(scopes));
    const started = Date.now();
    const [lists, pim, eligible] = await Promise.all([
      Promise.all(scopes.map((scope) => listAssignmentsAround(session, scope))),
      this.endTimes(scopes, notes),
      listEligibilities(session, scopes, notes),
    ]);
    const readMs = Date.now() - started;
    const readCalls = calls() - before;
    const listed = listedOf(scopes, lists);
    const reported = listed.map(({ raw, under }) => ({ ...reportedAssignment(raw), under }));
    const valid = reported.flatMap((r) => (r.c ? [{ ...r, c: r.c }] : []));
    const namesFrom = calls();
    const subscriptions = await subscriptionNames(
      session,
      [...valid.map((v) => v.under ?? v.c.ids.scope), ...shownAt(eligible)],
      notes,
    );
    const subscriptionCalls = calls() - namesFrom;
    const unread = listed.length - valid.length;
    if (unread > 0)
      notes.push(`${unread} assignment(s) not of the form ARM writes: shown with their raw IDs`);

    const warnings: string[] = [];
    const judge: MarkerJudge = {
      ...this.createdBy(notes),
      repository: this.repository,
      manifestsGiven: this.request.manifests.length > 0,
      lines: await entryLines(session, options.manifests, warnings),
    };
    const naming = await nameWithCreators(valid, session);
    notes.push(...naming.notes);
    const read = this.heldOf(valid, { ...naming, subscriptions }, judge, pim);
    const eligibilities = await eligibleHeld(session, eligible, notes, subscriptions);
    const held = [
      ...read,
      ...eligibilities.filter((h) => this.wantedRole(h.role)),
      ...reported
        .flatMap((r) => (r.c ? [] : [{ ...rawHeld(r.raw, r.warning), ...inheritedOf(r) }]))
        .filter((h) => this.wantedRole(h.role, true)),
    ];
    const groups = read
      .filter((h) => h.principal.kind === 'group' && !h.principal.gone)
      .map((h) => h.principal.id);
    const members = this.request.expandGroups ? await this.groupMembers(groups, notes) : undefined;
    return {
      held,
      ...(members ? { members } : {}),
      notes: [
        `ARM: ${listed.length} role assignment(s) at, under or (inherited) above ${scopes.length} scope(s) in ${lists.reduce((n, l) => n + l.pages, 0)} list page(s)`,
        ...notes,
      ],
      warnings,
      read: {
        strategy:
          'one role assignment list, one PIM schedule instance list and one eligibility schedule list per scope, one subscription read per subscription target',
        calls: readCalls + subscriptionCalls,
        alternatives: [],
      },
      readMs,
      scope: scopes.map((s) => s.scope).join(', '),
      windows: [
        {
          source: 'ARM role assignments, PIM schedule instances and eligibility schedules',
          start: new Date(started).toISOString(),
          end: new Date(started + readMs).toISOString(),
        },
      ],
      cover: {
        targets: scopes.map((s) => s.scope),
        roles: this.request.roles?.length ? this.request.roles.map(roleRefText) : null,
      },
    };
  }

  /** Each valid assignment as a row: named, its manifest and mark, its end time; the roles asked for only. */
  private heldOf(
    valid: {
      raw: RoleAssignment;
      c: Checked;
      warning?: string | undefined;
      under?: AzureScope | undefined;
    }[],
    naming: Awaited<ReturnType<typeof nameAzureRows>> & { subscriptions: SubscriptionNames },
    judge: MarkerJudge,
    pim: Map<string, string>,
  ): HeldAssignment[] {
    return valid
      .map(({ raw, c, warning, under }): HeldAssignment => {
        const target = under ?? c.ids.scope;
        const names = naming.nameOf({
          principalId: c.ids.principalId,
          principalType: c.ids.principalType ?? '',
          roleId: c.ids.roleId,
          targetId: target.scope,
        });
        const creator = c.createdBy
          ? naming.nameOf({
              principalId: c.createdBy,
              principalType: '',
              roleId: c.ids.roleId,
              targetId: target.scope,
            })
          : undefined;
        const gone = naming.principalsAnswered && naming.typeOf(c.ids.principalId) === undefined;
        const place = placeKey(c.ids.principalId, c.ids.roleId, c.ids.scope.scope);
        const claim = manifestClaim(c, place, judge);
        const warnings = [warning, claim.warning].filter((w) => w !== undefined);
        return {
          principal: {
            id: c.ids.principalId,
            name: names.principal,
            kind: names.principalKind ?? principalKindOf(c.ids.principalType),
            ...(gone ? { gone: true } : {}),
          },
          role: { id: c.ids.roleId, name: names.role },
          target: { id: target.scope, name: targetNameOf(target, naming.subscriptions) },
          ...(under ? { inheritedFrom: c.ids.scope.scope } : {}),
          manifest: claim.manifest,
          mark: markOf(raw, c, judge),
          endsAt: pim.get(place),
          granted: {
            at: new Date(c.createdOn).toISOString(),
            ...(c.createdBy ? { by: { id: c.createdBy, name: creator?.principal } } : {}),
          },
          ...(warnings.length > 0 ? { warning: warnings.join('; ') } : {}),
        };
      })
      .filter((h) => this.wantedRole(h.role));
  }

  /** PIM: the end of each active time-bound instance, by place; none when PIM cannot be read. */
  private async endTimes(scopes: AzureScope[], notes: string[]): Promise<Map<string, string>> {
    const ends = new Map<string, string>();
    try {
      const lists = await Promise.all(
        scopes.map((scope) => listScheduleInstancesAround(this.session, scope)),
      );
      for (const i of lists.flatMap((l) => l.instances)) {
        const end =
          i.endDateTime instanceof Date && Number.isFinite(i.endDateTime.getTime())
            ? i.endDateTime
            : undefined;
        if (end && i.principalId && i.roleDefinitionId && i.scope)
          ends.set(placeKey(i.principalId, i.roleDefinitionId, i.scope), end.toISOString());
      }
    } catch (error) {
      notes.push(
        `PIM schedule instances could not be read (${describeError(error)}): no assignment is shown as time-bound; the report's identity needs \`Microsoft.Authorization/roleAssignmentScheduleInstances/read\` and the tenant a Microsoft Entra ID P2 licence`,
      );
    }
    return ends;
  }

  /** Whose markers and descriptions count: `created-by`, or the report's own identity. */
  private createdBy(notes: string[]): { createdBy: Set<string>; shown: string } {
    const ids = this.request.createdBy.length > 0 ? this.request.createdBy : [this.session.objectId ?? ''];
    const set = new Set(ids.filter(Boolean).map((id) => id.toLowerCase()));
    if (set.size === 0)
      notes.push(
        'no `created-by`, and no object ID in the token: no assignment is told as a run’s or a manifest’s',
      );
    return { createdBy: set, shown: [...set].join(', ') || 'none' };
  }

  /** A role `role` asks for; with `unsure`, also one whose role cannot be told (a row is never hidden for it). */
  private wantedRole(role: { id: string; name?: string | undefined }, unsure = false): boolean {
    const roles = this.request.roles ?? [];
    if (roles.length === 0 || roles.some((r) => roleMatches(r, role))) return true;
    return unsure && (!ROLE_DEFINITION_ID.test(role.id) || roles.some((r) => r.kind === 'name'));
  }

  private async groupMembers(groups: string[], notes: string[]): Promise<Map<string, GroupMember[]>> {
    if (groups.length === 0) return new Map();
    try {
      const { members, unanswered } = await usersInGroups(this.session.directory.graph(), groups);
      if (unanswered > 0)
        notes.push(
          `Microsoft Graph did not list the members of ${unanswered} group(s): their users are not shown`,
        );
      return new Map(
        [...members].map(([group, users]) => [
          group,
          users.map((u): GroupMember => ({ id: u.id, name: u.name, kind: 'user' })),
        ]),
      );
    } catch (error) {
      notes.push(
        `Microsoft Graph did not list the groups' members (${describeError(error)}): grant the report's identity \`GroupMember.Read.All\``,
      );
      return new Map();
    }
  }
}

export function createAzureAccessReader(
  settings: AzureSettings,
  request: ReportRequest,
  deps: AdapterDeps,
  repository: string | undefined,
): AzureAccessReader {
  routeSdkLogs(deps.debug);
  return new AzureAccessReader(request, createArmSession(settings, deps), repository);
}
