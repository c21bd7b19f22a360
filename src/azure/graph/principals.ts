// Principals by name, resolved through Microsoft Graph and never guessed: every form asked for at
// once (de-duplicated), groups and service principals by `displayName in (…)` of at most 15 names,
// users by `userPrincipalName in (…)`, service principals by `appId in (…)`, all in as few `$batch`
// requests as fit; then guests by home e-mail for the user names that missed. One match each, or
// an error listing every match; none, an error with the names closest to it. Only default queries
// (no `ConsistencyLevel: eventual`): an object created a minute ago is not hidden by index lag.
// The Graph queries and what their answers settle: ./graph-resolution.ts.
import { CloudAccessError } from '../../core/errors.js';
import { needsGraph, principalKey, type AzurePrincipalRef } from '../../core/principal-forms.js';
import type { GraphCalls } from './calls.js';
import { GraphResolution, type ResolvedPrincipal } from './graph-resolution.js';

export type { ResolvedPrincipal } from './graph-resolution.js';

export interface PrincipalLookups {
  /** Graph, created on first use: a run with object IDs only asks it nothing (and gets no Graph token). */
  graph: () => GraphCalls;
  /** ARM: the `principalId` of a user-assigned managed identity, by its resource ID. */
  identityPrincipalId(resourceId: string): Promise<ResolvedPrincipal>;
}

/**
 * Every form's principal, by `principalKey`. Throws one error naming every form that did not
 * resolve to exactly one object (and why), after asking about all of them.
 */
export async function resolvePrincipals(
  forms: readonly AzurePrincipalRef[],
  lookups: PrincipalLookups,
): Promise<Map<string, ResolvedPrincipal>> {
  const wanted = new Map(forms.map((f) => [principalKey(f), f]));
  const resolved = new Map<string, ResolvedPrincipal>();
  const problems: CloudAccessError[] = [];
  const viaGraph: AzurePrincipalRef[] = [];
  const identities: Promise<void>[] = [];
  for (const [key, form] of wanted) {
    if (form.kind === 'object') resolved.set(key, { objectId: form.id, type: undefined, name: form.id });
    else if (form.kind === 'mi-resource')
      identities.push(
        lookups.identityPrincipalId(form.resourceId).then(
          (p) => void resolved.set(key, p),
          (error: unknown) => void problems.push(asCloudAccessError(error)),
        ),
      );
    else if (needsGraph(form)) viaGraph.push(form);
  }
  await Promise.all(identities);
  if (viaGraph.length > 0) await new GraphResolution(lookups.graph(), viaGraph, resolved, problems).run();
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1)
    throw new CloudAccessError(
      `${problems.length} principals were not resolved: ${problems.map((p, i) => `(${i + 1}) ${p.describe()}`).join('; ')}`,
      { input: 'principal' },
    );
  return resolved;
}

export function asCloudAccessError(error: unknown): CloudAccessError {
  return error instanceof CloudAccessError
    ? error
    : new CloudAccessError(error instanceof Error ? error.message : String(error), {
        input: 'principal',
        cause: error,
      });
}
