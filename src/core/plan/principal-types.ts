// An Azure object ID in a manifest is written with its entry's `principal-type` (User when the
// entry gives none), and ARM refuses a create whose type is not the directory's
// (UnmatchedPrincipalType). Refused at apply, it comes after other writes of the plan ran, and a
// dry run would have said "would create" for it. So the plan's creates are held against what the
// directory said of their IDs as the plan's names were read, and each contradiction is a problem on
// its line before any write. Pure.
import type { ManifestProblem } from '../manifest/nodes.js';
import type { AzureManifestEntry } from '../manifest/types.js';
import type { AzurePrincipalType } from '../principal-forms.js';

/** A create's principal as its entry wrote it: an object ID, with the entry's `principal-type`. */
export interface TypedByEntry {
  /** Lower-cased. */
  principalId: string;
  principalType: AzurePrincipalType;
  /** Whether the entry writes `principal-type`; else its type is the default, User. */
  typeWritten: boolean;
  /** The entry's line and path (`azure.assignments[0]`). */
  line: number;
  path: string;
  /** How many principals the entry lists: they share its one `principal-type`. */
  principals: number;
}

/** An entry's object ID as the entry writes it. */
export const typedByEntry = (entry: AzureManifestEntry, principalId: string): TypedByEntry => ({
  principalId: principalId.toLowerCase(),
  principalType: entry.principalType,
  typeWritten: entry.principalTypeWritten,
  line: entry.line,
  path: entry.path,
  principals: entry.principals.length,
});

/**
 * The types the directory is asked about by object ID (users, groups, service principals). A
 * ForeignGroup or Device is none of those collections' objects, so what ARM makes of one is left
 * to ARM: refusing it here could refuse an entry that ARM would accept.
 */
const CHECKED: ReadonlySet<AzurePrincipalType> = new Set(['User', 'Group', 'ServicePrincipal']);

/**
 * Each entry's object ID whose type the directory gave and contradicts, once per entry: the
 * problem names the ID, both types and the `principal-type` to set. An ID the directory did not
 * type (not found, or not readable without a Graph permission) is no problem: nothing is known.
 */
export function principalTypeContradictions(
  creates: readonly TypedByEntry[],
  directoryTypeOf: (principalId: string) => AzurePrincipalType | undefined,
): ManifestProblem[] {
  const seen = new Set<string>();
  return creates.flatMap((c) => {
    const actual = directoryTypeOf(c.principalId);
    const once = `${c.line}|${c.principalId}`;
    if (!actual || actual === c.principalType || !CHECKED.has(c.principalType) || seen.has(once)) return [];
    seen.add(once);
    return [
      {
        line: c.line,
        message: `\`${c.path}.principal\`: \`${c.principalId}\` is a ${actual} in the directory, but the entry's \`principal-type\` is ${c.principalType}${c.typeWritten ? '' : ' (the default)'}, and ARM refuses the create (UnmatchedPrincipalType)`,
        fix: `set \`principal-type: ${actual}\`${c.principals > 1 ? ` (an entry's principals share its one \`principal-type\`: one of another type needs an entry of its own)` : ''}`,
      },
    ];
  });
}
