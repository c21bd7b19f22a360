// The forms an Azure `principal` takes (the input, and a manifest's entries): an object ID, or a
// name that Microsoft Graph resolves to exactly one object. Pure: what each text means, checked
// before any request; resolving the names is the Azure adapter's (azure/graph/principals.ts).
import { unsafePathReason } from './azure-scope.js';
import { GUID } from './patterns.js';

/** The ARM `principalType` a principal is written with. */
export type AzurePrincipalType = 'User' | 'Group' | 'ServicePrincipal' | 'ForeignGroup' | 'Device';

const AZURE_PRINCIPAL_TYPES: ReadonlySet<unknown> = new Set<AzurePrincipalType>([
  'User',
  'Group',
  'ServicePrincipal',
  'ForeignGroup',
  'Device',
]);

/** Whether a value (ARM's answer, say) is one of the principal types ARM writes. */
export const isAzurePrincipalType = (value: unknown): value is AzurePrincipalType =>
  AZURE_PRINCIPAL_TYPES.has(value);

/**
 * A principal as written. `object` needs no lookup (and no Graph permission): its type is the
 * `principal-type` input's. Every other form is looked up, and its type comes from the form or
 * from what Graph found.
 */
export type AzurePrincipalRef =
  /** A bare GUID or `object:GUID`; `bare`: written without a prefix (the client-ID mistake is checked for it). */
  | { kind: 'object'; id: string; bare: boolean }
  /** Text with `@`, or `user:UPN`: a user principal name (a guest's has `#EXT#`), or a guest's home e-mail. */
  | { kind: 'user'; upn: string }
  | { kind: 'group'; name: string }
  /** `sp:APP-ID`: the service principal of an application (client) ID. */
  | { kind: 'sp-app'; appId: string }
  | { kind: 'sp-name'; name: string }
  | { kind: 'mi-name'; name: string }
  /** `mi:/subscriptions/…/userAssignedIdentities/NAME`: read from ARM, no Graph permission needed. */
  | { kind: 'mi-resource'; resourceId: string }
  /** Untyped text without `@`: a group or service principal display name that must match exactly one. */
  | { kind: 'name'; name: string };

export const PRINCIPAL_PREFIXES = ['object', 'user', 'group', 'sp', 'mi'] as const;

const USER_ASSIGNED_IDENTITY =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w._()]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[-\w]+$/i;

/** A prefix is letters (then letters, digits, `-`) before the first `:`, with no space. */
const PREFIX = /^([A-Za-z][A-Za-z0-9-]*):/;

/** What `text` names, or why it names nothing (the message shown after the value). */
export function parsePrincipalForm(text: string): AzurePrincipalRef | { problem: string; fix: string } {
  const value = text.trim();
  if (GUID.test(value)) return { kind: 'object', id: value.toLowerCase(), bare: true };
  const prefix = PREFIX.exec(value)?.[1];
  if (prefix === undefined) {
    if (value.includes('@')) return userForm(value);
    // Display names are free text, but not GUIDs with something around them, nor a list's brackets.
    if (
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.test(value) ||
      /^[[\]"']|[\]"']$/.test(value)
    )
      return {
        problem: 'is neither an Entra object ID (a GUID) nor a name',
        fix: 'pass the object ID of the user, group or service principal, or a name (`group:NAME`, `sp:NAME`, a UPN)',
      };
    return { kind: 'name', name: value };
  }
  const rest = value.slice(prefix.length + 1).trim();
  const known = PRINCIPAL_PREFIXES.find((p) => p === prefix.toLowerCase());
  if (!known) {
    // `alice@contoso.com` has no prefix; `mailto:` and the like are not a form of ours.
    return {
      problem: `has the unknown prefix \`${prefix}:\``,
      fix: `use one of ${PRINCIPAL_PREFIXES.map((p) => `\`${p}:\``).join(', ')}, a user principal name, or an object ID (a name with a colon in it is written \`group:NAME\` or \`sp:NAME\`)`,
    };
  }
  if (rest === '')
    return { problem: `has nothing after \`${known}:\``, fix: `write the name or ID after \`${known}:\`` };
  switch (known) {
    case 'object':
      return GUID.test(rest)
        ? { kind: 'object', id: rest.toLowerCase(), bare: false }
        : { problem: 'is not `object:` and a GUID', fix: 'write `object:` and the Entra object ID' };
    case 'user':
      return userForm(rest);
    case 'group':
      return { kind: 'group', name: rest };
    case 'sp':
      return GUID.test(rest)
        ? { kind: 'sp-app', appId: rest.toLowerCase() }
        : { kind: 'sp-name', name: rest };
    case 'mi':
      return rest.startsWith('/') ? identityResource(rest) : { kind: 'mi-name', name: rest };
  }
}

