// isNetworkError: the one place that recognises a request that got no answer.
import { describe, expect, it } from '@jest/globals';
import { isNetworkError } from '../../src/engine/network.js';

const withCode = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code });
const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });

describe('isNetworkError', () => {
  it.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'ETIMEDOUT',
    'ESOCKETTIMEDOUT',
    'EPIPE',
    'ENOTFOUND',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'REQUEST_SEND_ERROR',
  ])('knows the code %s', (code) => {
    expect(isNetworkError(withCode(code))).toBe(true);
  });

  it.each(['TimeoutError', 'RequestTimeout', 'AbortError'])(
    'knows a request that timed out by its name, %s',
    (name) => {
      expect(isNetworkError(named(name))).toBe(true);
    },
  );

  it.each([
    'socket hang up',
    'read ECONNRESET',
    'connect ECONNREFUSED 127.0.0.1:443',
    'connect ETIMEDOUT 10.0.0.1:443',
    'network_error: Network request failed',
    'no_network_connectivity: No network connectivity',
    'Failed to get ID Token. Error Message: REQUEST_SEND_ERROR',
  ])('knows a network error only its message names: %s', (message) => {
    expect(isNetworkError(named('AuthenticationError', message))).toBe(true);
    expect(isNetworkError(message)).toBe(true);
  });

  it('leaves a failed DNS lookup out when asked to (a host from a wrong Region does not resolve)', () => {
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND sso.xx-east-9.amazonaws.com'), {
      code: 'ENOTFOUND',
    });
    expect(isNetworkError(notFound)).toBe(true);
    expect(isNetworkError(notFound, { hostNotFound: false })).toBe(false);
    expect(isNetworkError(withCode('ECONNRESET'), { hostNotFound: false })).toBe(true);
  });

  it('does not take an answer, or anything else, for a network error', () => {
    expect(isNetworkError(named('ValidationException', 'bad request'))).toBe(false);
    expect(
      isNetworkError(Object.assign(new Error('denied'), { statusCode: 403, code: 'AuthorizationFailed' })),
    ).toBe(false);
    expect(isNetworkError(named('CredentialsProviderError', 'Could not load credentials'))).toBe(false);
    expect(isNetworkError('denied')).toBe(false);
    expect(isNetworkError(undefined)).toBe(false);
    expect(isNetworkError(null)).toBe(false);
    expect(isNetworkError(42)).toBe(false);
  });
});
