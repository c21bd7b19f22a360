// The local mode of a membership of an Entra group (./local-modes.ts lists it): a time-bound
// membership through PIM for groups (`target: group:`), against the sample directory
// `npm run emulator` seeds (emulator/azure/sample-directory.ts).
import { SAMPLE_DIRECTORY } from '../../emulator/azure/sample-directory.js';

/**
 * carol a member of the sample directory's Platform group for 2 hours. The group is not under PIM
 * yet, so the first request onboards it (`pim-onboard: true`, which cannot be undone); Microsoft
 * Entra ends the membership at its expiry.
 */
export function groupMode(azure: Record<string, string>) {
  const [, , carol] = SAMPLE_DIRECTORY.users;
  const [, , platform] = SAMPLE_DIRECTORY.groups;
  return {
    name: 'azure-group',
    title: 'Azure group membership',
    does: `${carol.userPrincipalName} becomes a member of the Entra group ${platform.displayName} for 2 hours through PIM for groups (an adminAssign that Microsoft Entra ends at its expiry); the first run onboards the group to PIM (pim-onboard: true, for good)`,
    example: 'azure-assign.yml',
    event: 'workflow_dispatch',
    inputs: {
      ...azure,
      principal: carol.userPrincipalName,
      target: `group:${platform.displayName}`,
      role: 'member',
      duration: '2h',
      'pim-onboard': 'true',
    },
  };
}
