// The sweep's removal of expired session fences: the sets whose inline policy sessions of
// `created-by` put within `lookback` (CloudTrail: ./policy-writes.ts) are read, and each
// fence of the action in them whose expiry has passed is taken out, whether or not the sweep
// revokes anything in that set; then the set is provisioned to each account those fences named
// where it is still provisioned, so the roles there lose the Deny: one plan of writes, run by the
// engine's one write path (./fence-sweep-writes.ts). Live fences and every other statement stay as
// they are. A dry run reads and lists, and writes nothing. Each fence removed is one `results`
// entry and one `audit-log` record (./fence-record.ts). The sweep reaches it through the AWS kinds'
// sections (../kinds.ts AWS_SECTIONS, ./set-kind.ts), naming no kind.
import { inertText } from '../../core/inert.js';
import { accountsOf, fenceSid, type SessionFence } from '../../core/permission-sets/session-fence.js';
import { fencedPolicy, withoutExpired } from '../../core/permission-sets/fenced-policy.js';
import type { AdapterDeps } from '../../engine/calls/driver.js';
import type { AuditTrail } from '../../engine/audit/trail.js';
import { mapWithConcurrency } from '../../engine/limits/limits.js';
import type { SweepUpkeep } from '../../engine/run/sweeper.js';
import type { SsoSession } from '../sso/session.js';
import { readPolicyWrites } from './policy-writes.js';
import { readInlinePolicy } from './fence-policy.js';
import {
  removeExpiredFences,
  type ExpiredInSet,
  type FenceWritesOptions,
  type SetSwept,
} from './fence-sweep-writes.js';

/** Sets read side by side: the session paces the calls. */
const SETS_AT_ONCE = 4;

export interface FenceSweepOptions extends FenceWritesOptions {
  dryRun: boolean;
}

/**
 * The expired session fences of every set whose inline policy a session of `createdBy` (IAM role
 * ARNs) put from `since` to `now` (CloudTrail), taken out (listed, in a dry run).
 */
export async function expiredFencesUpkeep(
  session: SsoSession,
  deps: AdapterDeps,
  query: { createdBy: ReadonlySet<string>; since: number; now: number },
  options: { dryRun: boolean; audit?: AuditTrail | undefined },
): Promise<SweepUpkeep> {
  const puts = await readPolicyWrites(session.clients, deps, session.stats, {
    instanceArn: session.instance,
    since: query.since,
    until: query.now,
  });
  const sets = puts.writes.flatMap((w) =>
    w.roleArn && query.createdBy.has(w.roleArn) ? [w.permissionSetArn] : [],
  );
  const swept = await sweepExpiredFences(session, sets, {
    now: query.now,
    dryRun: options.dryRun,
    bound: { deadline: deps.deadline, ...(deps.signal ? { signal: deps.signal } : {}) },
    audit: options.audit,
  });
  const note = `CloudTrail: ${puts.events} inline policy put(s) in the lookback window, ${new Set(sets).size} set(s) of them by sessions of ${[...query.createdBy].join(', ') || '(no role)'}, read for expired session fences`;
  return { ...swept, lines: [note, ...swept.lines] };
}

/** The expired fences of `sets` taken out (listed, in a dry run): the log's lines, `results` entries and a failure. */
export async function sweepExpiredFences(
  session: SsoSession,
  sets: readonly string[],
  options: FenceSweepOptions,
): Promise<SweepUpkeep> {
  const read = (
    await mapWithConcurrency([...new Set(sets)], SETS_AT_ONCE, (arn) => readExpired(session, arn, options))
  ).filter((s): s is ExpiredInSet => s !== undefined);
  const swept: SetSwept[] = options.dryRun
    ? read.map((set) => ({ ...set, provisioned: [], status: 'DRY_RUN' }))
    : await removeExpiredFences(session, read, options);
  const failed = swept.filter((s) => s.status === 'FAILED');
  return {
    lines: swept.flatMap(linesOf),
    results: swept.flatMap(resultsOf),
    ...(failed.length > 0
      ? {
          failed: `the expired session fence(s) of ${failed.map((s) => `${s.name}: ${s.failureReason}`).join('; ')}`,
        }
      : {}),
  };
}

/** A set's expired fences as read now; none (undefined) when it has none, or cannot be read. */
async function readExpired(
  session: SsoSession,
  arn: string,
  options: FenceSweepOptions,
): Promise<ExpiredInSet | undefined> {
  let expired: SessionFence[];
  try {
    // A read first: a set with nothing expired is written nothing, and costs no audit record.
    const read = fencedPolicy(await readInlinePolicy(session, arn), arn);
    expired = 'unreadable' in read ? [] : withoutExpired(read, options.now).expired;
  } catch {
    // A set deleted since its fence was put, or one this role may not read: nothing to take out here.
    return undefined;
  }
  if (expired.length === 0) return undefined;
  const name = (await session.permissionSets.name(arn).catch(() => undefined)) ?? arn;
  return { arn, name, fences: expired };
}

const fenceWords = (f: SessionFence) =>
  `in ${accountsOf(f).join(', ')} (${fenceSid(f)}: sessions issued before ${f.before}, needed until ${f.expiresAt})`;

function linesOf(s: SetSwept): string[] {
  const verb =
    s.status === 'DRY_RUN' ? 'would remove' : s.status === 'SUCCEEDED' ? 'removed' : 'FAILED to remove';
  const why = s.failureReason ? `: ${s.failureReason}` : '';
  return s.fences.map((f) =>
    inertText(`${verb} the expired session fence of ${s.name} ${fenceWords(f)}${why}`),
  );
}

function resultsOf(s: SetSwept): object[] {
  return s.fences.map((f) => ({
    cloud: 'aws',
    change: 'session-fence-removal',
    role: s.arn,
    roleName: s.name,
    target: f.account,
    ...(f.accounts ? { accounts: [...f.accounts] } : {}),
    sid: fenceSid(f),
    before: f.before,
    until: f.expiresAt,
    action: s.status === 'DRY_RUN' ? 'would remove' : 'remove',
    ...(s.status === 'DRY_RUN' ? {} : { status: s.status, changed: s.status === 'SUCCEEDED' }),
    ...(s.failureReason ? { failureReason: s.failureReason } : {}),
  }));
}
