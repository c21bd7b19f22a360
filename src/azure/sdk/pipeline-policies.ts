// Pipeline policies added to the Azure SDK clients (ARM and Entra): a timeout on every request, and
// ARM's pacing by its token buckets. (The PIM policy of a role is pim/policy.ts.)
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';
import { CloudAccessError } from '../../core/errors.js';
import { ATTEMPT_TIMEOUT_MS } from '../../engine/limits/retry.js';
import { retryAfterMs } from './azure-errors.js';
import { bucketKey, remainingHeaderFor, type ArmPacer } from './pacing.js';

/**
 * Puts a timeout on every request; the SDKs send none by default. A hung connection fails after
 * the engine's per-attempt timeout and is retried by the engine, inside the step's deadline.
 */
export function requestTimeoutPolicy(timeoutMs: number = ATTEMPT_TIMEOUT_MS): PipelinePolicy {
  return {
    name: 'cloudAccessRequestTimeout',
    sendRequest(request, next) {
      if (!request.timeout) request.timeout = timeoutMs;
      return next(request);
    },
  };
}

/**
 * Sends no request off the endpoint's origin: the SDK follows a list's `nextLink` whole, and its
 * bearer policy puts the ARM token on whatever URL that is (another host, or `@host/…` that makes
 * the endpoint's host a user name). As the Graph client (graph/client.ts) does for Graph.
 */
export function endpointOnlyPolicy(endpoint: string): PipelinePolicy {
  const own = originOf(endpoint);
  return {
    name: 'cloudAccessEndpointOnly',
    sendRequest(request, next) {
      if (!own || originOf(request.url) !== own)
        throw new CloudAccessError(
          `Azure Resource Manager sent a link that is not on ${endpoint}: ${request.url.slice(0, 200)}; not followed`,
          { input: 'resource-manager-endpoint' },
        );
      return next(request);
    },
  };
}

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.username || parsed.password ? undefined : parsed.origin;
  } catch {
    return undefined;
  }
}

/**
 * Paces every ARM request (each page of a list too) while its token bucket runs low or a 429 holds
 * it, and tells the pacer what each answer says is left.
 */
export function armPacingPolicy(pacer: ArmPacer): PipelinePolicy {
  return {
    name: 'cloudAccessArmPacing',
    async sendRequest(request, next) {
      const key = bucketKey(request.url, request.method);
      if (!key) return next(request);
      const turn = await pacer.take(key);
      // Not sent once the deadline passed during the wait; a 4xx-like refusal, so it counts as not applied.
      if (!turn || request.abortSignal?.aborted) {
        turn?.answered();
        throw Object.assign(
          new Error("the request was not sent: the deadline passed while it waited for ARM's request limit"),
          { name: 'AbortError', notSent: true },
        );
      }
      let response: PipelineResponse;
      try {
        response = await next(request);
      } catch (error) {
        turn.answered();
        throw error;
      }
      const remaining = response.headers.get(remainingHeaderFor(key))?.trim();
      turn.answered({
        remaining: remaining !== undefined && /^\d+$/.test(remaining) ? Number(remaining) : undefined,
        retryAfterMs: response.status === 429 ? retryAfterMs(response.headers) : undefined,
      });
      return response;
    },
  };
}
