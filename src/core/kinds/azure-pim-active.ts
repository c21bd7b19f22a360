// A time-bound Azure assignment made active through a PIM schedule request (`duration`), which
// Azure ends itself. Pure.
import type { AccessKind } from './kind.js';
import { azureAssignmentKind, azureSavedIds } from './azure-role-assignment.js';

export const azurePimActive: AccessKind<'azure-pim-active'> = {
  ...azureAssignmentKind('azure-pim-active'),
  assignmentType: 'active',
  // `duration` is what makes it: Azure ends it at the schedule's end.
  duration: 'required',
  condition: true,
  inManifest: false,
  removeByHand: (parts) =>
    `a PIM AdminRemove of role ${parts.roleId} for principal ${parts.principalId} at ${parts.targetId}`,
  // Saved as a role assignment is, the name its PIM request's.
  savedIds: azureSavedIds('azure-pim-active'),
};
