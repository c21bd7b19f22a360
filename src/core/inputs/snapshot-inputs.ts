// Inputs `snapshot` and `full-read-every` (a reconcile or report on AWS): where the step keeps what it read,
// so the next run reads only what CloudTrail says changed since (core/snapshot/), and how old the
// last complete read may be before a run reads completely again. Checked here, before any network
// call. Pure.
import { parseDuration } from '../duration.js';
import { s3Target } from './audit-log.js';
import { printable, type InputReader, type Problems } from './fields.js';

/** `full-read-every`'s default: a week. */
export const DEFAULT_FULL_READ_EVERY = '7d';
const MINUTE_MS = 60_000;
/** CloudTrail keeps 90 days: a snapshot older than that could not be brought up to date. */
const LONGEST_FULL_READ_EVERY_MS = 89 * 24 * 60 * MINUTE_MS;

export interface SnapshotTarget {
  bucket: string;
  prefix: string;
  /** As written, for messages. */
  url: string;
}

export interface SnapshotInputs {
  /** Undefined: a complete read every run. */
  snapshot?: SnapshotTarget;
  fullReadEveryMs: number;
}

export function parseSnapshotInputs(
  problems: Problems,
  read: InputReader,
  cloud: 'aws' | 'azure' | undefined,
): SnapshotInputs {
  const text = read('snapshot').trim();
  const every = read('full-read-every').trim();
  const fullReadEveryMs = fullReadEvery(problems, every);
  if (text === '') {
    // action.yml's default (`7d`) is what the runner passes when the workflow sets nothing.
    if (every !== '' && every.toLowerCase() !== DEFAULT_FULL_READ_EVERY)
      problems.add(
        'full-read-every',
        'is read only with `snapshot`',
        'set `snapshot`, or remove `full-read-every`',
      );
    return { fullReadEveryMs };
  }
  if (cloud !== 'aws') {
    problems.add(
      'snapshot',
      'is read by `cloud: aws` only: Azure reads what it covers completely every run',
      'remove `snapshot`',
    );
    return { fullReadEveryMs };
  }
  const target = s3Target(text);
  if (typeof target === 'string') {
    problems.add(
      'snapshot',
      `\`${printable(text)}\` ${target.replace('records to', 'keeps its snapshot at')}`,
      'give e.g. `s3://my-bucket/cloud-access/snapshots`',
    );
    return { fullReadEveryMs };
  }
  return { snapshot: { bucket: target.bucket, prefix: target.prefix, url: target.url }, fullReadEveryMs };
}

function fullReadEvery(problems: Problems, text: string): number {
  const parsed = parseDuration(text === '' ? DEFAULT_FULL_READ_EVERY : text);
  const fallback = 7 * 24 * 60 * MINUTE_MS;
  if (typeof parsed === 'string') {
    problems.add('full-read-every', `\`${printable(text)}\` ${parsed}`, 'give e.g. `7d`, `12h` or `1m`');
    return fallback;
  }
  if (parsed.ms < MINUTE_MS || parsed.ms > LONGEST_FULL_READ_EVERY_MS) {
    problems.add(
      'full-read-every',
      `\`${printable(text)}\` is not from 1 minute to 89 days (CloudTrail keeps 90 days of history)`,
      'give e.g. `7d`, `12h` or `1m`',
    );
    return fallback;
  }
  return parsed.ms;
}
