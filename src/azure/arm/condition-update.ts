// A role assignment's ABAC condition rewritten in place, to what a reconcile's file writes: a PUT
// to the assignment's own name (RoleAssignments_Create is "create or update"). "Add or edit Azure
// role assignment conditions using the REST API" (Edit a condition): only `condition`,
// `conditionVersion` and `description` may change, and the other properties must match the
// assignment's; a condition is removed by writing both as empty strings or null. So the body is the
// assignment as a read just found it, its description included, with the file's condition and
// nothing else changed. ARM writes an assignment whole: it holds its old condition or the new one,
// never a mix and never none in between, so an update never grants more than the file or the cloud
// did; a failure reads the assignment back and says which it holds.
import type { RoleAssignment, RoleAssignmentCreateParameters } from '@azure/arm-authorization';
import { assignmentIdOf } from '../../core/azure-scope.js';
import { CloudAccessError, describeError } from '../../core/errors.js';
import { GUID } from '../../core/patterns.js';
import { conditionOf, sameCondition, type AbacCondition } from '../../core/plan/conditions.js';
import type { AzureResolvedIds } from '../../core/types.js';
import { NotSentError } from '../../engine/limits/deadline.js';
import type { WriteOutcome } from '../../engine/calls/driver.js';
import type { StatusPacing } from '../../engine/calls/status.js';
import { urlPathArgument } from './clients.js';
import { CreateAttempts } from './create-attempts.js';
import { matches } from './roles.js';
import type { ArmSession } from './session.js';

/** ARM's reads catch up with a write within about half a second (as for creates: ./assignments.ts). */
const UPDATE_PACING: StatusPacing = { key: 'azure:read-back-update', expectedMs: 500 };

/** Reads in a row that must show the new condition: ARM's reads are eventually consistent. */
const CONSECUTIVE_READS = 2;

/**
 * Why an assign cannot count `found` as the grant it asks for, when its condition is not the one
 * the step's `condition` asks (none when none is given). ARM keeps one assignment per principal,
 * role and scope (another create answers RoleAssignmentExists), so the asked one can be neither
 * created beside it nor counted as made; and rewriting it would change a grant the step did not
 * make. Undefined when the conditions are one.
 */
export function heldConditionRefusal(
  found: RoleAssignment,
  asked: ConditionAsked,
): CloudAccessError | undefined {
  const wanted = askedCondition(asked);
  const held = conditionOf(found.condition, found.conditionVersion);
  if (sameCondition(held, wanted)) return undefined;
  return new CloudAccessError(
    `the principal already holds this role at this scope with ${conditionWords(held)}, not the ${conditionWords(wanted)} asked; Azure keeps one assignment per principal, role and scope, so none was created and the held one was left as it is`,
    {
      input: 'condition',
      fix: "to change the held assignment's condition, manage it with `operation: reconcile` (which updates a condition in place) or revoke it first; to keep it, ask for its condition",
    },
  );
}

/** The step's `condition` and `condition-version` inputs. */
interface ConditionAsked {
  condition?: string | undefined;
  conditionVersion?: string | undefined;
}

const askedCondition = (asked: ConditionAsked) =>
  conditionOf(asked.condition, asked.condition ? (asked.conditionVersion ?? '2.0') : undefined);

/** The condition the step asks for, in words. */
export const conditionWordsOf = (asked: ConditionAsked): string => conditionWords(askedCondition(asked));

/** `condition: none`, or `condition: `…`` (and its version, when it is not 2.0). */
export function conditionWords(c: AbacCondition | undefined): string {
  if (!c) return 'condition: none';
  return `condition: \`${c.text}\`${c.version === '2.0' ? '' : ` (version ${c.version || 'none'})`}`;
}

const conditionOfAssignment = (a: RoleAssignment) => conditionOf(a.condition, a.conditionVersion);

/**
 * Rewrites the condition of the assignment `name` to `wanted` (none: removed). A read first: the
 * name must still hold this principal's role at this scope, and the body is what it holds now.
 */
