// The record of one grant's change (its grant, revoke, a reconcile's or sweep's write, a request's
// grant, the post step's revoke), in the form of every record (./record.ts), and of a write sent
// without an answer. Pure. Beside it, each kind's own, which its writer builds
// (aws/permission-sets/set-change-record.ts, aws/permission-sets/provision-record.ts): one file
// per thing a record is of.
import { accessKindOf } from '../../core/output/results.js';
import { targetIdOf, type AssignmentType, type ResolvedIds } from '../../core/types.js';
import type { GrantResult } from '../../core/grant-result.js';
import { withoutUndefined, type AuditStep, type RecordBody, type StepChange } from './record.js';

/** What a grant's result changed, as the record names it; undefined when it changed nothing. */
export function changeOf(
  result: Pick<GrantResult, 'change' | 'changed' | 'operation'> & Partial<GrantResult>,
  step: AuditStep,
): StepChange | undefined {
  // A request's grant is the evidence of the access it gave, though it found the grant in place
  // (relied on until the expiry, on AWS by a create of its own): each is a record. One that failed
  // before anything was sent changed nothing and gave nothing: unrecorded, as any other step's.
  const inPlace = result.before === 'present' || result.reliance?.requestId !== undefined;
  if (step.operation === 'request' && step.step === 'main' && inPlace) return 'request-grant';
  if (result.change === 'none') return undefined;
  // A refused plan's grant was never sent; any other change that ended FAILED has its record.
  if (result.refused) return undefined;
  if (!result.changed && result.requestId === undefined && result.status !== 'FAILED') return undefined;
  if (step.step === 'post') return 'post-revoke';
  if (step.operation === 'reconcile')
    return result.change === 'delete'
      ? 'reconcile-delete'
      : result.change === 'update'
        ? 'reconcile-update'
        : 'reconcile-create';
  if (step.operation === 'sweep') return 'sweep-revoke';
  if (step.operation === 'request') return 'request-grant';
  if (result.operation === 'provision') return 'provision';
  return result.operation === 'revoke' ? 'revoke' : 'grant';
}

/** The record of one change, from its grant's result. */
export function changeRecord(result: GrantResult, change: StepChange): RecordBody {
  const ids = result.resolved;
  // A name as the step was given it (`alice`, `ReadOnlyAccess`) when the cloud's own is not known;
  // never text shown around the ID (a sweep's `user <id>`, `ReadOnlyAccess (<arn>)`), which is no name.
  const named = (id: string | undefined, written: string, name: string | undefined) =>
    withoutUndefined({
      id: id ?? written,
      name: name ?? (id !== undefined && !mentions(written, id) ? written : undefined),
    });
  return withoutUndefined({
    change,
    cloud: result.cloud,
    kind: accessKindOf(result),
    principal: { ...named(ids?.principalId, result.principal, result.principalName), ...typeOf(ids) },
    role: named(roleIdOf(ids), result.role, result.roleName),
    target: named(ids && targetIdOf(ids), result.target, result.targetName),
    // A grant found in place: the request ID of the step's reliance on it, the one write it sent.
    requestId: result.requestId ?? result.reliance?.requestId,
    status: result.status,
    failureReason: result.failureReason,
    assignmentId: result.assignmentId,
    expiresAt: result.expiresAt,
  });
}

/**
 * The record of a write sent without an answer (a dead connection, a timeout, a 5xx): it may have
 * been applied, and its grant's result says nothing was, so it is recorded on its own, by its IDs.
 */
export function unansweredRecord(
  ids: ResolvedIds,
  change: StepChange,
  failureReason: string,
  kind: AssignmentType,
): RecordBody {
  return withoutUndefined({
    change,
    cloud: ids.cloud,
    kind,
    principal: { id: ids.principalId, ...typeOf(ids) },
    role: { id: roleIdOf(ids) },
    target: { id: targetIdOf(ids) },
    status: 'FAILED' as const,
    failureReason,
  });
}

/** Whether `written` is the ID, part of it, or text around it. */
function mentions(written: string, id: string): boolean {
  const [w, i] = [written.toLowerCase(), id.toLowerCase()];
  return i.includes(w) || w.includes(i);
}

function typeOf(ids: ResolvedIds | undefined): { type?: string } {
  return ids?.principalType ? { type: ids.principalType } : {};
}

function roleIdOf(ids: ResolvedIds | undefined): string | undefined {
  return ids?.roleId;
}
