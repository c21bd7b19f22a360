// The GitHub OIDC token: requested fresh for every exchange, masked, never stored.
//
// The request is the one @actions/core's getIDToken makes (GET ACTIONS_ID_TOKEN_REQUEST_URL with
// `&audience=…`, `Authorization: Bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN`, answered `{"value":"<JWT>"}`),
// sent with Node's own client: the toolkit's would evaluate its whole HTTP stack (undici, for a
// proxy agent this request never uses) before the step's first request. Proxies go through Node's
// built-in support, as the AWS SDK's requests do; the engine's retry stands in for the toolkit's.
import { setSecret } from '@actions/core';
import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { CloudAccessError, untrustedCertificateError } from '../core/errors.js';
import { decodeClaims, describeClaims } from '../core/token-claims.js';
import { recoveredNotice } from '../engine/calls/call-notices.js';
import type { Deadline } from '../engine/limits/deadline.js';
import type { TokenSource } from '../engine/calls/driver.js';
import { isNetworkError, unreachable, untrustedCertificate } from '../engine/limits/network.js';
import { ATTEMPT_TIMEOUT_MS, withRetry, type UnreachableVerdict } from '../engine/limits/retry.js';
import { debug, info } from './log.js';

/** Where the token requests go, as an error names it: the runner sets it for the job. */
const TOKEN_ENDPOINT = { url: "the runner's token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL)" };

/** The most of an answer's body that is read: a token is a few KiB. */
const MAX_BODY_BYTES = 64 * 1024;

/** The token endpoint answered, but not with a token. */
class TokenEndpointError extends Error {
  constructor(
    message: string,
    /** The HTTP status, when the answer was not a token. */
    readonly status: number,
  ) {
    super(message);
    this.name = 'TokenEndpointError';
  }
}

/**
 * Requests a GitHub OIDC token for `audience`. The runner's token endpoint is retried on 5xx
 * and network errors inside the step's deadline; a job without `id-token: write` is told so.
 * `onSent` is called each time a request is on the wire (connected, TLS included, and written).
 */
export function githubOidcTokenSource(
  deadline: Deadline,
  env: NodeJS.ProcessEnv = process.env,
  onSent?: () => void,
): TokenSource {
  return async (audience) => {
    const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!url || !bearer) {
      throw new CloudAccessError(
        'the job cannot request a GitHub OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set)',
        {
          fix: 'add `permissions: id-token: write` to the job or workflow. Pull requests from forks never get a token: do not grant access from them',
        },
      );
    }
    const operation = 'GitHub OIDC token request';
    let unreachableBefore: { verdict: UnreachableVerdict; retry: number } | undefined;
    const token = await withRetry(
      operation,
      () =>
        requestIdToken(
          tokenUrl(url, audience),
          bearer,
          env,
          Math.min(ATTEMPT_TIMEOUT_MS, deadline.remainingMs()),
          onSent,
        ),
      {
        deadline,
        classify: (error) => {
          // The endpoint (or the proxy on the way) did not resolve or refused: retried twice, then named.
          const detail = unreachable(error);
          if (detail) return { action: 'retry', kind: 'unreachable', endpoint: TOKEN_ENDPOINT, detail };
          return isServerError(error) || isNetworkError(error)
            ? { action: 'retry', kind: 'server' }
            : { action: 'fail', error: explainFailure(error, audience) };
        },
        observer: { onUnreachable: (_op, verdict, retry) => (unreachableBefore = { verdict, retry }) },
      },
    );
    if (unreachableBefore)
      info(recoveredNotice(operation, unreachableBefore.verdict, unreachableBefore.retry));
    setSecret(token);
    const claims = decodeClaims(token);
    debug(
      `GitHub OIDC token claims: ${describeClaims(claims)} job_workflow_ref=${claims.job_workflow_ref ?? '?'}`,
    );
    return token;
  };
}

/** The runner's URL with the audience, appended as @actions/core appends it (the URL has a query). */
function tokenUrl(url: string, audience: string): URL {
  return new URL(audience ? `${url}&audience=${encodeURIComponent(audience)}` : url);
}

