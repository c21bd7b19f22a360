// The accounts a permission set is provisioned to (ListAccountsForProvisionedPermissionSet), every
// page: what a reconcile's read by place lists (../reads/place-reads.ts), and what a
// re-provisioning reads as outdated or current (../permission-sets/provision-driver.ts).
import {
  ListAccountsForProvisionedPermissionSetCommand,
  type ProvisioningStatus,
} from '@aws-sdk/client-sso-admin';
import type { Paging } from '../sdk/paginate.js';
import type { SsoSession } from './session.js';

/** `status`: only those in it (none: every one); `pageSize`: MaxResults (none: the service's). */
export function provisionedAccounts(
  session: SsoSession,
  permissionSetArn: string,
  {
    status,
    pageSize,
    paging,
  }: { status?: ProvisioningStatus; pageSize?: number; paging?: Paging<string> } = {},
): Promise<string[]> {
  return session.paginate(
    'ListAccountsForProvisionedPermissionSet',
    (nextToken) =>
      new ListAccountsForProvisionedPermissionSetCommand({
        InstanceArn: session.instance,
        PermissionSetArn: permissionSetArn,
        ...(status ? { ProvisioningStatus: status } : {}),
        ...(pageSize ? { MaxResults: pageSize } : {}),
        NextToken: nextToken,
      }),
    (page) => page.AccountIds,
    paging,
  );
}
