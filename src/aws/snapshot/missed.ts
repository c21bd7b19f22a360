// What a complete read says when it finds what the snapshot and CloudTrail's writes since did not
// show (./delta-read.ts): the missed assignments and group members, and why CloudTrail's history
// can lack a write.
import type { Touched } from '../../core/snapshot/events.js';
import type { Snapshot } from '../../core/snapshot/format.js';
import { missedMemberships } from '../../core/snapshot/memberships.js';
import type { Missed, MissedAssignment, MissedMembership } from '../../core/snapshot/merge.js';

/**
 * Why CloudTrail's history can lack a write (IAM Identity Center User Guide, "Logging SCIM API
 * calls"; CloudTrail User Guide, event history): it is per account and Region and keeps 90 days,
 * AWS logs SCIM calls only for tokens created or rotated since September 2024 (a path it does not
 * record), and delivery has no guaranteed bound.
 */
export const missedCauses = (historyRoles: number) =>
  `The likely causes: ${
    historyRoles > 0
      ? `a write from an account that administers the instance other than this step's and the ${historyRoles} whose history \`event-history-roles\` reads (add a role there)`
      : 'a write from another account that administers the instance (the management account beside a delegated administrator: its event history is its own; `event-history-roles` reads it)'
  }, a write recorded in another Region's event history than the one the step reads (event history is per account and Region: \`aws-region\` should be the instance's), a change made by a path CloudTrail does not record (a SCIM sync with a SCIM token created before September 2024: AWS logs SCIM calls only for tokens created or rotated since: rotate it), or an event CloudTrail delivered later than the 30-minute overlap (or that its 90 days of event history no longer hold); the snapshot's object edited in the bucket shows here too`;

/** A missed assignment, as the warning lists it. */
const shownAssignment = (m: MissedAssignment) =>
  `${m.principalType} ${m.principalId} at ${m.accountId} × ${m.permissionSetArn} (${m.was === 'absent' ? 'found, not in the snapshot' : 'in the snapshot, not found'})`;

/** A missed group membership, as the warning lists it. */
const shownMembership = (m: MissedMembership) =>
  `USER ${m.userId} in GROUP ${m.groupId} (${m.change === 'added' ? 'a member, not in the snapshot' : 'in the snapshot, no longer a member'})`;

export const missedWarning = (missed: readonly MissedAssignment[], where: string, historyRoles: number) =>
  missedSaid(missed.map(shownAssignment), 'assignment(s)', where, historyRoles);

/** What a complete read found that the snapshot missed (each as `shown`, the first 20 listed), and why it can. */
function missedSaid(shown: readonly string[], what: string, where: string, historyRoles: number): string {
  const listed = shown.slice(0, 20);
  return `snapshot: the complete read found ${shown.length} ${what} the snapshot at ${where} and CloudTrail's writes since did not show (missed): ${listed.join('; ')}${shown.length > listed.length ? '; …' : ''}. ${missedCauses(historyRoles)}`;
}

/**
 * After a complete read that read groups' members: those the previous snapshot kept otherwise, with
 * no write since to explain it, added to `missed` and said in a warning.
 */
export function sayMissedMembers(
  outcome: {
    next: Snapshot;
    missed: Missed[];
    warnings: string[];
    membersAgainst?: { kept: Snapshot['groups']; touched: Touched };
  },
  where: string,
  historyRoles: number,
): void {
  const against = outcome.membersAgainst;
  if (!against) return;
  const missed = missedMemberships(against.kept, outcome.next.groups, against.touched);
  if (missed.length === 0) return;
  outcome.missed.push(...missed);
  outcome.warnings.push(missedSaid(missed.map(shownMembership), 'group membership(s)', where, historyRoles));
}
