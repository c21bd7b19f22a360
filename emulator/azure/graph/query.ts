// Microsoft Graph's OData query options for directory objects, as the emulator understands them:
// `$filter` with `eq`, `in` (at most 15 values) and `startswith` joined by `and`, which work by
// default; `ne`, `not`, `endswith`, `$count`, `$search` and `$orderby` with a filter are advanced
// queries that need `ConsistencyLevel: eventual` (https://learn.microsoft.com/graph/aad-advanced-queries), else 400
// Request_UnsupportedQuery. Values compare case-insensitively, as Graph's do for these properties.

import { ArmFailure as GraphFailure } from '../rest/failure.js';

/** Graph answers an error as ARM does: `{ "error": { "code", "message" } }`, a status and headers. */
export { GraphFailure };

type Term =
  | { op: 'eq' | 'ne'; property: string; value: string | boolean }
  | { op: 'in'; property: string; values: string[] }
  | { op: 'startswith' | 'endswith'; property: string; value: string };

/** "`in`: limited to 15 expressions in the filter clause by default" (filter-query-parameter). */
export const IN_LIMIT = 15;
const STRING = `'((?:[^']|'')*)'`;
const unquote = (s: string) => s.replace(/''/g, "'");

const advanced = (what: string) =>
  new GraphFailure(
    400,
    'Request_UnsupportedQuery',
    `Unsupported Query. ${what} only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'`,
  );

/** The filter's terms, for `filterable` properties; advanced ones only with `eventual`. */
export function parseGraphFilter(filter: string, filterable: readonly string[], eventual: boolean): Term[] {
  const terms: Term[] = [];
  for (const raw of splitAnd(filter)) {
    const text = raw
      .trim()
      .replace(/^\((.*)\)$/s, '$1')
      .trim();
    let m: RegExpExecArray | null;
    let term: Term | undefined;
    if ((m = new RegExp(`^(\\w+)\\s+(eq|ne)\\s+(?:${STRING}|(true|false))$`, 'i').exec(text)))
      term = {
        op: m[2]!.toLowerCase() as 'eq' | 'ne',
        property: m[1]!,
        value: m[3] !== undefined ? unquote(m[3]) : m[4]!.toLowerCase() === 'true',
      };
    else if ((m = /^(\w+)\s+in\s+\((.*)\)$/is.exec(text))) {
      const values = [...m[2]!.matchAll(new RegExp(STRING, 'g'))].map((v) => unquote(v[1]!));
      if (values.length > IN_LIMIT)
        throw new GraphFailure(
          400,
          'Request_UnsupportedQuery',
          `The 'in' operator has ${values.length} values; at most ${IN_LIMIT} are supported.`,
        );
      term = { op: 'in', property: m[1]!, values };
    } else if ((m = new RegExp(`^(startswith|endswith)\\((\\w+)\\s*,\\s*${STRING}\\)$`, 'i').exec(text)))
      term = {
        op: m[1]!.toLowerCase() as 'startswith' | 'endswith',
        property: m[2]!,
        value: unquote(m[3]!),
      };
    else if (/^not[\s(]/i.test(text)) {
      if (!eventual) throw advanced("Operator 'not'");
    }
    if (!term)
      throw new GraphFailure(400, 'Request_BadRequest', `Invalid filter clause: '${text}' is not supported.`);
    if (!filterable.includes(term.property))
      throw new GraphFailure(
        400,
        'Request_UnsupportedQuery',
        `Unsupported or invalid query filter clause specified for property '${term.property}' of resource.`,
      );
    if ((term.op === 'ne' || term.op === 'endswith') && !eventual) throw advanced(`Operator '${term.op}'`);
    terms.push(term);
  }
  return terms;
}

/** `a and b` split at top level, quotes respected. */
function splitAnd(filter: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && /^\sand\s/i.test(filter.slice(i, i + 5))) {
      parts.push(filter.slice(start, i));
      start = i + 5;
    }
  }
  parts.push(filter.slice(start));
  return parts;
}

const same = (a: unknown, b: string | boolean) =>
  typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b;

export function matchesAll(object: Record<string, unknown>, terms: Term[]): boolean {
  return terms.every((t) => {
    const v = object[t.property];
    switch (t.op) {
      case 'eq':
        return same(v, t.value);
      case 'ne':
        return !same(v, t.value);
      case 'in':
        return t.values.some((x) => same(v, x));
      case 'startswith':
        return typeof v === 'string' && v.toLowerCase().startsWith(t.value.toLowerCase());
      case 'endswith':
        return typeof v === 'string' && v.toLowerCase().endsWith(t.value.toLowerCase());
    }
  });
}

/** `$select`'s properties (unknown ones refused, as Graph does), or the type's default set. */
export function selected(
  select: string | null,
  known: readonly string[],
  defaults: readonly string[],
): string[] {
  if (!select) return [...defaults];
  const names = select
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.find((n) => !known.includes(n));
  if (unknown)
    throw new GraphFailure(
      400,
      'Request_BadRequest',
      `Could not find a property named '${unknown}' on type 'microsoft.graph.directoryObject'.`,
    );
  return names;
}

export function project(object: Record<string, unknown>, properties: string[]): Record<string, unknown> {
  return Object.fromEntries(properties.filter((p) => p in object).map((p) => [p, object[p]]));
}

/** `$top`: 1 to 999 (https://learn.microsoft.com/graph/api/group-list), the emulator's page size by default. */
export function pageSize(top: string | null, fallback: number): number {
  if (top === null) return fallback;
  const n = Number(top);
  if (!Number.isInteger(n) || n < 1 || n > 999)
    throw new GraphFailure(
      400,
      'Request_BadRequest',
      `Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`,
    );
  return n;
}
