// The instance's account assignment requests, creates and deletes, as IAM Identity Center lists
// them (List…Status: ID, status and when it was stamped, newest first) and describes them (what
// each was for). Lists are read newest first and only back to the oldest time asked about, or to
// a request an earlier read showed, so repeated questions cost about a page each. Used to prove a
// create was the step's (aws/sso/ownership-proof.ts), to see that nothing happened to an assignment since
// the step made it (before the post step deletes it), and by the sweep for the minutes CloudTrail
// has not delivered yet.
import {
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  ListAccountAssignmentCreationStatusCommand,
  ListAccountAssignmentDeletionStatusCommand,
  type AccountAssignmentOperationStatus,
  type AccountAssignmentOperationStatusMetadata,
} from '@aws-sdk/client-sso-admin';
import { isRequestFor, type AssignmentFields, type RequestKind } from './requests.js';
import type { SsoCalls } from '../sdk/sso-calls.js';

/** A request for an assignment, of either kind, as Describe…Status answered it. */
export interface AssignmentRequest {
  kind: RequestKind;
  status: AccountAssignmentOperationStatus;
}

interface KindHistory {
  /** Every request the lists have shown, by ID. */
  seen: Map<string, AccountAssignmentOperationStatusMetadata>;
  /** Statuses read so far: a terminal one does not change, so it is read once. */
  ended: Map<string, AccountAssignmentOperationStatus>;
  /** Describes in flight, by ID: a grant asking while another's is on its way shares its answer. */
  reading: Map<string, Promise<AccountAssignmentOperationStatus | undefined>>;
  /** The last answer of each request described, IN_PROGRESS ones too (what it was for never changes). */
  described: Map<string, AccountAssignmentOperationStatus>;
  /** Every request stamped after this is known (the service's clock), while the lists come in order. */
  readBackTo: number;
  /** A list showed a request newer than one before it: lists are no longer cut short. */
  unordered: boolean;
}

const emptyHistory = (): KindHistory => ({
  seen: new Map(),
  ended: new Map(),
  reading: new Map(),
  described: new Map(),
  readBackTo: Infinity,
  unordered: false,
});

export class RequestHistory {
  private readonly kinds: Record<RequestKind, KindHistory> = {
    create: emptyHistory(),
    delete: emptyHistory(),
  };

  constructor(private readonly session: SsoCalls) {}

  /** Every request of `kind` the lists have shown so far. */
  shown(kind: RequestKind): AccountAssignmentOperationStatusMetadata[] {
    return [...this.kinds[kind].seen.values()];
  }

  /**
   * Reads the requests of `kind` made since `since` (the service's clock), page by page, newest
   * first, until a page reaches one an earlier read showed (and the time is already covered) or
   * one older than `since`. The order is what the lists have shown, not a documented promise:
   * once a list shows a request newer than one before it, every later list is read to its end.
   */
  async readNewer(kind: RequestKind, since: number): Promise<void> {
    const history = this.kinds[kind];
    const covered = since >= history.readBackTo;
    let nextToken: string | undefined;
    let previous = Infinity;
    let oldest = Infinity;
    do {
      const page = await this.list(kind, nextToken);
      let reachedKnown = false;
      let reachedOld = false;
      for (const r of page.requests) {
        const at = r.CreatedDate?.getTime() ?? Infinity;
        if (at > previous) history.unordered = true;
        previous = at;
        oldest = Math.min(oldest, at);
        if (at < since) reachedOld = true;
        if (!r.RequestId) continue;
        if (history.seen.has(r.RequestId)) reachedKnown = covered;
        else history.seen.set(r.RequestId, r);
      }
      nextToken = page.nextToken;
      if (!history.unordered && (reachedKnown || reachedOld)) break;
    } while (nextToken);
    // Every request newer than the oldest one read is known now (all of them, at the list's end).
    if (!nextToken) history.readBackTo = -Infinity;
    else if (!history.unordered) history.readBackTo = Math.min(history.readBackTo, oldest);
  }

