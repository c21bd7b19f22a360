// Pipeline policies added to the Azure SDK clients (ARM and Entra): a timeout on every request, and
// ARM's write pacing. (The PIM policy of a role is pim/policy.ts.)
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { ATTEMPT_TIMEOUT_MS } from '../../engine/call-runner.js';
import { bucketKey, remainingHeaderFor, type ArmWritePacer } from './pacing.js';

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

/** Paces writes while ARM's token bucket runs low, and records what each write response says is left. */
export function armWritePacingPolicy(pacer: ArmWritePacer): PipelinePolicy {
  return {
    name: 'cloudAccessArmWritePacing',
    async sendRequest(request, next) {
      const key = bucketKey(request.url, request.method);
      if (!key) return next(request);
      // Not sent once the deadline passed during the wait; a 4xx-like refusal, so it counts as not applied.
      if (!(await pacer.take(key)) || request.abortSignal?.aborted)
        throw Object.assign(
          new Error("the write was not sent: the deadline passed while it waited for ARM's write limit"),
          {
            name: 'AbortError',
            notSent: true,
          },
        );
      const response = await next(request);
      const remaining = response.headers.get(remainingHeaderFor(key));
      if (remaining !== undefined && /^\d+$/.test(remaining.trim())) pacer.observe(key, Number(remaining));
      return response;
    },
  };
}
