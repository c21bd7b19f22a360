import { describe, expect, it } from '@jest/globals';
import { createHttpHeaders, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';
import { createAzureCredential, isPublicAuthorityHost } from '../../../src/azure/sdk/credentials.js';
import { CloudAccessError } from '../../../src/core/errors.js';
import { CLIENT, plan, SUB_CLAIM } from '../signed-in-config.js';

const githubToken = [
  'e30',
  Buffer.from(
    JSON.stringify({
      iss: 'https://token.actions.githubusercontent.com',
      sub: SUB_CLAIM,
      aud: 'api://AzureADTokenExchange',
    }),
  ).toString('base64url'),
  'sig',
].join('.');

/** Entra's token endpoint behind the SDK transport. */
function entra(answer: { status: number; body: unknown }): HttpClient & { forms: URLSearchParams[] } {
  const forms: URLSearchParams[] = [];
  return {
    forms,
    async sendRequest(request: PipelineRequest) {
      forms.push(new URLSearchParams(String(request.body)));
      return {
        request,
        status: answer.status,
        headers: createHttpHeaders({ 'content-type': 'application/json' }),
        bodyAsText: JSON.stringify(answer.body),
      };
    },
  };
}

describe('the GitHub OIDC token is exchanged with Entra', () => {
  it('sends a fresh GitHub token for the audience as the client assertion', async () => {
    const transport = entra({
      status: 200,
      body: { token_type: 'Bearer', expires_in: 3600, access_token: 'arm-access-token' },
    });
    const audiences: string[] = [];
    const credential = createAzureCredential(
      plan,
      async (audience) => (audiences.push(audience), githubToken),
      () => undefined,
      transport,
    );
    const token = await credential.getToken(plan.tokenScope);
    expect(token?.token).toBe('arm-access-token');
    // MSAL asks for the assertion when it builds the request (more than once, as it happens).
    expect(audiences.length).toBeGreaterThan(0);
    expect(new Set(audiences)).toEqual(new Set(['api://AzureADTokenExchange']));
    expect(transport.forms).toHaveLength(1);
    expect(transport.forms[0]?.get('client_assertion')).toBe(githubToken);
    expect(transport.forms[0]?.get('client_id')).toBe(CLIENT);
    expect(transport.forms[0]?.get('scope')).toBe('https://management.azure.com/.default');
  });

  it('explains AADSTS700213 with the claims the federated credential must match', async () => {
    const transport = entra({
      status: 400,
      body: {
        error: 'invalid_client',
        error_description:
          'AADSTS700213: No matching federated identity record found for presented assertion subject.',
        error_codes: [700213],
      },
    });
    const credential = createAzureCredential(
      plan,
      async () => githubToken,
      () => undefined,
      transport,
    );
    const error = await credential.getToken(plan.tokenScope).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CloudAccessError);
    expect((error as CloudAccessError).message).toContain(`sub=${SUB_CLAIM}`);
    expect((error as CloudAccessError).fix).toContain('issuer `https://token.actions.githubusercontent.com`');
    expect((error as CloudAccessError).fix).toContain(`subject exactly \`${SUB_CLAIM}\``);
    expect((error as CloudAccessError).fix).toContain('audience `api://AzureADTokenExchange`');
  });
});

describe('instance discovery', () => {
  it('is left on only for the public Microsoft authority hosts (elsewhere instance discovery is an outbound call)', () => {
    expect(isPublicAuthorityHost('https://login.microsoftonline.com')).toBe(true);
    expect(isPublicAuthorityHost('https://login.microsoftonline.us/')).toBe(true);
    expect(isPublicAuthorityHost('https://login.chinacloudapi.cn')).toBe(true);
    expect(isPublicAuthorityHost('https://127.0.0.1:8443')).toBe(false);
    expect(isPublicAuthorityHost('https://login.microsoftonline.com.evil.example')).toBe(false);
  });
});
