// Where a report's Azure rows stand: an assignment's place (principal, role definition, scope), and
// the manifest line that asks for each place. Loaded with the report only.
import { roleGuidOf } from '../core/azure-scope.js';
import { describeError } from '../core/errors.js';
import type { ManifestProblem } from '../core/manifest/nodes.js';
import type { AzureManifestSection } from '../core/manifest/types.js';
import { principalKey } from '../core/principal-forms.js';
import type { ReadOptions } from '../engine/run/access-reader.js';
import type { ArmSession } from './arm/session.js';
import { resolveSectionPrincipals, roleIdAt } from './reconcile-names.js';

/** An assignment's place, however ARM or the manifest spells its parts. */
export const placeKey = (principalId: string, roleId: string, scope: string) =>
  [principalId.toLowerCase(), roleGuidOf(roleId).toLowerCase(), scope.toLowerCase()].join('|');

/** Manifest path → the line of each assignment its entries write. */
export type EntryLines = Map<string, Map<string, number>>;

/**
 * Each manifest's entries as a reconcile resolves them: names through Microsoft Graph and roles by
 * name through the scope's role definitions (./reconcile-names.ts), object and role IDs as they
 * are. A line only labels a row (its class is the assignment's marker): what does not resolve is a
 * warning at its line, and its assignments show the manifest without one.
 */
export async function entryLines(
  session: ArmSession,
  manifests: ReadOptions<AzureManifestSection>['manifests'],
  warnings: string[],
): Promise<EntryLines> {
  const lines: EntryLines = new Map();
  for (const { path, section } of manifests) {
    const byPlace = new Map<string, number>();
    const problems: ManifestProblem[] = [];
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
      warnings.push(
        `${path}: its entries could not be resolved (${describeError(error)}): its assignments are shown without their lines`,
      );
    }
    for (const p of problems) warnings.push(`${path}:${p.line}: ${p.message}${p.fix ? `: ${p.fix}` : ''}`);
    lines.set(path.replace(/^\.\//, ''), byPlace);
  }
  return lines;
}
