// `operation: request`'s sources: the claims of the run's OIDC token (asked for with the cloud's
// audience, as the sign-in asks for its own, and decoded: the checks read what GitHub signed), and
// GitHub's REST reads with `github-token`. Both before any cloud call. ./sessions.ts loads this
// module with import() for a request only, and the reads are loaded with import() when asked for.
import { requestClaimsOf } from '../core/access-request.js';
import type { ConfigOf } from '../core/inputs/index.js';
import { runRepositoryFor } from '../core/run-context.js';
import { decodeClaims } from '../core/token-claims.js';
import { Deadline } from '../engine/limits/deadline.js';
import { mask } from '../github/log.js';
import { githubOidcTokenSource } from '../github/oidc.js';
import type { RequestSources } from '../operations/request/index.js';

export function requestSources(config: ConfigOf<'request'>): RequestSources {
  const deadline = new Deadline(config.timeoutSeconds);
  return {
    claims: async () => {
      const token = await githubOidcTokenSource(deadline)(config.audience);
      return requestClaimsOf(decodeClaims(token) as Record<string, unknown>);
    },
    github: async () => {
      const repository = runRepositoryFor(config.run, 'request');
      mask(config.request.githubToken);
      const { githubRequestReads } = await import('../github/request-reads.js');
      return githubRequestReads({ token: config.request.githubToken, repository, deadline });
    },
  };
}
