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

/** `name (id)`, or the text alone when no name is known or the text is the name already. */
export function named(text: string, name: string | undefined): string {
  return name && name !== text ? `${name} (${text})` : text;
}

/** The fields for the names known, and none for those that are not. */
export function nameFields(names: AssignmentNames | undefined): NameFields {
  return {
    ...(names?.principal ? { principalName: names.principal } : {}),
    ...(names?.role ? { roleName: names.role } : {}),
    ...(names?.target ? { targetName: names.target } : {}),
  };
}
