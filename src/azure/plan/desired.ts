// A reconcile's desired rows: the manifest's `azure` section expanded into concrete (principal,
// role definition, scope) assignments, each with the settings a create writes (its description
// carrying the manifest's marker). The reconciler (../reconcile.ts) plans with them.
import type { AzureGrant } from '../../core/types.js';
import { roleGuidOf } from '../../core/azure-scope.js';
import type { ManifestProblem } from '../../core/manifest/nodes.js';
import { markerSuffix } from '../../core/state/manifest-marker.js';
import type { AzureManifestEntry, AzureManifestSection } from '../../core/manifest/types.js';
import { keyedAs, type DesiredAssignment } from '../../core/plan/assignment-diff.js';
import { conditionOf } from '../../core/plan/conditions.js';
import { typedByEntry, type TypedByEntry } from '../../core/plan/principal-types.js';
import { manifestKind } from '../../core/kinds/index.js';
import { principalKey } from '../../core/principal-forms.js';
import type { ArmSession } from '../arm/session.js';
import type { AzureCreateSettings } from '../kind/reconcile.js';
import { resolveSectionPrincipals, roleIdAt } from '../kind/names.js';

const lower = (s: string) => s.toLowerCase();

type Desired = DesiredAssignment<AzureCreateSettings, AzureGrant['scope']>;

/** A desired row, with its object ID as its entry wrote it (none for a name). */
export interface ExpandedRow {
  row: Desired;
  typed: TypedByEntry | undefined;
}

/**
 * Every principal through `principal` (an object ID is itself; Graph names resolve here), every
 * role through the scope's role definitions, every target as the scope it is. Each role the file
 * wrote by name is noted in `roleNames` (GUID, lower-cased → the name), for the plan to show.
 */
export async function expandAzureSection(
  session: ArmSession,
  section: AzureManifestSection,
  marker: string,
  roleNames: Map<string, string>,
  underManagedScope: (id: string) => boolean,
): Promise<{ expanded: ExpandedRow[]; problems: ManifestProblem[] }> {
  const problems: ManifestProblem[] = [];
  const principals = await resolveSectionPrincipals(session, section, problems);
  const expanded = (
    await Promise.all(
      section.assignments.map(async (entry) => {
        const settings = settingsOf(entry, marker);
        const { kind } = manifestKind('azure', entry.type);
        // What the entry grants beyond its key: its condition, with the version a create writes.
        const condition = conditionOf(entry.condition, entry.conditionVersion ?? '2.0');
        const places = await Promise.all(
          entry.targets.flatMap((t) =>
            entry.roles.map(async (r) => ({
              t,
              r,
              roleId: await roleIdAt(session, r, t.value, entry.path, problems),
            })),
          ),
        );
        return entry.principals.flatMap((p) =>
          places.flatMap(({ t, r, roleId }): ExpandedRow[] => {
            const principal = principals.get(principalKey(p.value));
            if (roleId === undefined || principal === undefined) return [];
            if (r.value.kind === 'name') roleNames.set(lower(roleGuidOf(roleId)), r.written);
            const parts = {
              principalId: principal.objectId,
              // A name's type comes from its form or Graph; `principal-type` is for object IDs.
              principalType: principal.type ?? entry.principalType,
              roleId,
              targetId: t.value.scope,
              target: t.value,
            };
            const row: Desired = {
              ...keyedAs(kind, parts),
              written: { principal: p.written, role: r.written, target: t.written },
              line: entry.line,
              managed: underManagedScope(t.value.scope),
              settings,
              ...(condition ? { condition } : {}),
            };
            return [
              { row, typed: p.value.kind === 'object' ? typedByEntry(entry, row.principalId) : undefined },
            ];
          }),
        );
      }),
    )
  ).flat();
  return { expanded, problems };
}

/** What a create of `entry`'s rows writes: its description carries the manifest's marker. */
function settingsOf(entry: AzureManifestEntry, marker: string): AzureCreateSettings {
  return {
    principalType: entry.principalType,
    description: `${entry.description ?? 'Managed by cloud-access from a manifest'} ${markerSuffix(marker)}`,
    condition: entry.condition,
    conditionVersion: entry.conditionVersion,
    // Only a kind that takes a length has one (core/manifest/azure.ts).
    ...(entry.duration ? { duration: entry.duration } : {}),
  };
}
