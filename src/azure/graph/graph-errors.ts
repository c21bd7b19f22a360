// Microsoft Graph's errors: which to retry (429 and 5xx, after their Retry-After), and what a final
// one means for the user: the Graph application permission a 403 lacks, the cloud a 401 points at.
// Judged by status and `error.code`, never by the message (https://learn.microsoft.com/graph/errors says so).
import { CloudAccessError, describeError, UnreachableEndpointError } from '../../core/errors.js';
import type { AzureSessionSettings } from '../../core/inputs/index.js';
import { AZURE_ENVIRONMENTS } from '../../core/inputs/endpoints.js';
import { LABELS_BUDGET_MS, LabelsTimedOut } from '../../engine/limits/best-effort.js';
import { NotSentError, DeadlineExceededError } from '../../engine/limits/deadline.js';
import { type ErrorClassifier, type ErrorVerdict } from '../../engine/limits/retry.js';
import { ForeignAnswerError, isForeignAnswer } from '../../engine/limits/foreign-answer.js';
import { isAuthError } from '../sdk/entra-errors.js';
import { classifyAzureError } from '../sdk/azure-errors.js';
import { GraphError } from './client.js';

/** The service's name in what the step says of its waits. */
export const GRAPH = 'Microsoft Graph';

/**
 * What each Graph collection needs, least privileged first (the permissions of each list call,
 * e.g. https://learn.microsoft.com/graph/api/user-list; Directory.Read.All covers all).
 */
export function graphPermissionFor(path: string): string {
  const collection = /^\/v1\.0\/([A-Za-z]+)/.exec(path)?.[1]?.toLowerCase();
  switch (collection) {
    case 'users':
      return 'User.Read.All';
    case 'groups':
      return 'GroupMember.Read.All';
    case 'serviceprincipals':
      return 'Application.Read.All';
    default:
      return 'Directory.Read.All';
  }
}

const WHAT_IT_READS: Record<string, string> = {
  'User.Read.All': 'users',
  'GroupMember.Read.All': 'groups',
  'Application.Read.All': 'service principals and managed identities',
  'Directory.Read.All': 'directory objects',
};

/** How a Graph failure reads in the log: its status, code, text and request ID (support asks for it). */
export function graphSaid(
  status: number,
  code: string | undefined,
  message: string,
  requestId?: string,
): string {
  return `${status}${code ? ` ${code}` : ''}: ${message}${requestId ? ` (Graph request-id ${requestId})` : ''}`;
}

/**
 * A final Graph failure for the principals it was asked about (`forWhat`, e.g. "`group:ops`"):
 * 403 names the permission to consent, 401 the endpoint and `environment` that disagree.
 */
export function explainGraphFailure(
  failure: {
    status: number;
    code: string | undefined;
    message: string;
    requestId: string | undefined;
    path: string;
  },
  graphEndpoint: string,
  forWhat: string,
): CloudAccessError {
  const said = graphSaid(failure.status, failure.code, failure.message, failure.requestId);
  if (failure.status === 403) {
    const permission = graphPermissionFor(failure.path);
    const alternatives = permission === 'Directory.Read.All' ? '' : ` (or Directory.Read.All)`;
    return new CloudAccessError(
      `Microsoft Graph refused to read ${WHAT_IT_READS[permission]} for ${forWhat} (${said}): the app the action signs in as lacks the Graph application permission ${permission}`,
      {
        input: 'principal',
        fix: `an Entra admin must add the application permission ${permission}${alternatives} to the app registration and grant admin consent (see docs/azure-setup.md, "Azure principals by name"), or pass the object ID instead of the name`,
      },
    );
  }
  if (failure.status === 401)
    return new CloudAccessError(
      `Microsoft Graph at ${graphEndpoint} did not accept the token for ${forWhat} (${said})`,
      {
        input: 'graph-endpoint',
        fix: "the Graph endpoint and `environment` must name the same cloud (tokens are not interchangeable between national clouds): leave `graph-endpoint` empty to use the environment's, or set both to the same cloud",
      },
    );
  if (failure.status === 429 || failure.status >= 500)
    return new CloudAccessError(
      `Microsoft Graph was still throttling or failing the lookup of ${forWhat} when the step's deadline came (${said})`,
      {
        fix: 'raise `timeout-seconds`, or re-run later: Graph throttles per app and tenant, shared with the other apps of the tenant',
      },
    );
  return new CloudAccessError(`Microsoft Graph failed to resolve ${forWhat} (${said})`, {
    input: 'principal',
    // Status 0: the step refused the answer itself (a link off the endpoint, too many pages).
    ...(failure.status === 0
      ? { fix: 'pass the object ID (`object:<id>`) instead of the name; nothing was granted' }
      : {}),
  });
}

