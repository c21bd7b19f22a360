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
import { type ArmError, requestIdOf } from '../sdk/arm-errors.js';
import { conditionWords, conditionWordsOf, heldConditionRefusal } from './condition-update.js';
import { matches } from './reads.js';
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

const failed = (answer: ArmError, why: CloudAccessError): WriteOutcome => ({
  kind: 'failed',
  ...requestIdOf(answer),
  failureReason: describeError(why),
});

/** Reads of an assignment a 409 says exists, a second apart: ARM's reads catch up within seconds. */
const EXISTS_READS = 4;
const EXISTS_READ_EVERY_MS = 1_000;

/**
 * 409 RoleAssignmentExists: the assignment is there under another name, which a list finds once
 * ARM's reads catch up (a few tries, a second apart). An assign (`assigning`) counts it as made
 * only when it holds the condition asked (heldConditionRefusal), so one no read shows yet is not
 * proven.
 */
export async function existsUnderAnotherName(
  session: ArmSession,
  asked: Parameters<typeof heldConditionRefusal>[1],
  assigning: boolean,
  error: ArmError,
  ids: AzureResolvedIds,
): Promise<WriteOutcome> {
  let existing: RoleAssignment | undefined;
  for (let attempt = 0; ; attempt++) {
    existing = (await session.reads.listForPrincipal(ids.scope, ids.principalId)).find((a) =>
      matches(a, ids),
    );
    if (existing || attempt >= EXISTS_READS - 1 || !(await session.sleep(EXISTS_READ_EVERY_MS))) break;
  }
  session.debug?.(`RoleAssignmentExists: the assignment is ${existing?.id ?? 'not visible to a list yet'}`);
  // Failed outcomes, not thrown errors: the step did not create it, and must never revoke it.
  if (assigning) {
    if (!existing)
      return failed(
        error,
        new CloudAccessError(
          `ARM answered that the principal already holds this role at this scope (RoleAssignmentExists), but no read shows that assignment yet, so whether it holds the ${conditionWordsOf(asked)} asked cannot be told; nothing was created`,
          { fix: "run the step again in a minute, once ARM's reads show the assignment" },
        ),
      );
    const refusal = heldConditionRefusal(existing, asked);
    if (refusal) return failed(error, refusal);
  }
  return {
    kind: 'done',
    changed: false,
    ...requestIdOf(error),
    ...(existing?.id ? { assignmentId: existing.id } : {}),
  };
}
