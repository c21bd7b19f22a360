// Microsoft Graph v1.0 PIM for groups: `POST …/group/{assignment|eligibility}ScheduleRequests`
// (adminAssign, adminRemove), `GET` of one request, the schedules and instances of a group or a
// principal (`$filter` on groupId or principalId required), and the group's policy assignments
// (./pim-groups-policy.ts); each behind the application permission the docs name, answered as
// plain requests and as `$batch` items alike. A group's first request onboards it to PIM.
import { randomUUID } from 'node:crypto';
import type { JwtClaims } from '../../common/jwt.js';
import type { AzureContext } from '../tenant/context.js';
import type { GroupPimKind, GroupRequestRecord, GroupScheduleRecord } from '../tenant/pim-groups-records.js';
import { failedGroupRules, policyAssignments } from './pim-groups-policy.js';
import { readBody, type AskedGroupRequest } from './pim-groups-body.js';
import {
  contextOf,
  renderInstances,
  renderRequest,
  renderSchedule,
  settleGroupPim,
} from './pim-groups-render.js';
import { GraphFailure, matchesAll, pageSize, parseGraphFilter } from './query.js';

export type PimGroupsAnswer = { status: number; body: unknown; headers: Record<string, string> };

const ROUTE =
  /^\/identityGovernance\/privilegedAccess\/group\/(assignment|eligibility)Schedule(Requests|Instances|s)(?:\/([^/]+))?$/;
const POLICIES = '/policies/roleManagementPolicyAssignments';
/** Properties `$filter` takes (an instance's `assignmentScheduleId` / `eligibilityScheduleId` too: "Supports $filter (eq, ne)"). */
const FILTERABLE = ['groupId', 'principalId', 'accessId', 'id', 'status', 'createdUsing'];

/** The answer of a PIM-for-groups path, or undefined for any other path. */
export function pimGroupsAnswer(
  ctx: AzureContext,
  claims: JwtClaims,
  method: string,
  target: URL,
  body: unknown,
): PimGroupsAnswer | undefined {
  const path = target.pathname.replace(/^\/v1\.0/, '');
  if (path === POLICIES) {
    if (method !== 'GET') throw notAllowed(method, path);
    authorize(claims, [
      'RoleManagementPolicy.Read.AzureADGroup',
      'RoleManagementPolicy.ReadWrite.AzureADGroup',
    ]);
    return ok(policyAssignments(ctx.state, ctx.graphEndpoint, target.searchParams));
  }
  const m = ROUTE.exec(path);
  if (!m) return undefined;
  const kind = m[1] as GroupPimKind;
  settleGroupPim(ctx.state);
  if (m[2] === 'Requests' && method === 'POST' && m[3] === undefined)
    return { status: 201, headers: {}, body: createRequest(ctx, claims, kind, body) };
  if (method !== 'GET') throw notAllowed(method, path);
  authorize(claims, readPermissions(kind));
  if (m[2] === 'Requests' && m[3] !== undefined) return ok(getRequest(ctx, kind, decodeURIComponent(m[3])));
  if (m[3] !== undefined) throw notAllowed(method, path);
  return ok(
    list(ctx, kind, m[2] === 'Instances' ? 'Instances' : m[2] === 's' ? 'Schedules' : 'Requests', target),
  );
}

const ok = (body: unknown): PimGroupsAnswer => ({ status: 200, headers: {}, body });
const notAllowed = (method: string, path: string) =>
  new GraphFailure(405, 'Request_BadRequest', `Method ${method} is not supported on ${path}.`);

const PERMISSION = {
  assignment: 'PrivilegedAssignmentSchedule',
  eligibility: 'PrivilegedEligibilitySchedule',
};
const readPermissions = (kind: GroupPimKind) =>
  ['Read', 'ReadWrite'].map((level) => `${PERMISSION[kind]}.${level}.AzureADGroup`);

/**
 * 403 without one of `enough` in the token's `roles`, as Graph answers a missing consent
 * (terraform-provider-azuread#1386: `PermissionScopeNotGranted` inside an UnknownError).
 */
function authorize(claims: JwtClaims, enough: string[]): void {
  const roles = Array.isArray(claims.roles) ? (claims.roles as string[]) : [];
  if (enough.some((r) => roles.includes(r))) return;
  throw new GraphFailure(
    403,
    'UnknownError',
    JSON.stringify({
      errorCode: 'PermissionScopeNotGranted',
      message: `Authorization failed due to missing permission scope ${enough.join(',')}.`,
    }),
  );
}

function getRequest(ctx: AzureContext, kind: GroupPimKind, id: string): unknown {
  const found = ctx.state.groupPim.requests.find((r) => r.kind === kind && r.id === id.toLowerCase());
  if (!found)
    throw new GraphFailure(404, 'ResourceNotFound', `The request ${id} does not exist or is not accessible.`);
  return { '@odata.context': contextOf(ctx.graphEndpoint, kind, 'Requests', true), ...renderRequest(found) };
}

