// The one place that recognises a connection-level failure: the request got no answer at all,
// so the call may be retried (the call runner also counts it as possibly applied).

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

/** Whether `error` is a connection-level failure: no answer came back from the service. */
export function isNetworkError(error: unknown, options: NetworkErrorOptions = {}): boolean {
  if (typeof error === 'string') return NETWORK_MESSAGE.test(error);
  if (typeof error !== 'object' || error === null) return false;
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
