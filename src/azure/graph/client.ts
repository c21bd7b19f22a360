// A small JSON client over @azure/core-rest-pipeline, for Microsoft Graph (and the one ARM read of a
// managed identity): no Graph SDK, the pipeline the ARM client is built from. Proxy settings come
// from the pipeline's proxy policy as for ARM; the bearer policy asks the step's credential for
// `<resource>/.default`; the pipeline's retries are off, since the engine retries inside the deadline.
import type { TokenCredential } from '@azure/core-auth';
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import { requestTimeoutPolicy } from '../sdk/pipeline-policies.js';
import { hostOf, type SeenAnswer } from '../../engine/limits/foreign-answer.js';
import { retryAfterMs } from '../sdk/azure-errors.js';

/** An answer other than 2xx, with what the classifier and the messages need. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly serverMessage: string,
    readonly requestId: string | undefined,
    readonly retryAfterMs: number | undefined,
    /** The path asked for (no host), for the permission the failure names. */
    readonly path: string,
    /**
     * What the answer was, beside its status, where the client read it whole: whether Graph wrote it
     * (engine/limits/foreign-answer.ts). A `$batch` item's answer is always the batch's JSON.
     */
    readonly answer?: Omit<SeenAnswer, 'status'>,
  ) {
    super(`${status}${code ? ` ${code}` : ''}: ${serverMessage}`);
    this.name = 'GraphError';
  }
}

export interface JsonClient {
  /** The endpoint the client talks to (no trailing slash). */
  readonly endpoint: string;
  get(path: string, signal: AbortSignal): Promise<unknown>;
  post(path: string, body: unknown, signal: AbortSignal): Promise<unknown>;
}

export interface JsonClientOptions {
  endpoint: string;
  /** `<resource>/.default`. */
  scope: string;
  credential: TokenCredential;
  /** Graph says a request's ID in `request-id`, ARM in `x-ms-request-id`. */
  requestIdHeader: string;
  httpClient?: HttpClient;
}

export function createJsonClient(options: JsonClientOptions): JsonClient {
  const pipeline: Pipeline = createPipelineFromOptions({
    retryOptions: { maxRetries: 0 },
    userAgentOptions: { userAgentPrefix: 'cloud-access' },
  });
  pipeline.addPolicy(
    bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: options.scope }),
  );
  pipeline.addPolicy(requestTimeoutPolicy(), { afterPhase: 'Retry' });
  const httpClient = options.httpClient ?? createDefaultHttpClient();

  const send = async (method: 'GET' | 'POST', path: string, body: unknown, signal: AbortSignal) => {
    const url = path.startsWith('https://') ? path : `${options.endpoint}${path}`;
    // A server's `@odata.nextLink` is followed whole, and the bearer policy puts the token on
    // whatever URL this is: only the endpoint's own origin may have it (an absolute link to
    // another host, or `@host/…` that makes the endpoint's host a user name, would get the token).
    const origin = originOf(url);
    if (!origin || origin !== originOf(options.endpoint))
      throw new GraphError(
        0,
        'LinkNotOnEndpoint',
        `the server sent a link that is not on the Graph endpoint ${options.endpoint}: ${url.slice(0, 200)}; not followed`,
        undefined,
        undefined,
        pathOf(url),
      );
    const request = createPipelineRequest({
      url,
      method,
      abortSignal: signal,
      headers: createHttpHeaders({
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const response = await pipeline.sendRequest(httpClient, request);
    const parsed = parseJson(response.bodyAsText ?? undefined);
    if (response.status >= 200 && response.status < 300) return parsed;
    const error = (parsed as GraphErrorBody | undefined)?.error;
    throw new GraphError(
      response.status,
      error?.code,
      // A body that is not JSON (a proxy's HTML page) is not Graph's words: never shown.
      error?.message ??
        (parsed === undefined && response.bodyAsText
          ? `a body that is not Graph's JSON (${response.headers.get('content-type') === undefined ? 'no content-type' : 'not shown'})`
          : (response.bodyAsText ?? '').slice(0, 500)),
      response.headers.get(options.requestIdHeader) ?? error?.innerError?.['request-id'] ?? undefined,
      retryAfterMs(response.headers),
      pathOf(request.url),
      {
        contentType: response.headers.get('content-type'),
        parsed: !response.bodyAsText || parsed !== undefined,
        host: hostOf(request.url),
      },
    );
  };
  return {
    endpoint: options.endpoint,
    get: (path, signal) => send('GET', path, undefined, signal),
    post: (path, body, signal) => send('POST', path, body, signal),
  };
}

interface GraphErrorBody {
  error?: { code?: string; message?: string; innerError?: Record<string, string | undefined> };
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.username || parsed.password ? undefined : parsed.origin;
  } catch {
    return undefined;
  }
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return decodeURIComponent(parsed.pathname + parsed.search);
  } catch {
    return url;
  }
}
