// The control API's bodies, checked field by field: a misspelt or missing field, or a value of the
// wrong shape, is a 400 that names the field and says what it takes, never a call that quietly does
// something else (a caller that is not a session reads as "another caller" to the sweep).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from './common/http.js';

export type Json = Record<string, unknown>;

/** What a field takes: a check, and the words for it in the error (`12 digits`). */
export interface FieldRule {
  check(value: unknown): boolean;
  takes: string;
  optional?: boolean;
}

/** A body's fields by name; any other field is an error. */
export type BodyRules = Record<string, FieldRule>;

export class BodyError extends Error {}

export const object = (value: unknown): Json | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;

/** The request's JSON object body; a BodyError when it is not one. */
export async function jsonObjectBody(req: IncomingMessage): Promise<Json> {
  let parsed: unknown;
  try {
    parsed = JSON.parse((await readBody(req)) || '{}');
  } catch {
    throw new BodyError('the body is not JSON');
  }
  const body = object(parsed);
  if (!body) throw new BodyError('the body must be a JSON object');
  return body;
}

/** Checks `body` against `rules` (`path` prefixes nested fields: `caller.`); throws a BodyError naming the field. */
export function checkFields(body: Json, rules: BodyRules, path = ''): void {
  const unknown = Object.keys(body).filter((field) => !(field in rules));
  if (unknown.length > 0)
    throw new BodyError(
      `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `"${path}${f}"`).join(', ')} (known: ${Object.keys(rules).join(', ')})`,
    );
  for (const [field, rule] of Object.entries(rules)) {
    const value = body[field];
    if (value === undefined) {
      if (!rule.optional) throw new BodyError(`"${path}${field}" is missing: it takes ${rule.takes}`);
    } else if (!rule.check(value)) {
      throw new BodyError(`"${path}${field}" takes ${rule.takes}, got ${JSON.stringify(value)}`);
    }
  }
}

const matches = (pattern: RegExp) => (v: unknown) => typeof v === 'string' && pattern.test(v);

/** Rules the bodies share. */
export const FIELD = {
  text: (takes: string, optional = false): FieldRule => ({
    check: (v) => typeof v === 'string' && v.trim() !== '' && v.length <= 1024,
    takes,
    optional,
  }),
  pattern: (pattern: RegExp, takes: string, optional = false): FieldRule => ({
    check: matches(pattern),
    takes,
    optional,
  }),
  oneOf: (values: readonly string[], optional = false): FieldRule => ({
    check: (v) => typeof v === 'string' && values.includes(v),
    takes: `one of ${values.join(', ')}`,
    optional,
  }),
  /** Epoch ms, or an ISO 8601 time. */
  time: (optional = true): FieldRule => ({
    check: (v) =>
      (typeof v === 'number' && Number.isFinite(v)) ||
      (typeof v === 'string' && !Number.isNaN(Date.parse(v))),
    takes: 'epoch milliseconds or an ISO 8601 time',
    optional,
  }),
  digits: (takes: string, optional = false): FieldRule => ({
    check: (v) => typeof v === 'string' && /^[1-9]\d{0,19}$/.test(v),
    takes,
    optional,
  }),
};

/** `at` as epoch ms (FIELD.time checked it); undefined when absent. */
export const timeOf = (value: unknown): number | undefined =>
  value === undefined ? undefined : typeof value === 'number' ? value : Date.parse(String(value));

/**
 * Answers a route with its handler's result for the checked body: 200, or 400 with the error (a
 * BodyError followed by the route's body, `usage`).
 */
export async function answerBody(
  req: IncomingMessage,
  res: ServerResponse,
  usage: string,
  handler: (body: Json) => unknown,
): Promise<void> {
  try {
    sendJson(res, 200, handler(await jsonObjectBody(req)));
  } catch (error) {
    const message = (error as Error).message;
    sendJson(res, 400, { message: error instanceof BodyError ? `${message}; body: ${usage}` : message });
  }
}
