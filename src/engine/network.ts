// The one place that recognises a connection-level failure: the request got no answer at all,
// so the call may be retried (the call runner also counts it as possibly applied); and a TLS
// certificate no trusted CA signed, which is never retried.
import { untrustedCertificateError, type Endpoint } from '../core/errors.js';
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
  const { code, message, cause, errors } = error as {
    code?: unknown;
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

/**
 * A classifier that fails a call refused for an untrusted certificate at once, naming the fix
 * and the endpoint the call went to (`endpointOf` its operation); every other error as `classify`.
 */
export function withCertificateFix(
  classify: ErrorClassifier,
  endpointOf: (operation: string) => Endpoint,
): ErrorClassifier {
  return (error, operation) => {
    const detail = untrustedCertificate(error);
    return detail
      ? { action: 'fail', error: untrustedCertificateError(operation, endpointOf(operation), detail, error) }
      : classify(error, operation);
  };
}

/** Whether `error` is a connection-level failure: no answer came back from the service. */
export function isNetworkError(error: unknown, options: NetworkErrorOptions = {}): boolean {
  if (typeof error === 'string') return NETWORK_MESSAGE.test(error);
  if (typeof error !== 'object' || error === null) return false;
  // An untrusted certificate fails the same way every time: never retried.
  if (untrustedCertificate(error)) return false;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (
    typeof code === 'string' &&
    NETWORK_CODES.has(code) &&
    (code !== 'ENOTFOUND' || options.hostNotFound !== false)
  )
    return true;
  if (typeof name === 'string' && TIMEOUT_NAMES.has(name)) return true;
  return typeof message === 'string' && NETWORK_MESSAGE.test(message);
}
