// A TLS certificate no CA of the runner's signed (a private CA, a re-signing proxy, the emulator's
// own): never retried, and the error names NODE_EXTRA_CA_CERTS and the input that sets the endpoint.
import { describe, expect, it } from '@jest/globals';
import { armClassifier } from '../../../src/azure/sdk/azure-errors.js';
import { CloudAccessError } from '../../../src/core/errors.js';
import type { AzureSettings } from '../../../src/core/inputs/index.js';
import {
  isNetworkError,
  untrustedCertificate,
  withEndpointFixes,
} from '../../../src/engine/limits/network.js';

/** Node's error for a server whose chain ends at a CA it does not trust, as a socket raises it. */
const tlsError = (code: string, message: string) => Object.assign(new Error(message), { code });
const LEAF = tlsError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate');
const CHAIN = tlsError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain');

describe('an untrusted certificate is known wherever an SDK puts it', () => {
  it('by its code or its words, on the error or on one it wraps', () => {
    expect(untrustedCertificate(LEAF)).toBe('unable to verify the first certificate');
    expect(untrustedCertificate(CHAIN)).toBe('self-signed certificate in certificate chain');
    // @azure/core-rest-pipeline's RestError keeps the text; MSAL wraps it in a cause.
    const rest = Object.assign(
      new Error(
        'unable to verify the first certificate; if the root CA is installed locally, try running Node.js with --use-system-ca',
      ),
      { name: 'RestError', code: 'REQUEST_SEND_ERROR' },
    );
    expect(untrustedCertificate(rest)).toMatch(/^unable to verify the first certificate/);
    expect(untrustedCertificate(new Error('request failed', { cause: CHAIN }))).toBe(
      'self-signed certificate in certificate chain',
    );
    expect(untrustedCertificate(new AggregateError([new Error('x'), LEAF]))).toBe(
      'unable to verify the first certificate',
    );
    expect(untrustedCertificate(new Error('connect ECONNREFUSED 127.0.0.1:443'))).toBeUndefined();
  });

  it('is not a network blip: it is never retried', () => {
    const rest = Object.assign(new Error('unable to verify the first certificate'), {
      code: 'REQUEST_SEND_ERROR',
    });
    expect(isNetworkError(rest)).toBe(false);
    expect(isNetworkError(tlsError('ECONNRESET', 'socket hang up'))).toBe(true);
  });
});

describe('the error names the fix and the endpoint', () => {
  const settings = {
    authorityHost: 'https://login.example.test',
    resourceManagerEndpoint: 'https://arm.example.test',
  } as AzureSettings;

  it('Entra’s sign-in names `authority-host`; every ARM call `resource-manager-endpoint`', () => {
    const classify = armClassifier(settings);
    const failed = (error: unknown, operation: string): CloudAccessError => {
      const verdict = classify(error, operation);
      if (verdict.action !== 'fail' || !(verdict.error instanceof CloudAccessError))
        throw new Error(`expected a CloudAccessError, got ${JSON.stringify(verdict)}`);
      return verdict.error;
    };
    const entra = failed(LEAF, 'GetToken');
    expect(entra.input).toBe('authority-host');
    expect(entra.describe()).toBe(
      "GetToken: the TLS certificate of https://login.example.test is not trusted (unable to verify the first certificate): set `NODE_EXTRA_CA_CERTS` in the step's or the job's `env:` to the PEM file of the CA that signed that certificate (with the emulator: the NODE_EXTRA_CA_CERTS path it printed); or check `authority-host`, in case it names another host",
    );
    const arm = failed(CHAIN, 'RoleAssignments_Create');
    expect(arm.input).toBe('resource-manager-endpoint');
    expect(arm.message).toContain(
      'https://arm.example.test is not trusted (self-signed certificate in certificate chain)',
    );
    expect(arm.fix).toContain('`NODE_EXTRA_CA_CERTS`');
  });

  it('any other error is left to the classifier it wraps', () => {
    const verdict = { action: 'retry', kind: 'server' } as const;
    const classify = withEndpointFixes(
      () => verdict,
      () => ({ url: 'https://x' }),
    );
    expect(classify(new Error('503'), 'Op')).toBe(verdict);
  });
});
