// What examples/ names beyond the emulator's base seed, so that every example workflow and the
// manifest run against it unchanged: `npm run emulator` / `emulator:start` add it at every start,
// the tests of examples/ and the demo add it to their own emulator. reset() goes back to the base
// seed without it.
import type { Emulator } from './index.js';

/** The names and IDs examples/ uses; the README's examples are taken from those files. */
export const EXAMPLES = {
  /** A permission set tagged team=platform: examples' `role: DeployAccess`, `tag:team=platform`. */
  deployPermissionSet: 'DeployAccess',
  platformTag: { team: 'platform' },
  /** The group examples/access/permission-sets.yml assigns its ReadOnly set to. */
  engineersGroup: 'Engineers',
  /**
   * The customer-managed policy permission-sets.yml's ReadOnly references, in the accounts of
   * Root/Workloads/Prod it is provisioned to: IAM Identity Center's provisioning fails in an account
   * that lacks it.
   */
  denySecrets: { name: 'deny-secrets', accounts: ['111111111111', '222222222222'] },
  /** Where ReadOnlyAccess is provisioned but outdated (provision.yml re-provisions it). */
  outdatedIn: ['222222222222'],
  /** The roles the example workflows sign in with (examples/setup/ creates them on AWS). */
  roles: [
    'cloud-access-assign',
    'cloud-access-ephemeral',
    'cloud-access-request',
    'cloud-access-provisioner',
    'access-plan',
    'access-apply',
    'access-drift',
    'cloud-access-sweep',
    'access-report',
    'cloud-access-review',
  ],
  /** The Entra service principal a deploy job runs as (azure-assign.yml's `vars.DEPLOYER_OBJECT_ID`). */
  deployerObjectId: '6d0a2f5e-3b8c-4e71-9a4d-c2e5f8b1a7d3',
  /** Its app registration's display name, as Microsoft Graph names it. */
  deployerName: 'deployer',
  /** Entra groups: one the manifest names by object ID, one by name (`group:app-readers`). */
  appOwners: { id: 'e8b2d4f6-0a1c-4e3b-9d5f-7a9c1e3b5d70', displayName: 'app-owners' },
  appReaders: { id: 'a3d5c7e9-1b2f-4a6c-8e0d-2f4b6a8c0e1a', displayName: 'app-readers' },
  /** The S3 bucket `audit-log: s3://cloud-access-audit/…` records to (the aws-audit-log local mode). */
  auditBucket: 'cloud-access-audit',
  /** The S3 bucket `snapshot: s3://cloud-access-snapshots/…` keeps a reconcile's reads in (the reconcile-snapshot local mode). */
  snapshotBucket: 'cloud-access-snapshots',
  /**
   * A permission set opted in to session fences (tag `cloud-access:end-sessions` = `true`, as its
   * owner would tag it): a revoke of it ends the sessions it left live (the aws-end-sessions local mode).
   */
  endSessionsPermissionSet: 'BreakGlassAccess',
} as const;

/**
 * BreakGlassAccess's inline policy as the emulator seeds it: another writer's statement, and the
 * session fence an earlier run's revoke in 111111111111 put there (sessions issued before
 * 2025-01-01T10:00:00Z, a 1-hour set: needed until 11:15), long expired. The action's own rule gives
 * its Sid (__tests__/emulator/examples-seed.test.ts proves it is the action's, and expired): the next
 * run that puts a fence into the set takes it out, and keeps the other statement as it is.
 */
export const END_SESSIONS_SEED_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'NoBilling', Effect: 'Deny', Action: 'aws-portal:*', Resource: '*' },
    {
      Sid: 'CloudAccessFence202501011115b1a2670a',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:PrincipalAccount': '111111111111' },
        DateLessThan: { 'aws:TokenIssueTime': '2025-01-01T10:00:00Z' },
      },
    },
  ],
};

