// What aws-reconcile-snapshot.test.ts and aws-reconcile-snapshot-roles.test.ts share: the manifest
// both reconcile, the accounts it holds steady, and where the snapshot is kept. The suite is two
// files, so that jest's workers run them side by side.

/** Where the reconciles keep their snapshot. */
export const SNAPSHOT = { snapshot: 's3://snapshots/reconcile' };

/** Accounts where Deployers hold ReadOnlyAccess already, as the file asks: places no one touches. */
export const STEADY = Array.from({ length: 8 }, (_, i) => String(600000000000 + i));
export const MANIFEST = `version: 1
aws:
  manages: {permission-sets: [ReadOnlyAccess]}
  assignments:
    - {principal: Deployers, principal-type: GROUP, role: ReadOnlyAccess, target: ['111111111111', '222222222222', ${STEADY.map((a) => `'${a}'`).join(', ')}]}
`;