  /**
   * One request's status now (what it was for, how it ended): a terminal one is read once, and a
   * describe already on its way answers every grant that asks meanwhile.
   */
  async status(kind: RequestKind, requestId: string): Promise<AccountAssignmentOperationStatus | undefined> {
    const history = this.kinds[kind];
    const known = history.ended.get(requestId);
    if (known) return known;
    const inFlight = history.reading.get(requestId);
    if (inFlight) return inFlight;
    const reading = this.describe(kind, requestId).then((status) => {
      if (status) history.described.set(requestId, status);
      if (status && status.Status !== 'IN_PROGRESS') history.ended.set(requestId, status);
      return status;
    });
    history.reading.set(requestId, reading);
    try {
      return await reading;
    } finally {
      history.reading.delete(requestId);
    }
  }

  /**
   * What a request was for, and a status it had in this step: described at most once per step.
   * For a question a later status could only make less cautious: a request IN_PROGRESS counts as
   * one that may yet succeed, as it would have a moment later.
   */
  async described(
    kind: RequestKind,
    requestId: string,
  ): Promise<AccountAssignmentOperationStatus | undefined> {
    return this.kinds[kind].described.get(requestId) ?? this.status(kind, requestId);
  }

  /**
   * The requests of either kind for the assignment `fields` names, stamped at or after `since`
   * (the service's clock), other than `own`, that did not FAIL (as far as this step described
   * them: each once, however many grants ask): what happened to the assignment since then by
   * anyone but the step.
   */
  async othersFor(
    fields: AssignmentFields,
    since: number,
    own: ReadonlySet<string>,
  ): Promise<AssignmentRequest[]> {
    const found = await Promise.all(
      (['create', 'delete'] as const).map(async (kind) => {
        await this.readNewer(kind, since);
        const ids = this.shown(kind)
          .filter((r) => r.RequestId && !own.has(r.RequestId))
          .filter((r) => (r.CreatedDate?.getTime() ?? Infinity) >= since)
          .map((r) => r.RequestId!);
        const statuses = await Promise.all(ids.map((id) => this.described(kind, id)));
        return statuses.flatMap((status) =>
          status && status.Status !== 'FAILED' && isRequestFor(status, fields) ? [{ kind, status }] : [],
        );
      }),
    );
    return found.flat();
  }

  private async list(
    kind: RequestKind,
    nextToken: string | undefined,
  ): Promise<{ requests: AccountAssignmentOperationStatusMetadata[]; nextToken: string | undefined }> {
    const input = { InstanceArn: this.session.instance, MaxResults: 100, NextToken: nextToken };
    if (kind === 'create') {
      const page = await this.session.send(
        'ListAccountAssignmentCreationStatus',
        new ListAccountAssignmentCreationStatusCommand(input),
      );
      return { requests: page.AccountAssignmentsCreationStatus ?? [], nextToken: page.NextToken };
    }
    const page = await this.session.send(
      'ListAccountAssignmentDeletionStatus',
      new ListAccountAssignmentDeletionStatusCommand(input),
    );
    return { requests: page.AccountAssignmentsDeletionStatus ?? [], nextToken: page.NextToken };
  }

  private async describe(
    kind: RequestKind,
    requestId: string,
  ): Promise<AccountAssignmentOperationStatus | undefined> {
    const { InstanceArn } = { InstanceArn: this.session.instance };
    if (kind === 'create')
      return (
        await this.session.send(
          'DescribeAccountAssignmentCreationStatus',
          new DescribeAccountAssignmentCreationStatusCommand({
            InstanceArn,
            AccountAssignmentCreationRequestId: requestId,
          }),
        )
      ).AccountAssignmentCreationStatus;
    return (
      await this.session.send(
        'DescribeAccountAssignmentDeletionStatus',
        new DescribeAccountAssignmentDeletionStatusCommand({
          InstanceArn,
          AccountAssignmentDeletionRequestId: requestId,
        }),
      )
    ).AccountAssignmentDeletionStatus;
  }
}
