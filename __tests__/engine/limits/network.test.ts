// isNetworkError: the one place that recognises a request that got no answer; and among them,
// the hosts that did not resolve or refused the connection (retried only twice).
import { describe, expect, it, jest } from '@jest/globals';
import { CloudAccessError } from '../../../src/core/errors.js';
import {
  isNetworkError,
  retryOnlyUnreachable,
  untrustedCertificate,
  unreachable,
  withEndpointFixes,
} from '../../../src/engine/limits/network.js';

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

describe('unreachable: a host that did not resolve, or refused the connection', () => {
  it("says what the connection failed with, in Node's words, from the message or the code", () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND graph.microsoft.com'), { code: 'ENOTFOUND' });
    expect(unreachable(dns)).toBe('getaddrinfo ENOTFOUND graph.microsoft.com');
    expect(unreachable(withCode('ECONNREFUSED'))).toBe('connect ECONNREFUSED 10.0.0.1:443');
    expect(
      unreachable(Object.assign(new Error(''), { code: 'EAI_AGAIN', hostname: 'sts.amazonaws.com' })),
    ).toBe('getaddrinfo EAI_AGAIN sts.amazonaws.com');
    expect(
      unreachable(Object.assign(new Error(''), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 8080 })),
    ).toBe('connect ECONNREFUSED 127.0.0.1:8080');
  });

  it('finds it in an error an SDK wrapped around it, or in each of an AggregateError', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:443'), { code: 'ECONNREFUSED' });
    expect(unreachable(new Error('request failed', { cause: refused }))).toBe('connect ECONNREFUSED ::1:443');
    expect(unreachable(Object.assign(new AggregateError([refused]), { code: 'ECONNREFUSED' }))).toBe(
      'connect ECONNREFUSED ::1:443',
    );
    expect(
      unreachable(
        named(
          'AuthenticationError',
          'network_error: request to https://login.x failed, reason: getaddrinfo EAI_AGAIN login.x',
        ),
      ),
    ).toBe('getaddrinfo EAI_AGAIN login.x');
  });

  it('is nothing else: a reset, a timeout, an answer', () => {
    expect(unreachable(withCode('ECONNRESET'))).toBeUndefined();
    expect(unreachable(withCode('ETIMEDOUT'))).toBeUndefined();
    expect(unreachable(named('AbortError'))).toBeUndefined();
    expect(unreachable(Object.assign(new Error('denied'), { statusCode: 403 }))).toBeUndefined();
    expect(unreachable(undefined)).toBeUndefined();
  });
});

describe('withEndpointFixes names where an unreachable call went', () => {
  const endpoint = { url: 'https://graph.example.test', input: 'graph-endpoint' };
  const classify = withEndpointFixes(
    () => ({ action: 'retry', kind: 'network' }),
    () => endpoint,
  );

  it('a host that did not resolve is an unreachable retry, with the endpoint and what failed', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND graph.example.test'), { code: 'ENOTFOUND' });
    expect(classify(dns, 'Graph_Batch')).toEqual({
      action: 'retry',
      kind: 'unreachable',
      endpoint,
      detail: 'getaddrinfo ENOTFOUND graph.example.test',
    });
  });

  it('an error already explained, and any other network error, are left to the classifier it wraps', () => {
    const explained = new CloudAccessError('x', { cause: withCode('ECONNREFUSED') });
    expect(classify(explained, 'Op')).toEqual({ action: 'retry', kind: 'network' });
    expect(classify(withCode('ECONNRESET'), 'Op')).toEqual({ action: 'retry', kind: 'network' });
  });
});

describe('retryOnlyUnreachable: one endpoint, retried only when it could not be reached', () => {
  const api = { url: "GitHub's API at https://api.github.com (GITHUB_API_URL)" };

  it('retries a host that did not resolve as unreachable, naming the endpoint and what failed', () => {
    const error = Object.assign(new Error('getaddrinfo ENOTFOUND api.github.com'), { code: 'ENOTFOUND' });
    expect(retryOnlyUnreachable(api)(error, 'GET /repos')).toEqual({
      action: 'retry',
      kind: 'unreachable',
      endpoint: api,
      detail: 'getaddrinfo ENOTFOUND api.github.com',
    });
  });

  it('fails anything else with the error as it came', () => {
    const error = new Error('Bad credentials');
    expect(retryOnlyUnreachable(api)(error, 'GET /repos')).toEqual({ action: 'fail', error });
  });
});

describe('a GitHub API answer (an @octokit/request-error RequestError) is classified without its deprecated getters', () => {
  it('a 404 prints no deprecation warning, with its stack trace, and is no network error', async () => {
    const { RequestError } = await import('@octokit/request-error');
    const notFound = new RequestError('Not Found', 404, {
      request: { method: 'GET', url: 'https://api.github.com/repos/o/r/actions/runs/1', headers: {} },
      response: { status: 404, url: '', headers: {}, data: { message: 'Not Found' } },
    });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(isNetworkError(notFound)).toBe(false);
      expect(unreachable(notFound)).toBeUndefined();
      expect(untrustedCertificate(notFound)).toBeUndefined();
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
