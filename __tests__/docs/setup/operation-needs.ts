// What a cloud-access step's operation cannot do without, from its inputs: the calls (IAM actions)
// it makes on every run, whether it writes at all, and the actions that write.
/** What a step's operation cannot do without, and whether it writes. */
export function needs(inputs: Record<string, string>): { actions: string[]; writes: boolean } {
  const dryRun = inputs['dry-run'] === 'true';
  const ephemeral = inputs['revoke-on-exit'] === 'true' || Boolean(inputs.duration);
  const checks = inputs['policy-checks'] === 'off' ? [] : POLICY_CHECKS;
  switch (inputs.operation ?? 'assign') {
    case 'assign':
      return {
        actions: [
          'sso:CreateAccountAssignment',
          ...(ephemeral ? ['sso:DeleteAccountAssignment', ...SESSION_FENCE_CALLS] : []),
        ],
        writes: true,
      };
    case 'provision':
      return {
        actions: ['sso:ProvisionPermissionSet', 'sso:DescribePermissionSetProvisioningStatus'],
        writes: true,
      };
    case 'reconcile':
      // A manifest may define permission sets: the plan reads their content, looks up the
      // AWS-managed policies they name and (`policy-checks`, on by default) proves what a change
      // allows; the apply writes it.
      return dryRun
        ? {
            actions: [
              'sso:ListAccountAssignments',
              'sso:ListAccountsForProvisionedPermissionSet',
              ...PERMISSION_SET_CONTENT_READS,
              ...AWS_MANAGED_POLICY_LOOKUPS,
              ...checks,
            ],
            writes: false,
          }
        : {
            actions: [
              'sso:CreateAccountAssignment',
              'sso:DeleteAccountAssignment',
              ...PERMISSION_SET_CONTENT_READS,
              ...AWS_MANAGED_POLICY_LOOKUPS,
              ...checks,
              ...PERMISSION_SET_WRITES,
              'sso:DescribePermissionSetProvisioningStatus',
            ],
            writes: true,
          };
    case 'sweep':
      return {
        actions: [
          'cloudtrail:LookupEvents',
          ...(dryRun ? [] : ['sso:DeleteAccountAssignment', ...SESSION_FENCE_CALLS]),
        ],
        writes: !dryRun,
      };
    case 'report':
      return {
        actions: [
          'sso:ListAccountAssignments',
          'sso:ListAccountsForProvisionedPermissionSet',
          'identitystore:ListUsers',
          'identitystore:ListGroups',
          ...(inputs['expand-groups'] === 'true' ? ['identitystore:ListGroupMemberships'] : []),
          'cloudtrail:LookupEvents',
          // The creates (and deletes) CloudTrail has not delivered yet: without them no row is told
          // made before the history (its use is unknown, and nothing is pruned).
          'sso:ListAccountAssignmentCreationStatus',
          'sso:DescribeAccountAssignmentCreationStatus',
          'sso:ListAccountAssignmentDeletionStatus',
          'sso:DescribeAccountAssignmentDeletionStatus',
          'organizations:ListAccounts',
          // `last-used: true` reads every Region the instance serves; without it the evidence is partial.
          ...(inputs['last-used'] === 'true' ? ['sso:ListRegions'] : []),
          // `usage-source: athena://…` (docs/report.md): the query's calls; Glue and S3 are read by
          // Athena with the step's credentials, on its behalf, and granted with them there.
          ...(inputs['usage-source']?.startsWith('athena://')
            ? ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults']
            : []),
        ],
        writes: false,
      };
    case 'review':
      // It reads as `report` does; at the due date it revokes as `revoke` does (docs/review.md):
      // the deletes, their status, and the session fences of `end-sessions`.
      return {
        actions: [
          'sso:ListAccountAssignments',
          'sso:ListAccountsForProvisionedPermissionSet',
          'identitystore:ListUsers',
          'identitystore:ListGroups',
          'identitystore:ListGroupMemberships',
          'cloudtrail:LookupEvents',
          'sso:ListAccountAssignmentCreationStatus',
          'sso:DescribeAccountAssignmentCreationStatus',
          'sso:ListAccountAssignmentDeletionStatus',
          'organizations:ListAccounts',
          'organizations:ListAccountsForParent',
          // A reviewers file's `default-decision: revoke-unused` reads usage in every Region the
          // instance serves; the file, not the step, decides it, so the role always may.
          'sso:ListRegions',
          ...(dryRun
            ? []
            : [
                'sso:DeleteAccountAssignment',
                'sso:DescribeAccountAssignmentDeletionStatus',
                ...SESSION_FENCE_CALLS,
              ]),
        ],
        writes: !dryRun,
      };
    case 'request':
      // AWS: it only creates (the grant, or its reliance on one in place); the sweep deletes.
      return { actions: ['sso:CreateAccountAssignment'], writes: true };
    default:
      throw new Error(`operation ${inputs.operation}: say what it needs here`);
  }
}
/**
 * What a revoke's session fence takes (`end-sessions`, on by default: docs/ephemeral-access.md):
 * whether the set opted in and its session duration, its inline policy read, put (or deleted, the
 * last fence out) and provisioned to the grant's accounts; the sweep's removal of expired fences too.
 */
