// Azure Resource Manager's Microsoft.Authorization provider, api-version 2022-04-01: role
// assignments (create, get, delete, list; arm/assignments.ts) and role definitions (list, get,
// create, delete; arm/definitions.ts); and, at api-version 2020-10-01, PIM's schedule requests,
// schedules, instances and policies (pim/pim.ts). All behind ARM's gateway checks, here: bearer token,
// api-version, subscription, token buckets, RBAC. The routes and their api-versions: arm/route.ts.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyTransportFaults, readBody, startRecord } from '../../common/http.js';
import { JwtError, type JwtClaims } from '../../common/jwt.js';
import type { RequestRecord } from '../../common/requests.js';
import { roleAssignments } from './assignments.js';
import { roleDefinitions } from './definitions.js';
import { ArmFailure, authorizationFailure, fail } from '../rest/failure.js';
import { actionsOf, API_VERSIONS, isPim, operationOf, parseRoute, type ArmCall } from './route.js';
import type { AzureContext } from '../tenant/context.js';
import { ARM_AUDIENCE } from '../entra/exchange.js';
import { managedIdentityAnswer } from './managed-identities.js';
import { createPimHandler } from '../pim/pim.js';
import { PIM_RESOURCE_TYPES, pimWrites } from '../pim/route.js';
import { settlePim } from '../pim/schedules.js';
import { actionMatches } from '../tenant/roles.js';
import { isGuid, type Scope } from '../tenant/scope.js';
import { ArmBuckets, kindOf } from './throttling.js';

/** The audiences ARM accepts, as its InvalidAuthenticationTokenAudience message lists them. */
const ALLOWED_AUDIENCES = [
  'https://management.core.windows.net/',
  'https://management.core.windows.net',
  'https://management.azure.com/',
  'https://management.azure.com',
];

