// The local mode of a membership of an Entra group (./local-modes.ts lists it): a time-bound
// membership through PIM for groups (`target: group:`), against the sample directory
// `npm run emulator` seeds (emulator/azure/sample-directory.ts).
import { SAMPLE_DIRECTORY } from '../../emulator/azure/sample-directory.js';

/**
 * carol a member of the sample directory's Platform group for 2 hours. The seed leaves the group
 * managed by PIM already, so no `pim-onboard` is asked: a copy of this mode onboards nothing by
 * accident (a group's onboarding cannot be undone). Microsoft Entra ends the membership at its expiry.
 */
export function groupMode(azure: Record<string, string>) {
  const [, , carol] = SAMPLE_DIRECTORY.users;
  const [, , platform] = SAMPLE_DIRECTORY.groups;
  return {
    name: 'azure-group',
    title: 'Azure group membership',
    does: `${carol.userPrincipalName} becomes a member of the Entra group ${platform.displayName} for 2 hours through PIM for groups, the emulator's ${platform.displayName} being managed by PIM already (add INPUT_PIM-ONBOARD=true only for a group PIM does not manage yet, which the step refuses without it: its first request onboards that group to PIM for good); an adminAssign that Microsoft Entra ends at its expiry`,
    example: 'azure-assign.yml',
    event: 'workflow_dispatch',
    inputs: {
      ...azure,
      principal: carol.userPrincipalName,
      target: `group:${platform.displayName}`,
      role: 'member',
      duration: '2h',
    },
  };
}
