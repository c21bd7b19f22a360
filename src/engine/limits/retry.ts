import { UnreachableEndpointError, type Endpoint } from '../../core/errors.js';
import { retryDelayMs, type Random, type RetrySchedule } from './backoff.js';
import {
  NotSentError,
  type Deadline,
  DeadlineExceededError,
  RetryAfterPastDeadlineError,
} from './deadline.js';

/**
 * How an adapter judges a failed call. `retry` covers throttling, documented-retryable conflicts,
 * 5xx and network errors, and writes refused until something they name has replicated; anything
 * else is `fail` with an error that names the cause and fix.
 */
export type ErrorVerdict =
  | {
      action: 'retry';
      /**
       * `throttled`: the call rate's quota; `outstanding`: a write refused because the service holds
       * as many of its kind as it runs at once (IAM Identity Center's 15 outstanding creates), which
       * says nothing of the rate.
       */
      kind: 'throttled' | 'outstanding' | 'conflict' | 'server' | 'network';
      retryAfterMs?: number;
      /** The service that answered (`Microsoft Graph`, `Azure Resource Manager`, `AWS`), for the log's words. */
      service?: string;
    }
  | ReplicationVerdict
  | UnreachableVerdict
  | { action: 'fail'; error: Error };

/**
 * The endpoint's host did not resolve, or refused the connection: a DNS blip or a restarting
 * proxy passes in a second or two, a wrong host or a firewall never does, so it is retried
 * UNREACHABLE_RETRIES times and then fails naming the endpoint and what sets it, rather than
 * minutes of silent retries until the deadline.
 */
export interface UnreachableVerdict {
  action: 'retry';
  kind: 'unreachable';
  endpoint: Endpoint;
  /** What the connection failed with, in Node's words (`getaddrinfo ENOTFOUND graph.microsoft.com`). */
  detail: string;
}

/**
 * The longest one attempt may take; the deadline cuts it shorter. The SDKs' own request timeouts
 * (aws/sdk/clients.ts, azure/sdk/pipeline-policies.ts) and the GitHub OIDC token request
 * (github/oidc.ts) are set to it as well, so that a hung connection fails in the client, with its
 * error, at the same moment.
 */
export const ATTEMPT_TIMEOUT_MS = 15_000;

/** Retries of a call whose endpoint could not be reached (its host unresolved, its connection refused). */
export const UNREACHABLE_RETRIES = 2;

/** Their delays: long enough for a DNS answer or a proxy to come back, short enough to fail within seconds. */
export const UNREACHABLE_SCHEDULE: RetrySchedule = { baseMs: 1_000, factor: 2, capMs: 2_000 };

/**
 * A write refused because something it names is not visible to the service yet (an Entra
 * principal created moments before, say). It is retried like a conflict, but only for `windowMs`
 * from the call's first such refusal: past that, what it names may simply not exist.
 */
export interface ReplicationVerdict {
  action: 'retry';
  kind: 'replication';
  windowMs: number;
  /** Slower than the usual schedule, for a refusal known to last minutes (fewer writes wasted). */
  schedule?: RetrySchedule;
  /** What the retries wait for, for the log lines that say so ("principal … to replicate to ARM"). */
  waitingFor?: string;
  /**
   * The error the call fails with once neither the window nor the deadline leaves room for another
   * try; `waitedMs` is the time since the first replication error, `last` the error just judged.
   */
  giveUp(waitedMs: number, last: unknown): Error;
}

export type ErrorClassifier = (error: unknown, operation: string) => ErrorVerdict;

export interface RetryObserver {
  onRetry?(
    operation: string,
    kind: string,
    attempt: number,
    delayMs: number,
    error: unknown,
    verdict?: ErrorVerdict,
  ): void;
  /**
   * Before each retry of a replication verdict: `waitedMs` since the call's first replication
   * error, `leftMs` until its window or the deadline ends the retries, whichever comes first.
   */
  onReplicationWait?(operation: string, verdict: ReplicationVerdict, waitedMs: number, leftMs: number): void;
  /** Before each retry of an unreachable verdict (`retry` 1 or 2 of UNREACHABLE_RETRIES). */
  onUnreachable?(operation: string, verdict: UnreachableVerdict, retry: number): void;
}

/**
 * The error of a call whose next try the deadline leaves no room for: what the service asked, when
 * its Retry-After alone is past the deadline; else, while a replication wait was under way (another
 * kind of error, a network one or a throttle, came meanwhile), that wait given up, whose
 * explanation still says why the call never got through; else the deadline, with the last answer
 * (`answered`, when the deadline cut the last attempt short) or the last error.
 */
function pastDeadline(
  operation: string,
  verdict: Exclude<ErrorVerdict, { action: 'fail' } | ReplicationVerdict>,
  error: unknown,
  remaining: number,
  deadline: Deadline,
  { answered, replicationGivenUp }: { answered?: unknown; replicationGivenUp?: (() => Error) | undefined },
): Error {
  const asked = verdict.kind === 'unreachable' ? undefined : verdict.retryAfterMs;
  if (verdict.kind !== 'unreachable' && asked !== undefined && asked >= remaining)
    return new RetryAfterPastDeadlineError(
      operation,
      error,
      verdict.service ?? 'the service',
      asked,
      remaining,
      deadline,
    );
  return replicationGivenUp?.() ?? new DeadlineExceededError(operation, answered ?? error);
}

