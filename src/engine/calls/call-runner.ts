import { CloudAccessError } from '../../core/errors.js';
import { FIRST_PRIORITY_THROTTLE_SCHEDULE, type Random } from '../limits/backoff.js';
import { NotSentError, type Deadline, type WaitBound, DeadlineExceededError } from '../limits/deadline.js';
import type { CallStats } from './driver.js';
import type { CallActivity } from './read-progress.js';
import { abandonOnAbort } from './abandon-on-abort.js';
import { answeredWithRefusal, markPossiblyApplied } from './call-failures.js';
import { recoveredNotice, REPLICATION_NOTICE_MS, replicationNotice, waitNotice } from './call-notices.js';
import {
  ATTEMPT_TIMEOUT_MS,
  withRetry,
  type ErrorClassifier,
  type RetryObserver,
  type UnreachableVerdict,
} from '../limits/retry.js';

export interface CallRunnerOptions {
  classify: ErrorClassifier;
  deadline: Deadline;
  stats: CallStats;
  /** Paces every call (IAM Identity Center's collective TPS quota). */
  limiter?: CallPacer | undefined;
  /**
   * Which calls the limiter lets go first when several wait (lower first; 0 when not given). When
   * given, a first-priority call (0) that is throttled also retries on the shorter schedule
   * (FIRST_PRIORITY_THROTTLE_SCHEDULE): others wait on it.
   */
  priorityOf?: ((operation: string) => number) | undefined;
  signal?: AbortSignal | undefined;
  debug?: (message: string) => void;
  /**
   * Plain log lines: a write waiting for replication says so (REPLICATION_NOTICE_MS); an endpoint
   * that answered only after its host failed to resolve or refused the connection is named, once
   * (a call that gives up says so in its error instead).
   */
  info?: (message: string) => void;
  /** The retries' jitter (tests pin it). */
  random?: Random;
  /** Told when each call waits for its turn, is sent and is answered (a long read's progress lines). */
  activity?: CallActivity | undefined;
}

/** What paces calls (../limits/limits.ts RateLimiter, ../limits/adaptive-limits.ts AdaptiveRateLimiter). */
export interface CallPacer {
  /**
   * Waits for the call's turn. May resolve with a function to call once the attempt has ended (its
   * answer, or its failure, came back): a window-based pacer counts the call until then.
   */
  take(operation: string, bound?: WaitBound, priority?: number): Promise<(() => void) | void>;
  /** The service throttled a call sent at `sentAt` (Date.now()). */
  refused(sentAt: number): void;
  /** The service answered a call (with success: the quota let it through). */
  answered(): void;
  /** First-priority calls `source` expects at these times (Date.now(); none: no more): later calls leave places for them. */
  expect?(source: object, at: number[]): void;
}

/** Told about one call's attempts (a quota slot the call holds adapts with them). */
export interface CallObserver {
  /**
   * An attempt sent at `sentAt` (Date.now()) was throttled and will be retried: the retry also
   * waits for what this returns (the slot the call gave up, held again).
   */
  refused?(sentAt: number): Promise<void> | void;
  /** An attempt was answered with success. */
  answered?(): void;
}

/**
 * Runs one API call through the shared machinery: pacing, retry with backoff, counting. Each
 * attempt gets an abort signal that fires when the attempt's timeout or the step's deadline
 * passes, or the step is cancelled, so a hung connection cannot outlive the step. Once the step
 * is cancelled a failed attempt ends the call, whatever it failed with: the classifiers only ever
 * judge errors of a step still running (so an AbortError they see is an attempt's timeout).
 */
export type CallRunner = <T>(
  operation: string,
  call: (signal: AbortSignal) => Promise<T>,
  observer?: CallObserver,
) => Promise<T>;

export function createCallRunner(options: CallRunnerOptions): CallRunner {
  // The endpoints already named for answering only on a retry: once each per runner.
  const recovered = new Set<string>();
  return (operation, call, observer) => new CallAttempts(options, recovered, operation, call, observer).run();
}

/** One call's attempts: sent in turn, retried as the classifier says, and what they came to. */
class CallAttempts<T> {
  /** The last retry this call made because its endpoint could not be reached. */
  private unreachable: { verdict: UnreachableVerdict; retry: number } | undefined;
  /** Whether any attempt was sent and never answered with a refusal: the call may have been applied. */
  private sentWithoutAnswer = false;
  /** The last attempt that was sent failed with this (for a retry the deadline then kept back). */
  private lastSentError: unknown;
  private sent = 0;
  /** When the last attempt left, for the limits to judge a throttled answer by (aimd.ts). */
  private sentAt = 0;
  /** What the observer has the next attempt wait for, after a throttled one. */
  private observerWait: Promise<void> | undefined;
  /** The REPLICATION_NOTICE_MS periods of replication wait already announced (-1: none yet). */
  private announced = -1;

