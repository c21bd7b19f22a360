// `operation: report` on Azure RBAC: at or under each `target` scope, and above it (inherited),
// each kind of ./report/kinds.ts read alike: its lists per scope, at once, then its rows, one kind
// after another (the role assignments, with the PIM instances' ends: ./report/assignments.ts; the
// PIM eligibilities: ./eligible/report-reads.ts); a subscription target by its display name
// (./report/places.ts), the markers judged by `created-by` and the manifests' entries
// (./report/held.ts), and with `expand-groups` each group's users through Microsoft Graph. The
// `role` filter and the naming of creators: ./report/reads.ts. Loaded with import() only by a
// report step. Nothing here writes.
import { ROLE_DEFINITION_ID } from '../core/patterns.js';
import type { AzureSettings, ReportRequest } from '../core/inputs/index.js';
import type { AzureManifestSection } from '../core/manifest/types.js';
import { describeError } from '../core/errors.js';
import {
  type AccessRead,
  type AccessReader,
  type GroupMember,
  type HeldAssignment,
  type ReadOptions,
  type UsageRead,
} from '../engine/run/access-reader.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import { createArmSession, type ArmSession } from './arm/session.js';
import { usersInGroups } from './graph/group-members.js';
import type { MarkerJudge, ReportContext, ReportedRows } from './kind/report.js';
import { kindsRead, readEstimate, readSource, readStrategy } from './report/kinds.js';
import type { SectionReported } from './kind/section.js';
import { AZURE_SECTIONS, azureSessionsOf, REPORTED_KINDS, type AzureSessions } from './kinds.js';
import { subscriptionNames } from './kind/target-names.js';
import { entryLines } from './report/places.js';
import { routeSdkLogs } from './sdk/logs.js';
import { roleMatches, roleRefText } from './report/reads.js';
import type { UsageRequest } from '../core/inputs/usage-inputs.js';

export class AzureAccessReader implements AccessReader<AzureManifestSection> {
  readonly cloud = 'azure' as const;
  /** Each kind's reads, by its place in REPORTED_KINDS: a kind's usage read is handed its own. */
  private reads: unknown[] = [];

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
    options.onPlan(readEstimate(scopes, REPORTED_KINDS));
    const started = Date.now();
    const sessions = azureSessionsOf(session);
    const reads = await Promise.all(REPORTED_KINDS.map((k) => k.read(sessions, scopes, notes)));
    this.reads = reads;
    const readMs = Date.now() - started;
    const readCalls = calls() - before;
    const kinds = kindsRead(reads, REPORTED_KINDS);
    const namesFrom = calls();
    const shownAt = REPORTED_KINDS.flatMap((k, i) => k.shownAt(reads[i]));
    const subscriptions = await subscriptionNames(session, shownAt, notes);
    const subscriptionCalls = calls() - namesFrom;

    const warnings: string[] = [];
    const judge: MarkerJudge = {
      ...this.createdBy(notes),
      repository: this.repository,
      manifestsGiven: this.request.manifests.length > 0,
      lines: await entryLines(session, options.manifests, warnings),
    };
    for (const kind of AZURE_SECTIONS)
      await kind.entryLines(session.directory, this.request, options.manifests, judge.lines, warnings);
    const context: ReportContext<AzureSessions> = {
      session: sessions,
      notes,
      subscriptions,
      judge,
      wantedRole: (role, unsure) => this.wantedRole(role, unsure),
    };
    // One kind after another: each names its rows in its own Graph batches.
    const rows: ReportedRows[] = [];
    for (const [i, k] of REPORTED_KINDS.entries()) rows.push(await k.held(reads[i], context));
    // The targets of each kind with a section of its own (`group:`); a scope target reads none.
    const read: SectionReported[] = [];
    for (const kind of AZURE_SECTIONS) {
      const reported = await kind.read(session.directory, this.request, judge);
      if (reported) read.push(reported);
    }
    const memberships = {
      held: read.flatMap((r) => r.held),
      targets: read.flatMap((r) => r.targets),
    };
    notes.push(...read.flatMap((r) => r.notes));
    const groups = rows.flatMap((r) => r.groups);
    const members = this.request.expandGroups ? await this.groupMembers(groups, notes) : undefined;
    const targets = [...scopes.map((s) => s.scope), ...memberships.targets];
    return {
      // `role: member` or `owner` narrows the memberships as a role's name narrows the assignments.
      held: [...rows.flatMap((r) => r.held), ...memberships.held.filter((h) => this.wantedRole(h.role))],
      ...(members ? { members } : {}),
      notes: [...REPORTED_KINDS.flatMap((k, i) => k.said(reads[i], scopes) ?? []), ...notes],
      warnings,
      read: {
        strategy: readStrategy(REPORTED_KINDS),
        calls: readCalls + subscriptionCalls,
        alternatives: [],
      },
      readMs,
      scope: targets.join(', '),
      windows: [
        {
          source: readSource(REPORTED_KINDS),
          start: new Date(started).toISOString(),
          end: new Date(started + readMs).toISOString(),
        },
      ],
      cover: {
        targets,
        roles: this.request.roles?.length ? this.request.roles.map(roleRefText) : null,
        // A kind that could not be read: a later compare-to leaves its grants out, saying so.
        ...(kinds ? { kinds } : {}),
      },
    };
  }

  /**
   * Who last used the rows' grants (`last-used: true`), as the kind that keeps uses reads them (an
   * eligibility's newest PIM activation); the other rows say `unknown`.
   */
  async readUsage(
    held: readonly HeldAssignment[],
    request: UsageRequest,
    say: (line: string) => void,
  ): Promise<UsageRead> {
    // One kind keeps uses Azure logs today (an eligibility's activations): its read says why every
    // other row's use is unknown.
    const i = REPORTED_KINDS.findIndex((k) => k.usage);
    const kind = REPORTED_KINDS[i];
    if (!kind?.usage) throw new Error('no Azure kind reads its uses');
    const read = await kind.usage(azureSessionsOf(this.session), held, request, say, this.reads[i]);
    // A kind with a section of its own reads its rows' uses itself, by the same rules (its window,
    // its gaps), and says why its rows' use is unknown where it is.
    for (const section of AZURE_SECTIONS) {
      const own = await section.usage?.(this.session.directory, held, say);
      if (!own) continue;
      const unlogged = read.unlogged;
      read.signIns.push(...own.signIns);
      read.setNames = [...(read.setNames ?? []), ...own.roleNames];
      for (const [why, n] of Object.entries(own.notUses) as [keyof typeof own.notUses, number][])
        read.notUses[why] = (read.notUses[why] ?? 0) + n;
      if (own.unread) read.gaps.push(own.unread);
      read.notes.push(...own.notes);
      read.unlogged = (row) => (own.owns(row) ? own.unlogged(row) : unlogged?.(row));
    }
    return read;
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
      return members;
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
