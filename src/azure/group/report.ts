// A report's memberships of the `group:` targets (PIM for groups): each group resolved by name or
// taken by its object ID, its memberships read with the requests that made them (./holdings.ts),
// each a row (./held.ts) named by one batched read of the principals, groups and senders. A scope
// target reads no group. Nothing here writes.
import { describeError } from '../../core/errors.js';
import type { AzureGroupRef } from '../../core/inputs/azure-group-refs.js';
import type { HeldAssignment, ReportManifest } from '../../engine/run/access-reader.js';
import type { Directory } from '../graph/directory.js';
import type { ObjectName } from '../graph/object-names.js';
import { groupHeld, senderOf, type GroupJudge } from './held.js';
import { readHoldingsOf } from './holdings.js';
import { desiredGroups } from './desired.js';
import type { EntryLines } from '../kind/report.js';
import type { AzureManifestSection } from '../../core/manifest/types.js';

export interface GroupsReported {
  held: HeldAssignment[];
  /** The groups read, as `group:<object ID>`: what the report covers. */
  targets: string[];
  notes: string[];
}

/** The memberships of `groups`, as rows. A name that matches no group, or several, fails the step naming it. */
export async function reportGroups(
  directory: Directory,
  groups: readonly AzureGroupRef[],
  judge: GroupJudge,
): Promise<GroupsReported> {
  const { ids, holdings, unread, requests } = await readHoldingsOf(directory, groups);
  const notes = [
    `Microsoft Graph: ${holdings.length} PIM for groups membership(s) of ${ids.length} group(s) in ${requests} request(s)`,
    ...[...unread].map(
      ([group, why]) =>
        `the PIM for groups memberships of group ${group} could not be read (${why}): none of them is shown; the report's identity needs PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup and PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup (or their Read.* forms)`,
    ),
  ];
  const named = [
    ...ids,
    ...holdings.flatMap((h) => [h.membership.principalId, ...(senderOf(h) ? [senderOf(h)!] : [])]),
  ];
  let names = new Map<string, ObjectName>();
  try {
    const found = await directory.namesOf([...new Set(named)]);
    names = found.names;
    if (found.unanswered)
      notes.push(
        `Microsoft Graph did not name every principal and group: ${describeError(found.unanswered)}`,
      );
  } catch (error) {
    notes.push(
      `Microsoft Graph did not name the groups' members (${describeError(error)}): their rows keep their IDs`,
    );
  }
  for (const [id, name] of directory.resolvedNames()) if (!names.has(id)) names.set(id, name);
  return {
    held: holdings.map((h) => groupHeld(h, names, judge)),
    targets: ids.filter((id) => !unread.has(id)).map((id) => `group:${id}`),
    notes,
  };
}

/**
 * The line of each membership the manifests' `azure.groups` list, added to `lines` (a report's
 * entry lines, by place: a membership's place is its kind's key), resolved as a reconcile resolves
 * them; what does not resolve is a warning at its line, and marks the manifest incomplete.
 */
export async function groupEntryLines(
  directory: Directory,
  manifests: readonly ReportManifest<AzureManifestSection>[],
  lines: EntryLines,
  warnings: string[],
): Promise<void> {
  for (const { path, section } of manifests) {
    if (section.groups.length === 0) continue;
    const key = path.replace(/^\.\//, '');
    const byPlace = lines.get(key) ?? new Map<string, number>();
    lines.set(key, byPlace);
    try {
      const groups = await desiredGroups(directory, section);
      for (const d of groups.desired) if (!byPlace.has(d.key)) byPlace.set(d.key, d.line);
      for (const p of groups.problems)
        warnings.push(`${path}:${p.line}: ${p.message}${p.fix ? `: ${p.fix}` : ''}`);
      if (groups.problems.length > 0) lines.incomplete.add(key);
    } catch (error) {
      lines.incomplete.add(key);
      warnings.push(
        `${path}: its groups' entries could not be resolved (${describeError(error)}): no membership is shown as its own`,
      );
    }
  }
}
