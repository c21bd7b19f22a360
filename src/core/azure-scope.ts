// Azure scopes: validated and written the way ARM writes them, so that the same scope always
// yields the same deterministic assignment name (azure-assignment-name.ts) and compares equal to
// what the API returns.
import { GUID } from './patterns.js';

/** `root`: the tenant's root scope `/`, which ARM lists assignments at and no input names. */
export type ScopeKind = 'root' | 'managementGroup' | 'subscription' | 'resourceGroup' | 'resource';

export interface AzureScope {
  /** `/subscriptions/{id}/resourceGroups/{rg}…` with a leading slash and ARM's casing of the keywords. */
  scope: string;
  kind: ScopeKind;
  /** The subscription the SDK client is created for (management groups: none). */
  subscriptionId?: string;
}

/**
 * ARM's resource group names: 1–90 characters of letters and digits (Unicode's too: ARM checks
 * .NET's `Char.IsLetterOrDigit`, so `rg-données` and `rg-日本` are valid), `_`, `(`, `)`, `-` and
 * `.`, not ending in `.`. Combining marks are letters' parts in many scripts; invisible ones are
 * refused with every invisible character (unsafePathReason).
 */
const RESOURCE_GROUP_NAME = /^[-\p{L}\p{M}\p{Nd}_.()]+$/u;
/** ARM counts a name's length in UTF-16 units, as a JavaScript string does. */
const RESOURCE_GROUP_MAX = 90;
const SEGMENT = /^[^/?#\s\p{Cc}]{1,260}$/u;
const MANAGEMENT_GROUP_ID = /^[\w().-]{1,90}$/;

/**
 * Why `path` could name another place than it seems to once it is in a URL, or undefined when it
 * cannot. The SDKs put scopes and IDs into request URLs unencoded, and URL parsing resolves `.` and
 * `..` segments (also spelt `%2e`), treats a backslash as `/`, and cuts at `?` and `#`: a target of
 * `…/storageAccounts/x/../../../..` would be granted at the subscription while the log named the
 * storage account. Invisible characters (U+202E, U+200B…) make a scope read as another. So any of
 * these is refused rather than normalised: what is granted is exactly what the log shows.
 */
export function unsafePathReason(path: string): string | undefined {
  // Default-ignorable code points are drawn as nothing (U+3164 HANGUL FILLER is a letter, U+034F
  // and the variation selectors are marks): a scope holding one reads as another.
  const invisible = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u.exec(path);
  if (invisible) {
    const code = invisible[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `it contains the invisible or control character U+${code}`;
  }
  if (path.includes('%')) return 'it contains a percent escape (`%`); write the characters themselves';
  if (/[?#]/.test(path)) return 'it contains `?` or `#`, which would end the URL path';
  if (path.includes('\\')) return 'it contains a backslash, which URLs read as `/`';
  const segments = path.replace(/^\/+/, '').split('/');
  if (segments.some((s) => s === '.' || s === '..'))
    return 'it contains a `.` or `..` segment, which would move the scope to another place';
  if (segments.some((s) => s.length === 0)) return 'it has an empty path segment';
  // One name, two spellings (`é` as one character or as `e` and a combining accent) look alike.
  if (path.normalize('NFC') !== path)
    return 'it is not in Unicode NFC form (a letter and its accent written apart); write each accented letter as one character';
  return compatibilityReason(path);
}

/**
 * Why `path` would be path syntax once compatibility-normalised (NFKC: `．．` and `‥` are `..`,
 * `／` is `/`, `％` is `%`), or undefined. What a server or proxy on the way normalises is not
 * documented, so a scope that would then move, or hold a `/`, `%`, `?`, `#` or backslash, is
 * refused: a `..` in any spelling.
 */
function compatibilityReason(path: string): string | undefined {
  const compatible = path.normalize('NFKC');
  if (compatible === path) return undefined;
  const segments = compatible.replace(/^\/+/, '').split('/');
  if (
    /[%?#\\]/.test(compatible) ||
    compatible.split('/').length !== path.split('/').length ||
    segments.some((s) => s === '.' || s === '..')
  )
    return 'its Unicode compatibility form (NFKC) holds path syntax (a `/`, a `.` or `..` segment, `%`, `?`, `#` or a backslash): write the name in plain characters';
  return undefined;
}

/**
 * A scope as it is compared and keyed: ASCII letters lower-cased, every other character as
 * written. ARM ignores the case of names, but how it folds letters beyond ASCII is not documented,
 * and JavaScript's toLowerCase folds some it may keep apart (`ẞ` and `ß`, `İ` and `i̇`, `ϴ` and
 * `θ`): two resource groups must never be taken for one, so only the fold ARM surely makes is made.
 */
export function scopeKey(scope: string): string {
  return scope.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/**
 * Why a scope without its leading `/` is refused, with the form it was likely meant as: the path
 * with its `/` when it starts as a scope does; otherwise as `meantAs` reads it.
 */
function withoutSlash(path: string): string {
  const head = path.split('/')[0]!.toLowerCase();
  if (head === 'subscriptions' || head === 'providers')
    return `a scope starts with \`/\`: write \`/${path}\``;
  return meantAs(path) ?? SCOPE_STARTS;
}

const SCOPE_STARTS =
  'a scope starts with /subscriptions/{id} or /providers/Microsoft.Management/managementGroups/{id}';

/**
 * The scope a path that does not start as one was likely meant as, with or without its `/`: a
 * bare subscription ID as the subscription; a bare resource group name (or `resourceGroups/{name}`)
 * under its subscription, whose ID only the user knows (`/rg-app` would be refused again).
 */
function meantAs(path: string): string | undefined {
  const [first, second, ...rest] = path.replace(/^\//, '').split('/');
  if (second === undefined && GUID.test(first!))
    return `a scope starts with \`/subscriptions/{id}\`: a subscription is written \`/subscriptions/${first!.toLowerCase()}\``;
  const group =
    second === undefined
      ? first
      : first!.toLowerCase() === 'resourcegroups' && rest.length === 0
        ? second
        : undefined;
  if (group === undefined || !RESOURCE_GROUP_NAME.test(group) || group.endsWith('.')) return undefined;
  return `a scope starts with \`/subscriptions/{id}\`: a resource group is written with its subscription, \`/subscriptions/<subscription-id>/resourceGroups/${group}\``;
}

/** Returns the normalised scope, or a sentence saying why `value` is not one. */
export function parseAzureScope(value: string): AzureScope | string {
  const trimmed = value.trim().replace(/\/$/, '');
  if (/^https?:\/\//i.test(trimmed))
    return 'it is a URL: give the scope, the path after the host, e.g. /subscriptions/{id}';
  const unsafe = unsafePathReason(trimmed);
  if (unsafe) return unsafe;
  // Granted exactly as written: a scope without its leading `/` is refused, not completed.
  if (!trimmed.startsWith('/')) return withoutSlash(trimmed);
  const path = trimmed.slice(1);
  const parts = path.split('/');
  const [first, second, third, fourth, ...rest] = parts;
  if (first?.toLowerCase() === 'providers') {
    if (
      second?.toLowerCase() === 'microsoft.management' &&
      third?.toLowerCase() === 'managementgroups' &&
      fourth !== undefined &&
      rest.length === 0
    ) {
      if (!MANAGEMENT_GROUP_ID.test(fourth)) return `management group ID \`${fourth}\` is not valid`;
      return { scope: `/providers/Microsoft.Management/managementGroups/${fourth}`, kind: 'managementGroup' };
    }
    return 'a /providers scope must be /providers/Microsoft.Management/managementGroups/{id}';
  }
  if (first?.toLowerCase() !== 'subscriptions' || second === undefined) return meantAs(path) ?? SCOPE_STARTS;
  if (!GUID.test(second)) return `subscription ID \`${second}\` is not a GUID`;
  const subscriptionId = second.toLowerCase();
  if (third === undefined)
    return { scope: `/subscriptions/${subscriptionId}`, kind: 'subscription', subscriptionId };
  if (third.toLowerCase() !== 'resourcegroups' || fourth === undefined) {
    return 'after /subscriptions/{id} a scope continues with /resourceGroups/{name}';
  }
  if (!RESOURCE_GROUP_NAME.test(fourth) || fourth.length > RESOURCE_GROUP_MAX || fourth.endsWith('.'))
    return `resource group name \`${fourth}\` is not valid`;
  const resourceGroup = `/subscriptions/${subscriptionId}/resourceGroups/${fourth}`;
  if (rest.length === 0) return { scope: resourceGroup, kind: 'resourceGroup', subscriptionId };
  // A resource: /providers/{Namespace}/{type}/{name}[/{type}/{name}]…
  const [providers, namespace, ...typesAndNames] = rest;
  if (
    providers?.toLowerCase() !== 'providers' ||
    namespace === undefined ||
    !/^[A-Za-z]+\.[A-Za-z.]+$/.test(namespace)
  ) {
    return 'a resource scope continues with /providers/{Namespace}/{type}/{name}';
  }
  if (typesAndNames.length < 2 || typesAndNames.length % 2 !== 0) {
    return 'a resource scope needs /{type}/{name} pairs after the provider namespace';
  }
  if (!typesAndNames.every((s) => SEGMENT.test(s)))
    return 'a resource type or name has characters ARM does not allow';
  return {
    scope: `${resourceGroup}/providers/${namespace}/${typesAndNames.join('/')}`,
    kind: 'resource',
    subscriptionId,
  };
}

/** The tenant's root scope, as ARM writes it on an assignment made there (`"scope": "/"`). */
export const ROOT_SCOPE: AzureScope = { scope: '/', kind: 'root' };

/**
 * A scope as ARM lists it on an assignment: the root `/` too (an assignment there applies to every
 * scope of the tenant), else as an input's is parsed. Only for what a read returns: no input takes
 * `/`, so nothing is ever granted or deleted there.
 */
export function parseListedScope(value: string): AzureScope | string {
  return value === ROOT_SCOPE.scope ? ROOT_SCOPE : parseAzureScope(value);
}

/**
 * Whether an assignment at `at`, listed at `target`, applies to it from above (inherited): the
 * root always; one at or under the target by path never. A management group's list also holds
 * what is assigned in the subscriptions under it, whose IDs do not nest under its own: one at a
 * subscription, resource group or resource is under a management group target, never above it (a
 * management group is above every subscription, never below one).
 */
export function inheritedInto(at: AzureScope, target: AzureScope): boolean {
  if (at.kind === 'root') return target.kind !== 'root';
  if (atOrUnder(at.scope, target.scope)) return false;
  return !(target.kind === 'managementGroup' && at.kind !== 'managementGroup');
}

/**
 * A role assignment's ID: its scope and its name (a GUID), as ARM spells it and a delete builds it
 * (at the root `/`, the ID starts at `/providers`).
 */
export const assignmentIdOf = (scope: string, name: string): string =>
  `${scope === ROOT_SCOPE.scope ? '' : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;

/**
 * The trailing GUID of a role definition ID, lower-cased. ARM echoes
 * `/providers/Microsoft.Authorization/roleDefinitions/{guid}` for a role sent as
 * `/subscriptions/{sub}/providers/…/{guid}` (as the RoleAssignments_CreateForSubscription example in
 * __tests__/fixtures/contracts shows it), so role definitions compare by GUID.
 */
export function roleGuidOf(roleDefinitionId: string): string {
  const last = roleDefinitionId.slice(roleDefinitionId.lastIndexOf('/') + 1);
  return last.toLowerCase();
}

/** At or under `scope`, by path (ARM's IDs nest so; a subscription under a management group does not). */
export const atOrUnder = (id: string, scope: string): boolean =>
  scopeKey(id) === scopeKey(scope) || scopeKey(id).startsWith(`${scopeKey(scope)}/`);
