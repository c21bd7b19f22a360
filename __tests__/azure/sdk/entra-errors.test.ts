import { describe, expect, it } from '@jest/globals';
import {
  aadstsCode,
  classifyAuthError,
  explainEntraError,
  explainMetadataError,
  isAuthError,
  isEntraServerError,
} from '../../../src/azure/sdk/entra-errors.js';
import { classifyAzureError } from '../../../src/azure/sdk/azure-errors.js';
import { CloudAccessError } from '../../../src/core/errors.js';
import { plan, SUB_CLAIM } from '../signed-in-config.js';

const named = (name: string, message: string, more: object = {}) =>
  Object.assign(new Error(message), { name }, more);

describe('what is retried', () => {
  it('retries transient Entra errors, including MSAL replaying them from its cache', () => {
    const fresh = Object.assign(
      new Error('server_error: Error(s): 50000 - Description: AADSTS50000: There was an error'),
      { name: 'AuthenticationRequiredError' },
    );
    const cached = Object.assign(new Error('50000: AADSTS50000: There was an error issuing a token.'), {
      name: 'AuthenticationRequiredError',
    });
    expect(classifyAzureError(fresh, 'GetToken').action).toBe('retry');
    expect(classifyAzureError(cached, 'GetToken').action).toBe('retry');
  });

  it('knows an Entra 429 or 5xx by its status, its AADSTS code or its words', () => {
    expect(isEntraServerError({ statusCode: 429 })).toBe(true);
    expect(isEntraServerError({ statusCode: 503 })).toBe(true);
    expect(isEntraServerError(new Error('AADSTS90033: A transient error has occurred.'))).toBe(true);
    expect(isEntraServerError(new Error('temporarily_unavailable: try later'))).toBe(true);
    expect(isEntraServerError({ statusCode: 400, message: 'invalid_client' })).toBe(false);
    expect(isEntraServerError(undefined)).toBe(false);
  });

  it('never retries a missing credential, whatever its text says', () => {
    const none = named('CredentialUnavailableError', 'server_error: ECONNRESET on the way');
    expect(classifyAuthError(none, 'GetToken').action).toBe('fail');
    expect(classifyAuthError(named('AuthenticationError', 'x', { statusCode: 502 }), 'GetToken')).toEqual({
      action: 'retry',
      kind: 'server',
    });
  });

  it('takes the errors of getting an Entra token by their names', () => {
    for (const name of [
      'AuthenticationError',
      'AuthenticationRequiredError',
      'AggregateAuthenticationError',
      'ServerError',
      'ClientAuthError',
      'NetworkError',
      'CredentialUnavailableError',
    ])
      expect(isAuthError(name)).toBe(true);
    expect(isAuthError('RestError')).toBe(false);
    expect(isAuthError('')).toBe(false);
  });
});

describe('what fails at once, and how it is explained', () => {
  it('tells a user without any Azure credential to pass client-id or run azure/login', () => {
    const none = Object.assign(new Error('DefaultAzureCredential failed'), {
      name: 'CredentialUnavailableError',
    });
    const verdict = classifyAzureError(none, 'GetToken');
    expect(verdict.action).toBe('fail');
    expect(verdict.action === 'fail' && (verdict.error as CloudAccessError).fix).toContain('azure/login');
  });

  it('says any other token failure, on one line, with the inputs to check', () => {
    const verdict = classifyAuthError(
      named('AuthenticationError', 'invalid_grant:\n  bad   thing'),
      'GetToken',
    );
    if (verdict.action !== 'fail') throw new Error('expected fail');
    expect(verdict.error).toMatchObject({
      message: 'GetToken: could not get an Entra token (invalid_grant: bad thing)',
      input: 'client-id',
      fix: 'check `client-id`, `tenant-id` and `environment` (or `authority-host`)',
    });
  });
});

describe('Entra set-up errors become fixes', () => {
  const claims = {
    iss: 'https://token.actions.githubusercontent.com',
    sub: SUB_CLAIM,
    aud: 'api://AzureADTokenExchange',
  };
  it.each([
    [70021, 'client-id', 'federated credential'],
    [700211, 'client-id', 'federated credential'],
    [700212, 'audience', 'federated credential'],
    [700016, 'client-id', '`client-id`'],
    [700024, 'client-id', 'clock'],
    [90002, 'tenant-id', '`tenant-id`'],
  ])('AADSTS%i names `%s`', (code, input, fix) => {
    const explained = explainEntraError(new Error(`invalid_client: AADSTS${code}: something`), plan, claims);
    expect(explained).toMatchObject({ input, fix: expect.stringContaining(fix) });
  });

  it('AADSTS700212 (audience): the `audience` input is checked before the federated credential', () => {
    const wrong = { ...plan, audience: 'api://my-audience' };
    const custom = explainEntraError(new Error('AADSTS700212: audience'), wrong, {
      ...claims,
      aud: 'api://my-audience',
    });
    expect(custom?.message).toContain('aud=api://my-audience');
    expect(custom?.fix).toMatch(
      /^check the `audience` input first: it asks for `api:\/\/my-audience`, while federated credentials accept `api:\/\/AzureADTokenExchange` unless changed; remove the input/,
    );
    expect(custom?.fix).toContain(
      "change the federated credential's audience only if it is the one that is wrong",
    );

    // With the default audience, it is the credential that names another: the input can match it.
    const byDefault = explainEntraError(new Error('AADSTS700212: audience'), plan, claims);
    expect(byDefault?.fix).toMatch(
      /^the token was requested for the default audience `api:\/\/AzureADTokenExchange`, so the federated credential names another: set the `audience` input/,
    );
  });

  it('names GitHub as the issuer when the token could not be read', () => {
    const explained = explainEntraError(new Error('AADSTS700213: no match'), plan, undefined);
    expect(explained?.message).toContain('the token has sub=? aud=? iss=?');
    expect(explained?.fix).toContain('issuer `https://token.actions.githubusercontent.com`');
  });

  it('leaves other errors to the classifier', () => {
    expect(
      explainEntraError(new Error('AADSTS50000: There was an error issuing a token'), plan, claims),
    ).toBeUndefined();
    expect(explainEntraError(new Error('ECONNRESET'), plan, claims)).toBeUndefined();
  });
});

describe('metadata errors', () => {
  it("give back the network error of the authority's OpenID configuration request, and nothing else", () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const unresolved = new Error('endpoints_resolution_error: could not resolve endpoints');
    expect(explainMetadataError(unresolved, reset)).toBe(reset);
    expect(explainMetadataError(unresolved, undefined)).toBeUndefined();
    expect(explainMetadataError(new Error('invalid_client'), reset)).toBeUndefined();
  });
});

describe('helpers', () => {
  it('finds the AADSTS code in the error codes or the message', () => {
    expect(aadstsCode({ errorResponse: { errorCodes: [700016] } })).toBe(700016);
    expect(
      aadstsCode(new Error('invalid_client: AADSTS700213: No matching federated identity record found')),
    ).toBe(700213);
    expect(aadstsCode(new Error('nothing'))).toBeUndefined();
  });
});
