// The one place that recognises a connection-level failure: the request got no answer at all,
// so the call may be retried (the call runner also counts it as possibly applied); a host that
// did not resolve or refused the connection, retried only twice; and a TLS certificate no
// trusted CA signed, which is never retried.
import { CloudAccessError, untrustedCertificateError, type Endpoint } from '../../core/errors.js';
import type { ErrorClassifier } from './retry.js';

/** Node's, undici's and the Azure pipeline's codes for a connection that failed or went silent. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  // @azure/core-rest-pipeline's RestError.REQUEST_SEND_ERROR: the request could not be sent.
  'REQUEST_SEND_ERROR',
]);

/**
 * Error names of a request that timed out: the AWS SDK's request handler (TimeoutError,
 * RequestTimeout), and the AbortError the call runner rejects with when an attempt's own timeout
 * passes. A cancelled step never reaches a classifier: the call runner fails the call itself.
 */
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'AbortError']);

/**
 * Network failures that only show in the message: a reset socket, and MSAL's `network_error` and
 * `no_network_connectivity`, which carry no code.
 */
const NETWORK_MESSAGE =
  /socket hang up|ECONNRESET|ECONNREFUSED|ETIMEDOUT|\b(network_error|no_network_connectivity|REQUEST_SEND_ERROR)\b/;

export interface NetworkErrorOptions {
  /**
   * Whether a failed DNS lookup (ENOTFOUND) counts. The AWS adapter leaves it out: its host
   * comes from `aws-region`, and a host that does not resolve is a wrong Region, not a blip.
   */
  hostNotFound?: boolean;
}

/** Node's (OpenSSL's) codes for a certificate no trusted CA signed. */
const UNTRUSTED_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

/** The same, as the messages say it (SDKs wrap the socket's error and keep only its text). */
const UNTRUSTED_MESSAGE =
  /unable to verify the first certificate|self[- ]signed certificate|unable to get (local )?issuer certificate|certificate (is )?not trusted/i;

/**
 * Why the endpoint's TLS certificate was refused, when no CA the runner trusts signed it: the
 * message of the error, or of one it wraps (`cause`, an AggregateError's `errors`). Retrying
 * cannot help; NODE_EXTRA_CA_CERTS can (core/errors.ts, untrustedCertificateError).
 */
