// A PIM schedule request's body as the service reads it (assignment and eligibility requests
// alike): its fields by JSON path, refused as Newtonsoft's converter words it, and what every
// request records of its body and caller. Apart from ./admit.ts so both kinds of request share it.
import { fail } from '../rest/failure.js';
import type { PimCall } from './route.js';

export const invalidContent = (detail: string) =>
  fail(
    400,
    'InvalidRequestContent',
    `The request content was invalid and could not be deserialized: '${detail}'.`,
  );

/** A JSON object member of `body` at `path`, or undefined when absent or null. */
export function objectAt(value: unknown, path: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalidContent(`Error converting value to type 'Object'. Path '${path}'.`);
  return value as Record<string, unknown>;
}

export function stringAt(
  object: Record<string, unknown> | undefined,
  key: string,
  path: string,
): string | null {
  const value = object?.[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string')
    throw invalidContent(`Error converting value to type 'System.String'. Path '${path}.${key}'.`);
  return value;
}

export function dateAt(
  object: Record<string, unknown> | undefined,
  key: string,
  path: string,
): number | null {
  const text = stringAt(object, key, path);
  if (text === null) return null;
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw invalidContent(`Could not convert string to DateTime: ${text}. Path '${path}.${key}'.`);
  return ms;
}

/**
 * What every schedule request (assignment or eligibility) records of its body and caller, as the
 * service echoes them: its name, scope, role and principal, justification, ticket and condition.
 * Its schedule comes later (`scheduleInfo` null until its window is read).
 */
export function requestFields(
  call: PimCall,
  p: Record<string, unknown>,
  ids: { name: string; roleGuid: string; principalId: string; principalType: string },
) {
  const ticketInfo = objectAt(p.ticketInfo, 'properties.ticketInfo');
  return {
    name: ids.name.toLowerCase(),
    scope: call.route.scope,
    roleGuid: ids.roleGuid,
    principalId: ids.principalId,
    principalType: ids.principalType,
    scheduleInfo: null,
    justification: stringAt(p, 'justification', 'properties'),
    ticketInfo: {
      ticketNumber: stringAt(ticketInfo, 'ticketNumber', 'properties.ticketInfo'),
      ticketSystem: stringAt(ticketInfo, 'ticketSystem', 'properties.ticketInfo'),
    },
    condition: stringAt(p, 'condition', 'properties'),
    conditionVersion: stringAt(p, 'conditionVersion', 'properties'),
    requestorId: String(call.caller.oid ?? '').toLowerCase(),
  };
}
