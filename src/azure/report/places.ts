// Where a report's Azure rows stand: an assignment's place (principal, role definition, scope), and
// the manifest line that asks for each place; the assignments each target's list holds, those above
// it (inherited) included. A target's name is ../kind/target-names.ts's. Loaded with the report
// only.
import type { RoleAssignment } from '@azure/arm-authorization';
import { inheritedInto, parseListedScope, type AzureScope } from '../../core/azure-scope.js';
import { describeError } from '../../core/errors.js';
import type { ManifestProblem } from '../../core/manifest/nodes.js';
import type { AzureManifestSection } from '../../core/manifest/types.js';
import { principalKey } from '../../core/principal-forms.js';
import type { ReadOptions } from '../../engine/run/access-reader.js';
import type { ArmSession } from '../arm/session.js';
import { resolveSectionPrincipals, roleIdAt } from '../kind/names.js';
import { listAssignmentIdsAtOrAbove, listAssignmentsAround, placeKey } from '../arm/assignment-reads.js';
import type { EntryLines } from '../kind/report.js';

/**
 * Each manifest's entries as a reconcile resolves them: names through Microsoft Graph and roles by
 * name through the scope's role definitions (../kind/names.ts), object and role IDs as they
 * are. An assignment is the manifest's only where an entry lists it (./held.ts): what does
 * not resolve is a warning at its line, and the manifest is marked incomplete, so that a row its
 * marker alone claims says why it is not shown as the manifest's.
 */
export async function entryLines(
  session: ArmSession,
  manifests: ReadOptions<AzureManifestSection>['manifests'],
  warnings: string[],
): Promise<EntryLines> {
  const lines: EntryLines = Object.assign(new Map<string, Map<string, number>>(), {
    incomplete: new Set<string>(),
  });
  for (const { path, section } of manifests) {
    const byPlace = new Map<string, number>();
    const problems: ManifestProblem[] = [];
    let failed = false;
    try {
      const principals = await resolveSectionPrincipals(session, section, problems);
      const places = await Promise.all(
        section.assignments.flatMap((entry) =>
          entry.targets.flatMap((t) =>
            entry.roles.map(async (r) => ({
              entry,
              scope: t.value.scope,
              roleId: await roleIdAt(session, r, t.value, entry.path, problems),
            })),
          ),
        ),
      );
      for (const { entry, scope, roleId } of places)
        for (const p of entry.principals) {
          const principal = principals.get(principalKey(p.value));
          if (roleId === undefined || principal === undefined) continue;
          const place = placeKey(principal.objectId, roleId, scope);
          if (!byPlace.has(place)) byPlace.set(place, entry.line);
        }
    } catch (error) {
      failed = true;
      warnings.push(
        `${path}: its entries could not be resolved (${describeError(error)}): no assignment is shown as its own`,
      );
    }
    for (const p of problems) warnings.push(`${path}:${p.line}: ${p.message}${p.fix ? `: ${p.fix}` : ''}`);
    const key = path.replace(/^\.\//, '');
    if (failed || problems.length > 0) lines.incomplete.add(key);
    lines.set(key, byPlace);
  }
  return lines;
}

/** What one target's list holds: at or under it (a management group below a management group target too), and above it. */
export interface TargetList {
  assignments: RoleAssignment[];
  above: RoleAssignment[];
  pages: number;
}

/**
 * A target's one list (../arm/assignment-reads.ts), and for a management group target whose list holds
 * another management group's assignments, one `atScope()` list more: the unfiltered list holds the
 * groups below the target and those above it alike, and neither an assignment nor a group's ID
 * says which. One at a management group that the `atScope()` list (at or above the target) does
 * not hold is below the target: a row of its own scope.
 */
export async function listAroundTarget(session: ArmSession, scope: AzureScope): Promise<TargetList> {
  const list = await listAssignmentsAround(session, scope);
  if (scope.kind !== 'managementGroup') return list;
  const groups = list.above.filter((a) => typeof a.id === 'string' && listedKind(a) === 'managementGroup');
  if (groups.length === 0) return list;
  const atOrAbove = await listAssignmentIdsAtOrAbove(session, scope);
  const below = new Set(groups.filter((a) => !atOrAbove.ids.has(String(a.id).toLowerCase())));
  return {
    assignments: [...list.assignments, ...below],
    above: list.above.filter((a) => !below.has(a)),
    pages: list.pages + atOrAbove.pages,
  };
}

const listedKind = (a: RoleAssignment) => {
  const at = typeof a.scope === 'string' ? parseListedScope(a.scope) : undefined;
  return typeof at === 'object' ? at.kind : undefined;
};

/** An assignment as listed for a report: `under`, the target scope it applies to by inheritance. */
export interface Listed {
  raw: RoleAssignment;
  under?: AzureScope | undefined;
}

/**
 * What the lists hold, once each: every assignment at or under a target, and each one above a
 * target (and at or under none) once for each target it applies to. Above is ARM's hierarchy, not
 * the path alone (core/azure-scope.ts `inheritedInto`): the root `/` is above every target, and a
 * subscription's assignment listed at a management group above it is under that target.
 */
export function listedOf(
  scopes: readonly AzureScope[],
  lists: readonly Pick<TargetList, 'assignments' | 'above'>[],
): Listed[] {
  const seen = new Set<string>();
  const once = (key: unknown, under = '') => {
    if (typeof key !== 'string') return true;
    const k = `${key.toLowerCase()}|${under.toLowerCase()}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  };
  const split = lists.map((l, i) => {
    const byHierarchy = l.above.filter((a) => !fromAbove(a, scopes[i]!));
    return {
      direct: [...l.assignments, ...byHierarchy],
      above: l.above.filter((a) => !byHierarchy.includes(a)),
    };
  });
  const direct = split.flatMap((l) => l.direct).filter((a) => once(a.id));
  const inherited = split.flatMap((l, i) =>
    l.above
      .filter((a) => !seen.has(`${String(a.id).toLowerCase()}|`) && once(a.id, scopes[i]!.scope))
      .map((raw) => ({ raw, under: scopes[i]! })),
  );
  return [...direct.map((raw) => ({ raw })), ...inherited];
}

/** Whether an assignment a list holds apart from what is at or under `target` by path applies to it from above. */
function fromAbove(a: RoleAssignment, target: AzureScope): boolean {
  const at = typeof a.scope === 'string' ? parseListedScope(a.scope) : undefined;
  // A scope the action cannot read stays where its path puts it: above.
  return at === undefined || typeof at === 'string' || inheritedInto(at, target);
}
