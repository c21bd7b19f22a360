// The GitHub OIDC token: requested fresh for every exchange, masked, never stored.
import * as core from '@actions/core';
import { CloudAccessError } from '../core/errors.js';
import type { Deadline } from '../engine/deadline.js';
import { withRetry } from '../engine/retry.js';
import { debug } from './log.js';

export interface TokenClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  job_workflow_ref?: string;
  iat?: number;
  exp?: number;
}

export function decodeClaims(token: string): TokenClaims {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    return {};
  }
}

/** `sub`, `aud` and `iss`: what a trust policy or federated credential is matched against. */
export function describeClaims(claims: TokenClaims): string {
  const aud = Array.isArray(claims.aud) ? claims.aud.join(',') : claims.aud;
  return `sub=${claims.sub ?? '?'} aud=${aud ?? '?'} iss=${claims.iss ?? '?'}`;
}

export type OidcTokenSource = (audience: string) => Promise<string>;

/**
 * Requests a GitHub OIDC token for `audience`. The runner's token endpoint is retried on 5xx
 * and network errors inside the step's deadline; a job without `id-token: write` is told so.
 */
export function githubOidcTokenSource(deadline: Deadline): OidcTokenSource {
  return async (audience) => {
    if (!process.env.ACTIONS_ID_TOKEN_REQUEST_URL || !process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
      throw new CloudAccessError(
        'the job cannot request a GitHub OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set)',
        {
          fix: 'add `permissions: id-token: write` to the job or workflow. Pull requests from forks never get a token: do not grant access from them',
        },
      );
    }
    const token = await withRetry('GitHub OIDC token request', () => core.getIDToken(audience), {
      deadline,
      classify: (error) => {
        const message = error instanceof Error ? error.message : String(error);
        if (
          /Error Code : (5\d\d|undefined)/.test(message) ||
          /ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up/.test(message)
        ) {
          return { action: 'retry', kind: 'server' };
        }
        return {
          action: 'fail',
          error: new CloudAccessError(
            `could not get a GitHub OIDC token for audience \`${audience}\`: ${message.replace(/\s+/g, ' ')}`,
          ),
        };
      },
    });
    core.setSecret(token);
    const claims = decodeClaims(token);
    debug(
      `GitHub OIDC token claims: ${describeClaims(claims)} job_workflow_ref=${claims.job_workflow_ref ?? '?'}`,
    );
    return token;
  };
}
