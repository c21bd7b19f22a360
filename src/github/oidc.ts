// The GitHub OIDC token: requested fresh for every exchange, masked, never stored.
import * as core from '@actions/core';
import { CloudAccessError } from '../core/errors.js';
import { decodeClaims, describeClaims } from '../core/token-claims.js';
import type { Deadline } from '../engine/deadline.js';
import type { TokenSource } from '../engine/driver.js';
import { isNetworkError } from '../engine/network.js';
import { withRetry } from '../engine/retry.js';
import { debug } from './log.js';

/**
 * Requests a GitHub OIDC token for `audience`. The runner's token endpoint is retried on 5xx
 * and network errors inside the step's deadline; a job without `id-token: write` is told so.
 */
export function githubOidcTokenSource(deadline: Deadline): TokenSource {
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
        // @actions/core keeps only the status and the text of what failed: a request that got no
        // answer says `Error Code : undefined`, or names the network error in the text.
        if (/Error Code : (5\d\d|undefined)/.test(message) || isNetworkError(error)) {
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
