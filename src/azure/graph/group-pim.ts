// PIM for groups through Microsoft Graph v1.0 (`identityGovernance/privilegedAccess/group/…`): a
// membership's schedule request written (adminAssign / adminRemove, member or owner, active or
// eligible, its duration, the marker in `justification`, the run in `ticketInfo`), read, and
// followed to its end. Over the client the name lookups use (./client.ts, the step's credential for
// Graph's scope), each HTTP request through one gate of at most GRAPH_PIM_IN_FLIGHT at once, each
// call through the step's call runner, which honours 429's Retry-After within the deadline. A
// group's instances and policy: ./group-pim-reads.ts.
import { parseDuration, type Duration } from '../../core/duration.js';
import type { CallRunner } from '../../engine/calls/call-runner.js';
import type { Deadline, WaitBound } from '../../engine/limits/deadline.js';
import type { StatusSnapshot } from '../../engine/calls/status.js';
import { Semaphore } from '../../engine/limits/limits.js';
import { GraphCalls } from './calls.js';
import type { JsonClient } from './client.js';
import type { Directory, GraphParts } from './directory.js';
import {
  groupRequestAwaiting,
  groupRequestFailure,
  judgeGroupRequest,
  type GroupPimAction,
  type GroupRequestVerdict,
} from './group-pim-status.js';

/** Graph requests in flight at most, for every PIM-for-groups call of a step (retries and pages included). */
export const GRAPH_PIM_IN_FLIGHT = 4;
export const GROUP_PIM_BASE = '/v1.0/identityGovernance/privilegedAccess/group';

export type GroupAccess = 'member' | 'owner';
/** `active`: assignmentSchedule…; `eligible`: eligibilitySchedule…. */
export type GroupMembershipKind = 'active' | 'eligible';
export const COLLECTION: Record<GroupMembershipKind, string> = {
  active: 'assignment',
  eligible: 'eligibility',
};

export interface GroupMembershipWrite {
  action: GroupPimAction;
  kind: GroupMembershipKind;
  groupId: string;
  principalId: string;
  access: GroupAccess;
  /** The membership ends this long after now; absent, it has no end. */
  duration?: Duration;
  /** The text with the action's marker (`[cloud-access:…]`). */
  justification: string;
  /** The run: `{ number: <run URL>, system: 'GitHub Actions' }` (runTicket). */
  ticket?: { number: string; system: string };
}

/** A schedule request as Graph answers it (the fields the step reads). */
export interface GroupScheduleRequest {
  id: string;
  status: string | undefined;
  action: string | undefined;
  kind: GroupMembershipKind;
  groupId: string | undefined;
  principalId: string | undefined;
  accessId: string | undefined;
  /** The schedule it made or ends. */
  targetScheduleId: string | undefined;
  justification: string | undefined;
  ticketNumber: string | undefined;
  /** Who sent it, by object ID: `createdBy.application.id` or `createdBy.user.id`. */
  createdBy: { applicationId?: string; userId?: string };
  /** When what it makes ends (ISO 8601 UTC), from its `scheduleInfo`; absent: no end, or none said. */
  expiresAt?: string;
}

/** How a followed request ended: its last read, what it means, and in words when not a success. */
export interface GroupRequestEnd {
  request: GroupScheduleRequest;
  verdict: GroupRequestVerdict;
  reason?: string;
}

export const runTicket = (runUrl: string) => ({ number: runUrl, system: 'GitHub Actions' });

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An object ID as Graph paths and filters take it; anything else is refused before it reaches a URL. */
export function objectIdOf(id: string, what: string): string {
  if (!GUID.test(id)) throw new Error(`${what} ${JSON.stringify(id.slice(0, 80))} is not an object ID`);
  return id.toLowerCase();
}

/**
 * At most `gate.limit` of the client's requests at once; one still waiting for its turn when the
 * deadline passes (or the step is cancelled) is not sent (NotSentError).
 */
function gated(client: () => JsonClient, gate: Semaphore, bound: WaitBound): () => JsonClient {
  return () => {
    const inner = client();
    return {
      endpoint: inner.endpoint,
      get: (path, signal) => gate.run('Graph request', () => inner.get(path, signal), bound),
      post: (path, body, signal) => gate.run('Graph request', () => inner.post(path, body, signal), bound),
    };
  };
}

/** PIM for groups over the directory's Graph, one per directory: at most 4 requests in flight in the step. */
export const groupPimOf = (directory: Directory): GroupPim => directory.service(groupPimOver);

const groupPimOver = ({ client, call, deadline, signal }: GraphParts): GroupPim =>
  new GroupPim(client, call, deadline, signal);

export class GroupPim {
  /** Graph's calls for PIM for groups, through the gate. */
  readonly calls: GraphCalls;
  /** First wait between two reads of a pending request, then 1.5 times longer each time, up to 5 s. */
  static readonly FIRST_POLL_MS = 500;

  constructor(
    client: () => JsonClient,
    call: CallRunner,
    readonly deadline: Deadline,
    readonly signal?: AbortSignal,
    readonly gate: Semaphore = new Semaphore(GRAPH_PIM_IN_FLIGHT, 'a free Microsoft Graph request slot'),
  ) {
    this.calls = new GraphCalls(gated(client, gate, { deadline, signal }), call, deadline, signal);
  }

