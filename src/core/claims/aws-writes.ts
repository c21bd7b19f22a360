// The words of the AWS sweep's evidence: an assignment's place, and the writes CloudTrail and the
// creation-status list show of it. Pure.
import { assignmentKey, LISTED_KIND } from '../kinds/index.js';

/** The four fields that name an assignment (its target is always an account). */
export interface AssignmentPlace {
  principalType: 'USER' | 'GROUP';
  principalId: string;
  permissionSetArn: string;
  accountId: string;
}

/** The account assignment's key (core/kinds/), which the plan and the report key it by too. */
export const placeKeyOf = (p: AssignmentPlace): string =>
  assignmentKey(LISTED_KIND.aws, {
    principalType: p.principalType,
    principalId: p.principalId,
    roleId: p.permissionSetArn,
    targetId: p.accountId,
  });

/** A CreateAccountAssignment or DeleteAccountAssignment as CloudTrail recorded it. */
export interface TrailWrite {
  kind: 'create' | 'delete';
  place: AssignmentPlace;
  /** The event's time, epoch ms. */
  at: number;
  /** The caller's ARN (`arn:aws:sts::…:assumed-role/ROLE/SESSION`, an IAM user, …). */
  actor: string;
  /** The IAM role an assumed-role session belongs to (its session issuer). */
  roleArn?: string | undefined;
  sessionName?: string | undefined;
  /** The account assignment request the call started. */
  requestId?: string | undefined;
  /** The call was refused (an error code), or its request was answered FAILED at once. */
  failed: boolean;
  eventId: string;
}

/** A create request from the creation-status list, which has no delay but no caller either. */
export interface RecentCreate {
  requestId: string;
  at: number;
  place: AssignmentPlace;
  status: string;
}