export const SESSION_FENCE_CALLS = [
  'sso:DescribePermissionSet',
  'sso:ListTagsForResource',
  'sso:GetInlinePolicyForPermissionSet',
  'sso:PutInlinePolicyToPermissionSet',
  'sso:DeleteInlinePolicyFromPermissionSet',
  'sso:ProvisionPermissionSet',
  'sso:DescribePermissionSetProvisioningStatus',
  'sso:ListAccountsForProvisionedPermissionSet',
];

/** A defined permission set's content, read back in 6 calls (src/aws/permission-sets/read-content.ts). */
export const PERMISSION_SET_CONTENT_READS = [
  'sso:DescribePermissionSet',
  'sso:GetInlinePolicyForPermissionSet',
  'sso:ListManagedPoliciesInPermissionSet',
  'sso:ListCustomerManagedPolicyReferencesInPermissionSet',
  'sso:GetPermissionsBoundaryForPermissionSet',
  'sso:ListTagsForResource',
];

/**
 * The AWS-managed policies a defined permission set names, looked up before any write
 * (src/aws/permission-sets/managed-policies.ts): one IAM has not is an error at its line.
 */
export const AWS_MANAGED_POLICY_LOOKUPS = ['iam:GetPolicy', 'iam:ListPolicies'];

/**
 * What a reconcile's `policy-checks` sends (src/aws/permission-sets/policy-checks.ts): Access
 * Analyzer's checks of each changed part, and each added AWS-managed policy's default version.
 */
export const POLICY_CHECKS = [
  'access-analyzer:ValidatePolicy',
  'access-analyzer:CheckNoNewAccess',
  'access-analyzer:CheckAccessNotGranted',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
];

/** What a reconcile writes to the permission sets its manifest defines (docs/access-as-code.md). */
export const PERMISSION_SET_WRITES = [
  'sso:CreatePermissionSet',
  'sso:UpdatePermissionSet',
  'sso:DeletePermissionSet',
  'sso:PutInlinePolicyToPermissionSet',
  'sso:DeleteInlinePolicyFromPermissionSet',
  'sso:AttachManagedPolicyToPermissionSet',
  'sso:DetachManagedPolicyFromPermissionSet',
  'sso:AttachCustomerManagedPolicyReferenceToPermissionSet',
  'sso:DetachCustomerManagedPolicyReferenceFromPermissionSet',
  'sso:PutPermissionsBoundaryToPermissionSet',
  'sso:DeletePermissionsBoundaryFromPermissionSet',
  'sso:TagResource',
  'sso:UntagResource',
  'sso:ProvisionPermissionSet',
];

export const WRITES = [
  'sso:CreateAccountAssignment',
  'sso:DeleteAccountAssignment',
  ...PERMISSION_SET_WRITES,
];
