// The names a person reads beside the IDs a change is made of: a principal's user name or display
// name, a permission set's or role's name, an account's name. The cloud sends them, so they are
// server text: every place that shows one makes it inert (the log, the summary's HTML, the
// outputs' JSON) as it does the IDs beside it. Pure.
/** What a principal, role and target are called, where known. */
export interface AssignmentNames {
  principal?: string;
  role?: string;
  target?: string;
}

/** The names as a grant carries them into its result (`principalName`, `roleName`, `targetName`). */
export interface NameFields {
  principalName?: string;
  roleName?: string;
  targetName?: string;
}

/**
 * The characters that delimit a shown row's IDs and columns (`name (id) → target / role`), and
 * white space at either end. A name holding one is quoted (its own `"` and `\` escaped; the rest
 * is left to the inert-text helpers): a principal's name cannot pass for another's ID (a group
 * called `alice@contoso.com (<alice's object ID>)`) or for another target or role.
 */
const LAYOUT = /[()/→"\\]|^\s|\s$/u;

/** `name (id)`, or the text alone when no name is known or the text is the name already. */
export function named(text: string, name: string | undefined): string {
  if (!name || name === text) return text;
  return `${LAYOUT.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : name} (${text})`;
}

/** The fields for the names known, and none for those that are not. */
export function nameFields(names: AssignmentNames | undefined): NameFields {
  return {
    ...(names?.principal ? { principalName: names.principal } : {}),
    ...(names?.role ? { roleName: names.role } : {}),
    ...(names?.target ? { targetName: names.target } : {}),
  };
}
