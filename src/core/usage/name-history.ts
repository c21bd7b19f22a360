// Names over time, as the report's snapshot sees them: each permission set's (and user's) name with
// when it held it, so a sign-in, which names its set (an older record its user) only by the name at
// the time, is matched to the one that had that name then. IAM Identity Center never renames a set
// (UpdatePermissionSet takes no name) and keeps names unique among the sets that exist, so a name
// moves only when a set is deleted and another made under it: the old set's span ends when a run
// sees it gone or sees another set under its name (a `role` report lists no other set), and the new
// one's starts open (unknown), so a sign-in between the two reads matches both and is left
// unmatched, never given to the wrong set. Pure.
import type { NameSpan } from './last-used.js';

/** A name as the step knows it now: the thing's ID and its name. */
export interface CurrentName {
  id: string;
  name: string;
}

/**
 * The history brought up to date at `now`: a current name not yet kept opens a span; a kept span
 * whose thing now has another name, whose name another thing now has, or (given `listed`, every ID
 * that exists now) is gone, ends at `now`. Spans of things not seen this run and not known gone stay
 * open.
 */
export function updatedNames(
  history: readonly NameSpan[],
  current: readonly CurrentName[],
  now: number,
  listed?: readonly string[],
): NameSpan[] {
  const exists = listed ? new Set(listed) : undefined;
  const unique = [...new Map(current.map((c) => [c.id, c])).values()];
  const named = new Map(unique.map((c) => [c.id, c.name]));
  const next: NameSpan[] = history.map((span) => {
    if (span.until !== undefined) return { ...span };
    const name = named.get(span.id);
    // Names are unique among the things that exist: another holding this one now proves it gone.
    const taken = unique.some((c) => c.name === span.name && c.id !== span.id);
    const gone =
      (name !== undefined && name !== span.name) || taken || (exists !== undefined && !exists.has(span.id));
    return gone ? { ...span, until: now } : { ...span };
  });
  for (const { id, name } of unique) {
    const open = next.some((s) => s.id === id && s.name === name && s.until === undefined);
    if (open) continue;
    // A thing seen again under a name it had and lost: its new span starts now.
    const had = next.some((s) => s.id === id);
    next.push(had ? { id, name, from: now } : { id, name });
  }
  return next;
}

/** The spans without those that ended before `before` (nothing older is matched any more). */
export const namesSince = (history: readonly NameSpan[], before: number): NameSpan[] =>
  history.filter((s) => s.until === undefined || s.until > before);
