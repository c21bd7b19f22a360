// ARM's error answer, `{ "error": { "code", "message" } }` with a status and extra headers:
// thrown by the request handlers (role assignments, role definitions, PIM) and sent by arm/gateway.ts.
import type { JwtClaims } from '../../common/jwt.js';

export class ArmFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const fail = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  new ArmFailure(status, code, message, headers);

/** A GUID as ARM's messages print it. */
export const noDashes = (guid: string) => guid.replace(/-/g, '');

export const methodNotAllowed = (method: string) =>
  fail(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);

/** The gateway's 403 when the caller's roles do not allow `action` over `resourcePath`. */
export function authorizationFailure(caller: JwtClaims, action: string, resourcePath: string): ArmFailure {
  const oid = String(caller.oid ?? '');
  return fail(
    403,
    'AuthorizationFailed',
    `The client '${String(caller.appid ?? oid)}' with object id '${oid}' does not have authorization to perform action '${action}' over scope '${resourcePath}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    { 'x-ms-failure-cause': 'gateway' },
  );
}
