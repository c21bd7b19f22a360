// Every request of the snapshot's store inside the step's time, and named when it fails: the
// store is S3's, which may be slow, hung or refusing, and a step that says only "Please reduce your
// request rate." (S3's 503 SlowDown) or a generic SDK timeout leaves its reader to guess which of
// the step's services spoke. Each request is abandoned when the step's deadline passes or the step
// is cancelled (its signal aborts the SDK's request, and the request settles then whether or not
// the SDK honours it), and each failure says `snapshot`, the request and `s3://bucket/key`.
import { CloudAccessError } from '../../core/errors.js';
import type { SnapshotTarget } from '../../core/inputs/snapshot-inputs.js';
import { whenBoundEnds, type WaitBound } from '../../engine/limits/deadline.js';

export type SnapshotAction = 'GetObject' | 'PutObject';

type S3ErrorLike = {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
};

export interface SnapshotRequest {
  action: SnapshotAction;
  /** `s3://bucket/key`. */
  where: string;
  target: SnapshotTarget;
  /** The account the bucket is expected to belong to, once known. */
  owner?: string;
}

/** The deadline passed, or the step was cancelled, before S3 answered. */
class Unanswered extends Error {}

/**
 * `run` with a signal that aborts when the step's deadline passes or it is cancelled; its answer,
 * or its failure as the step says it (`refusal`).
 */
export async function withinStepTime<T>(
  bound: WaitBound,
  request: SnapshotRequest,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (bound.deadline.passed || bound.signal?.aborted) throw unanswered(bound, request);
  const abandon = new AbortController();
  const stop = whenBoundEnds(bound, () => abandon.abort(new Unanswered()));
  try {
    return await new Promise<T>((resolve, reject) => {
      abandon.signal.addEventListener('abort', () => reject(abandon.signal.reason), { once: true });
      run(abandon.signal).then(resolve, reject);
    });
  } catch (error) {
    if (error instanceof CloudAccessError) throw error;
    if (error instanceof Unanswered || abandon.signal.aborted) throw unanswered(bound, request);
    throw refusal(error, request);
  } finally {
    stop();
  }
}

function unanswered(bound: WaitBound, { action, where, target }: SnapshotRequest): CloudAccessError {
  const { deadline } = bound;
  if (bound.signal?.aborted)
    return new CloudAccessError(`snapshot: the step was cancelled before S3 answered ${action} on ${where}`, {
      input: 'snapshot',
      fix: 'run the step again',
    });
  return new CloudAccessError(
    `snapshot: S3 did not answer ${action} on ${where} within the step's ${deadline.seconds}s deadline (\`${deadline.input}\`)`,
    {
      input: 'snapshot',
      fix: `check that bucket \`${target.bucket}\` is reachable from the runner (a proxy, a VPC endpoint, \`AWS_ENDPOINT_URL_S3\`), or raise \`${deadline.input}\``,
    },
  );
}

/** S3's refusal as the step says it: a missing bucket, another account's, a permission the role lacks, or S3's own words named. */
export function refusal(error: unknown, { action, where, target, owner }: SnapshotRequest): CloudAccessError {
  const e = error as S3ErrorLike;
  const status = e.$metadata?.httpStatusCode;
  if (e.name === 'NoSuchBucket')
    return new CloudAccessError(`input \`snapshot\`: bucket \`${target.bucket}\` does not exist`, {
      input: 'snapshot',
      fix: 'make the bucket (with versioning, examples/setup/aws), or correct `snapshot`',
      cause: error,
    });
  if (status === 403 || e.name === 'AccessDenied')
    return new CloudAccessError(
      `input \`snapshot\`: S3 refused ${action} on \`${where}\` (${e.name ?? 'AccessDenied'})`,
      {
        input: 'snapshot',
        // Without s3:ListBucket, S3 answers a missing object 403, not 404 NoSuchKey.
        fix: `give the step's role \`s3:GetObject\` and \`s3:PutObject\` on \`arn:aws:s3:::${target.bucket}/${target.prefix ? `${target.prefix}/` : ''}*\`, and \`s3:ListBucket\` on \`arn:aws:s3:::${target.bucket}\` (without it S3 answers a snapshot not yet written as AccessDenied)${owner ? `; and check that bucket \`${target.bucket}\` is owned by account ${owner} (the account the step signed in to: the snapshot is read from and written to no other account's bucket)` : ''}`,
        cause: error,
      },
    );
  const said = `${e.name ?? 'Error'}${e.message ? `: ${e.message}` : ''}`;
  if (status === undefined)
    return new CloudAccessError(`snapshot: ${action} on ${where} did not reach S3 (${said})`, {
      input: 'snapshot',
      fix: `check that bucket \`${target.bucket}\` is reachable from the runner (a proxy, a VPC endpoint, \`AWS_ENDPOINT_URL_S3\`)`,
      cause: error,
    });
  return new CloudAccessError(`snapshot: S3 answered ${action} on ${where} with ${status} ${said}`, {
    input: 'snapshot',
    fix:
      status >= 500
        ? "S3 did not serve the request, nor the SDK's retries of it: run the step again later"
        : `check \`snapshot\` and bucket \`${target.bucket}\``,
    cause: error,
  });
}
