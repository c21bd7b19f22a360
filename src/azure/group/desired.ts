// A manifest's `azure.groups` and `azure.manages.groups` resolved through the directory: each group
// by its object ID or display name (exactly one group), each member and owner as principals resolve,
// every problem at its own line; then the memberships the file lists, keyed by their kind. Nothing
// here writes.
import type { Duration } from '../../core/duration.js';
import { CloudAccessError } from '../../core/errors.js';
import { keyedBy } from '../../core/kinds/index.js';
import {
  azureGroupActive,
  azureGroupEligible,
  type GroupAccessWord,
  type GroupMembershipParts,
  type GroupMembershipType,
} from '../../core/kinds/azure-pim-group.js';
import { lookedUpAt, type ManifestProblem } from '../../core/manifest/problems.js';
import type { AzureManifestSection, Located } from '../../core/manifest/types.js';
import { principalKey, type AzurePrincipalRef } from '../../core/principal-forms.js';
import type { Directory } from '../graph/directory.js';
import type { ResolvedPrincipal } from '../graph/principals.js';

export const groupKindOf = (type: GroupMembershipType) =>
  type === 'active' ? azureGroupActive : azureGroupEligible;

/** A membership the file lists: its parts and key, the entry's line, type, duration and words. */
export interface DesiredMembership extends GroupMembershipParts {
  kind: string;
  key: string;
  type: GroupMembershipType;
  duration: Duration | undefined;
  line: number;
  path: string;
  written: { principal: string; group: string };
}

export interface DesiredGroups {
  desired: DesiredMembership[];
  /** The managed groups' object IDs. */
  managed: Set<string>;
  /** Object ID → the name the file wrote the group by (or its ID). */
  groupNames: Map<string, string>;
  problems: ManifestProblem[];
}

/** Every group and principal of the section's groups, resolved, and the memberships listed. */
export async function desiredGroups(
  directory: Directory,
  section: AzureManifestSection,
): Promise<DesiredGroups> {
  const problems: ManifestProblem[] = [];
  const groups = [
    ...section.manages.groups.map((g) => ({ at: g, path: 'azure.manages.groups' })),
    ...section.groups.map((e) => ({ at: e.group, path: `${e.path}.group` })),
  ];
  const principals = section.groups.flatMap((e) => [
    ...e.members.map((p) => ({ at: p, path: `${e.path}.members` })),
    ...e.owners.map((p) => ({ at: p, path: `${e.path}.owners` })),
  ]);
  const resolved = await resolveAll(directory, [...groups, ...principals], problems);
  const idOf = (ref: AzurePrincipalRef) => resolved.get(principalKey(ref))?.objectId.toLowerCase();
  const groupNames = new Map<string, string>();
  for (const { at } of groups) {
    const id = idOf(at.value);
    if (id && !groupNames.has(id)) groupNames.set(id, at.written);
  }
  const managed = new Set(section.manages.groups.flatMap((g) => idOf(g.value) ?? []));
  const desired = section.groups.flatMap((entry) => {
    const groupId = idOf(entry.group.value);
    if (!groupId) return [];
    const listed = (access: GroupAccessWord, list: Located<AzurePrincipalRef>[]) =>
      list.flatMap((p): DesiredMembership[] => {
        const principalId = idOf(p.value);
        if (!principalId) return [];
        return [
          {
            ...keyedBy(groupKindOf(entry.type), { principalId, groupId, access }),
            type: entry.type,
            duration: entry.duration,
            line: p.line,
            path: entry.path,
            written: { principal: p.written, group: entry.group.written },
          },
        ];
      });
    return [...listed('member', entry.members), ...listed('owner', entry.owners)];
  });
  return { desired, managed, groupNames, problems };
}

/** Every form at once; when some do not resolve, each alone, so each problem is at its own line. */
async function resolveAll(
  directory: Directory,
  all: { at: Located<AzurePrincipalRef>; path: string }[],
  problems: ManifestProblem[],
): Promise<Map<string, ResolvedPrincipal>> {
  try {
    return await directory.resolvePrincipals(all.map(({ at }) => at.value));
  } catch (error) {
    if (!(error instanceof CloudAccessError)) throw error;
  }
  const resolved = new Map<string, ResolvedPrincipal>();
  for (const { at, path } of all) {
    const found = await lookedUpAt({ line: at.line, path }, problems, () =>
      directory.resolvePrincipals([at.value]),
    );
    for (const [key, principal] of found ?? []) resolved.set(key, principal);
  }
  return resolved;
}
