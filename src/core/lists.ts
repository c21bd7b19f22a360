/** A list input: values separated by newlines or commas, trimmed, empty entries dropped. */
export function parseList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/** Keeps the first of each value, comparing by `key`. */
export function unique<T>(values: T[], key: (value: T) => string = String): T[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const k = key(value);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Edit distance, for "did you mean" suggestions: insertions, deletions, substitutions, and two
 * neighbours swapped (`ailce` for `alice`), each one edit, since a transposition is the commonest
 * typo (the optimal string alignment distance).
 */
export function editDistance(a: string, b: string): number {
  let before = Array.from({ length: b.length + 1 }, () => 0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/** "did you mean `A`, `B`?" with the candidates close to `wanted`; undefined when none is. */
export function didYouMean(wanted: string, candidates: string[], count = 3): string | undefined {
  const close = closestNames(wanted, candidates, count);
  return close.length > 0 ? `did you mean ${close.map((n) => `\`${n}\``).join(', ')}?` : undefined;
}

/**
 * The candidates close to `wanted`, best first: the same name in another case, one a few edits
 * away (at most a third of the name's length: a typo, not another name), or one that shares a long
 * start with it (`AdminAccess` and `AdministratorAccess`: at least PREFIX_CHARS characters, and half
 * of the shorter name). Every suggestion goes through this, so "did you mean" never offers a name
 * that merely happens to be the least far of unrelated ones (`ViewOnlyAccess` for `Billing`), nor
 * one with a backtick, which its code span could not hold.
 */
export function closestNames(wanted: string, candidates: string[], count = 3): string[] {
  const w = wanted.toLowerCase();
  // A suggestion is shown as code (`name`): a name with a backtick would close that span and write
  // words of its own into the action's advice (a directory's names are anyone's to choose).
  return unique(candidates.filter((name) => !name.includes('`')))
    .map((name) => ({ name, distance: closeness(w, name.toLowerCase()) }))
    .filter((c): c is { name: string; distance: number } => c.distance !== undefined)
    .sort((x, y) => x.distance - y.distance || x.name.localeCompare(y.name))
    .slice(0, count)
    .map((c) => c.name);
}

/** How short a shared start may be and still suggest a name: `ops` is too common to mean much. */
const PREFIX_CHARS = 4;

/** How far `candidate` is from `wanted` (both lower-cased), or undefined when it is not close. */
function closeness(wanted: string, candidate: string): number | undefined {
  const distance = editDistance(wanted, candidate);
  if (distance <= Math.max(1, Math.floor(wanted.length / 3))) return distance;
  let shared = 0;
  while (shared < wanted.length && wanted[shared] === candidate[shared]) shared++;
  const shorter = Math.min(wanted.length, candidate.length);
  return shared >= Math.max(PREFIX_CHARS, Math.floor(shorter / 2)) ? distance : undefined;
}
