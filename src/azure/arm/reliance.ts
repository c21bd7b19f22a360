// Shared grants on ARM (core/state/azure-reliance.ts decides): a relying step's one write, the same
// assignment PUT again under its own name with the reliance marker appended to its description;
// and the post step's read of whether what it created is still its own alone. ARM's answers are
// hostile: only an assignment whose every part the write sends back is of the form ARM writes is
// written again, and the role and principal sent are the step's own.
import type { RoleAssignment, RoleAssignmentCreateParameters } from '@azure/arm-authorization';
import { DESCRIPTION_MAX } from '../../core/inputs/azure-description.js';
import { GUID } from '../../core/patterns.js';
import { isAzurePrincipalType } from '../../core/principal-forms.js';
import type { AzureRunMark } from '../../core/run-marks.js';
import { relianceWriteOf, soleOwnershipOf, type AssignmentNow } from '../../core/state/azure-reliance.js';
import type { AzureResolvedIds } from '../../core/types.js';
import type { CreateProof, WriteOutcome } from '../../engine/calls/driver.js';
import { matches } from './reads.js';
import type { ArmSession } from './session.js';
import { responseInfo, urlPathArgument, type ResponseInfo } from './clients.js';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** What a PUT of the assignment again keeps of it, or why it cannot be written again as it is. */
function rewritable(
  found: RoleAssignment,
): { name: string; description: string; kept: Partial<RoleAssignmentCreateParameters> } | string {
  const { name, condition, conditionVersion, delegatedManagedIdentityResourceId } = found;
  // ARM answers null for an assignment written without one.
  const description = found.description ?? '';
  if (typeof name !== 'string' || !GUID.test(name)) return 'ARM lists it under a name that is not a GUID';
  if (typeof description !== 'string' || description.length > DESCRIPTION_MAX)
    return 'ARM lists a description longer than it keeps';
  for (const value of [condition, conditionVersion, delegatedManagedIdentityResourceId])
    if (value !== undefined && value !== null && typeof value !== 'string')
      return 'ARM lists a condition or delegated identity that is not text';
  const type = found.principalType;
  return {
    name: name.toLowerCase(),
    description,
    // Written again as they are: a PUT without them would remove them.
    kept: {
      ...(isAzurePrincipalType(type) ? { principalType: type } : {}),
      ...(condition ? { condition, conditionVersion: text(conditionVersion) ?? '2.0' } : {}),
      ...(delegatedManagedIdentityResourceId ? { delegatedManagedIdentityResourceId } : {}),
    },
  };
}

/** How many times a reliance is written again when another job's write took its marker away. */
const RELIANCE_WRITES = 3;

/**
 * Registers `mark`'s reliance on the assignment of `ids` the step found in place: read once more
 * just before the write (another job may have appended its own marker since the step's read, and
 * a PUT writes the whole description), PUT under the name it has, then read back: ARM takes no
 * ETag, so a relying job writing at the same moment may have put its description over this one's,
 * and the write is made again (at most RELIANCE_WRITES times). Undefined when there is nothing to
 * register: no run's creation marker on it, this run's is there already, or another identity than
 * its maker last wrote it (a sweep and the maker's post step leave it then, and a write by this
 * step would make that other identity's text look like its maker's); `failed` with why when it
 * should be registered and cannot (the engine warns, and goes on).
 */
