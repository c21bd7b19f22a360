// The names of a manifest's `azure` section resolved, each problem at its own line: principals
// through the directory (Microsoft Graph for names), roles through the scope's role definitions;
// and the names the plan's rows show beside their IDs.
import { roleGuidOf, scopeKey, type AzureScope } from '../../core/azure-scope.js';
import { CloudAccessError, describeError, UnreachableEndpointError } from '../../core/errors.js';
import { lookedUpAt, type ManifestProblem } from '../../core/manifest/problems.js';
import type { AzureManifestEntry, AzureManifestSection, Located } from '../../core/manifest/types.js';
import type { AssignmentAt, NameOf } from '../../core/plan/assignment-diff.js';
import type { AzurePrincipalType } from '../../core/principal-forms.js';
import { principalKindOf } from '../../core/shown-names.js';
import type { ArmSession } from '../arm/session.js';
import { roleDefinitionsScopeOf } from '../arm/roles.js';
import { labelsFailure } from '../graph/graph-errors.js';
import type { ResolvedPrincipal } from '../graph/principals.js';

/**
 * Every principal of the section, resolved at once: an object ID is itself, a name goes to
 * Microsoft Graph (azure/graph/directory.ts) and must match exactly one object. When some do not, each
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
    // Graph not reached: asking again, one by one, would only fail again as many times.
    if (!(error instanceof CloudAccessError) || unreached(error)) throw error;
  }
  const resolved = new Map<string, ResolvedPrincipal>();
  for (const { p, path } of all) {
    const found = await lookedUpAt({ line: p.line, path: `${path}.principal` }, problems, () =>
      session.directory.resolvePrincipals([p.value]),
    );
    for (const [key, principal] of found ?? []) resolved.set(key, principal);
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
  return lookedUpAt({ line: r.line, path: `${path}.role` }, problems, () =>
    session.reads.roleDefinitionId(r.value, scope),
  );
}

/**
 * The names a plan's rows show beside their IDs: principals by what the manifest's
 * names resolved to, the rest (an assignment made by hand, an object ID the file wrote) by one
 * `directoryObjects/getByIds` per 1000; roles by the names the file wrote, the rest from the role
 * definitions of the subscription (or management group) each is at, one list each. What cannot be
 * read (no Graph permission, say) keeps its ID, and a note says so once.
 */
export async function nameAzureRows(
  rows: AssignmentAt<AzureScope>[],
  session: ArmSession,
  /** Role definition GUID (lower-cased) → the name the file wrote it by. */
  roleNames: Map<string, string>,
): Promise<{
  nameOf: NameOf;
  notes: string[];
  /** What the directory says each principal is, where it was read (object ID, lower-cased). */
  typeOf: (principalId: string) => AzurePrincipalType | undefined;
  /** Graph answered for every principal (an unnamed one is then not in the directory). */
  principalsAnswered: boolean;
}> {
  const notes: string[] = [];
  let principalsAnswered = true;
  // With what the directory says each is: `principal-type` says what an object ID the file wrote
  // is written as, and a group's ID written as a `User` must not show as a user.
  const principals = new Map(session.directory.resolvedNames());
  const unnamed = [...new Set(rows.map((r) => r.principalId.toLowerCase()))].filter(
    (id) => !principals.has(id),
  );
  if (unnamed.length > 0) {
    const unanswered = (error: unknown, count: number) => {
      principalsAnswered = false;
      const { said, fix } = labelsFailure(error, session.directory.graphEndpoint);
      notes.push(
        `Microsoft Graph did not name ${count} principal(s) (${said}): they are shown by object ID; to show their names, ${fix}`,
      );
    };
    try {
      const read = await session.directory.namesOf(unnamed);
      for (const [id, named] of read.names) principals.set(id, named);
      // Some queries refused (no permission to read groups, say): an ID left unnamed may be there.
      const left = unnamed.filter((id) => !principals.has(id)).length;
      if (read.unanswered !== undefined && left > 0) unanswered(read.unanswered, left);
    } catch (error) {
      unanswered(error, unnamed.length);
    }
  }
  const roles = new Map(roleNames);
  const listAt = new Map<string, AzureScope>();
  for (const r of rows) {
    if (roles.has(roleGuidOf(r.roleId))) continue;
    const scope = roleDefinitionsScopeOf(r.target);
    if (scope) listAt.set(scopeKey(scope.scope), scope);
  }
  const lists = await Promise.all(
    [...listAt.values()].map((scope) =>
      session.reads.roleNamesByGuid(scope).catch((error: unknown) => {
        notes.push(
          `the role definitions at ${scope.scope} could not be read (${describeError(error)}): their roles are shown by ID`,
        );
        return new Map<string, string>();
      }),
    ),
  );
  for (const list of lists) for (const [guid, name] of list) if (!roles.has(guid)) roles.set(guid, name);
  return {
    notes,
    principalsAnswered,
    typeOf: (id) => principals.get(id.toLowerCase())?.type,
    nameOf: (r) => {
      const principal = principals.get(r.principalId.toLowerCase());
      const kind = principalKindOf(principal?.type);
      return {
        principal: principal?.name,
        role: roles.get(roleGuidOf(r.roleId)),
        ...(kind ? { principalKind: kind } : {}),
      };
    },
  };
}

/** An error of a host that could not be reached, or one that explains it. */
function unreached(error: CloudAccessError): boolean {
  return error instanceof UnreachableEndpointError || error.cause instanceof UnreachableEndpointError;
}
