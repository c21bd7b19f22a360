// Whether a reliance of the step's made the grant again. The step read the grant as present and
// sent its reliance (the same create again, under its `-r` sign-in); if a delete of it ended in
// between (the post step of the run that made it, say), that create made it again, and nothing
// else would ever end it: the sweep never takes a `-r` create for a creation
// (core/claims/aws-evidence.ts), and the post step revokes only the step's own creates.
//
// The deletion-status list says when each delete was stamped, not who sent it nor when it ended.
// A delete of the assignment that SUCCEEDED, stamped after every create that is not a rival to
// the step's had ended (the end of the step's snapshot of running creates) and no later than the
// reliance, left it absent after they had all ended: so if no other create for it was running at
// the snapshot or made since (ownership-proof.ts), the reliance made it, and it is the step's own.
// Any other delete since the step began reading that did not FAIL (running still, stamped too close
// to the read to order against it, or after the reliance: IAM Identity Center does not complete
// requests in the order it stamps them) may have let the reliance make it: the step warns.
import type { AccountAssignmentOperationStatus } from '@aws-sdk/client-sso-admin';
import type { RelianceRemake } from '../../engine/calls/ownership-proofs.js';
import { CLOCK_SKEW_MS } from '../../engine/run/ownership.js';
import type { RequestHistory } from '../trail/request-history.js';
import { isRequestFor, type AssignmentFields } from '../trail/requests.js';
import type { CreateOwnershipProver } from './ownership-proof.js';

/** The reliance create, as the step sent it and heard back. */
export interface RelianceTimes {
  requestId: string;
  /** The runner's clock as the create's first attempt left, signed (the service stamped it after). */
  sentAt: number;
  /** The service's clock: its `CreatedDate`. */
  createdAt: number;
  /** The runner's clock, once its answer arrived (the service stamped it before). */
  answeredAt: number;
}

/** When the step began reading, on the runner's clock. */
export interface ReadStart {
  /** Just before its snapshot of the running creates was asked for. */
  snapshotAskedAt: number;
  /** Once that snapshot was answered, before any grant was read. */
  snapshotEndedAt: number;
  /**
   * The delete requests running as the snapshot was taken: one stamped before the read may end
   * after it, and then a reliance can make the grant again. Undefined: not known (a failed list).
   */
  deletesRunning?: ReadonlySet<string> | undefined;
}

/** What the deletes of the assignment since the step's read say of its reliance. */
export type DeletesSinceRead =
  /** None that did not FAIL: the grant was there throughout, and the reliance a duplicate, as meant. */
  | { kind: 'none' }
  /** A SUCCEEDED delete between the snapshot's end and the reliance: its create made it, if no other could. */
  | { kind: 'made-if-sole'; deleted: string }
  /** A delete the reliance may have followed: it may have made the grant again, and cannot be shown to. */
  | { kind: 'maybe'; why: string };

const named = (s: AccountAssignmentOperationStatus) =>
  `request ${s.RequestId ?? 'with no ID'}, ${s.Status ?? 'no status'}`;

/**
 * How much earlier than the service stamped a request its `CreatedDate` may say: its resolution is
 * not documented, and a whole second, cut off, is the coarsest a timestamp in seconds can have.
 */
export const STAMP_RESOLUTION_MS = 1_000;

/**
 * The service's clock runs at least `createdAt - answeredAt` and at most `createdAt - sentAt`
 * ahead of the runner's (the reliance was stamped between its send and its answer): `earliest` is
 * the soonest the step's snapshot can have begun on it, less the allowance for clock skew every
 * such bound has, and `certainAfter` the latest it can have ended, plus the stamp's resolution.
 */
export function windowOf(
  read: ReadStart,
  reliance: RelianceTimes,
): { earliest: number; certainAfter: number } {
  return {
    earliest: read.snapshotAskedAt + (reliance.createdAt - reliance.answeredAt) - CLOCK_SKEW_MS,
    certainAfter: read.snapshotEndedAt + (reliance.createdAt - reliance.sentAt) + STAMP_RESOLUTION_MS,
  };
}

