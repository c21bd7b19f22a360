// Shared set-up for the Azure emulator tests: an emulator with its own GitHub issuer, and a small
// HTTPS client that trusts the emulator's CA (the jest process has no NODE_EXTRA_CA_CERTS).
import { request } from 'node:https';
import { startAzureEmulator, type AzureEmulator } from '../../emulator/azure/index.js';
import { createJwtIssuer, type JwtClaims, type JwtIssuer } from '../../emulator/common/jwt.js';
import type { RequestRecord } from '../../emulator/common/requests.js';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const MAIN_SUBJECT = 'repo:octo-org/octo-repo:ref:refs/heads/main';
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
export const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface AzureTestBed {
  az: AzureEmulator;
  github: JwtIssuer;
  requests: RequestRecord[];
  /** A GitHub OIDC token for Entra (claims overridable). */
  githubToken(claims?: JwtClaims): string;
  /** POSTs a token request to the emulator's Entra; fields override the defaults of the seeded app. */
  tokenRequest(fields?: Record<string, string>, tenant?: string): Promise<HttpResult>;
  /** An ARM access token for the seeded app (or the given client and subject). */
  accessToken(clientId?: string, subject?: string): Promise<string>;
  /** Calls ARM: `path` is appended to the endpoint; api-version 2022-04-01 is added unless present. */
  arm(method: string, path: string, options?: { body?: unknown; token?: string | null }): Promise<HttpResult>;
  https(method: string, url: string, body?: string, headers?: Record<string, string>): Promise<HttpResult>;
}

export async function startTestBed(): Promise<AzureTestBed> {
  const github = createJwtIssuer();
  const requests: RequestRecord[] = [];
  const az = await startAzureEmulator({
    verifyGithubToken: (token) => github.verify(token, 60),
    record: (r) => void requests.push(r),
  });
  const https = (method: string, url: string, body?: string, headers: Record<string, string> = {}) =>
    new Promise<HttpResult>((resolve, reject) => {
      const req = request(url, { method, ca: az.caCert, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  const githubToken = (claims: JwtClaims = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return github.sign({
      iss: GITHUB_ISSUER,
      sub: MAIN_SUBJECT,
      aud: 'api://AzureADTokenExchange',
      iat: now,
      nbf: now - 5,
      exp: now + 300,
      ...claims,
    });
  };
  const tokenRequest = (fields: Record<string, string> = {}, tenant = az.tenantId) =>
    https(
      'POST',
      `${az.authorityHost}/${tenant}/oauth2/v2.0/token`,
      new URLSearchParams({
        client_id: az.clientId,
        scope: 'https://management.azure.com/.default',
        grant_type: 'client_credentials',
        client_assertion_type: JWT_BEARER,
        client_assertion: githubToken(),
        ...fields,
      }).toString(),
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
  const accessToken = async (clientId = az.clientId, subject = MAIN_SUBJECT) => {
    const res = await tokenRequest({ client_id: clientId, client_assertion: githubToken({ sub: subject }) });
    if (res.status !== 200) throw new Error(`token request failed: ${res.text}`);
    return res.json.access_token as string;
  };
  let cached: string | undefined;
  const arm = async (
    method: string,
    path: string,
    options: { body?: unknown; token?: string | null } = {},
  ) => {
    const token = options.token === undefined ? (cached ??= await accessToken()) : options.token;
    const url = new URL(`${az.resourceManagerEndpoint}${path}`);
    if (!url.searchParams.has('api-version')) url.searchParams.set('api-version', '2022-04-01');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    return https(
      method,
      url.toString(),
      options.body === undefined ? undefined : JSON.stringify(options.body),
      headers,
    );
  };
  return { az, github, requests, githubToken, tokenRequest, accessToken, arm, https };
}