export async function updateCondition(
  session: ArmSession,
  ids: AzureResolvedIds,
  name: string,
  wanted: AbacCondition | undefined,
): Promise<WriteOutcome> {
  const scope = ids.scope;
  const assignmentId = assignmentIdOf(scope.scope, name);
  if (!GUID.test(name))
    return {
      kind: 'failed',
      failureReason: `the assignment's name \`${name}\` is not a GUID; nothing was written`,
    };
  const before = await session.reads.getAssignment(scope, { name });
  if (!before)
    return {
      kind: 'failed',
      failureReason: `the assignment ${assignmentId} is gone (deleted since the step read it); nothing was written: a run again creates it with the file's condition`,
    };
  if (!matches(before, ids))
    return {
      kind: 'failed',
      failureReason: `the name ${name} now holds another principal's, role's or scope's assignment; nothing was written`,
    };
  const held = conditionOfAssignment(before);
  if (sameCondition(held, wanted))
    return {
      kind: 'done',
      changed: false,
      assignmentId,
      note: `it already has the file's ${conditionWords(wanted)}`,
    };

  const body: RoleAssignmentCreateParameters = {
    roleDefinitionId: before.roleDefinitionId!,
    principalId: before.principalId!,
    ...(before.principalType ? { principalType: before.principalType } : {}),
    ...(before.description !== undefined && before.description !== null
      ? { description: before.description }
      : {}),
    ...(before.delegatedManagedIdentityResourceId
      ? { delegatedManagedIdentityResourceId: before.delegatedManagedIdentityResourceId }
      : {}),
    // Empty strings remove a condition (the article's Delete a condition); an absent one may not.
    condition: wanted?.text ?? '',
    conditionVersion: wanted?.version ?? '',
  };
  const attempts = new CreateAttempts();
  let answer: RoleAssignment;
  try {
    answer = await session.send('RoleAssignments_Create', scope, (client, signal) =>
      client.roleAssignments.create(urlPathArgument(scope.scope), name, body, attempts.options(signal)),
    );
  } catch (error) {
    // Nothing was sent: the engine says so ("nothing was written for this grant").
    if (error instanceof NotSentError) throw error;
    return stateAfterFailure(session, ids, { name, assignmentId, held, wanted }, error);
  }
  const requestId = attempts.lastAnswer?.requestId ?? '';
  const answered = conditionOfAssignment(answer);
  if (!sameCondition(answered, wanted))
    return {
      kind: 'failed',
      requestId,
      failureReason: `ARM answered the update, but the assignment ${assignmentId} holds ${conditionWords(answered)}, not the file's ${conditionWords(wanted)}`,
    };
  let agreeing = 0;
  return {
    kind: 'pending',
    request: {
      requestId,
      assignmentId,
      // 201: the assignment was deleted after the read, and the PUT made it again, as the file says.
      createdOnAcceptance: true,
      poll: async () => {
        const found = await session.reads.getAssignment(scope, { name });
        agreeing = found && sameCondition(conditionOfAssignment(found), wanted) ? agreeing + 1 : 0;
        return { status: agreeing >= CONSECUTIVE_READS ? 'SUCCEEDED' : 'IN_PROGRESS' };
      },
      pacing: UPDATE_PACING,
    },
  };
}

/** A PUT that failed: what the assignment holds now, read back, in the failure's words. */
async function stateAfterFailure(
  session: ArmSession,
  ids: AzureResolvedIds,
  update: {
    name: string;
    assignmentId: string;
    held: AbacCondition | undefined;
    wanted: AbacCondition | undefined;
  },
  error: unknown,
): Promise<WriteOutcome> {
  const why = describeError(error);
  let now: RoleAssignment | undefined;
  try {
    now = await session.reads.getAssignment(ids.scope, { name: update.name });
  } catch (readError) {
    return {
      kind: 'failed',
      failureReason: `${why}; the assignment's state could not be read (${describeError(readError)}): ARM writes an assignment whole, so it holds either its ${conditionWords(update.held)} or the file's ${conditionWords(update.wanted)}, nothing else`,
    };
  }
  if (!now || !matches(now, ids))
    return { kind: 'failed', failureReason: `${why}; the assignment ${update.assignmentId} is gone` };
  const holds = conditionOfAssignment(now);
  // The write took effect and only its answer was lost.
  if (sameCondition(holds, update.wanted))
    return {
      kind: 'done',
      changed: true,
      assignmentId: update.assignmentId,
      note: `the update's answer was lost (${why}); a read shows the file's ${conditionWords(update.wanted)}`,
    };
  const state = sameCondition(holds, update.held)
    ? `unchanged: it still has ${conditionWords(holds)}`
    : `holds ${conditionWords(holds)}, which another party wrote since the step read it`;
  return { kind: 'failed', failureReason: `${why}; the assignment ${update.assignmentId} is ${state}` };
}