/** The Azurite container `audit-log` on Azure records to, with `--azurite` (./azurite-seed.ts). */
export const AZURE_AUDIT_CONTAINER = 'cloud-access-audit';

export function seedExamples(emulator: Emulator): void {
  const { aws, azure } = emulator;
  if (!aws.state.permissionSetByName(EXAMPLES.deployPermissionSet))
    aws.addPermissionSet(EXAMPLES.deployPermissionSet, { ...EXAMPLES.platformTag });
  // Something for provision.yml to do: ReadOnlyAccess's policy changed after it reached 222222222222.
  aws.markOutdated(aws.permissionSetArn('ReadOnlyAccess'), [...EXAMPLES.outdatedIn]);
  if (![...aws.state.groups.values()].some((g) => g.displayName === EXAMPLES.engineersGroup))
    aws.addGroup(EXAMPLES.engineersGroup);
  aws.addCustomerManagedPolicy([...EXAMPLES.denySecrets.accounts], EXAMPLES.denySecrets.name);
  if (!aws.state.permissionSetByName(EXAMPLES.endSessionsPermissionSet)) {
    const arn = aws.addPermissionSet(EXAMPLES.endSessionsPermissionSet, {
      'cloud-access:end-sessions': 'true',
    });
    aws.state.permissionSets.get(arn)!.inlinePolicy = JSON.stringify(END_SESSIONS_SEED_POLICY);
  }
  aws.s3.createBucket(EXAMPLES.auditBucket);
  aws.s3.createBucket(EXAMPLES.snapshotBucket);
  const [base] = aws.roles;
  for (const name of EXAMPLES.roles) {
    const arn = base!.arn.replace(/role\/.*$/, `role/${name}`);
    if (!aws.roles.some((r) => r.arn === arn)) aws.roles = [...aws.roles, { ...base!, arn }];
  }
  if (!azure) return;
  // An app registration's service principal in the directory, so Microsoft Graph names it (a
  // report after azure-assign.yml's grant shows it, not an `orphaned` object ID), and an ARM
  // principal replicated long ago (createdAt 0), as principals that already exist in a tenant are.
  if (!azure.state.directory.servicePrincipals.some((sp) => sp.id === EXAMPLES.deployerObjectId))
    azure.addApplication({
      displayName: EXAMPLES.deployerName,
      servicePrincipalId: EXAMPLES.deployerObjectId,
    });
  azure.addGroup({ ...EXAMPLES.appOwners });
  azure.addGroup({ ...EXAMPLES.appReaders });
}

/** For the CLI's "seeded:" lines. */
export function describeExamples(): string[] {
  return [
    `permission set ${EXAMPLES.deployPermissionSet} (tag team=platform); ReadOnlyAccess outdated in ${EXAMPLES.outdatedIn.join(', ')}; roles ${EXAMPLES.roles.join(', ')}`,
    `permission set ${EXAMPLES.endSessionsPermissionSet} (tag cloud-access:end-sessions=true; its inline policy holds an earlier run's session fence, expired)`,
    `group ${EXAMPLES.engineersGroup}; customer-managed policy ${EXAMPLES.denySecrets.name} in ${EXAMPLES.denySecrets.accounts.join(', ')} (examples/access/permission-sets.yml)`,
    `S3 bucket ${EXAMPLES.auditBucket}, for audit-log: s3://${EXAMPLES.auditBucket}/PREFIX (GET /_emulator/aws/s3/objects reads it)`,
    `S3 bucket ${EXAMPLES.snapshotBucket}, for snapshot: s3://${EXAMPLES.snapshotBucket}/PREFIX`,
    `Azure service principal ${EXAMPLES.deployerName} (${EXAMPLES.deployerObjectId}); groups ${EXAMPLES.appOwners.displayName} (${EXAMPLES.appOwners.id}), ${EXAMPLES.appReaders.displayName} (${EXAMPLES.appReaders.id})`,
  ];
}
