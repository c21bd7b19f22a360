// The step's reliances on grants it found in place: sent under its second sign-in (`…-r`), each
// noted as sent and answered, and checked afterwards for a delete since the step's read that would
// mean the reliance made the grant again (./reliance-remake.ts).
import {
  ListAccountAssignmentDeletionStatusCommand,
  type AccountAssignmentOperationStatus,
  type CreateAccountAssignmentCommand,
} from '@aws-sdk/client-sso-admin';
import type { RelianceRemake } from '../../engine/calls/ownership-proofs.js';
import type { AssignmentFields } from '../trail/requests.js';
import type { RequestHistory } from '../trail/request-history.js';
import type { CreateOwnershipProver } from './ownership-proof.js';
import { RelianceRemakes, type ReadStart, type RelianceTimes } from './reliance-remake.js';
import type { SsoSession } from './session.js';

export class StepReliances {
  /** The step's second sign-in, for its reliances: made on the first one. */
  private relying: SsoSession | undefined;
  /** The step's reliances, as sent and answered: each checked for a delete since the step's read. */
  private readonly relied = new Map<string, RelianceTimes>();
  /** When the step began reading (its snapshot of running creates), for its reliances' checks. */
  private readStart: ReadStart | undefined;
  private readonly remakes: RelianceRemakes;

  constructor(history: RequestHistory, prover: CreateOwnershipProver) {
    this.remakes = new RelianceRemakes(history, prover);
  }

  /**
   * The step's snapshot of running creates was asked for at `askedAt` and has just been answered;
   * `deletesRunning`, the delete requests running then (undefined: not known).
   */
  readBegan(askedAt: number, deletesRunning: ReadonlySet<string> | undefined): void {
    this.readStart = { snapshotAskedAt: askedAt, snapshotEndedAt: Date.now(), deletesRunning };
  }

  /**
   * The instance's delete requests running now (one list, of running ones only), taken with the
   * snapshot of running creates: one of them may end after the step's read. Undefined when the
   * list fails: every reliance is then said to be unproven, and the step goes on.
   */
  async runningDeletes(session: SsoSession): Promise<ReadonlySet<string> | undefined> {
    try {
      const running = await session.paginate(
        'ListAccountAssignmentDeletionStatus',
        (nextToken) =>
          new ListAccountAssignmentDeletionStatusCommand({
            InstanceArn: session.instance,
            Filter: { Status: 'IN_PROGRESS' },
            NextToken: nextToken,
          }),
        (page) => page.AccountAssignmentsDeletionStatus,
      );
      return new Set(running.flatMap((r) => (r.RequestId ? [r.RequestId] : [])));
    } catch {
      return undefined;
    }
  }

  /** The step's second sign-in, `sessionName` (settings' relianceSessionName), signed in once. */
  session(main: SsoSession, sessionName: string): SsoSession {
    this.relying ??= main.signedInAs(sessionName);
    return this.relying;
  }

  /** A reliance's create was answered: `sentAt` as it first left, signed. */
  answered(status: AccountAssignmentOperationStatus | undefined, sentAt: number): void {
    const createdAt = status?.CreatedDate?.getTime();
    if (status?.RequestId && createdAt !== undefined)
      this.relied.set(status.RequestId, {
        requestId: status.RequestId,
        sentAt,
        createdAt,
        answeredAt: Date.now(),
      });
  }

  /**
   * Whether the reliance `requestId` made the grant again: deleted since the step read it in place,
   * the reliance's create is what made it, when it SUCCEEDED (`ended`) and no other create of it
   * could have (./reliance-remake.ts).
   */
  remade(fields: AssignmentFields, requestId: string, ended: boolean): Promise<RelianceRemake | undefined> {
    const reliance = this.relied.get(requestId);
    if (!reliance)
      return Promise.resolve({
        byStep: false,
        why: `IAM Identity Center gave no creation time for this step's reliance (request ${requestId}), so whether the grant was deleted before it made it again cannot be shown`,
      });
    return this.remakes.check(fields, this.readStart, reliance, ended);
  }
}

/**
 * When the command's first attempt leaves, signed: after the sign-in and the pacing, which may take
 * a while for a second sign-in's first call, and just before the service stamps it.
 */
export function noteFirstSend(command: CreateAccountAssignmentCommand): () => number | undefined {
  let sentAt: number | undefined;
  command.middlewareStack.add(
    (next) => (args) => {
      sentAt ??= Date.now();
      return next(args);
    },
    { step: 'deserialize', name: 'cloudAccessFirstSend' },
  );
  return () => sentAt;
}