export async function registerReliance(
  session: ArmSession,
  ids: AzureResolvedIds,
  mark: AzureRunMark,
): Promise<WriteOutcome | undefined> {
  const { scope } = ids;
  const notRegistered = (failureReason: string): WriteOutcome => ({ kind: 'failed', failureReason });
  let found = (await session.reads.listForPrincipal(scope, ids.principalId)).find((a) => matches(a, ids));
  let written: { answer: ResponseInfo | undefined; creator: AzureRunMark } | undefined;
  for (let write = 0; write < RELIANCE_WRITES; write++) {
    if (!found) return notRegistered('ARM does not list it');
    const current = rewritable(found);
    if (typeof current === 'string') return notRegistered(current);
    const decision = relianceWriteOf(current.description, mark);
    if (!decision.write && written) return registered(written);
    const another = writtenByAnother(found, session.objectId);
    if (another) return notRegistered(written ? LOST : another);
    if (!decision.write) return decision.warning ? notRegistered(decision.warning) : undefined;
    const body: RoleAssignmentCreateParameters = {
      roleDefinitionId: ids.roleId,
      principalId: ids.principalId,
      ...current.kept,
      description: decision.description,
    };
    let answer: ResponseInfo | undefined;
    await session.send('RoleAssignments_Create', scope, (client, signal) =>
      client.roleAssignments.create(urlPathArgument(scope.scope), current.name, body, {
        abortSignal: signal,
        onResponse: (raw) => (answer = responseInfo(raw)),
      }),
    );
    written = { answer, creator: decision.creator };
    // Read back: this run's marker there (decision.write false next time) ends the loop.
    found = await session.reads.getAssignment(scope, { name: current.name });
    if (found && !matches(found, ids)) return notRegistered('its name now holds another assignment');
  }
  return notRegistered(LOST);
}

const LOST = `another job's write replaced this run's reliance marker each of the ${RELIANCE_WRITES} times it was written`;

/**
 * Why this step writes nothing over the description: it was last written by an identity other
 * than the one that made the assignment and this step's. Its write would make that identity's
 * text (a marker copied in, say) look like the maker's to a sweep, which leaves it as it is.
 */
function writtenByAnother(found: RoleAssignment, own: string | undefined): string | undefined {
  const createdBy = text(found.createdBy)?.toLowerCase();
  const updatedBy = text(found.updatedBy)?.toLowerCase();
  if (!updatedBy || !createdBy || updatedBy === createdBy || updatedBy === own) return undefined;
  return `its description was last written by ${updatedBy}, not by ${createdBy} that made it, and this step writes nothing over another identity's text: a sweep whose \`created-by\` lists ${updatedBy} may end it while this job runs. Sign in as one identity in the steps that share a grant`;
}

function registered(written: { answer: ResponseInfo | undefined; creator: AzureRunMark }): WriteOutcome {
  const { answer, creator } = written;
  // 201: it was removed between the read and the write, and this PUT made it again, markers and all.
  const madeAgain =
    answer?.status === 201
      ? "; it had been removed since this step's read, and this write made it again, so it stays until the sweep ends it"
      : '';
  return {
    kind: 'done',
    changed: false,
    ...(answer?.requestId ? { requestId: answer.requestId } : {}),
    note: `its marker appended to the description: run ${creator.runId} attempt ${creator.attempt}'s post step leaves it, and the sweep ends it once every run that relies on it has ended${madeAgain}`,
  };
}

/** What the post step weighs of an assignment as ARM lists it now. */
export function assignmentNowOf(found: RoleAssignment): AssignmentNow {
  const updatedBy = text(found.updatedBy)?.toLowerCase();
  return { description: text(found.description) ?? '', updatedBy: updatedBy || undefined };
}

/**
 * Post step: whether the assignment this step created under `name` (with description `written`)
 * is still its own alone, read again just before the delete. Not there, or another's under the
 * name: the delete decides (it sends nothing for another's, and deleting what is gone changes
 * nothing, while ARM's reads may lag this step's own create).
 */
export async function soleOwnership(
  session: ArmSession,
  ids: AzureResolvedIds,
  written: { name: string; description: string },
): Promise<CreateProof> {
  const found = await session.reads.getAssignment(ids.scope, { name: written.name });
  if (!found || !matches(found, ids)) return { created: true };
  const createdBy = text(found.createdBy)?.toLowerCase();
  if (createdBy && session.objectId && createdBy !== session.objectId)
    return {
      created: false,
      why: `ARM records the assignment now under its name as created by ${createdBy}: this step's was removed, and another made under the name`,
      gone: true,
    };
  const verdict = soleOwnershipOf(written.description, assignmentNowOf(found), session.objectId);
  if (verdict.alone) return { created: true };
  return { created: false, why: verdict.why, ...(verdict.sweepEndsIt ? {} : { mayBeOwn: true }) };
}
