// A time-bound Azure assignment made active through a PIM schedule request (`duration`), which
// Azure ends itself. Pure.
import { assignmentPartsOfRow, type AccessKind } from './kind.js';
import { azureKeyOf, azureSavedIds } from './azure-role-assignment.js';

export const azurePimActive: AccessKind<'azure-pim-active'> = {
  kind: 'azure-pim-active',
  cloud: 'azure',
  key: (parts) => azureKeyOf('azure-pim-active', parts),
  partsOfRow: assignmentPartsOfRow,
  assignmentType: 'active',
  // `duration` is what makes it: Azure ends it at the schedule's end.
  duration: 'required',
  condition: true,
  inManifest: false,
  keyedByPrincipalType: false,
  removeByHand: (parts) =>
    `a PIM AdminRemove of role ${parts.roleId} for principal ${parts.principalId} at ${parts.targetId}`,
  // Saved as a role assignment is, the name its PIM request's.
  savedIds: azureSavedIds('azure-pim-active'),
};
