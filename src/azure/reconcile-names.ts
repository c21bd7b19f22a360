// The names of a manifest's `azure` section resolved, each problem at its own line: principals
// through the directory (Microsoft Graph for names), roles through the scope's role definitions.
import type { AzureScope } from '../core/azure-scope.js';
import { CloudAccessError } from '../core/errors.js';
import type { ManifestProblem } from '../core/manifest/nodes.js';
import type { AzureManifestEntry, AzureManifestSection, Located } from '../core/manifest/types.js';
import type { ArmSession } from './arm-session.js';
import type { ResolvedPrincipal } from './principals.js';

/**
 * Every principal of the section, resolved at once: an object ID is itself, a name goes to
 * Microsoft Graph (azure/directory.ts) and must match exactly one object. When some do not, each
 * is asked alone (the directory keeps what resolved), so each problem is at its own line.
 */
export async function resolveSectionPrincipals(
  session: ArmSession,
  section: AzureManifestSection,
  problems: ManifestProblem[],
): Promise<Map<string, ResolvedPrincipal>> {
  const all = section.assignments.flatMap((e) => e.principals.map((p) => ({ p, path: e.path })));
  try {
    return await session.directory.resolvePrincipals(all.map(({ p }) => p.value));
  } catch (error) {
    if (!(error instanceof CloudAccessError)) throw error;
  }
  const resolved = new Map<string, ResolvedPrincipal>();
  for (const { p, path } of all) {
    try {
      for (const [key, principal] of await session.directory.resolvePrincipals([p.value]))
        resolved.set(key, principal);
    } catch (error) {
      if (!(error instanceof CloudAccessError)) throw error;
      problems.push({
        line: p.line,
        message: `\`${path}.principal\`: ${error.message}`,
        ...(error.fix ? { fix: error.fix } : {}),
      });
    }
  }
  return resolved;
}

export async function roleIdAt(
  session: ArmSession,
  r: Located<AzureManifestEntry['roles'][number]['value']>,
  scope: AzureScope,
  path: string,
  problems: ManifestProblem[],
) {
  try {
    return await session.reads.roleDefinitionId(r.value, scope);
  } catch (error) {
    if (!(error instanceof CloudAccessError)) throw error;
    problems.push({
      line: r.line,
      message: `\`${path}.role\`: ${error.message}`,
      ...(error.fix ? { fix: error.fix } : {}),
    });
    return undefined;
  }
}