function userForm(upn: string): AzurePrincipalRef | { problem: string; fix: string } {
  if (/\s/.test(upn))
    return {
      problem: 'is not a user principal name: it has spaces',
      fix: 'write the UPN without spaces (`alice@contoso.com`); separate several principals with commas or newlines',
    };
  const at = upn.lastIndexOf('@');
  if (at <= 0 || at === upn.length - 1)
    return {
      problem: 'is not a user principal name (`name@domain`)',
      fix: 'write it as `alice@contoso.com`',
    };
  return { kind: 'user', upn };
}

function identityResource(resourceId: string): AzurePrincipalRef | { problem: string; fix: string } {
  const unsafe = unsafePathReason(resourceId);
  if (unsafe || !USER_ASSIGNED_IDENTITY.test(resourceId))
    return {
      problem: `is not a user-assigned managed identity resource ID${unsafe ? `: ${unsafe}` : ''}`,
      fix: 'write `mi:/subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}`, or `mi:NAME`',
    };
  return { kind: 'mi-resource', resourceId };
}

/** One key per principal however it was spelled (names compare case-insensitively, as Graph's `eq` does). */
export function principalKey(ref: AzurePrincipalRef): string {
  switch (ref.kind) {
    case 'object':
      return `object:${ref.id}`;
    case 'user':
      return `user:${ref.upn.toLowerCase()}`;
    case 'sp-app':
      return `sp-app:${ref.appId}`;
    case 'mi-resource':
      return `mi-resource:${ref.resourceId.toLowerCase()}`;
    default:
      return `${ref.kind}:${ref.name.toLowerCase()}`;
  }
}

/** The value a form looks up: the UPN, name, application ID, resource ID or object ID. */
export function principalValue(ref: AzurePrincipalRef): string {
  switch (ref.kind) {
    case 'object':
      return ref.id;
    case 'user':
      return ref.upn;
    case 'sp-app':
      return ref.appId;
    case 'mi-resource':
      return ref.resourceId;
    default:
      return ref.name;
  }
}

/** The prefix the log names a form's value with: the one it is written with, `sp:` and `mi:` for either of theirs. */
const SHOWN_PREFIX: Record<AzurePrincipalRef['kind'], string> = {
  object: '',
  user: '',
  group: 'group:',
  'sp-app': 'sp:',
  'sp-name': 'sp:',
  'mi-name': 'mi:',
  'mi-resource': 'mi:',
  name: '',
};

/** The principal as the log names it: `group:ops`, `sp:…`, `alice@contoso.com`, the GUID. */
export function describePrincipal(ref: AzurePrincipalRef): string {
  return `${SHOWN_PREFIX[ref.kind]}${principalValue(ref)}`;
}

/** The type a form fixes by itself (undefined: an object ID takes `principal-type`, a bare name Graph's). */
export function typeOfForm(ref: AzurePrincipalRef): AzurePrincipalType | undefined {
  switch (ref.kind) {
    case 'user':
      return 'User';
    case 'group':
      return 'Group';
    case 'sp-app':
    case 'sp-name':
    case 'mi-name':
    case 'mi-resource':
      return 'ServicePrincipal';
    default:
      return undefined;
  }
}

/** Whether resolving the form asks Microsoft Graph (and so needs a Graph token and permission). */
export function needsGraph(ref: AzurePrincipalRef): boolean {
  return ref.kind !== 'object' && ref.kind !== 'mi-resource';
}

/**
 * An OData string literal: quoted, a `'` doubled ("Escaping single quotes", Graph's
 * query-parameters docs). The caller percent-encodes the whole filter.
 */
export function odataLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `values` in chunks of at most `size` (Graph's `in` takes 15 values by default, `$batch` 20 requests). */
export function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}
