// Where the audit log's records go (the cloud's store, aws/audit-s3.ts, azure/audit-blob.ts), how
// one record's write to it is bounded by the step's deadline, and what to change when the store
// refused or did not answer. Apart from the trail (./trail.ts), which decides what is recorded,
// when and under which number: this is the one place a record meets the store.
import type { AdapterDeps } from '../calls/driver.js';
import { whenBoundEnds, type WaitBound } from '../limits/deadline.js';

/** Where records go, through the cloud's SDK with the step's own credentials (aws/audit-s3.ts, azure/audit-blob.ts). */
export interface AuditSink {
  /** The `audit-log` input, for messages. */
  readonly where: string;
  /** The key prefix records go under. */
  readonly prefix: string;
  /** What the step's identity needs there, for the fix (`s3:PutObject` on …). */
  readonly permission: string;
  /**
   * Writes `body` at `key` only when no object is there: `taken` when one is (412), else throws
   * what the store answered (AuditSinkError when it refused the identity). `signal` fires when the
   * step's deadline passes or the step is cancelled: the write is abandoned then, its request too.
   */
  putOnce(key: string, body: string, signal: AbortSignal): Promise<'written' | 'taken'>;
}

/**
 * How a cloud's adapter opens its store for `audit-log`'s `target`, signed in as the step with its
 * `settings` (the step's token asked through `deps`, what it reads masked).
 */
export type OpenAuditSink<Settings, Target> = (
  settings: Settings,
  target: Target,
  deps: Pick<AdapterDeps, 'requestToken' | 'mask'>,
) => AuditSink;

/** The store refused the step's identity (S3 AccessDenied, Blob 403 AuthorizationPermissionMismatch). */
export class AuditSinkError extends Error {
  constructor(
    message: string,
    readonly denied: boolean,
    /** What to change, when the store's refusal says more than a missing permission. */
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'AuditSinkError';
  }
}

/** The store did not answer a record's write before the step's deadline passed (or the step was cancelled). */
class AuditSinkUnanswered extends Error {
  constructor(
    where: string,
    readonly bound: WaitBound,
  ) {
    const { deadline } = bound;
    super(
      bound.signal?.aborted
        ? `the step was cancelled before ${where} answered`
        : `${where} did not answer within the step's ${deadline.seconds}s deadline (\`${deadline.input}\`)`,
    );
    this.name = 'AuditSinkUnanswered';
  }
}

/**
 * One write, abandoned when the deadline passes or the step is cancelled: its signal aborts the
 * store's request, and the write settles then whether or not the store's SDK honours it.
 */
export function putWithinBound(
  sink: AuditSink,
  bound: WaitBound,
  key: string,
  body: string,
): Promise<'written' | 'taken'> {
  const unanswered = () => new AuditSinkUnanswered(sink.where, bound);
  if (bound.deadline.passed || bound.signal?.aborted) return Promise.reject(unanswered());
  const abandon = new AbortController();
  const stop = whenBoundEnds(bound, () => abandon.abort(unanswered()));
  return new Promise<'written' | 'taken'>((resolve, reject) => {
    abandon.signal.addEventListener('abort', () => reject(abandon.signal.reason), { once: true });
    sink.putOnce(key, body, abandon.signal).then(resolve, reject);
  }).finally(stop);
}

/** What to change when a record could not be written to `sink` (`failure`: what its write threw). */
export function sinkFix(sink: AuditSink, failure: unknown): string {
  if (failure instanceof AuditSinkUnanswered)
    return failure.bound.signal?.aborted
      ? 'run the step again'
      : `check that ${sink.where} is reachable from the runner and answers, or raise \`${failure.bound.deadline.input}\``;
  if (failure instanceof AuditSinkError && failure.fix) return failure.fix;
  if (failure instanceof AuditSinkError && failure.denied)
    return `give the step's identity ${sink.permission}`;
  return `check that ${sink.where} exists and is reachable, and that the step's identity has ${sink.permission}`;
}