  /** POSTs the schedule request; its answer, or the GraphError Graph refused it with. */
  async write(write: GroupMembershipWrite): Promise<GroupScheduleRequest> {
    const path = `${GROUP_PIM_BASE}/${COLLECTION[write.kind]}ScheduleRequests`;
    const answer = await this.calls.post(
      `Graph_${COLLECTION[write.kind]}ScheduleRequests_Create`,
      path,
      bodyOf(write),
    );
    return requestOf(answer, write.kind);
  }

  /** One read of a request by its ID. */
  async read(kind: GroupMembershipKind, id: string): Promise<GroupScheduleRequest> {
    const path = `${GROUP_PIM_BASE}/${COLLECTION[kind]}ScheduleRequests/${encodeURIComponent(objectIdOf(id, 'request'))}`;
    return requestOf(await this.calls.get(`Graph_${COLLECTION[kind]}ScheduleRequests_Get`, path), kind);
  }

  /**
   * Reads the request until it ends (success or failure) or waits for a person; `pending` when the
   * deadline comes first.
   */
  async follow(request: GroupScheduleRequest, action: GroupPimAction): Promise<GroupRequestEnd> {
    let current = request;
    for (let waitMs = GroupPim.FIRST_POLL_MS; ; waitMs = Math.min(waitMs * 1.5, 5_000)) {
      const end = endOf(current, action);
      if (end.verdict !== 'pending') return end;
      if (waitMs >= this.deadline.remainingMs() || !(await this.deadline.sleep(waitMs, this.signal)))
        return end;
      current = await this.read(current.kind, current.id);
    }
  }
}

export function endOf(request: GroupScheduleRequest, action: GroupPimAction): GroupRequestEnd {
  const verdict = judgeGroupRequest(request.status, action);
  if (verdict === 'failed')
    return { request, verdict, reason: groupRequestFailure(request.status, request.id) };
  if (verdict === 'awaiting-approval')
    return { request, verdict, reason: groupRequestAwaiting(request.status, request.id) };
  return { request, verdict };
}

function bodyOf(w: GroupMembershipWrite): Record<string, unknown> {
  const startDateTime = new Date().toISOString();
  return {
    accessId: w.access,
    principalId: objectIdOf(w.principalId, 'principal'),
    groupId: objectIdOf(w.groupId, 'group'),
    action: w.action,
    scheduleInfo:
      w.action === 'adminRemove'
        ? { startDateTime }
        : {
            startDateTime,
            expiration: w.duration
              ? { type: 'afterDuration', duration: w.duration.iso }
              : { type: 'noExpiration' },
          },
    justification: w.justification,
    ...(w.ticket ? { ticketInfo: { ticketNumber: w.ticket.number, ticketSystem: w.ticket.system } } : {}),
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function requestOf(answer: unknown, kind: GroupMembershipKind): GroupScheduleRequest {
  const a = (answer ?? {}) as Record<string, unknown>;
  const by = (a.createdBy ?? {}) as { application?: { id?: unknown } | null; user?: { id?: unknown } | null };
  const ticket = (a.ticketInfo ?? {}) as { ticketNumber?: unknown };
  const applicationId = str(by.application?.id);
  const userId = str(by.user?.id);
  const expiresAt = expiryOf(a.scheduleInfo);
  return {
    id: str(a.id) ?? '',
    status: str(a.status),
    action: str(a.action),
    kind,
    groupId: str(a.groupId),
    principalId: str(a.principalId),
    accessId: str(a.accessId),
    targetScheduleId: str(a.targetScheduleId),
    justification: str(a.justification),
    ticketNumber: str(ticket.ticketNumber),
    createdBy: { ...(applicationId ? { applicationId } : {}), ...(userId ? { userId } : {}) },
    ...(expiresAt ? { expiresAt } : {}),
  };
}

/**
 * The end of a request's `scheduleInfo`: `afterDateTime`'s `endDateTime`, or `afterDuration`'s
 * `duration` after its `startDateTime` (Graph's expirationPattern); undefined for `noExpiration`.
 */
function expiryOf(scheduleInfo: unknown): string | undefined {
  const info = (scheduleInfo ?? {}) as { startDateTime?: unknown; expiration?: unknown };
  const e = (info.expiration ?? {}) as { type?: unknown; endDateTime?: unknown; duration?: unknown };
  const type = str(e.type)?.toLowerCase();
  const at = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : undefined);
  const end = str(e.endDateTime);
  if (type === 'afterdatetime') return end ? at(Date.parse(end)) : undefined;
  const start = str(info.startDateTime);
  const duration = parseDuration(str(e.duration) ?? '');
  if (type !== 'afterduration' || !start || typeof duration === 'string') return undefined;
  return at(Date.parse(start) + duration.ms);
}

/**
 * A request's end as the engine's follower reads a status (engine/calls/status.ts): its success,
 * its failure with the reason, or still in progress (saying so when it waits for an approver).
 */
export function snapshotOf(end: GroupRequestEnd): StatusSnapshot {
  switch (end.verdict) {
    case 'succeeded':
      return { status: 'SUCCEEDED', ...(end.request.expiresAt ? { expiresAt: end.request.expiresAt } : {}) };
    case 'failed':
      return {
        status: 'FAILED',
        failureReason: end.reason ?? `ended ${end.request.status ?? 'without a status'}`,
      };
    case 'awaiting-approval':
      return { status: 'IN_PROGRESS', ...(end.reason ? { awaiting: end.reason } : {}) };
    default:
      return { status: 'IN_PROGRESS' };
  }
}