  constructor(
    private readonly options: CallRunnerOptions,
    private readonly recovered: Set<string>,
    private readonly operation: string,
    private readonly call: (signal: AbortSignal) => Promise<T>,
    private readonly observer: CallObserver | undefined,
  ) {}

  async run(): Promise<T> {
    const { options } = this;
    try {
      return await withRetry(this.operation, () => this.attempt(), {
        classify: (error, op) =>
          options.signal?.aborted
            ? { action: 'fail', error: new CloudAccessError(`${op} was cancelled`, { cause: error }) }
            : options.classify(error, op),
        deadline: options.deadline,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.random ? { random: options.random } : {}),
        // A call whose observer holds a quota slot, refused for the slots, waits for that slot
        // again, not a backoff.
        refusedWaitsElsewhere: this.observer?.refused !== undefined,
        ...(options.priorityOf?.(this.operation) === 0
          ? { throttledSchedule: FIRST_PRIORITY_THROTTLE_SCHEDULE }
          : {}),
        observer: this.retryObserver(),
      });
    } catch (error) {
      // A retry the deadline kept back: the call itself was sent, and it is its last error that counts.
      const final =
        error instanceof NotSentError && this.sent > 0
          ? new DeadlineExceededError(this.operation, this.lastSentError)
          : error;
      if (this.sentWithoutAnswer) markPossiblyApplied(final);
      throw final;
    }
  }

  /** One attempt: its turn under the limiter, then the call, on what is left of the deadline. */
  private async attempt(): Promise<T> {
    const { options, operation } = this;
    const { stats, limiter } = options;
    const bound = { deadline: options.deadline, signal: options.signal };
    if (this.observerWait) await this.observerWait.finally(() => (this.observerWait = undefined));
    const turnCame = options.activity?.waiting();
    let ended: (() => void) | undefined;
    try {
      ended = (await limiter?.take(operation, bound, options.priorityOf?.(operation))) ?? undefined;
    } finally {
      turnCame?.();
    }
    // Nothing is sent once the deadline has passed, however the wait for this attempt went.
    if (options.deadline.passed) {
      ended?.();
      throw new NotSentError(operation, 'its turn', options.deadline);
    }
    stats.calls[operation] = (stats.calls[operation] ?? 0) + 1;
    this.sent++;
    this.sentAt = Date.now();
    const timeout = AbortSignal.timeout(
      Math.max(1, Math.min(ATTEMPT_TIMEOUT_MS, options.deadline.remainingMs())),
    );
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    const answered = options.activity?.sent();
    try {
      const answer = await abandonOnAbort(this.call(signal), signal);
      answered?.();
      ended?.();
      limiter?.answered();
      this.observer?.answered?.();
      this.sayRecovered();
      return answer;
    } catch (error) {
      answered?.();
      ended?.();
      if (!answeredWithRefusal(error)) this.sentWithoutAnswer = true;
      this.lastSentError = error;
      throw error;
    }
  }

  /** An endpoint that answered only on a retry is named, once per runner. */
  private sayRecovered(): void {
    const { unreachable } = this;
    if (!unreachable || this.recovered.has(unreachable.verdict.endpoint.url)) return;
    this.recovered.add(unreachable.verdict.endpoint.url);
    this.options.info?.(recoveredNotice(this.operation, unreachable.verdict, unreachable.retry));
  }

  private retryObserver(): RetryObserver {
    const { options, observer } = this;
    const { stats, limiter } = options;
    return {
      onRetry: (op, kind, attempt, delayMs, error, verdict) => {
        stats.retries++;
        // Throttled for the rate: the pace adapts, for every call of the step; a slot the call
        // holds stays its own (the service counted none of it). Refused for the slots (IAM Identity
        // Center's outstanding creates, or a conflict, "too many operations at once"): the slot's
        // limit adapts, not the rate, which the step's other calls would be slowed by for nothing.
        if (kind === 'throttled' || kind === 'outstanding') stats.throttled++;
        if (kind === 'throttled') limiter?.refused(this.sentAt);
        else if (kind === 'outstanding' || (kind === 'conflict' && observer?.refused)) {
          const wait = observer?.refused?.(this.sentAt);
          // Awaited by the next attempt; handled here too, for a retry the deadline ends first.
          wait?.catch(() => {});
          this.observerWait = wait ?? undefined;
        }
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        options.debug?.(`${op}: ${kind} (${reason}); retry ${attempt} in ${delayMs} ms`);
        // A wait of a second or more is the service's doing or the step's backoff: said, not only debugged.
        const said = waitNotice(op, verdict, delayMs);
        if (said) options.info?.(said);
      },
      onUnreachable: (_op, verdict, retry) => {
        this.unreachable = { verdict, retry };
      },
      onReplicationWait: (op, verdict, waitedMs, leftMs) => {
        const period = Math.floor(waitedMs / REPLICATION_NOTICE_MS);
        if (!verdict.waitingFor || period <= this.announced) return;
        this.announced = period;
        options.info?.(replicationNotice(op, verdict.waitingFor, waitedMs, leftMs));
      },
    };
  }
}