/** An attempt aborted this close to the deadline was cut short by it (timers are not exact). */
const DEADLINE_CUT_SLACK_MS = 50;

/**
 * Runs `call` until it succeeds, fails for good, or the deadline (or, for a replication verdict,
 * its window) leaves no room for another try.
 */
export async function withRetry<T>(
  operation: string,
  call: () => Promise<T>,
  options: {
    classify: ErrorClassifier;
    deadline: Deadline;
    observer?: RetryObserver;
    random?: Random;
    signal?: AbortSignal;
    /**
     * Whether an attempt refused for the outstanding writes (or conflicting) waits for another
     * limit rather than backs off: a create refused for IAM Identity Center's outstanding creates
     * waits for a slot to end (the semaphore's), and a backoff on top would leave the slot it frees
     * idle. A conflict counts too: IAM Identity Center also answers "too many operations at once"
     * with ConflictException (aws-samples/assignment-automation-4-aws-sso #8). A call throttled for
     * the rate backs off whatever it holds: the instance counted no slot of it.
     */
    refusedWaitsElsewhere?: boolean;
    /** The backoff of a call throttled for the rate, when not RETRY_SCHEDULE (./backoff.ts). */
    throttledSchedule?: RetrySchedule;
  },
): Promise<T> {
  // The last error a call came back with: an attempt the deadline cut short (an AbortError as it
  // passes) says only that it timed out, while the one before says why it was being retried.
  let answered: unknown;
  // The deadline's remaining time at this call's first replication error: the window is measured
  // on the deadline's clock, from there.
  let replicationFrom: number | undefined;
  // The last replication error and its verdict, while the call waits out a replication window.
  let replicating: { verdict: ReplicationVerdict; error: unknown } | undefined;
  /** The replication wait under way given up, with `remaining` of the deadline left. */
  const replicationGivenUp = (remaining: number) =>
    replicating!.verdict.giveUp(replicationFrom! - remaining, replicating!.error);
  // Retries already spent on an endpoint that could not be reached.
  let unreachableRetries = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const cut =
        (error as { name?: unknown } | undefined)?.name === 'AbortError' &&
        options.deadline.remainingMs() <= DEADLINE_CUT_SLACK_MS;
      const notSent = error instanceof NotSentError;
      // The deadline cut an attempt short, or passed before it was sent (waiting for its turn),
      // while a replication wait was under way: the call ends with that wait's own explanation, as
      // it does when the next delay would pass the deadline. A step cancelled meanwhile (its
      // signal, which also ends a wait for a turn) says so instead.
      if ((cut || (notSent && !options.signal?.aborted)) && replicating)
        throw replicationGivenUp(options.deadline.remainingMs());
      // Not sent at all: nothing to judge or retry, and the deadline has passed.
      if (notSent) throw error;
      if (!cut) answered = error;
      const verdict = options.classify(error, operation);
      if (verdict.action === 'fail') throw verdict.error;
      const replication = verdict.kind === 'replication';
      if (verdict.kind === 'unreachable' && unreachableRetries++ >= UNREACHABLE_RETRIES)
        throw new UnreachableEndpointError(
          operation,
          verdict.endpoint,
          verdict.detail,
          unreachableRetries,
          error,
        );
      const delay = replication
        ? retryDelayMs(attempt, undefined, options.random, verdict.schedule)
        : verdict.kind === 'unreachable'
          ? retryDelayMs(unreachableRetries - 1, undefined, options.random, UNREACHABLE_SCHEDULE)
          : (verdict.kind === 'outstanding' || verdict.kind === 'conflict') && options.refusedWaitsElsewhere
            ? (verdict.retryAfterMs ?? 0)
            : retryDelayMs(
                attempt,
                verdict.retryAfterMs,
                options.random,
                verdict.kind === 'throttled' ? options.throttledSchedule : undefined,
              );
      const remaining = options.deadline.remainingMs();
      if (replication) {
        replicationFrom ??= remaining;
        replicating = { verdict, error };
        const waited = replicationFrom - remaining;
        // The window ends the retries, and so does the deadline when it comes first: either way
        // the call ends with the verdict's own explanation (what it names may not exist).
        const left = Math.min(verdict.windowMs - waited, remaining);
        if (delay >= left) throw verdict.giveUp(waited, error);
        options.observer?.onReplicationWait?.(operation, verdict, waited, left);
      } else if (delay >= remaining)
        throw pastDeadline(operation, verdict, error, remaining, options.deadline, {
          answered: cut ? answered : undefined,
          replicationGivenUp: replicating ? () => replicationGivenUp(remaining) : undefined,
        });
      if (verdict.kind === 'unreachable')
        options.observer?.onUnreachable?.(operation, verdict, unreachableRetries);
      options.observer?.onRetry?.(operation, verdict.kind, attempt + 1, delay, error, verdict);
      await options.deadline.sleep(delay, options.signal);
    }
  }
}