/** "11/22/2026 9:03:02 PM": how ARM prints times in ExpiredAuthenticationToken. */
function armTime(date: Date): string {
  const h = date.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${h % 12 || 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

export function createArmHandler(ctx: AzureContext) {
  const buckets = new ArmBuckets(() => ctx.config);
  const pim = createPimHandler(ctx);

  const authenticate = (req: IncomingMessage): JwtClaims => {
    const header = req.headers.authorization;
    const challenge = (error: string, description: string) => ({
      'www-authenticate': `Bearer authorization_uri="https://login.windows.net/${ctx.state.tenantId}", error="${error}", error_description="${description}"`,
    });
    if (!header) {
      throw fail(
        401,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is missing.",
        challenge('invalid_token', "The authentication failed because of missing 'Authorization' header."),
      );
    }
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      throw fail(
        401,
        'AuthenticationFailedInvalidHeader',
        "Authentication failed. The 'Authorization' header is provided in an invalid format.",
        challenge('invalid_token', "The authentication failed because of invalid 'Authorization' header."),
      );
    }
    let claims: JwtClaims;
    try {
      claims = ctx.entraIssuer.verify(m[1]!);
    } catch (error) {
      if (error instanceof JwtError && error.reason === 'expired') {
        const decoded = JSON.parse(
          Buffer.from(m[1]!.split('.')[1] ?? '', 'base64url').toString('utf8'),
        ) as JwtClaims;
        throw fail(
          401,
          'ExpiredAuthenticationToken',
          `The access token expiry UTC time '${armTime(new Date((decoded.exp ?? 0) * 1000))}' is earlier than current UTC time '${armTime(new Date())}'.`,
          challenge('invalid_token', 'The access token has expired.'),
        );
      }
      throw fail(
        401,
        'InvalidAuthenticationToken',
        'The access token is invalid.',
        challenge('invalid_token', 'The access token is invalid.'),
      );
    }
    const aud = typeof claims.aud === 'string' ? claims.aud : '';
    if (!ALLOWED_AUDIENCES.includes(aud) && aud !== ARM_AUDIENCE) {
      throw fail(
        401,
        'InvalidAuthenticationTokenAudience',
        `The access token has been obtained for wrong audience or resource '${aud}'. It should exactly match with one of the allowed audiences ${ALLOWED_AUDIENCES.map((a) => `'${a}'`).join(',')}.`,
        challenge('invalid_token', 'The access token has been obtained from wrong audience or resource.'),
      );
    }
    return claims;
  };

  const checkSubscription = (scope: Scope) => {
    const id = scope.subscriptionId;
    if (id === undefined) return;
    if (!isGuid(id))
      throw fail(
        400,
        'InvalidSubscriptionId',
        `The provided subscription identifier '${id}' is malformed or invalid.`,
      );
    if (!ctx.state.hasSubscription(id))
      throw fail(404, 'SubscriptionNotFound', `The subscription '${id}' could not be found.`);
  };

  const authorize = (caller: JwtClaims, actions: string[], scope: Scope, resourcePath: string) => {
    const oid = String(caller.oid ?? '');
    const denied = actions.find(
      (action) =>
        ctx.faults.authorizationFailed.some((pattern) => actionMatches(pattern, action)) ||
        !ctx.state.isAuthorized(oid, action, scope),
    );
    if (denied) throw authorizationFailure(caller, denied, resourcePath);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    // Not `new URL(req.url, base)`: a path starting with `//` would be read as a host.
    const url = new URL(`${ctx.resourceManagerEndpoint}${req.url ?? '/'}`);
    const parsed = parseRoute(url.pathname);
    const route = parsed instanceof ArmFailure ? undefined : parsed;
    const entry: RequestRecord = startRecord(
      ctx.record,
      'arm',
      operationOf(method, route),
      req,
      route && isPim(route) ? pimWrites(method, route) : method === 'PUT' || method === 'DELETE',
    );
    const requestId = randomUUID();
    entry.requestId = requestId;
    const correlationId = String(req.headers['x-ms-correlation-request-id'] ?? randomUUID());
    const headers: Record<string, string> = {
      'cache-control': 'no-cache',
      pragma: 'no-cache',
      expires: '-1',
      'x-content-type-options': 'nosniff',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-ms-request-id': requestId,
      'x-ms-correlation-request-id': correlationId,
      'x-ms-routing-request-id': `EMULATOR:${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}Z:${requestId}`,
    };
    /** Set when the answer is to be lost after the request is applied (faults.armLostAnswers). */
    let loseAnswerAfterMs: number | undefined;
    const reply = (status: number, body: unknown) => {
      if (loseAnswerAfterMs !== undefined) {
        entry.status = 0;
        entry.errorCode = 'ConnectionReset';
        setTimeout(() => res.socket?.destroy(), loseAnswerAfterMs).unref();
        return;
      }
      entry.status = status;
      const code = (body as { error?: { code?: string } } | undefined)?.error?.code;
      if (code) entry.errorCode = code;
      if (body === undefined) {
        res.writeHead(status, { ...headers, 'content-length': '0' });
        res.end();
        return;
      }
      const text = JSON.stringify(body);
      res.writeHead(status, {
        ...headers,
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(text)),
      });
      res.end(text);
    };

    const text = await readBody(req);
    if (method === 'PUT') entry.input = jsonBody(text);
    const lost = ctx.faults.armLostAnswers.find(
      (f) =>
        (f.times ?? 1) > 0 &&
        (f.method === undefined || f.method.toUpperCase() === method) &&
        (f.pathIncludes === undefined || url.pathname.toLowerCase().includes(f.pathIncludes.toLowerCase())),
    );
    if (lost?.applied) {
      lost.times = (lost.times ?? 1) - 1;
      loseAnswerAfterMs = lost.afterMs;
    } else if (lost) {
      lost.times = (lost.times ?? 1) - 1;
      entry.status = 0;
      entry.errorCode = 'ConnectionReset';
      setTimeout(() => res.socket?.destroy(), lost.afterMs).unref();
      return;
    }
    if (!(await applyTransportFaults(res, ctx.faults, ctx.random, entry))) return;
    try {
      // PIM's clock: outcomes, assignments starting and ending, applied before anything reads.
      settlePim(ctx.state, ctx.config);
      const caller = authenticate(req);
      const injected = ctx.faults.armFailures.find(
        (f) =>
          (f.times === undefined || f.times > 0) &&
          (f.method === undefined || f.method.toUpperCase() === method) &&
          (f.pathIncludes === undefined ||
            url.pathname.toLowerCase().includes(f.pathIncludes.toLowerCase())) &&
          (!f.unfiltered || !url.searchParams.has('$filter')),
      );
      if (injected) {
        if (injected.times !== undefined) injected.times--;
        throw fail(injected.status, injected.code, injected.message);
      }
      const identity = managedIdentityAnswer(ctx, method, url, caller);
      if (identity) return reply(identity[0], identity[1]);
      const apiVersion = url.searchParams.get('api-version');
      if (!apiVersion)
        throw fail(
          400,
          'MissingApiVersionParameter',
          'The api-version query parameter (?api-version=) is required for all requests.',
        );
      if (parsed instanceof ArmFailure) throw parsed;
      if (!route)
        throw fail(
          404,
          'InvalidResourceType',
          `emulator: only Microsoft.Authorization roleAssignments, roleDefinitions and the PIM resource types (${PIM_RESOURCE_TYPES.join(', ')}) are emulated (${method} ${url.pathname}).`,
        );
      const served = API_VERSIONS[route.resourceType];
      if (apiVersion !== served) {
        throw fail(
          400,
          'NoRegisteredProviderFound',
          `No registered resource provider found for location 'global' and API version '${apiVersion}' for type '${route.resourceType}'. The supported api-versions are '${served}'. The supported locations are ', global'.`,
        );
      }
      checkSubscription(route.scope);

      const kind = kindOf(method);
      const owner = route.scope.subscriptionId
        ? `subscription:${route.scope.subscriptionId.toLowerCase()}`
        : 'tenant';
      const level = route.scope.subscriptionId ? 'subscription' : 'tenant';
      const verb = { reads: 'read', writes: 'write', deletes: 'delete' }[kind];
      const throttled = (retryAfter: number | undefined) =>
        fail(
          429,
          level === 'subscription' ? 'SubscriptionRequestsThrottled' : 'TenantRequestsThrottled',
          `Number of '${verb}' requests for ${level === 'subscription' ? `subscription '${route.scope.subscriptionId}'` : `tenant '${ctx.state.tenantId}'`} actor '${String(caller.oid ?? '')}' exceeded. Please try again after ${retryAfter ?? 'some'} seconds.`,
          retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
        );
      const taken = buckets.take(`${owner}:${String(caller.oid ?? '')}`, kind);
      headers[`x-ms-ratelimit-remaining-${level}-${kind}`] = String(taken.remaining);
      if (level === 'subscription')
        headers[`x-ms-ratelimit-remaining-subscription-global-${kind}`] = String(taken.remainingGlobal);
      if (!taken.ok) throw throttled(taken.retryAfterSeconds);
      if (ctx.faults.throttleRate > 0 && ctx.random() < ctx.faults.throttleRate) {
        throw throttled(ctx.faults.throttleWithoutRetryAfter ? undefined : ctx.config.faultRetryAfterSeconds);
      }
      if (ctx.faults.serverErrorRate > 0 && ctx.random() < ctx.faults.serverErrorRate) {
        if (ctx.random() < 0.5)
          throw fail(
            503,
            'ServiceUnavailable',
            'The service is temporarily unavailable. Please try again later.',
          );
        throw fail(
          500,
          'InternalServerError',
          `Encountered internal server error. Diagnostic information: timestamp '${new Date().toISOString()}', tracking id '${requestId}', request correlation id '${correlationId}'.`,
        );
      }

      const resourcePath = `${route.scope.path === '/' ? '' : route.scope.path}/providers/Microsoft.Authorization/${route.resourceType}${route.name ? `/${route.name}` : ''}`;
      authorize(caller, actionsOf(method, route), route.scope, route.name ? resourcePath : route.scope.path);

      const call: ArmCall = { method, route, caller, url, text };
      let result: [number, unknown];
      if (isPim(route)) result = pim({ method, route, caller, url, text });
      else if (route.resourceType === 'roleAssignments') result = roleAssignments(ctx, call);
      else result = roleDefinitions(ctx, call);
      reply(result[0], result[1]);
    } catch (error) {
      if (!(error instanceof ArmFailure)) throw error;
      Object.assign(headers, error.headers);
      reply(error.status, { error: { code: error.code, message: error.message } });
    }
  };
  return { handle, reset: () => buckets.reset() };
}

/** A request's JSON object body, for the request record; undefined when it is not one. */
function jsonBody(text: string): Record<string, unknown> | undefined {
  try {
    const body = JSON.parse(text) as unknown;
    return body && typeof body === 'object' && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
