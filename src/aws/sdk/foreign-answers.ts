// An AWS SDK error for an answer AWS did not write: an HTML page from a proxy or from a host that
// is not the service (a wrong AWS_ENDPOINT_URL), which the SDK fails to read ("Deserialization
// error", a SyntaxError) or reads as an UnknownError. Judged in engine/limits/foreign-answer.ts;
// the host it came from is noted on the error by a middleware of each client, as the SDK's error
// keeps the answer (`$response`) but not where the request went.
import type { MiddlewareStack } from '@aws-sdk/types';
import { ForeignAnswerError, isForeignAnswer } from '../../engine/limits/foreign-answer.js';

/** The hidden member the host is noted in. */
const ANSWERING_HOST = '$answeringHost';

/** What sets an AWS endpoint, for the fix. */
const AWS_ENDPOINT_SET_BY =
  'AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_<SERVICE> in the environment, or `aws-region`';

/**
 * Notes on a failed call's error the host (and port) its request went to: no path, no query
 * string, no header. Inside the SDK's retry step (off: maxAttempts 1), outside deserialization,
 * where the error for an unreadable answer is thrown.
 */
export function noteAnsweringHost<C extends { middlewareStack: object }>(client: C): C {
  // Every client's stack, whatever its service's input and output types: this reads neither.
  (client.middlewareStack as MiddlewareStack<object, object>).add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const { hostname, port } = (args.request ?? {}) as { hostname?: unknown; port?: unknown };
        if (typeof error === 'object' && error !== null && typeof hostname === 'string')
          Object.defineProperty(error, ANSWERING_HOST, {
            value: typeof port === 'number' ? `${hostname}:${port}` : hostname,
            enumerable: false,
            configurable: true,
          });
        throw error;
      }
    },
    { step: 'finalizeRequest', name: 'cloudAccessAnsweringHost', priority: 'low' },
  );
  return client;
}

interface SdkErrorLike {
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: unknown; headers?: Record<string, string | undefined> };
  [ANSWERING_HOST]?: unknown;
}

/**
 * The error a call fails with at once when AWS did not write its answer (see isForeignAnswer for
 * which statuses stay retried); undefined for the service's own answers and for no answer at all.
 */
export function awsForeignAnswer(error: unknown, operation: string): ForeignAnswerError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as SdkErrorLike;
  const status =
    typeof e.$response?.statusCode === 'number' ? e.$response.statusCode : e.$metadata?.httpStatusCode;
  if (status === undefined) return undefined;
  const headers = e.$response?.headers ?? {};
  const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  // The SDK's words for a body its protocol could not read: the parser's SyntaxError, wrapped.
  const parsed = !(
    e.name === 'SyntaxError' ||
    (typeof e.message === 'string' && e.message.includes('Deserialization error'))
  );
  const host = typeof e[ANSWERING_HOST] === 'string' ? e[ANSWERING_HOST] : undefined;
  const answer = { status, contentType, parsed, host };
  if (!isForeignAnswer(answer)) return undefined;
  return new ForeignAnswerError(operation, 'AWS', answer, AWS_ENDPOINT_SET_BY, { cause: error });
}