export function untrustedCertificate(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || error === null || error === undefined) return undefined;
  if (typeof error === 'string') return UNTRUSTED_MESSAGE.test(error) ? error : undefined;
  if (typeof error !== 'object') return undefined;
  const code = ownCode(error);
  const { message, cause, errors } = error as {
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  const text = typeof message === 'string' ? message : '';
  if ((typeof code === 'string' && UNTRUSTED_CODES.has(code)) || UNTRUSTED_MESSAGE.test(text))
    return text.replace(/\s+/g, ' ').trim() || String(code);
  for (const inner of [cause, ...(Array.isArray(errors) ? errors : [])]) {
    const found = untrustedCertificate(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Node's codes for a connection that was never made: no address for the host, or nothing listening. */
const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED']);

/** The same, as the messages say it, with the host (or address and port) after the code. */
const UNREACHABLE_MESSAGE =
  /(?:getaddrinfo |connect )?\b(?:ENOTFOUND|EAI_AGAIN|ECONNREFUSED)\b(?: (?:[\w-]+\.)+[\w-]+(?::\d+)?| localhost(?::\d+)?| [\da-f]*:[\da-f:]*:\d+)?/i;

/**
 * What a request that found no host (ENOTFOUND, EAI_AGAIN) or was refused a connection
 * (ECONNREFUSED) failed with, in Node's words (`getaddrinfo ENOTFOUND graph.microsoft.com`,
 * `connect ECONNREFUSED 10.0.0.1:443`): on the error, or on one it wraps (`cause`, an
 * AggregateError's `errors`, as Node raises when every address refused). Undefined for anything else.
 */
export function unreachable(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || error === null || error === undefined) return undefined;
  if (typeof error === 'string') return UNREACHABLE_MESSAGE.exec(error)?.[0];
  if (typeof error !== 'object') return undefined;
  // An untrusted certificate is answered by a host that was reached.
  if (depth === 0 && untrustedCertificate(error)) return undefined;
  const code = ownCode(error);
  const { message, cause, errors, hostname, address, port } = error as {
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
    hostname?: unknown;
    address?: unknown;
    port?: unknown;
  };
  const said = typeof message === 'string' ? UNREACHABLE_MESSAGE.exec(message)?.[0] : undefined;
  if (said) return said;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) {
    if (typeof hostname === 'string') return `getaddrinfo ${code} ${hostname}`;
    if (typeof address === 'string')
      return `connect ${code} ${address}${typeof port === 'number' ? `:${port}` : ''}`;
  }
  for (const inner of [cause, ...(Array.isArray(errors) ? errors : [])]) {
    const found = unreachable(inner, depth + 1);
    if (found) return found;
  }
  return typeof code === 'string' && UNREACHABLE_CODES.has(code) ? code : undefined;
}

/**
 * A classifier for calls to one endpoint (GitHub's API, say): a host that did not resolve or
 * refused the connection is an `unreachable` retry, naming `endpoint`; anything else fails as it came.
 */
export const retryOnlyUnreachable =
  (endpoint: Endpoint): ErrorClassifier =>
  (error) => {
    const detail = unreachable(error);
    return detail
      ? { action: 'retry', kind: 'unreachable', endpoint, detail }
      : { action: 'fail', error: error as Error };
  };

/**
 * A classifier that knows where each call goes (`endpointOf` its operation, and the error it
 * failed with: a token request goes to Entra, whatever the call): an untrusted certificate fails
 * the call at once naming the fix; a host that did not resolve or refused the connection is an
 * `unreachable` retry (the retry loop allows two, engine/limits/retry.ts); every other error as `classify`.
 */
export function withEndpointFixes(
  classify: ErrorClassifier,
  endpointOf: (operation: string, error: unknown) => Endpoint,
): ErrorClassifier {
  return (error, operation) => {
    const detail = untrustedCertificate(error);
    if (detail)
      return {
        action: 'fail',
        error: untrustedCertificateError(operation, endpointOf(operation, error), detail, error),
      };
    // An error already explained (with its cause and fix) is not explained again.
    const unanswered = error instanceof CloudAccessError ? undefined : unreachable(error);
    if (unanswered)
      return {
        action: 'retry',
        kind: 'unreachable',
        endpoint: endpointOf(operation, error),
        detail: unanswered,
      };
    return classify(error, operation);
  };
}

/** Whether `error` is a connection-level failure: no answer came back from the service. */
export function isNetworkError(error: unknown, options: NetworkErrorOptions = {}): boolean {
  if (typeof error === 'string') return NETWORK_MESSAGE.test(error);
  if (typeof error !== 'object' || error === null) return false;
  // An untrusted certificate fails the same way every time: never retried.
  if (untrustedCertificate(error)) return false;
  const code = ownCode(error);
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (
    typeof code === 'string' &&
    NETWORK_CODES.has(code) &&
    (code !== 'ENOTFOUND' || options.hostNotFound !== false)
  )
    return true;
  if (typeof name === 'string' && TIMEOUT_NAMES.has(name)) return true;
  return typeof message === 'string' && NETWORK_MESSAGE.test(message);
}

/**
 * An error's `code` as Node, undici and the SDKs set it, an own value: never through a getter. An
 * answer of GitHub's API (@octokit/request-error's RequestError) has a deprecated `code` getter
 * that prints a Deprecation and its stack trace when read (its status, which no network code is).
 */
function ownCode(error: object): unknown {
  const own = Object.getOwnPropertyDescriptor(error, 'code');
  return own && 'value' in own ? own.value : undefined;
}
