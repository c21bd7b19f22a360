// `operation: report` on Azure RBAC: at or under each `target` scope, one role assignment list and
// one PIM schedule instance list (./reconcile-reads.ts), each assignment validated as the sweep
// validates it (./sweep-claims.ts); how it is held from what it carries: a manifest's marker
// (core/state/manifest-marker.ts), a run's marker proven as the sweep proves it, a cloud-access
// default description (a step without revoke-on-exit), a PIM end; names as a reconcile's plan shows
// them (./reconcile-names.ts), and with `expand-groups` each group's users through Microsoft Graph.
// Loaded with import() only by a report step. Nothing here writes.
import type { RoleAssignment } from '@azure/arm-authorization';
import { roleGuidOf, type AzureScope } from '../core/azure-scope.js';
import { describeError } from '../core/errors.js';
import { runOfDefaultDescription } from '../core/inputs/azure-description.js';
import type { AzureSettings, ReportRequest } from '../core/inputs/index.js';
import type { AzureManifestSection } from '../core/manifest/types.js';
import type { GroupMember, HeldAssignment } from '../core/report/access-rows.js';
import { azureRunMarkOf } from '../core/run-marks.js';
import { principalKindOf } from '../core/shown-names.js';
import { manifestMarkOf } from '../core/state/manifest-marker.js';
import type { AzureRoleRef } from '../core/types.js';
import {
  minutesAt,
  type AccessRead,
  type AccessReader,
  type ReadOptions,
} from '../engine/run/access-reader.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import { createArmSession, type ArmSession } from './arm/session.js';
import { usersInGroups } from './graph/group-members.js';
import { nameAzureRows } from './reconcile-names.js';
import { entryLines, placeKey, type EntryLines } from './report-places.js';
import { listAssignmentsAtOrUnder, listScheduleInstancesAtOrUnder } from './reconcile-reads.js';
import { routeSdkLogs } from './sdk/logs.js';
import { azureClaimsOf, checkedAssignment, type Checked } from './sweep-claims.js';