/** Of the deletes of the assignment (as Describe…Status answers them), what they say of the reliance. Pure. */
export function deletesSinceRead(
  deletes: readonly AccountAssignmentOperationStatus[],
  read: ReadStart,
  reliance: RelianceTimes,
): DeletesSinceRead {
  const { earliest, certainAfter } = windowOf(read, reliance);
  const runningAtRead = (d: AccountAssignmentOperationStatus) =>
    d.RequestId !== undefined && (read.deletesRunning?.has(d.RequestId) ?? false);
  const since = deletes.filter(
    (d) => d.Status !== 'FAILED' && ((d.CreatedDate?.getTime() ?? Infinity) >= earliest || runningAtRead(d)),
  );
  if (since.length === 0) return { kind: 'none' };
  for (const d of since) {
    const at = d.CreatedDate?.getTime();
    const doubt =
      at === undefined
        ? 'IAM Identity Center gives no time for it'
        : runningAtRead(d)
          ? 'it was still running when this step began reading, and may have ended after its read'
          : d.Status !== 'SUCCEEDED'
            ? 'it has not ended'
            : at >= reliance.createdAt
              ? 'it was stamped no earlier than the reliance, and IAM Identity Center does not say which of the two ended first'
              : at < certainAfter
                ? "it was stamped too close to the step's read to show it ended after every other create"
                : undefined;
    if (doubt)
      return {
        kind: 'maybe',
        why: `it was deleted (${named(d)}) since this step read it in place, so this step's reliance (request ${reliance.requestId}) may have made it again; ${doubt}`,
      };
  }
  return { kind: 'made-if-sole', deleted: named(since[0]!) };
}

/** How far back the deletion-status list is read beyond a reliance's window, so that one read serves a batch's. */
const LIST_MARGIN_MS = 60_000;

/** Reads, for each reliance the step sent, whether it made the grant again (driver's `relianceRemade`). */
export class RelianceRemakes {
  /** The newest read of the deletion-status list: reused by reliances answered before it was asked for. */
  private listed: { askedAt: number; since: number; done: Promise<void> } | undefined;

  constructor(
    private readonly history: RequestHistory,
    private readonly prover: CreateOwnershipProver,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Undefined when no delete since the read: the reliance is a duplicate create, as meant. A
   * reliance that has not `ended` (not followed, or still running at the deadline) may yet make
   * it: never the step's then, only said.
   */
  async check(
    fields: AssignmentFields,
    read: ReadStart | undefined,
    reliance: RelianceTimes,
    ended: boolean,
  ): Promise<RelianceRemake | undefined> {
    if (!read)
      return {
        byStep: false,
        why: "the step did not note when it began reading, so whether the grant was deleted before this step's reliance made it again cannot be shown",
      };
    const { earliest } = windowOf(read, reliance);
    await this.listSince(earliest, reliance.answeredAt);
    if (!read.deletesRunning)
      return {
        byStep: false,
        why: "the deletes running when this step began reading could not be listed, so whether one of them ended after its read, and this step's reliance made the grant again, cannot be shown",
      };
    const ids = this.history
      .shown('delete')
      .filter((r) => r.RequestId && (r.CreatedDate?.getTime() ?? Infinity) >= earliest)
      .map((r) => r.RequestId!);
    const asked = [...new Set([...ids, ...read.deletesRunning])];
    const statuses = await Promise.all(asked.map((id) => this.history.status('delete', id)));
    const deletes = statuses.flatMap((s) => (s && isRequestFor(s, fields) ? [s] : []));
    const since = deletesSinceRead(deletes, read, reliance);
    if (since.kind === 'none') return undefined;
    const notEnded = 'the reliance had not ended when this step stopped following it';
    if (since.kind === 'maybe')
      return { byStep: false, why: ended ? since.why : `${since.why}; ${notEnded}` };
    const deleted = `it was deleted (${since.deleted}) after this step read it in place`;
    if (!ended)
      return {
        byStep: false,
        why: `${deleted}, so this step's reliance (request ${reliance.requestId}) may make it again; ${notEnded}`,
      };
    const proof = await this.prover.prove(fields, reliance);
    if (!proof.created)
      return {
        byStep: false,
        why: `${deleted}, so this step's reliance (request ${reliance.requestId}) may have made it again; ${proof.why}`,
      };
    // The step's own create now: proven against, and never taken for another party's.
    this.prover.sent(reliance.requestId);
    return {
      byStep: true,
      why: `${deleted}, and this step's reliance (request ${reliance.requestId}) made it again`,
    };
  }

  private listSince(since: number, answeredAt: number): Promise<void> {
    const latest = this.listed;
    if (latest && latest.askedAt >= answeredAt && latest.since <= since) return latest.done;
    const from = since - LIST_MARGIN_MS;
    const done = this.history.readNewer('delete', from);
    this.listed = { askedAt: this.now(), since: from, done };
    done.catch(() => {
      if (this.listed?.done === done) this.listed = undefined;
    });
    return done;
  }
}
