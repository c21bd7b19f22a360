// A time-bound Azure assignment made active through a PIM schedule request (`duration`), which
// Azure ends itself. Pure.
import { azureAssignmentKind } from './azure-role-assignment.js';

export const azurePimActive = azureAssignmentKind(
  'azure-pim-active',
  // `duration` is what makes it: Azure ends it at the schedule's end.
  { assignmentType: 'active', duration: 'required', condition: true, inManifest: false },
  (parts) =>
    `a PIM AdminRemove of role ${parts.roleId} for principal ${parts.principalId} at ${parts.targetId}`,
);
