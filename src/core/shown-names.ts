// The names a person reads beside the IDs a change is made of: a principal's user name or display
// name, a permission set's or role's name, an account's name. The cloud sends them, so they are
// server text: every place that shows one makes it inert (the log, the summary's HTML, the
// outputs' JSON) as it does the IDs beside it. Pure.
//
// A name is whatever its owner chose: a group may be called exactly like a user's UPN. So a
// principal is shown with its kind first (`group alice@contoso.com (id)`), from its type, never
// from its name: a reviewer reads who gains access, not who the name says.

/** What a principal is, in the words a row shows before it. */
export type PrincipalKind = 'user' | 'group' | 'service principal' | 'foreign group' | 'device';

/** AWS's `USER` / `GROUP` and ARM's principalType values, compared lower-cased. */
const KINDS = new Map<string, PrincipalKind>([
  ['user', 'user'],
  ['group', 'group'],
  ['serviceprincipal', 'service principal'],
  ['foreigngroup', 'foreign group'],
  ['device', 'device'],
]);

/** The kind of a cloud's principal type (AWS `GROUP`, ARM `ServicePrincipal` …); none for any other text. */
export function principalKindOf(type: string | undefined): PrincipalKind | undefined {
  return type ? KINDS.get(type.toLowerCase()) : undefined;
}

/** What a principal, role and target are called, where known. */
export interface AssignmentNames {
  principal?: string;
  role?: string;
  target?: string;
  /**
   * What the directory says the principal is, where it was asked: it outranks the type the file
   * or `principal-type` gave (an object ID written as a `User` may be a group's).
   */
  principalKind?: PrincipalKind;
}

/** The names as a grant carries them into its result (`principalName`, `roleName`, `targetName`). */
export interface NameFields {
  principalName?: string;
  roleName?: string;
  targetName?: string;
  /** See AssignmentNames.principalKind: shown before the principal; `results` has the written type. */
  principalKind?: PrincipalKind;
}

/**
 * The characters that delimit a shown row's IDs and columns (`name (id) → target / role`), white
 * space at either end, and a kind's word at the start. A name holding one is quoted (its own `"`
 * and `\` escaped; the rest is left to the inert-text helpers): a principal's name cannot pass for
 * another's ID (a group called `alice@contoso.com (<alice's object ID>)`), for another target or
 * role, or for a kind (a user called `group admins`, shown where its type is not known).
 */
const LAYOUT = /[()/→"\\]|^\s|\s$|^(?:user|group|service principal|foreign group|device)\s/iu;

/** `name (id)`, or the text alone when no name is known or the text is the name already. */
export function named(text: string, name: string | undefined): string {
  if (!name || name === text) return text;
  return `${LAYOUT.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : name} (${text})`;
}

/**
 * A principal as a row shows it: its kind, where known, before `name (id)`
 * (`group "alice@contoso.com (…)" (…)`, `service principal deploy (…)`, `user alice (…)`).
 */
export function namedPrincipal(
  text: string,
  name: string | undefined,
  kind: PrincipalKind | undefined,
): string {
  const shown = named(text, name);
  return kind && shown ? `${kind} ${shown}` : shown;
}

/** The fields for the names known, and none for those that are not. */
export function nameFields(names: AssignmentNames | undefined): NameFields {
  return {
    ...(names?.principal ? { principalName: names.principal } : {}),
    ...(names?.role ? { roleName: names.role } : {}),
    ...(names?.target ? { targetName: names.target } : {}),
    ...(names?.principalKind ? { principalKind: names.principalKind } : {}),
  };
}
