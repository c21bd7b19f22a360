// A PIM-for-groups schedule request's body as Graph takes it (privilegedaccessgroup-post-
// assignmentschedulerequests): accessId, principalId, groupId, action, scheduleInfo, justification,
// ticketInfo. Enum values are taken in any case, as the docs' own examples send `AdminAssign` and
// `AfterDateTime` and get `adminAssign` and `afterDateTime` back.
import { parseIsoDuration } from '../pim/iso-duration.js';
import type { GroupAccess, GroupExpiration } from '../tenant/pim-groups-records.js';
import { GraphFailure } from './query.js';

export interface AskedGroupRequest {
  accessId: GroupAccess;
  principalId: string;
  groupId: string;
  action: 'adminAssign' | 'adminRemove';
  startDateTime: string | undefined;
  expiration: GroupExpiration;
  durationMs: number | null;
  justification: string | null;
  ticketNumber: string | null;
  ticketSystem: string | null;
}

const bad = (message: string) => new GraphFailure(400, 'BadRequest', message);
/** azuread#1464: `P6M` answered 400 InvalidRoleAssignmentRequest "The role assignment request is invalid." */
const invalid = () =>
  new GraphFailure(400, 'InvalidRoleAssignmentRequest', 'The role assignment request is invalid.');
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function readBody(body: unknown): AskedGroupRequest {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const accessId = text(b.accessId)?.toLowerCase();
  if (accessId !== 'member' && accessId !== 'owner')
    throw bad(`Invalid accessId '${String(b.accessId)}': the possible values are owner, member.`);
  const action = text(b.action)?.toLowerCase();
  const known = [
    'adminassign',
    'adminupdate',
    'adminremove',
    'selfactivate',
    'selfdeactivate',
    'adminextend',
    'adminrenew',
  ];
  if (!action || !known.includes(action)) throw bad(`Invalid action '${String(b.action)}'.`);
  if (action !== 'adminassign' && action !== 'adminremove')
    throw bad(`The emulator answers the actions adminAssign and adminRemove only, not ${String(b.action)}.`);
  const principalId = text(b.principalId)?.toLowerCase();
  const groupId = text(b.groupId)?.toLowerCase();
  if (!principalId || !groupId) throw bad('principalId and groupId are required.');
  const ticket = (b.ticketInfo ?? {}) as Record<string, unknown>;
  const schedule = (b.scheduleInfo ?? {}) as Record<string, unknown>;
  if (action === 'adminassign' && !b.scheduleInfo) throw bad('scheduleInfo is required.');
  const start = text(schedule.startDateTime) ?? undefined;
  if (start !== undefined && Number.isNaN(Date.parse(start))) throw invalid();
  const { expiration, durationMs } = expirationOf(schedule.expiration);
  return {
    accessId,
    principalId,
    groupId,
    action: action === 'adminassign' ? 'adminAssign' : 'adminRemove',
    startDateTime: start,
    expiration,
    durationMs,
    justification: text(b.justification),
    ticketNumber: text(ticket.ticketNumber),
    ticketSystem: text(ticket.ticketSystem),
  };
}

/** `expiration` as Graph echoes it (camelCase type, every field), with afterDuration's length. */
function expirationOf(value: unknown): { expiration: GroupExpiration; durationMs: number | null } {
  const e = (value ?? {}) as Record<string, unknown>;
  const type = (text(e.type) ?? 'noExpiration').toLowerCase();
  if (type === 'noexpiration')
    return { expiration: { type: 'noExpiration', endDateTime: null, duration: null }, durationMs: null };
  if (type === 'afterdatetime') {
    const end = text(e.endDateTime);
    if (!end || Number.isNaN(Date.parse(end))) throw invalid();
    const endDateTime = new Date(Date.parse(end)).toISOString().replace('.000Z', 'Z');
    return { expiration: { type: 'afterDateTime', endDateTime, duration: null }, durationMs: null };
  }
  if (type !== 'afterduration') throw invalid();
  const duration = text(e.duration) ?? '';
  // Years and months have no fixed length: Graph refuses them (azuread#1464's P6M).
  const ms = /^P(?:[^T]*[YM])/i.test(duration) ? undefined : parseIsoDuration(duration);
  if (ms === undefined || ms <= 0) throw invalid();
  return { expiration: { type: 'afterDuration', endDateTime: null, duration }, durationMs: ms };
}