/** The HTTP status of an answer that was not a token: the endpoint's, or a proxy's refusal of a tunnel. */
function statusOf(error: unknown): number | undefined {
  if (error instanceof TokenEndpointError) return error.status;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const proxied = code === 'ERR_PROXY_TUNNEL' && typeof message === 'string' && / (\d{3}) /.exec(message);
  return proxied ? Number(proxied[1]) : undefined;
}

/** 5xx from the endpoint, or from a proxy that could not reach it: worth another try. */
const isServerError = (error: unknown): boolean => (statusOf(error) ?? 0) >= 500;

function explainFailure(error: unknown, audience: string): CloudAccessError {
  const untrusted = untrustedCertificate(error);
  if (untrusted)
    return untrustedCertificateError(
      `could not get a GitHub OIDC token for audience \`${audience}\``,
      { url: "the runner's token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL)" },
      untrusted,
      error,
    );
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
  const status = statusOf(error);
  const fix =
    status === 407
      ? 'the proxy (HTTPS_PROXY / HTTP_PROXY) wants credentials: put them in its URL, or list the host in NO_PROXY'
      : status === 401 || status === 403
        ? "check that the job has `permissions: id-token: write`, and that no earlier step replaced the runner's ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN (e.g. through GITHUB_ENV)"
        : status !== undefined
          ? 'check ACTIONS_ID_TOKEN_REQUEST_URL: it must be the URL the runner set for the job'
          : undefined;
  return new CloudAccessError(`could not get a GitHub OIDC token for audience \`${audience}\`: ${message}`, {
    cause: error,
    ...(fix ? { fix } : {}),
  });
}

/**
 * Whether `host` is this machine. @actions/http-client never sends such a request through a proxy,
 * whatever NO_PROXY says, and neither does this one.
 */
function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h.startsWith('127.') || h === '[::1]' || h === '[0:0:0:0:0:0:0:1]';
}

/**
 * Node's agents with its built-in proxy support: HTTPS_PROXY / https_proxy for https URLs,
 * HTTP_PROXY / http_proxy for http ones (the lowercase name first, as @actions/http-client reads
 * them), NO_PROXY / no_proxy, and an empty environment for loopback hosts.
 */
function agentFor(url: URL, env: NodeJS.ProcessEnv): HttpAgent {
  const proxyEnv = isLoopback(url.hostname) ? {} : env;
  return url.protocol === 'https:' ? new HttpsAgent({ proxyEnv }) : new (plainHttp().Agent)({ proxyEnv });
}

/**
 * node:http, loaded only for a token URL that is http (a local endpoint): a runner's is https,
 * and node:https does not load node:http itself. node:https stays imported as the file loads.
 */
const plainHttp = () => process.getBuiltinModule('node:http');

/** One GET to the token endpoint: the token, a TokenEndpointError for any other answer, or the network error. */
function requestIdToken(
  url: URL,
  bearer: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  onSent?: () => void,
): Promise<string> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return Promise.reject(new TokenEndpointError(`the token URL is not http(s): ${url.protocol}`, 0));
  const send = url.protocol === 'https:' ? httpsRequest : plainHttp().request;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'GET',
        agent: agentFor(url, env),
        headers: {
          Accept: 'application/json',
          Authorization: `Bearer ${bearer}`,
          'User-Agent': 'cloud-access',
        },
        signal: AbortSignal.timeout(Math.max(1, timeoutMs)),
      },
      (response) => {
        readBody(response).then((body) => {
          const status = response.statusCode ?? 0;
          if (status !== 200) {
            reject(
              new TokenEndpointError(`the token endpoint answered ${status}: ${body.slice(0, 500)}`, status),
            );
            return;
          }
          let value: unknown;
          try {
            value = (JSON.parse(body) as { value?: unknown }).value;
          } catch {
            // Not JSON: said below, without the body (it may hold a token).
          }
          if (typeof value === 'string' && value) resolve(value);
          else
            reject(
              new TokenEndpointError('the token endpoint answered 200 without a token (`value`)', status),
            );
        }, reject);
      },
    );
    request.on('error', reject);
    if (onSent) request.on('finish', onSent);
    request.end();
  });
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}
