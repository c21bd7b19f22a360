// PIM's data (Microsoft.Authorization 2020-10-01): role assignment schedule requests, the schedules
// they create, and the instances (schedules active now). A provisioned schedule makes a plain role
// assignment, which `GET …/roleAssignments` lists without its end time, and which the service ends
// at the schedule's endDateTime
// (https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-apis).
// Everything is computed lazily: settlePim() applies whatever has fallen due by `now`, with the
// time it fell due, so there are no timers, and reset() (a new AzureState) drops it all. How ARM
// shows them: ./schedule-render.ts.
import { randomUUID } from 'node:crypto';
import type { AzureConfig } from '../tenant/config.js';
import type { Scope } from '../tenant/scope.js';
import type { PimRequestRecord, PimScheduleRecord } from '../tenant/pim-records.js';
import type { AssignmentRecord } from '../tenant/role-assignments.js';
import type { AzureState } from '../tenant/state.js';

/** From when the schedule's assignment is active. */
export const activeFrom = (s: PimScheduleRecord) => Math.max(s.startMs, s.provisionedAt);
/** When it stops being active (expiry or removal); Infinity when never. */
export const endsAt = (s: PimScheduleRecord) => Math.min(s.endMs ?? Infinity, s.removedAt ?? Infinity);

export const iso = (ms: number) => new Date(ms).toISOString();

/** Applies what has fallen due by `now`: request outcomes, assignments starting and ending. */
export function settlePim(state: AzureState, config: AzureConfig, now = Date.now()): void {
  const due = state.pimRequests
    .filter((r) => r.dueAt !== undefined && r.dueAt <= now)
    .sort((a, b) => a.dueAt! - b.dueAt!);
  const readDelay = config.readAfterWriteDelayMs;
  for (const request of due) applyOutcome(state, request, request.dueAt!, readDelay);

  for (const schedule of state.pimSchedules) {
    const from = activeFrom(schedule);
    if (!schedule.materialized && from <= now && from < endsAt(schedule)) {
      const record: AssignmentRecord = {
        name: schedule.assignmentName,
        scope: schedule.scope,
        roleGuid: schedule.roleGuid,
        principalId: schedule.principalId,
        principalType: schedule.principalType,
        description: null,
        condition: schedule.condition,
        conditionVersion: schedule.conditionVersion,
        delegatedManagedIdentityResourceId: null,
        createdOn: iso(from),
        updatedOn: iso(from),
        // Like other creates: the caller who asked for it.
        createdBy: schedule.requestorId,
        updatedBy: schedule.requestorId,
        visibleFrom: from + readDelay,
        pimSchedule: schedule.name,
      };
      state.assignments.push(record);
      schedule.materialized = true;
    }
    if (!schedule.materialized) continue;
    const assignment = state.assignments.find((a) => a.name === schedule.assignmentName);
    const end = endsAt(schedule);
    if (assignment && assignment.deletedAt === undefined) {
      // The service ends it at endDateTime (or at the removal).
      if (end <= now) {
        assignment.deletedAt = end;
        assignment.hiddenFrom = Math.max(end + readDelay, assignment.visibleFrom);
      }
    } else if (
      schedule.removedAt === undefined &&
      (assignment === undefined || assignment.deletedAt! < end)
    ) {
      // Its role assignment was deleted with DELETE …/roleAssignments/{name}: the schedule ends too.
      schedule.removedAt = assignment?.deletedAt ?? now;
    }
  }
  state.prune(now);
}

