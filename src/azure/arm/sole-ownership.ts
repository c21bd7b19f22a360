// The post step's read of whether the assignment it created is still its own alone, just before
// its delete (core/state/azure-reliance.ts decides from the description and the last writer, as
// ARM lists them now). ARM's answers are hostile: only text is read from them.
import type { RoleAssignment } from '@azure/arm-authorization';
import { soleOwnershipOf, type AssignmentNow } from '../../core/state/azure-reliance.js';
import type { AzureResolvedIds } from '../../core/types.js';
import type { CreateProof } from '../../engine/calls/ownership-proofs.js';
import { matches } from './roles.js';
import type { ArmSession } from './session.js';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

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
