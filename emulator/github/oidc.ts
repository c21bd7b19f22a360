// GitHub Actions' OIDC token endpoint, as @actions/core's getIDToken calls it: GET
// `ACTIONS_ID_TOKEN_REQUEST_URL&audience=…` with `Authorization: Bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN`,
// answered with `{"value":"<JWT>"}` (actions/toolkit packages/core/src/oidc-utils.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createJwtIssuer, type JwtClaims, type JwtIssuer } from '../common/jwt.js';
import { sendJson, startRecord } from '../common/http.js';
import type { RecordRequest } from '../common/requests.js';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const TOKEN_PATH = '/_apis/distributedtask/idtoken';

export interface GithubOidcFaults {
  /** The next N token requests answer 500. */
  serverErrors: number;
}

export interface GithubOidcEmulator {
  readonly issuer: JwtIssuer;
  /** The `iss` of every token. */
  readonly issuerUrl: string;
  /** What the runner puts in ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  readonly requestToken: string;
  /** Merged over the default claims of every token (tests set `sub`, `environment`, …). */
  claims: JwtClaims;
  /** Every JWT handed out since the last reset, in order. */
  issuedTokens: string[];
  /** `exp - iat` of new tokens. */
  tokenLifetimeSeconds: number;
  faults: GithubOidcFaults;
  /** Signs a token as the endpoint would, without HTTP (it is not added to issuedTokens). */
  signToken(audience?: string, overrides?: JwtClaims): string;
  /** The claims a token for `audience` would carry now. */
  claimsFor(audience?: string): JwtClaims;
  reset(): void;
}

/** A realistic workflow run: octo-org/octo-repo, push to main (github/docs "OpenID Connect reference"). */
function defaultClaims(): JwtClaims {
  const sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9011223344';
  return {
    sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
    ref: 'refs/heads/main',
    sha,
    repository: 'octo-org/octo-repo',
    repository_owner: 'octo-org',
    repository_owner_id: '65432101',
    repository_id: '123456789',
    repository_visibility: 'private',
    run_id: '9876543210',
    run_number: '42',
    run_attempt: '1',
    actor: 'octocat',
    actor_id: '583231',
    workflow: 'deploy',
    workflow_ref: 'octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main',
    workflow_sha: sha,
    job_workflow_ref: 'octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main',
    job_workflow_sha: sha,
    event_name: 'push',
    ref_type: 'branch',
    ref_protected: 'true',
    head_ref: '',
    base_ref: '',
    runner_environment: 'github-hosted',
  };
}

export function createGithubOidc(record: RecordRequest): {
  emulator: GithubOidcEmulator;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void;
} {
  const issuer = createJwtIssuer();
  const requestToken = randomBytes(24).toString('base64url');

  const emulator: GithubOidcEmulator = {
    issuer,
    issuerUrl: GITHUB_ISSUER,
    requestToken,
    claims: {},
    issuedTokens: [],
    tokenLifetimeSeconds: 300,
    faults: { serverErrors: 0 },
    claimsFor(audience) {
      const iat = Math.floor(Date.now() / 1000);
      return {
        jti: randomUUID(),
        ...defaultClaims(),
        aud: audience ?? 'https://github.com/octo-org',
        ...emulator.claims,
        iss: GITHUB_ISSUER,
        iat,
        nbf: iat - 5,
        exp: iat + emulator.tokenLifetimeSeconds,
        ...pick(emulator.claims, ['iss', 'iat', 'nbf', 'exp']),
      };
    },
    signToken(audience, overrides = {}) {
      return issuer.sign({ ...emulator.claimsFor(audience), ...overrides });
    },
    reset() {
      emulator.claims = {};
      emulator.issuedTokens.length = 0;
      emulator.tokenLifetimeSeconds = 300;
      emulator.faults.serverErrors = 0;
    },
  };

  function handle(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (url.pathname === '/.well-known/openid-configuration') {
      sendJson(res, 200, {
        issuer: GITHUB_ISSUER,
        jwks_uri: `${GITHUB_ISSUER}/.well-known/jwks`,
        subject_types_supported: ['public', 'pairwise'],
        response_types_supported: ['id_token'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid'],
      });
      return;
    }
    if (url.pathname === '/.well-known/jwks') {
      sendJson(res, 200, issuer.jwks());
      return;
    }
    const entry = startRecord(record, 'github', 'token', req, false);
    const answer = (status: number, body: unknown, errorCode?: string) => {
      entry.status = status;
      if (errorCode) entry.errorCode = errorCode;
      sendJson(res, status, body);
    };
    if (url.pathname !== TOKEN_PATH) return answer(404, { message: 'Not Found' }, 'NotFound');
    if (req.method !== 'GET') return answer(405, { message: 'Method Not Allowed' }, 'MethodNotAllowed');
    if (req.headers.authorization !== `Bearer ${requestToken}`) {
      return answer(401, { message: 'Unauthorized: the bearer token is missing or invalid' }, 'Unauthorized');
    }
    if (!url.searchParams.get('api-version')) {
      return answer(400, { message: 'api-version query parameter is required' }, 'BadRequest');
    }
    if (emulator.faults.serverErrors > 0) {
      emulator.faults.serverErrors--;
      return answer(500, { message: 'Internal Server Error' }, 'InternalServerError');
    }
    const token = emulator.signToken(url.searchParams.get('audience') ?? undefined);
    emulator.issuedTokens.push(token);
    answer(200, { value: token });
  }

  return { emulator, handle };
}

function pick(claims: JwtClaims, keys: string[]): JwtClaims {
  return Object.fromEntries(keys.filter((k) => claims[k] !== undefined).map((k) => [k, claims[k]]));
}
