// The two writes of an account assignment as they go on the wire: a create, which holds one of the
// instance's outstanding-create slots until its request ends, and a delete, done when the
// assignment is already gone. Apart from the driver (./assignments.ts), which decides what to
// write and proves whose a create was; these only send and hand the engine a request to follow.
import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  type AccountAssignmentOperationStatus,
} from '@aws-sdk/client-sso-admin';
import type { WaitBound } from '../../engine/limits/deadline.js';
import type { WriteOutcome } from '../../engine/calls/driver.js';
import type { StatusPacing } from '../../engine/calls/status.js';
import { isAwsError } from '../sdk/aws-errors.js';
import type { RequestHistory } from '../trail/request-history.js';
import { writeOutcome, type AssignmentFields, type RequestKind } from '../trail/requests.js';
import { assignmentPacing } from './request-pacing.js';
import { noteFirstSend } from './step-reliances.js';
import type { SsoSession } from './session.js';

export class AssignmentRequests {
  /** How creates and deletes are followed, each kind apart (./request-pacing.ts). */
  private readonly pacing: Record<RequestKind, StatusPacing>;

  constructor(
    private readonly session: SsoSession,
    /** The instance's create and delete requests, which the engine follows a request through. */
    private readonly history: RequestHistory,
    /** The step's deadline and cancellation: waits for a create slot end with them. */
    private readonly bound: WaitBound,
  ) {
    this.pacing = {
      create: assignmentPacing(session, 'create'),
      delete: assignmentPacing(session, 'delete'),
    };
  }

  /**
   * Holds one of the instance's 15 outstanding-create slots (the session's) until the request ends.
   * `session`: the step's, or its second sign-in's for a reliance (./step-reliances.ts).
   */
  async create(
    session: SsoSession,
    fields: AssignmentFields,
    /** `sentAt`: the runner's clock as the create first left, signed (the service stamped it after). */
    onAnswer?: (status: AccountAssignmentOperationStatus | undefined, sentAt: number) => void,
  ): Promise<WriteOutcome> {
    const slots = session.outstandingCreates;
    const slot = await slots.acquire('CreateAccountAssignment', this.bound);
    const heldAt = Date.now();
    const release = () => slot.release();
    try {
      const command = new CreateAccountAssignmentCommand({ InstanceArn: session.instance, ...fields });
      const firstSent = noteFirstSend(command);
      const { AccountAssignmentCreationStatus: status } = await session.send(
        'CreateAccountAssignment',
        command,
        {
          refused: () => slot.refused(this.bound),
          answered: () => slot.answered(),
        },
      );
      onAnswer?.(status, firstSent() ?? heldAt);
      return writeOutcome(
        status,
        'create',
        release,
        (requestId) => this.history.status('create', requestId),
        this.pacing.create,
      );
    } catch (error) {
      release();
      throw error;
    }
  }

  async delete(fields: AssignmentFields): Promise<WriteOutcome> {
    try {
      const { AccountAssignmentDeletionStatus: status } = await this.session.send(
        'DeleteAccountAssignment',
        new DeleteAccountAssignmentCommand({ InstanceArn: this.session.instance, ...fields }),
      );
      return writeOutcome(
        status,
        'delete',
        () => {},
        (requestId) => this.history.status('delete', requestId),
        this.pacing.delete,
      );
    } catch (error) {
      // Already gone: terraform-provider-aws treats ResourceNotFoundException on delete as done.
      if (isAwsError(error, 'ResourceNotFoundException', 'DeleteAccountAssignment')) {
        return { kind: 'done', changed: false };
      }
      throw error;
    }
  }
}