/** The permissions that name every kind of principal (any one of the first three names its kind). */
const NAMING_PERMISSIONS = 'User.Read.All, GroupMember.Read.All, Application.Read.All, or Directory.Read.All';

/**
 * Why a lookup that only labels rows (or explains an error) got no answer, and what would get one:
 * the permissions for a 403; the runner's way to `graphEndpoint`, or `graph-endpoint`, when Graph
 * did not answer (its host did not resolve, refused the connection, or took longer than the labels
 * budget); a refused token's own fix. For the one line a step says about it.
 */
export function labelsFailure(error: unknown, graphEndpoint: string): { said: string; fix: string } {
  const reach = `let the runner reach ${graphEndpoint} (its DNS, the network's egress rules, or HTTPS_PROXY), or set \`graph-endpoint\` to a Microsoft Graph it reaches`;
  // Throttled or failing until the budget ended: what Graph last said is the reason.
  if (error instanceof DeadlineExceededError && error.lastError instanceof GraphError)
    return labelsFailure(error.lastError, graphEndpoint);
  if (error instanceof GraphError) {
    const said = graphSaid(error.status, error.code, error.serverMessage, error.requestId);
    if (error.status === 403)
      return {
        said,
        fix: `grant the app the Microsoft Graph permissions names need (${NAMING_PERMISSIONS})`,
      };
    return {
      said,
      fix: error.status === 429 || error.status >= 500 ? 're-run later: Graph was busy' : reach,
    };
  }
  if (error instanceof UnreachableEndpointError) return { said: error.detail, fix: reach };
  if (
    error instanceof LabelsTimedOut ||
    error instanceof NotSentError ||
    error instanceof DeadlineExceededError
  ) {
    const last =
      error instanceof DeadlineExceededError ? `; last error: ${describeError(error.lastError)}` : '';
    return { said: `no answer within ${LABELS_BUDGET_MS / 1000} s${last}`, fix: reach };
  }
  if (error instanceof CloudAccessError) return { said: error.message, fix: error.fix ?? reach };
  return { said: describeError(error), fix: reach };
}

/**
 * The engine's classifier for Graph calls: 429 and 5xx retried after the answer's Retry-After; any
 * other Graph answer is final (explained by the resolver, which knows the principals it was for);
 * a token or network failure is judged as for ARM.
 */
export function classifyGraphError(error: unknown, operation: string): ErrorVerdict {
  if (!(error instanceof GraphError)) return classifyAzureError(error, operation);
  // A page Graph did not write (a proxy's HTML 404, a wrong `graph-endpoint`'s): the same on every
  // try, and no Graph answer to explain (a 404 page is not Graph saying "not found").
  const seen = error.answer && { status: error.status, ...error.answer };
  if (seen && isForeignAnswer(seen))
    return {
      action: 'fail',
      error: new ForeignAnswerError(operation, GRAPH, seen, '`graph-endpoint`, or `environment`', {
        input: 'graph-endpoint',
        cause: error,
      }),
    };
  const after = {
    service: GRAPH,
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
  };
  if (error.status === 429) return { action: 'retry', kind: 'throttled', ...after };
  if (error.status === 408 || (error.status >= 500 && error.status !== 501 && error.status !== 505))
    return { action: 'retry', kind: 'server', ...after };
  return { action: 'fail', error };
}

/**
 * classifyGraphError for a step's settings: a token Entra refuses for Graph's scope, once the
 * sign-in for ARM has worked with the same `client-id` and `tenant-id`, most often means a
 * `graph-endpoint` of another cloud (or a mistyped one), so the error names it, and the
 * environment's own Graph, beside the sign-in inputs.
 */
export function graphClassifier(settings: AzureSessionSettings): ErrorClassifier {
  return (error, operation) => {
    const verdict = classifyGraphError(error, operation);
    const name = (error as { name?: unknown } | null)?.name;
    if (verdict.action !== 'fail' || typeof name !== 'string' || !isAuthError(name)) return verdict;
    if (name === 'CredentialUnavailableError') return verdict;
    const own = AZURE_ENVIRONMENTS[settings.environment].graphEndpoint;
    const summary = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
    return {
      action: 'fail',
      error: new CloudAccessError(
        `${operation}: Entra refused a token for Microsoft Graph at ${settings.graphEndpoint} (scope ${settings.graphTokenScope}): ${summary}`,
        {
          input: 'graph-endpoint',
          fix: `check \`graph-endpoint\`: \`environment\` ${settings.environment}'s Graph is ${own}${settings.graphEndpoint === own ? '' : ' (leave `graph-endpoint` empty to use it)'}; then \`client-id\` and \`tenant-id\`, with which the sign-in for ARM worked`,
          cause: error,
        },
      ),
    };
  };
}
