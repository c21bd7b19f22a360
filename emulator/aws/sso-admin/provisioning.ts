// IAM Identity Center's provisioning of permission sets to accounts: ProvisionPermissionSet (at most
// three at once, one per permission set and target), its status, and the accounts a permission set
// is provisioned to, current or outdated. Member names, constraints and error lists come from
// sso-admin-2020-07-20.json.
import type { Operation } from '../json/json-service.js';
import {
  conflict,
  notFound,
  optional,
  paginate,
  pagedAnswer,
  RULES,
  throttling,
  validateInput,
  validationError,
} from '../protocol/protocol.js';
import type { ProvisioningRequest } from '../account/model.js';
import {
  epochSeconds,
  listRules,
  READ_ERRORS,
  requireInstance,
  requirePermissionSet,
  WRITE_ERRORS,
} from './common.js';

const provisioningStatusShape = (r: ProvisioningRequest) => ({
  Status: r.status,
  RequestId: r.requestId,
  ...(r.accountId ? { AccountId: r.accountId } : {}),
  PermissionSetArn: r.permissionSetArn,
  ...(r.failureReason ? { FailureReason: r.failureReason } : {}),
  CreatedDate: epochSeconds(r.createdDate),
});

export const SSO_ADMIN_PROVISIONING_OPERATIONS: Record<string, Operation> = {
  ProvisionPermissionSet: {
    write: true,
    errors: WRITE_ERRORS,
    rules: {
      InstanceArn: RULES.instanceArn,
      PermissionSetArn: RULES.permissionSetArn,
      TargetId: optional(RULES.targetId),
      TargetType: { required: true, enum: ['AWS_ACCOUNT', 'ALL_PROVISIONED_ACCOUNTS'] },
    },
    run(input, context) {
      const ps = requirePermissionSet(input, context);
      const { aws } = context;
      const accountId =
        input.TargetType === 'AWS_ACCOUNT' ? (input.TargetId as string | undefined) : undefined;
      if (input.TargetType === 'AWS_ACCOUNT' && !accountId) {
        throw validationError('TargetId is required when TargetType is AWS_ACCOUNT.');
      }
      const running = aws.state.inProgress(aws.state.provisionings);
      // The same permission set and target already being provisioned is a conflicting write.
      if (
        running.some(
          (r) => r.permissionSetArn === ps.arn && (!r.accountId || !accountId || r.accountId === accountId),
        )
      ) {
        throw conflict(
          `A provisioning of permission set ${ps.arn} to ${accountId ?? 'ALL_PROVISIONED_ACCOUNTS'} is already in progress.`,
        );
      }
      // "You can make up to three concurrent calls to ProvisionPermissionSet" (User Guide, quotas).
      if (running.length >= aws.config.maxConcurrentProvisionings) {
        throw throttling('Too many concurrent ProvisionPermissionSet requests');
      }
      const request = aws.state.startProvisioning(ps.arn, accountId, aws.config.provisionDelayMs);
      const rival = aws.faults.rivalPolicyPuts.findIndex(
        (f) => !f.permissionSetArn || f.permissionSetArn === ps.arn,
      );
      if (rival >= 0) {
        const [{ inlinePolicy }] = aws.faults.rivalPolicyPuts.splice(rival, 1) as [{ inlinePolicy: string }];
        ps.inlinePolicy = inlinePolicy;
        aws.state.bumpVersion(ps.arn);
      }
      return { PermissionSetProvisioningStatus: provisioningStatusShape(request) };
    },
  },

  DescribePermissionSetProvisioningStatus: {
    write: false,
    errors: READ_ERRORS,
    rules: { InstanceArn: RULES.instanceArn, ProvisionPermissionSetRequestId: RULES.uuid },
    run(input, context) {
      requireInstance(input, context);
      const request = context.aws.state.provisionings.get(String(input.ProvisionPermissionSetRequestId));
      if (!request)
        throw notFound(`Request with id ${String(input.ProvisionPermissionSetRequestId)} not found.`);
      return { PermissionSetProvisioningStatus: provisioningStatusShape(request) };
    },
  },

  // The instance's provisionings, newest first, each its status and request ID (the metadata shape).
  ListPermissionSetProvisioningStatus: {
    write: false,
    errors: READ_ERRORS,
    rules: { InstanceArn: RULES.instanceArn, ...listRules, Filter: { type: 'object' as const } },
    run(input, context) {
      requireInstance(input, context);
      const filter = (input.Filter ?? {}) as Record<string, unknown>;
      validateInput(filter, { Status: { enum: ['IN_PROGRESS', 'FAILED', 'SUCCEEDED'] } });
      const requests = [...context.aws.state.provisionings.values()]
        .reverse()
        .filter((r) => filter.Status === undefined || r.status === filter.Status);
      const { page, nextToken } = paginate(
        requests,
        input,
        context.aws.config,
        `provisioning-status:${String(filter.Status ?? '')}`,
      );
      return {
        PermissionSetsProvisioningStatus: page.map((r) => ({
          Status: r.status,
          RequestId: r.requestId,
          CreatedDate: epochSeconds(r.createdDate),
        })),
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
    },
  },

  ListAccountsForProvisionedPermissionSet: {
    write: false,
    errors: READ_ERRORS,
    rules: {
      InstanceArn: RULES.instanceArn,
      PermissionSetArn: RULES.permissionSetArn,
      ProvisioningStatus: {
        enum: ['LATEST_PERMISSION_SET_PROVISIONED', 'LATEST_PERMISSION_SET_NOT_PROVISIONED'],
      },
      ...listRules,
    },
    run(input, context) {
      const ps = requirePermissionSet(input, context);
      const filter = input.ProvisioningStatus;
      const accounts = context.aws.state
        .provisionedAccounts(ps.arn)
        .filter(
          (a) =>
            filter === undefined || (filter === 'LATEST_PERMISSION_SET_PROVISIONED' ? a.current : !a.current),
        )
        .map((a) => a.accountId);
      return pagedAnswer(
        'AccountIds',
        accounts,
        input,
        context.aws.config,
        `provisioned:${ps.arn}:${String(filter ?? '')}`,
      );
    },
  },
};
