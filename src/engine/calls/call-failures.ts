// What a failed call may have done: a call sent and never answered (or answered with a 5xx) may
// have been applied; one never sent, or refused by the service (a 4xx), was not. The call runner
// (./call-runner.ts) marks its errors so, and an adapter the errors it builds from them
// (azure/arm/create-attempts.ts); the runs read the mark before they say what a grant came to.
import { unreachable } from '../limits/network.js';
import { NotSentError } from '../limits/deadline.js';

/** Errors of calls that were sent and may have been applied: no answer, or a server error. */
const possiblyApplied = new WeakSet<object>();

/**
 * Whether the call that failed with `error` may still have done what it asked: one of its
 * attempts was sent and got no answer (a dead connection, a timeout) or a 5xx. A 4xx answer
 * (throttled, conflict, denied, invalid) is the service's refusal: nothing was applied.
 */
export function mayHaveBeenApplied(error: unknown): boolean {
  return typeof error === 'object' && error !== null && possiblyApplied.has(error);
}

/**
 * Whether the call that failed with `error` was refused by the service itself: a 4xx answer (AWS
 * SDK `$metadata.httpStatusCode`, Azure RestError `statusCode`), not a call never sent or never answered.
 */
export function refusedByService(error: unknown): boolean {
  if (neverSent(error)) return false;
  // An adapter's error that explains the answer carries it as its cause.
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const answer = e as { $metadata?: { httpStatusCode?: number }; statusCode?: number };
    const status = answer.$metadata?.httpStatusCode ?? answer.statusCode;
    if (status !== undefined) return status >= 400 && status < 500;
  }
  return false;
}

/** A call never sent, or answered with a 4xx: nothing was applied. */
export function answeredWithRefusal(error: unknown): boolean {
  if (neverSent(error)) return true;
  const e = error as { $metadata?: { httpStatusCode?: number }; statusCode?: number } | undefined;
  const status = e?.$metadata?.httpStatusCode ?? e?.statusCode;
  return status !== undefined && status >= 400 && status < 500;
}

function neverSent(error: unknown): boolean {
  // Never sent at all (a wait inside an SDK's pipeline that the deadline ended says so with `notSent`).
  if (error instanceof NotSentError || (error as { notSent?: unknown } | undefined)?.notSent === true)
    return true;
  // No connection was made (no address for the host, or nothing listening): nothing was sent.
  return Boolean(unreachable(error));
}

/** Marks `error` as that of a call that may have been applied (for errors built from such a call's error). */
export function markPossiblyApplied(error: unknown): void {
  if (typeof error === 'object' && error !== null) possiblyApplied.add(error);
}
