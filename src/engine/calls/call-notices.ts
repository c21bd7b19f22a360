// The plain log lines a call says while it retries: what a write waits for to replicate, and an
// endpoint that answered only on a retry. Pure.
import { UNREACHABLE_RETRIES, type ErrorVerdict, type UnreachableVerdict } from '../limits/retry.js';
import { secondsOf } from '../limits/deadline.js';

/** A wait this long or longer before a retry is said in a plain log line, not only at debug level. */
export const SAID_WAIT_MS = 1_000;

/**
 * The plain log line for a retry's wait of SAID_WAIT_MS or more: the service, the call, why and how
 * long (a Retry-After the answer asked for, or the step's own backoff); undefined for a shorter
 * wait, or one that is not the service's asking (a replication wait, an unreachable endpoint,
 * which have lines of their own).
 */
export function waitNotice(
  operation: string,
  verdict: ErrorVerdict | undefined,
  delayMs: number,
): string | undefined {
  if (delayMs < SAID_WAIT_MS || verdict?.action !== 'retry') return undefined;
  if (verdict.kind === 'replication' || verdict.kind === 'unreachable') return undefined;
  const why = {
    throttled: 'was throttled',
    outstanding: 'was refused for the requests already running',
    conflict: 'met a conflicting operation',
    server: 'failed on the server side',
    network: 'got no answer',
  }[verdict.kind];
  const asked = verdict.retryAfterMs !== undefined && verdict.retryAfterMs >= delayMs;
  return `${verdict.service ?? 'the service'}: ${operation} ${why}; waiting ${secondsOf(delayMs)}${asked ? ' (its Retry-After)' : ''} before trying again`;
}

/**
 * A write refused until something it names has replicated can be retried for minutes: a plain log
 * line says what it waits for at the first refusal, and again at the first retry past each further
 * REPLICATION_NOTICE_MS of waiting (a verdict's schedule spaces its retries at most 8 s apart, or
 * 30 s for ActiveDurationTooShort), so the step is never silent for minutes with the reason only in
 * the debug log.
 */
export const REPLICATION_NOTICE_MS = 15_000;

/** The plain log line for a call still waiting for replication (`waitedMs` since its first refusal). */
export function replicationNotice(
  operation: string,
  waitingFor: string,
  waitedMs: number,
  leftMs: number,
): string {
  const s = (ms: number) => `${Math.round(ms / 1000)} s`;
  return waitedMs < REPLICATION_NOTICE_MS
    ? `${operation}: waiting for ${waitingFor}; retrying for up to ${s(leftMs)}`
    : `${operation}: still waiting for ${waitingFor} after ${s(waitedMs)}; retrying for up to ${s(leftMs)} more`;
}

/** The plain log line for a call that reached `endpoint` only on `retry` (its host unresolved or refusing before). */
export function recoveredNotice(operation: string, verdict: UnreachableVerdict, retry: number): string {
  const { endpoint, detail } = verdict;
  return `${operation}: ${endpoint.url} could not be reached at first (${detail}); it answered on retry ${retry} of ${UNREACHABLE_RETRIES}${endpoint.input ? ` (\`${endpoint.input}\` sets this endpoint)` : ''}`;
}