/** A list of `kind`'s requests, schedules or instances; "This method requires the $filter (eq) query parameter". */
function list(
  ctx: AzureContext,
  kind: GroupPimKind,
  what: 'Requests' | 'Schedules' | 'Instances',
  target: URL,
) {
  const params = target.searchParams;
  const filter = params.get('$filter') ?? '';
  const terms = !filter
    ? []
    : parseGraphFilter(
        filter,
        [...FILTERABLE, ...(what === 'Instances' ? [`${kind}ScheduleId`] : [])],
        false,
      );
  if (!terms.some((t) => t.op === 'eq' && (t.property === 'groupId' || t.property === 'principalId')))
    throw new GraphFailure(
      400,
      'BadRequest',
      'This method requires the $filter (eq) query parameter to scope the request to a principalId or a groupId.',
    );
  const store = ctx.state.groupPim;
  const now = Date.now();
  const ofKind = (schedules: GroupScheduleRecord[]) => schedules.filter((s) => s.kind === kind);
  const all =
    what === 'Requests'
      ? store.requests.filter((r) => r.kind === kind).map(renderRequest)
      : what === 'Schedules'
        ? ofKind(store.current(now)).map(renderSchedule)
        : renderInstances(ctx.state, ofKind(store.withInstances(now)));
  const matching = all.filter((o) => matchesAll(o, terms));
  const size = pageSize(params.get('$top'), ctx.config.graphPageSize);
  const skip = Number(Buffer.from(params.get('$skiptoken') ?? '', 'base64url').toString() || 0) || 0;
  const next = new URL(`${ctx.graphEndpoint}${target.pathname}`);
  for (const [k, v] of params) if (k !== '$skiptoken') next.searchParams.set(k, v);
  next.searchParams.set('$skiptoken', Buffer.from(String(skip + size)).toString('base64url'));
  return {
    '@odata.context': contextOf(ctx.graphEndpoint, kind, what),
    ...(skip + size < matching.length ? { '@odata.nextLink': next.toString() } : {}),
    value: matching.slice(skip, skip + size),
  };
}

/** What a POST asks, checked as Graph checks it, then recorded; its answer the request as created. */
function createRequest(ctx: AzureContext, claims: JwtClaims, kind: GroupPimKind, body: unknown): unknown {
  const asked = readBody(body);
  const enough = [`${PERMISSION[kind]}.ReadWrite.AzureADGroup`];
  if (asked.action === 'adminRemove') enough.push(`${PERMISSION[kind]}.Remove.AzureADGroup`);
  authorize(claims, enough);
  const d = ctx.state.directory;
  if (!d.groups.some((g) => g.id === asked.groupId))
    throw new GraphFailure(404, 'ResourceNotFound', `The group ${asked.groupId} does not exist.`);
  const principals = [...d.users, ...d.groups, ...d.servicePrincipals] as { id: string }[];
  if (!principals.some((p) => p.id === asked.principalId))
    throw new GraphFailure(400, 'SubjectNotFound', `The subject ${asked.principalId} is not found.`);
  const store = ctx.state.groupPim;
  // The first PIM request for a group brings it under PIM ("onboards" it); that is not undone.
  store.onboarded.add(asked.groupId);
  const now = Date.now();
  const held = store
    .current(now)
    .find(
      (s) =>
        s.kind === kind &&
        s.groupId === asked.groupId &&
        s.accessId === asked.accessId &&
        s.principalId === asked.principalId,
    );
  const record = newRecord(ctx, claims, kind, asked, now);
  if (asked.action === 'adminAssign') {
    const failed = failedGroupRules(
      store.policyOf(asked.groupId, asked.accessId),
      kind,
      record.durationMs ?? expirationMs(record, now),
      asked.justification,
    );
    if (failed.length > 0)
      throw new GraphFailure(
        400,
        'RoleAssignmentRequestPolicyValidationFailed',
        `The following policy rules failed: ${JSON.stringify(failed)}`,
      );
    if (held) throw new GraphFailure(400, 'RoleAssignmentExists', 'The Role assignment already exists.');
  } else {
    if (!held)
      throw new GraphFailure(400, 'RoleAssignmentDoesNotExist', 'The Role assignment does not exist.');
    record.targetScheduleId = held.id;
  }
  store.requests.push(record);
  settleGroupPim(ctx.state, now);
  return { '@odata.context': contextOf(ctx.graphEndpoint, kind, 'Requests', true), ...renderRequest(record) };
}

/** An afterDateTime's length from now; null for noExpiration. */
function expirationMs(r: GroupRequestRecord, now: number): number | null {
  if (r.expiration.type === 'afterDateTime' && r.expiration.endDateTime)
    return Date.parse(r.expiration.endDateTime) - Math.max(Date.parse(r.startDateTime), now);
  return null;
}

function newRecord(
  ctx: AzureContext,
  claims: JwtClaims,
  kind: GroupPimKind,
  asked: AskedGroupRequest,
  now: number,
): GroupRequestRecord {
  const id = randomUUID();
  const outcome =
    ctx.faults.groupPimRequestOutcome ?? (asked.action === 'adminAssign' ? 'Provisioned' : 'Revoked');
  const delay = ctx.config.groupPimProvisioningDelayMs;
  const instanceDelay = ctx.config.groupPimInstanceDelayMs;
  const oid = String(claims.oid ?? '');
  return {
    id,
    kind,
    action: asked.action,
    accessId: asked.accessId,
    principalId: asked.principalId,
    groupId: asked.groupId,
    status: delay > 0 ? 'PendingProvisioning' : outcome,
    outcome,
    settleAt: now + delay,
    instanceAt: now + delay + instanceDelay,
    createdAt: now,
    completedAt: null,
    startDateTime: asked.startDateTime ?? new Date(now).toISOString(),
    expiration: asked.expiration,
    durationMs: asked.durationMs,
    justification: asked.justification,
    ticketNumber: asked.ticketNumber,
    ticketSystem: asked.ticketSystem,
    // An app's token carries no `scp`: the request is the application's.
    createdBy:
      claims.scp === undefined
        ? { application: { id: oid }, user: null }
        : { application: null, user: { id: oid } },
    targetScheduleId: `${asked.groupId}_${asked.accessId}_${id}`,
  };
}
