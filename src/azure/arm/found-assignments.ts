// What an assign makes of an assignment it finds in place, or that ARM's answer says is there: the
// grant it asks for only with the condition asked (./condition-update.ts heldConditionRefusal); a
// run's ephemeral grant, which a permanent step does not make permanent; and an assignment another
// party made under a shared `assignment-name`, which ARM's create-or-update rewrote.
import type { RoleAssignment } from '@azure/arm-authorization';
import { CloudAccessError, describeError } from '../../core/errors.js';
import { conditionOf } from '../../core/plan/conditions.js';
import { azureRunMarksOf } from '../../core/run-marks.js';
import type { AzureResolvedIds } from '../../core/types.js';
import type { WriteOutcome } from '../../engine/calls/driver.js';
import type { StatusPacing, StatusSnapshot } from '../../engine/calls/status.js';
import { type ArmError, requestIdOf } from '../sdk/arm-errors.js';
import { conditionWords, conditionWordsOf, heldConditionRefusal } from './condition-update.js';
import { matches } from './roles.js';
import type { ArmSession } from './session.js';

/**
 * A permanent assign that finds a run's ephemeral grant (its description's first run marker, `:e`)
 * does not make it permanent: it ends with that run (its post step, or a sweep). The step says so.
 */
export function ephemeralRunOf(found: RoleAssignment): string | undefined {
  const creator = azureRunMarksOf(found.description ?? '').marks[0];
  if (!creator || creator.relies) return undefined;
  return `the assignment ${found.id ?? ''} this step asks for is already there as ${creator.repository} run ${creator.runId} attempt ${creator.attempt}'s ephemeral grant (its description's run marker): it ends with that run (its post step, or \`operation: sweep\`), not kept by this step; to keep it, assign it again once that run has ended, or manage it with \`operation: reconcile\``;
}

/**
 * ARM answered 200 to a PUT under the user-set `assignment-name`: an assignment already held the
 * name, and ARM's create-or-update has rewritten its condition and description to the step's. ARM
 * takes no condition on a PUT (no If-None-Match), so this cannot be prevented, only said.
 */
export function rewroteAnother(name: string, record: RoleAssignment): CloudAccessError {
  return new CloudAccessError(
    `ARM answered 200 to this step's PUT under \`assignment-name\` ${name}: an assignment already held that name (made moments ago: reads did not show it), and ARM's create-or-update rewrote it to this step's condition and description; it now holds ${conditionWords(conditionOf(record.condition, record.conditionVersion))}, and what it held before cannot be read back`,
    {
      input: 'assignment-name',
      fix: 'check who made that assignment and restore its condition and description if they differed; give each step its own `assignment-name`, or leave it empty for a name of the run’s own',
    },
  );
}

/**
 * ARM's reads of an assignment a 409 says is held: they catch up within seconds, so the first
 * read again comes a second after the one made with the answer (the engine's follower then reads
 * at the pace it learns, within the deadline).
 */
const HELD_PACING: StatusPacing = { key: 'azure:held-assignment', expectedMs: 1_000 };

/**
 * 409 RoleAssignmentExists: the assignment is there under another name (ARM keeps one per
 * principal, role and scope, whatever its condition), which a list shows once ARM's reads catch
 * up. An assign (`assigning`) counts it as the grant only when it holds the condition asked
 * (heldConditionRefusal). Read at once; while no read shows it, the engine reads it again until
 * one does or the deadline passes (engine/calls/status.ts HeldCheck). Never a thrown error: the
 * step did not create it, and must never revoke it.
 */
export async function existsUnderAnotherName(
  session: ArmSession,
  asked: Parameters<typeof heldConditionRefusal>[1],
  assigning: boolean,
  error: ArmError,
  ids: AzureResolvedIds,
): Promise<WriteOutcome> {
  const read = readHeld(session, assigning ? asked : undefined, ids);
  const requestId = requestIdOf(error).requestId;
  const first = await read();
  if (first.status === 'SUCCEEDED')
    return {
      kind: 'done',
      changed: false,
      ...(requestId ? { requestId } : {}),
      ...(first.assignmentId ? { assignmentId: first.assignmentId } : {}),
    };
  if (first.status === 'FAILED')
    return { kind: 'failed', ...(requestId ? { requestId } : {}), failureReason: first.failureReason! };
  const undecided = assigning
    ? `, so whether it holds the ${conditionWordsOf(asked)} asked cannot be told`
    : '';
  return {
    kind: 'held',
    check: {
      requestId: requestId ?? '',
      poll: read,
      pacing: HELD_PACING,
      unread: `ARM answered that the principal already holds this role at this scope (RoleAssignmentExists), but no read showed that assignment${undecided}; nothing was created`,
    },
  };
}

/**
 * One read of the assignment a 409 says is held: IN_PROGRESS while no list shows it; SUCCEEDED
 * once one shows it holding the condition `asked` (any, when not an assign); else FAILED, naming
 * both conditions.
 */
function readHeld(
  session: ArmSession,
  asked: Parameters<typeof heldConditionRefusal>[1] | undefined,
  ids: AzureResolvedIds,
): () => Promise<StatusSnapshot> {
  return async () => {
    const listed = await session.reads.listForPrincipal(ids.scope, ids.principalId);
    const held = listed.find((a) => matches(a, ids));
    session.debug?.(`RoleAssignmentExists: the assignment is ${held?.id ?? 'not visible to a list yet'}`);
    if (!held) return { status: 'IN_PROGRESS' };
    const refusal = asked ? heldConditionRefusal(held, asked) : undefined;
    if (refusal) return { status: 'FAILED', failureReason: describeError(refusal) };
    return { status: 'SUCCEEDED', changed: false, ...(held.id ? { assignmentId: held.id } : {}) };
  };
}
