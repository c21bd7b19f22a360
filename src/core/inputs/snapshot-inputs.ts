// Inputs `snapshot`, `full-read-every` and `event-history-roles` (a reconcile or report on AWS):
// where the step keeps what it read, so the next run reads only what CloudTrail says changed since
// (core/snapshot/), how old the last complete read may be before a run reads completely again, and
// the roles through which it reads the event history of the other accounts that administer the
// instance. Checked here, before any network call. Pure.
import { parseDuration } from '../duration.js';
import { unique } from '../lists.js';
import { IAM_ROLE_ARN } from '../patterns.js';
import { s3Target } from './audit-log.js';
import { roleArnProblems } from './claim-inputs.js';
import { listInput, printable, type InputReader, type Problems } from './fields.js';

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
  /**
   * With `snapshot`: IAM roles, one in each other account that administers the instance (the
   * management account beside a delegated administrator), whose CloudTrail event history the delta
   * reads too; absent when none is given.
   */
  eventHistoryRoles?: string[];
}

export function parseSnapshotInputs(
  problems: Problems,
  read: InputReader,
  cloud: 'aws' | 'azure' | undefined,
): SnapshotInputs {
  const text = read('snapshot').trim();
  const every = read('full-read-every').trim();
  const fullReadEveryMs = fullReadEvery(problems, every);
  const roles = eventHistoryRoles(problems, read, cloud, text !== '');
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
  return {
    snapshot: { bucket: target.bucket, prefix: target.prefix, url: target.url },
    fullReadEveryMs,
    ...(roles.length > 0 ? { eventHistoryRoles: roles } : {}),
  };
}

/** `event-history-roles`: IAM role ARNs, read only with `snapshot` on AWS. */
function eventHistoryRoles(
  problems: Problems,
  read: InputReader,
  cloud: 'aws' | 'azure' | undefined,
  withSnapshot: boolean,
): string[] {
  const values = listInput(problems, read, 'event-history-roles', false);
  if (values.length === 0) return [];
  if (cloud === 'azure') {
    problems.add(
      'event-history-roles',
      'is read by `cloud: aws` only: Azure keeps no snapshot',
      'remove `event-history-roles`',
    );
    return [];
  }
  if (!withSnapshot) {
    problems.add(
      'event-history-roles',
      "is read only with `snapshot`: it names the accounts whose CloudTrail event history a snapshot's delta reads too",
      'set `snapshot`, or remove `event-history-roles`',
    );
    return [];
  }
  roleArnProblems(
    problems,
    'event-history-roles',
    values,
    "give `arn:<partition>:iam::<12-digit account>:role/<name>`: a role in each other account that administers the instance, which trusts this step's role and allows cloudtrail:LookupEvents",
  );
  return unique(values.filter((value) => IAM_ROLE_ARN.test(value)));
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
