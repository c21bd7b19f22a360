// An Azure role assignment's ABAC condition, as part of what the assignment grants: the reconcile
// diff compares the file's with the one ARM stores, and a difference is an update. Pure.
//
// Compared exactly, character for character, version included: no white space is collapsed or
// trimmed. ARM stores the text it was sent and answers it back as it is (the REST article's
// example answer echoes it), so the file's condition, once written, reads back equal; and white
// space inside a quoted value (`StringEquals 'logs '`) is part of what the condition allows, so
// any normalisation could call two different conditions one. The file's text is trimmed once as
// the manifest is parsed (core/inputs/azure.ts abacCondition), before it is ever sent.

/** A condition and its version, exactly as written, or as ARM stores them. */
export interface AbacCondition {
  text: string;
  version: string;
}

/** What an update changes: the condition the cloud has (none when absent) → the file's. */
export interface ConditionChange {
  from: AbacCondition | undefined;
  to: AbacCondition | undefined;
}

/**
 * A condition as ARM answers it: none when absent, null or empty (ARM removes a condition that is
 * written as an empty string or null: "Add or edit Azure role assignment conditions using the REST
 * API", Delete a condition). A version ARM does not give is '' and so differs from any written.
 */
export function conditionOf(
  condition: string | null | undefined,
  version: string | null | undefined,
): AbacCondition | undefined {
  if (condition === undefined || condition === null || condition === '') return undefined;
  return { text: condition, version: version ?? '' };
}

/** Whether two conditions are one: both none, or the same text and version, exactly. */
export function sameCondition(a: AbacCondition | undefined, b: AbacCondition | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.text === b.text && a.version === b.version;
}

/**
 * What an update changes, in words, with each condition in a code span: `condition: none →
 * `…``, `condition: `…` → none`, or, when only the version differs, `condition version: 1.0 →
 * 2.0`. For the log (inert text) and the summary (the caller escapes it: conditionChangeHtml).
 */
export function conditionChangeText(change: ConditionChange): string {
  return conditionChangeParts(change)
    .map((p) => (p.code ? `\`${p.text}\`` : p.text))
    .join('');
}

/** A piece of conditionChangeText: words of ours, or a condition's text (the file's or the server's). */
export interface ChangePart {
  text: string;
  /** A condition's text, shown as code: it is never read as the sentence's own markup. */
  code: boolean;
}

export function conditionChangeParts({ from, to }: ConditionChange): ChangePart[] {
  const words = (text: string): ChangePart => ({ text, code: false });
  if (from && to && from.text === to.text)
    return [words(`condition version: ${from.version || 'none'} → ${to.version || 'none'}`)];
  const side = (c: AbacCondition | undefined): ChangePart[] =>
    c
      ? [
          { text: c.text, code: true },
          ...(c.version === '2.0' ? [] : [words(` (version ${c.version || 'none'})`)]),
        ]
      : [words('none')];
  return [words('condition: '), ...side(from), words(' → '), ...side(to)];
}
