// Azure Resource Manager's Microsoft.Authorization provider, api-version 2022-04-01: role
// assignments (create, get, delete, list; arm/assignments.ts) and role definitions (list, get,
// create, delete; arm/definitions.ts); and, at api-version 2020-10-01, PIM's schedule requests,
// schedules, instances and policies (pim/pim.ts). All behind ARM's gateway checks, here: bearer token
// (arm/authenticate.ts), api-version, subscription, token buckets, RBAC (arm/checks.ts). The routes
// and their api-versions: arm/route.ts. Beside them, two reads of other providers: a user-assigned
// managed identity (arm/managed-identities.ts) and a subscription (arm/subscriptions.ts).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyTransportFaults, readBody, sendHtmlPage, startRecord } from '../../common/http.js';
import type { RequestRecord } from '../../common/requests.js';
import { roleAssignments } from './assignments.js';
import { roleDefinitions } from './definitions.js';
import { ArmFailure } from '../rest/failure.js';
import { actionsOf, isPim, operationOf, parseRoute, type ArmCall, type ArmRoute } from './route.js';
import type { AzureContext } from '../tenant/context.js';
import { managedIdentityAnswer } from './managed-identities.js';
import { subscriptionAnswer } from './subscriptions.js';
import { createPimHandler } from '../pim/pim.js';
import { pimWrites } from '../pim/route.js';
import { settlePim } from '../pim/schedules.js';
import { ArmBuckets } from './throttling.js';
import { authenticate } from './authenticate.js';
import { holdConcurrentWrite } from './held-writes.js';
import { htmlPageFor } from '../tenant/config.js';
import { authorize, checkRoute, checkSubscription, injectedFailure, takeTokens } from './checks.js';

/** One request through the gateway: its record entry, its answer's headers, its IDs. */
interface Exchange {
  res: ServerResponse;
  entry: RequestRecord;
  headers: Record<string, string>;
  requestId: string;
  correlationId: string;
  /** Set when the answer is to be lost after the request is applied (faults.armLostAnswers). */
  loseAnswerAfterMs?: number;
}

export function createArmHandler(ctx: AzureContext) {
  const buckets = new ArmBuckets(() => ctx.config);
  const pim = createPimHandler(ctx);

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
    const exchange = begin(req, res, entry);

    const text = await readBody(req);
    if (method === 'PUT') entry.input = jsonBody(text);
    if (loseAnswer(ctx, exchange, method, url)) return;
    if (!(await applyTransportFaults(res, ctx.faults, ctx.random, entry))) return;
    const page = htmlPageFor(ctx.faults, 'arm', method, url);
    if (page) return sendHtmlPage(res, entry, page);
    await holdConcurrentWrite(ctx, method, url);
    try {
      // PIM's clock: outcomes, assignments starting and ending, applied before anything reads.
      settlePim(ctx.state, ctx.config);
      const caller = authenticate(ctx, req);
      injectedFailure(ctx, method, url);
      const identity = managedIdentityAnswer(ctx, method, url, caller);
      if (identity) return reply(exchange, identity[0], identity[1]);
      const subscription = subscriptionAnswer(ctx, method, url, caller, entry);
      if (subscription) return reply(exchange, subscription[0], subscription[1]);
      const served = checkRoute(method, url, parsed, route);
      checkSubscription(ctx, served.scope);
      const { headers, requestId, correlationId } = exchange;
      takeTokens(ctx, buckets, { method, route: served, caller, headers, requestId, correlationId });
      authorize(ctx, caller, actionsOf(method, served), served.scope, resourcePathOf(served));

      const call: ArmCall = { method, route: served, caller, url, text };
      let result: [number, unknown];
      if (isPim(served)) result = pim({ method, route: served, caller, url, text });
      else if (served.resourceType === 'roleAssignments') result = roleAssignments(ctx, call);
      else result = roleDefinitions(ctx, call);
      reply(exchange, result[0], result[1]);
    } catch (error) {
      if (!(error instanceof ArmFailure)) throw error;
      Object.assign(exchange.headers, error.headers);
      reply(exchange, error.status, { error: { code: error.code, message: error.message } });
    }
  };
  return { handle, reset: () => buckets.reset() };
}

/** The exchange's IDs and the headers every ARM answer carries. */
function begin(req: IncomingMessage, res: ServerResponse, entry: RequestRecord): Exchange {
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
  return { res, entry, headers, requestId, correlationId };
}

/**
 * A lost answer (faults.armLostAnswers) this call matches: dropped now (true: the request is not
 * applied), or, when the fault says the request is applied, after the answer is ready.
 */
function loseAnswer(ctx: AzureContext, exchange: Exchange, method: string, url: URL): boolean {
  const { res, entry } = exchange;
  const lost = ctx.faults.armLostAnswers.find(
    (f) =>
      (f.times ?? 1) > 0 &&
      (f.method === undefined || f.method.toUpperCase() === method) &&
      (f.pathIncludes === undefined || url.pathname.toLowerCase().includes(f.pathIncludes.toLowerCase())),
  );
  if (lost?.applied) {
    lost.times = (lost.times ?? 1) - 1;
    exchange.loseAnswerAfterMs = lost.afterMs;
  } else if (lost) {
    lost.times = (lost.times ?? 1) - 1;
    entry.status = 0;
    entry.errorCode = 'ConnectionReset';
    const reset = () => res.socket?.destroy();
    setTimeout(reset, lost.afterMs).unref();
    // A test that must order what happens meanwhile resets it when that has happened.
    lost.resetNow = reset;
    return true;
  }
  return false;
}

/** The resource RBAC checks a call against: the named resource, or for a list its scope. */
function resourcePathOf(route: ArmRoute): string {
  const resourcePath = `${route.scope.path === '/' ? '' : route.scope.path}/providers/Microsoft.Authorization/${route.resourceType}${route.name ? `/${route.name}` : ''}`;
  return route.name ? resourcePath : route.scope.path;
}

/** Sends ARM's answer (or, for a lost answer, closes the connection instead). */
function reply({ res, entry, headers, loseAnswerAfterMs }: Exchange, status: number, body: unknown): void {
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
