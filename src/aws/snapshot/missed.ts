// What a complete read says when it finds what the snapshot and CloudTrail's writes since did not
// show (./delta-read.ts): the missed assignments, and why CloudTrail's history can lack a write.
import type { MissedAssignment } from '../../core/snapshot/merge.js';

/**
 * Why CloudTrail's history can lack a write (IAM Identity Center User Guide, "Logging SCIM API
 * calls"; CloudTrail User Guide, event history): it is per account and Region, AWS logs SCIM calls
 * only for tokens created or rotated since September 2024, and delivery has no guaranteed bound.
 */
export const missedCauses = (historyRoles: number) =>
  `The likely causes: ${
    historyRoles > 0
      ? `a write from an account that administers the instance other than this step's and the ${historyRoles} whose history \`event-history-roles\` reads (add a role there)`
      : 'a write from another account that administers the instance (the management account beside a delegated administrator: its event history is its own; `event-history-roles` reads it)'
  }, a SCIM sync with a SCIM token created before September 2024 (AWS logs SCIM calls only for tokens created or rotated since: rotate it), or an event CloudTrail delivered later than the 30-minute overlap; the snapshot's object edited in the bucket shows here too`;

export function missedWarning(
  missed: readonly MissedAssignment[],
  where: string,
  historyRoles: number,
): string {
  const shown = missed
    .slice(0, 20)
    .map(
      (m) =>
        `${m.principalType} ${m.principalId} at ${m.accountId} × ${m.permissionSetArn} (${m.was === 'absent' ? 'found, not in the snapshot' : 'in the snapshot, not found'})`,
    );
  return `snapshot: the complete read found ${missed.length} assignment(s) the snapshot at ${where} and CloudTrail's writes since did not show (missed): ${shown.join('; ')}${missed.length > shown.length ? '; …' : ''}. ${missedCauses(historyRoles)}`;
}
