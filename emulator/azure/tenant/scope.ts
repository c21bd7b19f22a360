// ARM scopes: parsed from a request path, canonicalised, compared the way ARM does
// (case-insensitively, `resourceGroups` / `providers` in any case, empty segments ignored).

export type ScopeKind = 'root' | 'managementGroup' | 'subscription' | 'resourceGroup' | 'resource';

export interface Scope {
  kind: ScopeKind;
  /** Canonical form, as ARM echoes it: `/subscriptions/{id}/resourceGroups/{rg}`, `/` for the root. */
  path: string;
  /** `path` lower-cased: the identity of the scope. */
  key: string;
  subscriptionId?: string;
  resourceGroup?: string;
  managementGroup?: string;
}

export class ScopeError extends Error {}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (value: string): boolean => GUID.test(value);

const eq = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

/** Splits a path into its non-empty, percent-decoded segments (`//` tolerated like ARM). */
export function pathSegments(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/** Parses scope segments; throws ScopeError for a shape ARM does not accept as a scope. */
export function parseScopeSegments(segments: string[]): Scope {
  const make = (kind: ScopeKind, parts: string[], extra: Partial<Scope> = {}): Scope => {
    const path = `/${parts.join('/')}`;
    return { kind, path, key: path.toLowerCase(), ...extra };
  };
  if (segments.length === 0) return make('root', []);
  const [first, second, third, fourth, ...rest] = segments;
  if (
    eq(first, 'providers') &&
    eq(second, 'Microsoft.Management') &&
    eq(third, 'managementGroups') &&
    fourth
  ) {
    if (rest.length > 0) throw new ScopeError(`unsupported scope below management group '${fourth}'`);
    return make('managementGroup', ['providers', 'Microsoft.Management', 'managementGroups', fourth], {
      managementGroup: fourth,
    });
  }
  if (!eq(first, 'subscriptions') || !second) throw new ScopeError(`'/${segments.join('/')}' is not a scope`);
  const subscriptionId = second;
  const parts = ['subscriptions', subscriptionId];
  let i = 2;
  let resourceGroup: string | undefined;
  if (eq(segments[i], 'resourceGroups')) {
    resourceGroup = segments[i + 1];
    if (!resourceGroup) throw new ScopeError('the resource group name is missing');
    parts.push('resourceGroups', resourceGroup);
    i += 2;
  }
  if (i === segments.length) {
    return make(resourceGroup ? 'resourceGroup' : 'subscription', parts, {
      subscriptionId,
      ...(resourceGroup ? { resourceGroup } : {}),
    });
  }
  // providers/{namespace}/{type}/{name}[/{type}/{name}]…
  const resource = segments.slice(i);
  if (!eq(resource[0], 'providers') || resource.length < 4 || (resource.length - 2) % 2 !== 0) {
    throw new ScopeError(`'/${segments.join('/')}' is not a resource ID`);
  }
  parts.push('providers', ...resource.slice(1));
  return make('resource', parts, { subscriptionId, ...(resourceGroup ? { resourceGroup } : {}) });
}

export function parseScope(scope: string): Scope {
  return parseScopeSegments(pathSegments(scope));
}

/** Resource IDs nest by path: `a` contains `b` when it is `b` or a path prefix of it. */
export function pathContains(a: Scope, b: Scope): boolean {
  return b.key === a.key || b.key.startsWith(`${a.key}/`);
}
