// The record of one ProvisionPermissionSet request `operation: provision` sent (`change:
// "provision"`), in the form of every record (engine/audit/record.ts): the provisioning run
// (./provision-run.ts) hands it to the step's trail (AuditTrail.recordNamedChange), which names its
// IDs as it names a grant's. Pure.
import type { GrantResult } from '../../core/grant-result.js';
import { withoutUndefined, type RecordBody } from '../../engine/audit/record.js';

/** One ProvisionPermissionSet request, as its record names it. */
export interface ProvisionChange {
  permissionSetArn: string;
  /** The account, or `ALL_PROVISIONED_ACCOUNTS`. */
  account: string;
  requestId?: string;
  status: GrantResult['status'];
  failureReason?: string;
}

/** The record of one ProvisionPermissionSet request. */
export function provisionRecord(change: ProvisionChange): RecordBody {
  return withoutUndefined({
    change: 'provision' as const,
    cloud: 'aws' as const,
    role: { id: change.permissionSetArn },
    target: { id: change.account },
    requestId: change.requestId,
    status: change.status,
    failureReason: change.failureReason,
  });
}
