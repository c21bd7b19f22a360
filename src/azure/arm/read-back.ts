// How a role assignment write is followed: ARM answers it at once, and its reads catch up; the
// engine's follower reads the assignment back until a read shows it as the write left it.
import type { AzureScope } from '../../core/azure-scope.js';
import type { WriteOutcome } from '../../engine/calls/driver.js';
import type { StatusPacing, StatusSnapshot } from '../../engine/calls/status.js';
import type { ArmReads } from './reads.js';

/**
 * ARM answers a role assignment write at once; its reads catch up within about half a second in
 * the same region (the batch learns when they take longer). Creates and deletes are learned apart.
 */
const READ_BACK_EXPECTED_MS = 500;

function readBackPacing(wanted: 'present' | 'absent'): StatusPacing {
  return { key: `azure:read-back-${wanted}`, expectedMs: READ_BACK_EXPECTED_MS };
}

/**
 * One read-back for the engine's follower: SUCCEEDED once ARM's reads show the write (they are
 * eventually consistent, and lag its answer). One read that shows it is enough: ARM applied the
 * write when it answered it (a 201, a 200 to the DELETE), so the read only waits for the reads
 * to catch up; a second that agrees would cost a read per write of ARM's reads bucket (250, then
 * 25 a second per subscription), which a batch needs for its lists.
 */
function readBack(
  reads: ArmReads,
  scope: AzureScope,
  assignmentId: string,
  wanted: 'present' | 'absent',
): () => Promise<StatusSnapshot> {
  return async () => {
    const found = await reads.getAssignment(scope, { id: assignmentId });
    return { status: (found !== undefined) === (wanted === 'present') ? 'SUCCEEDED' : 'IN_PROGRESS' };
  };
}

/**
 * A create (`present`) or delete (`absent`) ARM applied when it answered it, left to the engine's
 * follower until the reads show it: a create made the assignment on acceptance.
 */
export function readBackPending(
  reads: ArmReads,
  scope: AzureScope,
  assignmentId: string,
  wanted: 'present' | 'absent',
  requestId: string,
): Extract<WriteOutcome, { kind: 'pending' }> {
  return {
    kind: 'pending',
    request: {
      requestId,
      assignmentId,
      ...(wanted === 'present' ? { createdOnAcceptance: true } : {}),
      appliedOnAnswer: true,
      poll: readBack(reads, scope, assignmentId, wanted),
      pacing: readBackPacing(wanted),
    },
  };
}
