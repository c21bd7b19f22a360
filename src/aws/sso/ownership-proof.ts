// Whether a CreateAccountAssignment of this step's that ended SUCCEEDED is what made the
// assignment. IAM Identity Center ends a duplicate create SUCCEEDED too, and its creation-status
// list does not say who sent a request: so a create of the step's is its own only when no other
// create request for the same assignment could have made it first. Those are the creates that
// were running when the step began reading (ListAccountAssignments does not show a create still
// IN_PROGRESS, so the read found the assignment absent), and the creates made since then and up to
// the step's own; any of them for the same principal, permission set and account that did not
// FAIL makes the step's create not provably its own, and revoke-on-exit leaves it in place.
import {
  ListAccountAssignmentCreationStatusCommand,
  type AccountAssignmentOperationStatus,
  type AccountAssignmentOperationStatusMetadata,
} from '@aws-sdk/client-sso-admin';
import { MAX_SAVED_RUNNING_CREATES, type CreationsAtRead } from './handed-over.js';
import type { CreateProof } from '../../engine/calls/ownership-proofs.js';
import { CLOCK_SKEW_MS } from '../../engine/run/ownership.js';
import type { RequestHistory } from '../trail/request-history.js';
import { isRequestFor, type AssignmentFields } from '../trail/requests.js';
import type { SsoSession } from './session.js';

/** A create request of the step's: its ID, when IAM Identity Center stamped it, and when its answer arrived. */
export interface OwnCreateRequest {
  requestId: string;
  /** The service's clock (its `CreatedDate`). */
  createdAt: number;
  /** The runner's clock, at or after the answer arrived. */
  answeredAt: number;
}

export class CreateOwnershipProver {
  /** Every create request this step sent and heard back about: none of them is another party's. */
  private readonly own = new Set<string>();
  /** The newest list of create requests, and when it was asked for: reused by proofs it is new enough for. */
  private latest:
    { askedAt: number; requests: Promise<AccountAssignmentOperationStatusMetadata[]> } | undefined;

  constructor(
    private readonly session: SsoSession,
    /** The instance's create requests, listed and described once each. */
    private readonly history: RequestHistory,
    /** The creates running as the step began reading: taken by `snapshot()`, or saved by the main step. */
    private atRead: CreationsAtRead | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  get creationsAtRead(): CreationsAtRead | undefined {
    return this.atRead;
  }

  /** Before the step's first read: the create requests running now (one list, of running ones only). */
  async snapshot(): Promise<void> {
    const takenAt = this.now();
    const ids = await this.runningCreates();
    this.atRead =
      ids.length > MAX_SAVED_RUNNING_CREATES
        ? { takenAt, running: [], overflow: true }
        : { takenAt, running: ids };
  }

  /** The IDs of the instance's create requests running now (one list, of running ones only). */
  private async runningCreates(): Promise<string[]> {
    const running = await this.session.paginate(
      'ListAccountAssignmentCreationStatus',
      (nextToken) =>
        new ListAccountAssignmentCreationStatusCommand({
          InstanceArn: this.session.instance,
          Filter: { Status: 'IN_PROGRESS' },
          NextToken: nextToken,
        }),
      (page) => page.AccountAssignmentsCreationStatus,
    );
    return running.flatMap((r) => (r.RequestId ? [r.RequestId] : []));
  }

  /** Every create request of the step's it knows of (the main step's, in the post step). */
  get ownRequests(): ReadonlySet<string> {
    return this.own;
  }

  /** A create request of this step's, as its answer named it. */
  sent(requestId: string): void {
    this.own.add(requestId);
  }

  /**
   * Whether `request` (this step's, SUCCEEDED) made the assignment `fields` names: no other create
   * for it that did not FAIL was running as the step began reading, or has been made since. One
   * made after the step's own counts too: IAM Identity Center does not promise to complete creates
   * in the order it stamps them, so it may be the one that made the assignment.
   *
   * "Since" is on the service's clock, which the runner's may be seconds off (AWS accepts requests
   * signed up to 5 minutes off): the step's own create calibrates it. IAM Identity Center stamped it
   * before its answer arrived, so the service's clock is at least `createdAt - answeredAt` ahead of
   * the runner's, and the step began reading no earlier, on the service's clock, than
   * `takenAt + createdAt - answeredAt`.
   */
  async prove(fields: AssignmentFields, request: OwnCreateRequest): Promise<CreateProof> {
    const atRead = this.atRead;
    if (!atRead || atRead.overflow)
      return {
        created: false,
        why: atRead
          ? `more than ${MAX_SAVED_RUNNING_CREATES} create requests were running when the step began, too many to rule out that one of them made it`
          : 'the create requests running when the step began were not recorded, so another party cannot be ruled out as its creator',
      };
    const since = atRead.takenAt + (request.createdAt - request.answeredAt) - CLOCK_SKEW_MS;
    const listed = (await this.createsSince(since, request.answeredAt)).filter(
      (r) => r.RequestId && (r.CreatedDate?.getTime() ?? Infinity) >= since,
    );
    const others = new Set(
      [...atRead.running, ...listed.map((r) => r.RequestId!)].filter(
        (id) => id !== request.requestId && !this.own.has(id),
      ),
    );
    const statuses = await Promise.all([...others].map((id) => this.status(id)));
    const rival = statuses.find((s) => s && isRequestFor(s, fields) && s.Status !== 'FAILED');
    if (!rival) return { created: true };
    return {
      created: false,
      why: `another create request for the same assignment (${rival.RequestId ?? 'no ID'}, ${rival.Status ?? 'no status'}) ran while this step's did, and IAM Identity Center does not say which of them made it`,
    };
  }

  /**
   * Post step, for a create whose answer was lost: whether a create request for the assignment
   * `fields` names is still running (the step's own, perhaps). Read by status, not by time: the
   * runner's clock, when the create was sent, is not the service's.
   */
  async runningCreateFor(fields: AssignmentFields): Promise<AccountAssignmentOperationStatus | undefined> {
    const statuses = await Promise.all((await this.runningCreates()).map((id) => this.status(id)));
    return statuses.find((s) => s && isRequestFor(s, fields) && s.Status === 'IN_PROGRESS');
  }

  /**
   * Create requests made since `since`, from a list asked for at `askedAfter` or later. Lists are
   * read newest first and only until they reach requests an earlier list showed, so the proofs of
   * a batch cost about one page each round rather than the whole history each time.
   */
  private createsSince(
    since: number,
    askedAfter: number,
  ): Promise<AccountAssignmentOperationStatusMetadata[]> {
    if (!this.latest || this.latest.askedAt < askedAfter) {
      const askedAt = this.now();
      const requests = this.history.readNewer('create', since).then(() => this.history.shown('create'));
      this.latest = { askedAt, requests };
      requests.catch(() => {
        if (this.latest?.requests === requests) this.latest = undefined;
      });
    }
    return this.latest.requests;
  }

  private status(requestId: string): Promise<AccountAssignmentOperationStatus | undefined> {
    return this.history.status('create', requestId);
  }
}