/** ARM's reads, paced per subscription (a bucket refilled at about this many a second). */
const ARM_READS_PER_SECOND = 20;

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
    const estimate = scopes.length * 2;
    options.onPlan({
      strategy: 'RoleAssignments_ListForScope and RoleAssignmentScheduleInstances_ListForScope per scope',
      calls: estimate,
      minutes: minutesAt(estimate, ARM_READS_PER_SECOND),
    });
    const started = Date.now();
    const [lists, pim] = await Promise.all([
      Promise.all(scopes.map((scope) => listAssignmentsAtOrUnder(session, scope))),
      this.endTimes(scopes, notes),
    ]);
    const readMs = Date.now() - started;
    const readCalls = calls() - before;
    const assignments = distinct(lists.flatMap((l) => l.assignments));
    const valid = assignments.flatMap((a) => {
      const c = checkedAssignment(a);
      return c ? [{ raw: a, c }] : [];
    });
    if (valid.length < assignments.length)
      notes.push(`${assignments.length - valid.length} assignment(s) not of the form ARM writes, left out`);

    const createdBy = this.createdBy(notes);
    const warnings: string[] = [];
    const lines = await entryLines(session, options.manifests, warnings);
    const naming = await nameAzureRows(
      valid.map(({ c }) => ({
        principalId: c.ids.principalId,
        principalType: c.ids.principalType ?? '',
        roleId: c.ids.roleId,
        targetId: c.ids.scope.scope,
        target: c.ids.scope,
      })),
      session,
      new Map(),
    );
    notes.push(...naming.notes);
    const held = this.heldOf(valid, naming, { lines, createdBy, pim });
    const groups = held
      .filter((h) => h.principal.kind === 'group' && !h.principal.gone)
      .map((h) => h.principal.id);
    const members = this.request.expandGroups ? await this.groupMembers(groups, notes) : undefined;
    return {
      held,
      ...(members ? { members } : {}),
      notes: [
        `ARM: ${assignments.length} role assignment(s) at or under ${scopes.length} scope(s) in ${lists.reduce((n, l) => n + l.pages, 0)} list page(s)`,
        ...notes,
      ],
      warnings,
      read: {
        strategy: 'one role assignment list and one PIM schedule instance list per scope',
        calls: readCalls,
        alternatives: [],
      },
      readMs,
      scope: scopes.map((s) => s.scope).join(', '),
    };
  }

  /** Each valid assignment as a row: named, its manifest and mark, its end time; the roles asked for only. */
  private heldOf(
    valid: { raw: RoleAssignment; c: Checked }[],
    naming: Awaited<ReturnType<typeof nameAzureRows>>,
    { lines, createdBy, pim }: { lines: EntryLines; createdBy: Set<string>; pim: Map<string, string> },
  ): HeldAssignment[] {
    return valid
      .map(({ raw, c }): HeldAssignment => {
        const names = naming.nameOf({
          principalId: c.ids.principalId,
          principalType: c.ids.principalType ?? '',
          roleId: c.ids.roleId,
          targetId: c.ids.scope.scope,
        });
        const gone = naming.principalsAnswered && naming.typeOf(c.ids.principalId) === undefined;
        return {
          principal: {
            id: c.ids.principalId,
            name: names.principal,
            kind: names.principalKind ?? principalKindOf(c.ids.principalType),
            ...(gone ? { gone: true } : {}),
          },
          role: { id: c.ids.roleId, name: names.role },
          target: { id: c.ids.scope.scope },
          manifest: this.manifestOf(
            c.description,
            lines,
            placeKey(c.ids.principalId, c.ids.roleId, c.ids.scope.scope),
          ),
          mark: markOf(raw, c, createdBy),
          endsAt: pim.get(placeKey(c.ids.principalId, c.ids.roleId, c.ids.scope.scope)),
        };
      })
      .filter((h) => this.wantedRole(h.role));
  }

  /** PIM: the end of each active time-bound instance, by place; none when PIM cannot be read. */
  private async endTimes(scopes: AzureScope[], notes: string[]): Promise<Map<string, string>> {
    const ends = new Map<string, string>();
    try {
      const lists = await Promise.all(
        scopes.map((scope) => listScheduleInstancesAtOrUnder(this.session, scope)),
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

  /** Whose run marks and descriptions count: `created-by`, or the report's own identity. */
  private createdBy(notes: string[]): Set<string> {
    const ids = this.request.createdBy.length > 0 ? this.request.createdBy : [this.session.objectId ?? ''];
    const set = new Set(ids.filter(Boolean).map((id) => id.toLowerCase()));
    if (set.size === 0)
      notes.push('no `created-by`, and no object ID in the token: no assignment is told as a run’s');
    return set;
  }

  /** The manifest whose marker the description ends with; its entry's line when `manifest` gave the file. */
  private manifestOf(description: string, lines: EntryLines, place: string): HeldAssignment['manifest'] {
    const mark = manifestMarkOf(description);
    if (!mark) return undefined;
    if (mark.repository !== this.repository) return { path: `${mark.repository}:${mark.path}` };
    return { path: mark.path, line: lines.get(mark.path.replace(/^\.\//, ''))?.get(place) };
  }

  private wantedRole(role: { id: string; name?: string | undefined }): boolean {
    const roles = this.request.roles ?? [];
    return roles.length === 0 || roles.some((r) => roleMatches(r, role));
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

/** The run a valid assignment names: its marker proven as the sweep proves it, or a default description of `created-by`'s. */
function markOf(raw: RoleAssignment, c: Checked, createdBy: Set<string>): HeldAssignment['mark'] {
  if (createdBy.size === 0) return undefined;
  const shown = [...createdBy].join(', ');
  if (azureRunMarkOf(c.description)) {
    const claim = azureClaimsOf([raw], { ids: createdBy, shown }).claims[0];
    return claim?.standing.holds && claim.mark
      ? { run: claim.mark.run, ephemeral: true, expiresAt: claim.mark.expiresAt }
      : undefined;
  }
  const run = runOfDefaultDescription(c.description);
  const byCreatedBy =
    c.createdBy !== undefined &&
    createdBy.has(c.createdBy) &&
    (c.updatedBy === undefined || createdBy.has(c.updatedBy));
  return run && byCreatedBy ? { run, ephemeral: false } : undefined;
}

function roleMatches(ref: AzureRoleRef, role: { id: string; name?: string | undefined }): boolean {
  const guid = roleGuidOf(role.id).toLowerCase();
  if (ref.kind === 'guid') return ref.guid.toLowerCase() === guid;
  if (ref.kind === 'id') return roleGuidOf(ref.id).toLowerCase() === guid;
  return role.name !== undefined && role.name.toLowerCase() === ref.name.toLowerCase();
}

/** One assignment listed under two overlapping scopes counts once. */
function distinct(assignments: RoleAssignment[]): RoleAssignment[] {
  const seen = new Set<string>();
  return assignments.filter((a) => {
    const key = typeof a.id === 'string' ? a.id.toLowerCase() : undefined;
    if (key === undefined) return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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