function applyOutcome(state: AzureState, request: PimRequestRecord, at: number, readDelay: number): void {
  const outcome = request.outcome ?? 'Provisioned';
  delete request.dueAt;
  delete request.outcome;
  request.status = outcome;
  if (request.requestType === 'AdminAssign' && outcome === 'Provisioned') {
    state.pimSchedules.push({
      name: request.targetScheduleName!,
      scope: request.scope,
      roleGuid: request.roleGuid,
      principalId: request.principalId,
      principalType: request.principalType,
      requestName: request.name,
      requestorId: request.requestorId,
      startMs: request.startMs!,
      endMs: request.endMs ?? null,
      provisionedAt: at,
      condition: request.condition,
      conditionVersion: request.conditionVersion,
      assignmentName: request.targetInstanceName!,
      materialized: false,
    });
  } else if (request.requestType === 'AdminRemove' && (outcome === 'Revoked' || outcome === 'Provisioned')) {
    const target = request.removes;
    if (target?.kind === 'schedule') {
      const schedule = state.pimSchedules.find((s) => s.name === target.name);
      if (schedule && schedule.removedAt === undefined) schedule.removedAt = at;
    } else if (target?.kind === 'assignment') {
      const assignment = state.live().find((a) => a.name === target.name);
      if (assignment) {
        assignment.deletedAt = at;
        assignment.hiddenFrom = Math.max(at + readDelay, assignment.visibleFrom);
      }
    }
  }
}

/** The same principal, role and scope (the scope exactly, not inherited). */
export const sameTriple = (
  a: { scope: Scope; roleGuid: string; principalId: string },
  b: { scope: Scope; roleGuid: string; principalId: string },
) => a.scope.key === b.scope.key && a.roleGuid === b.roleGuid && a.principalId === b.principalId;

// ---- what the lists see ----

/**
 * A schedule as the lists show it. Permanent role assignments made outside PIM appear too, as
 * schedules and instances without an end: "roleAssignment and *AssignmentScheduleInstance would
 * both include: Persistent (active) assignments made outside of PIM"
 * (https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-apis). They
 * are named after their role assignment (inference).
 */
export interface ScheduleView extends Pick<
  PimScheduleRecord,
  | 'name'
  | 'scope'
  | 'roleGuid'
  | 'principalId'
  | 'principalType'
  | 'requestName'
  | 'startMs'
  | 'endMs'
  | 'assignmentName'
  | 'condition'
  | 'conditionVersion'
> {
  createdOn: string;
  updatedOn: string;
}

const fromPim = (s: PimScheduleRecord): ScheduleView => ({
  name: s.name,
  scope: s.scope,
  roleGuid: s.roleGuid,
  principalId: s.principalId,
  principalType: s.principalType,
  requestName: s.requestName,
  // As requested, so endDateTime − startDateTime is the duration asked for; it is active (and
  // listed as an instance) from its provisioning on.
  startMs: s.startMs,
  endMs: s.endMs,
  assignmentName: s.assignmentName,
  condition: s.condition,
  conditionVersion: s.conditionVersion,
  createdOn: iso(s.provisionedAt),
  updatedOn: iso(s.removedAt ?? s.provisionedAt),
});

const fromPermanent = (a: AssignmentRecord): ScheduleView => ({
  name: a.name,
  scope: a.scope,
  roleGuid: a.roleGuid,
  principalId: a.principalId,
  principalType: a.principalType,
  requestName: null,
  startMs: Date.parse(a.createdOn),
  endMs: null,
  assignmentName: a.name,
  condition: a.condition,
  conditionVersion: a.conditionVersion,
  createdOn: a.createdOn,
  updatedOn: a.updatedOn,
});

/** Schedules now: current and future ones (rest-sample "Important"), then permanent assignments. */
export function currentSchedules(state: AzureState, now = Date.now()): ScheduleView[] {
  return [
    ...state.pimSchedules.filter((s) => now < endsAt(s)).map(fromPim),
    ...state
      .visible(now)
      .filter((a) => a.pimSchedule === undefined)
      .map(fromPermanent),
  ];
}

/** Instances now: only assignments active now. */
export function currentInstances(state: AzureState, now = Date.now()): ScheduleView[] {
  return [
    ...state.pimSchedules.filter((s) => activeFrom(s) <= now && now < endsAt(s)).map(fromPim),
    ...state
      .visible(now)
      .filter((a) => a.pimSchedule === undefined)
      .map(fromPermanent),
  ];
}

/** A new GUID, lower case. */
export const newGuid = () => randomUUID().toLowerCase();
