// IAM Identity Center's admin API (service SWBExternalService, awsJson1_1, signing name `sso`):
// the operations the action uses and the ones tests use to change permission sets (their tags in
// ./sso-admin-tags.ts).
// Member names, constraints and error lists come from sso-admin-2020-07-20.json.
import type { AwsContext } from './config.js';
import { createJsonService, type Operation, type OperationContext } from './json-service.js';
import {
  AwsServiceError,
  conflict,
  notFound,
  optional,
  paginate,
  RULES,
  throttling,
  validateInput,
  validationError,
} from './protocol.js';
import { SSO_ADMIN_TAG_OPERATIONS } from './sso-admin-tags.js';
import type { Assignment, AssignmentRequest, PermissionSet, ProvisioningRequest } from './state.js';
import { OWNER_ACCOUNT_ID, permissionSetArnFor } from './state.js';

export const SSO_ADMIN_ERROR_NAMESPACE = 'com.amazonaws.swbexternalservice';

const ALL = [
  'AccessDeniedException',
  'InternalServerException',
  'ThrottlingException',
  'ValidationException',
] as const;
const READ_ERRORS = [...ALL, 'ResourceNotFoundException'] as const;
const WRITE_ERRORS = [...READ_ERRORS, 'ConflictException'] as const;

const epochSeconds = (date: Date) => date.getTime() / 1000;

function requireInstance(input: Record<string, unknown>, { aws }: OperationContext): void {
  if (input.InstanceArn !== aws.state.instanceArn) {
    throw notFound(`Instance ${String(input.InstanceArn)} does not exist.`);
  }
}

function requirePermissionSet(input: Record<string, unknown>, context: OperationContext): PermissionSet {
  requireInstance(input, context);
  const ps = context.aws.state.permissionSets.get(String(input.PermissionSetArn));
  if (!ps)
    throw notFound(`Could not find PermissionSet with PermissionSetArn ${String(input.PermissionSetArn)}.`);
  return ps;
}

const permissionSetShape = (ps: PermissionSet) => ({
  Name: ps.name,
  PermissionSetArn: ps.arn,
  ...(ps.description ? { Description: ps.description } : {}),
  CreatedDate: epochSeconds(ps.createdDate),
  SessionDuration: ps.sessionDuration,
  ...(ps.relayState ? { RelayState: ps.relayState } : {}),
});

const assignmentStatusShape = (r: AssignmentRequest) => ({
  Status: r.status,
  RequestId: r.requestId,
  ...(r.failureReason ? { FailureReason: r.failureReason } : {}),
  TargetId: r.assignment.accountId,
  TargetType: 'AWS_ACCOUNT',
  PermissionSetArn: r.assignment.permissionSetArn,
  PrincipalType: r.assignment.principalType,
  PrincipalId: r.assignment.principalId,
  CreatedDate: epochSeconds(r.createdDate),
});

const provisioningStatusShape = (r: ProvisioningRequest) => ({
  Status: r.status,
  RequestId: r.requestId,
  ...(r.accountId ? { AccountId: r.accountId } : {}),
  PermissionSetArn: r.permissionSetArn,
  ...(r.failureReason ? { FailureReason: r.failureReason } : {}),
  CreatedDate: epochSeconds(r.createdDate),
});

const assignmentFrom = (input: Record<string, unknown>): Assignment => ({
  accountId: String(input.TargetId),
  permissionSetArn: String(input.PermissionSetArn),
  principalType: input.PrincipalType as Assignment['principalType'],
  principalId: String(input.PrincipalId),
});

const assignmentRules = {
  InstanceArn: RULES.instanceArn,
  TargetId: RULES.targetId,
  TargetType: RULES.targetType,
  PermissionSetArn: RULES.permissionSetArn,
  PrincipalType: RULES.principalType,
  PrincipalId: RULES.principalId,
};
const listRules = { MaxResults: RULES.maxResults, NextToken: RULES.nextToken };

/**
 * The request a Describe…Status names. An ID the emulator handed out (`faults.forcedRequestIds`
 * may make it anything) is found as it is; any other must have the model's UUID shape.
 */
function requestById(
  input: Record<string, unknown>,
  member: string,
  requests: Map<string, AssignmentRequest>,
): AssignmentRequest {
  const id = String(input[member]);
  const request = requests.get(id);
  if (request) return request;
  validateInput(input, { [member]: RULES.uuid });
  throw notFound(`Request with id ${id} not found.`);
}

const STATUS_VALUES = ['IN_PROGRESS', 'FAILED', 'SUCCEEDED'] as const;
const statusListRules = { InstanceArn: RULES.instanceArn, ...listRules, Filter: { type: 'object' as const } };

/** ListAccountAssignment{Creation,Deletion}Status: the instance's requests, newest first, one page. */
function statusList(
  input: Record<string, unknown>,
  context: OperationContext,
  kind: 'creation' | 'deletion',
) {
  requireInstance(input, context);
  const filter = (input.Filter ?? {}) as Record<string, unknown>;
  validateInput(filter, { Status: { enum: STATUS_VALUES } });
  const { state } = context.aws;
  // Map order is acceptance order, so the reverse is newest first.
  const requests = [...(kind === 'creation' ? state.creations : state.deletions).values()]
    .reverse()
    .filter((r) => filter.Status === undefined || r.status === filter.Status);
  const { page, nextToken } = paginate(
    requests,
    input,
    context.aws.config,
    `${kind}-status:${String(filter.Status ?? '')}`,
  );
  return {
    page: page.map((r) => ({
      Status: r.status,
      RequestId: r.requestId,
      CreatedDate: epochSeconds(r.createdDate),
    })),
    ...(nextToken ? { nextToken } : {}),
  };
}

function editPermissionSet(ps: PermissionSet, context: OperationContext, change: () => void): object {
  change();
  // Every edit makes the accounts where the permission set is provisioned outdated, until
  // ProvisionPermissionSet runs (model docs of CreateAccountAssignment).
  context.aws.state.bumpVersion(ps.arn);
  return {};
}

export const SSO_ADMIN_OPERATIONS: Record<string, Operation> = {
  ...SSO_ADMIN_TAG_OPERATIONS,
  ListInstances: {
    write: false,
    errors: ALL,
    rules: listRules,
    run(input, { aws }) {
      const { page, nextToken } = paginate(aws.state.instances, input, aws.config, 'instances');
      return {
        Instances: page.map((instance) => ({
          InstanceArn: instance.instanceArn,
          IdentityStoreId: instance.identityStoreId,
          OwnerAccountId: OWNER_ACCOUNT_ID,
          ...(instance.name ? { Name: instance.name } : {}),
          CreatedDate: epochSeconds(aws.state.instanceCreatedDate),
          Status: 'ACTIVE',
        })),
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
    },
  },

  ListPermissionSets: {
    write: false,
    errors: READ_ERRORS,
    rules: { InstanceArn: RULES.instanceArn, ...listRules },
    run(input, context) {
      requireInstance(input, context);
      const arns = [...context.aws.state.permissionSets.keys()];
      const { page, nextToken } = paginate(arns, input, context.aws.config, 'permission-sets');
      return { PermissionSets: page, ...(nextToken ? { NextToken: nextToken } : {}) };
    },
  },

  DescribePermissionSet: {
    write: false,
    errors: READ_ERRORS,
    rules: { InstanceArn: RULES.instanceArn, PermissionSetArn: RULES.permissionSetArn },
    run(input, context) {
      return { PermissionSet: permissionSetShape(requirePermissionSet(input, context)) };
    },
  },

  CreatePermissionSet: {
    write: true,
    errors: [...WRITE_ERRORS, 'ServiceQuotaExceededException'],
    rules: {
      Name: RULES.permissionSetName,
      Description: RULES.description,
      InstanceArn: RULES.instanceArn,
      SessionDuration: RULES.sessionDuration,
      RelayState: RULES.relayState,
      Tags: { type: 'array' },
    },
    run(input, context) {
      requireInstance(input, context);
      const name = String(input.Name);
      if (context.aws.state.permissionSetByName(name)) {
        throw conflict(`PermissionSet with name ${name} already exists.`);
      }
      if (context.aws.state.permissionSets.size >= 2000) {
        throw new AwsServiceError(
          'ServiceQuotaExceededException',
          402,
          'The number of permission sets in the instance has reached its limit.',
        );
      }
      const ps = context.aws.state.addPermissionSet(name, {
        createdDate: new Date(),
        ...(typeof input.Description === 'string'
          ? { description: input.Description }
          : { description: undefined }),
        ...(typeof input.SessionDuration === 'string' ? { sessionDuration: input.SessionDuration } : {}),
        ...(typeof input.RelayState === 'string' ? { relayState: input.RelayState } : {}),
        tags: Array.isArray(input.Tags) ? (input.Tags as PermissionSet['tags']) : [],
      });
      if (!ps.description) delete ps.description;
      return { PermissionSet: permissionSetShape(ps) };
    },
  },

  UpdatePermissionSet: {
    write: true,
    errors: WRITE_ERRORS,
    rules: {
      InstanceArn: RULES.instanceArn,
      PermissionSetArn: RULES.permissionSetArn,
      Description: RULES.description,
      SessionDuration: RULES.sessionDuration,
      RelayState: RULES.relayState,
    },
    run(input, context) {
      const ps = requirePermissionSet(input, context);
      return editPermissionSet(ps, context, () => {
        if (typeof input.Description === 'string') ps.description = input.Description;
        if (typeof input.SessionDuration === 'string') ps.sessionDuration = input.SessionDuration;
        if (typeof input.RelayState === 'string') ps.relayState = input.RelayState;
      });
    },
  },

  PutInlinePolicyToPermissionSet: {
    write: true,
    errors: [...WRITE_ERRORS, 'ServiceQuotaExceededException'],
    rules: {
      InstanceArn: RULES.instanceArn,
      PermissionSetArn: RULES.permissionSetArn,
      InlinePolicy: { required: true, length: [1, 32768], pattern: /^[\t\n\r\u0020-\u00FF]+$/ },
    },
    run(input, context) {
      const ps = requirePermissionSet(input, context);
      try {
        JSON.parse(String(input.InlinePolicy));
      } catch {
        throw validationError('The policy document is not valid JSON.');
      }
      return editPermissionSet(ps, context, () => (ps.inlinePolicy = String(input.InlinePolicy)));
    },
  },

  AttachManagedPolicyToPermissionSet: {
    write: true,
    errors: [...WRITE_ERRORS, 'ServiceQuotaExceededException'],
    rules: {
      InstanceArn: RULES.instanceArn,
      PermissionSetArn: RULES.permissionSetArn,
      ManagedPolicyArn: {
        required: true,
        length: [20, 2048],
        pattern:
          /^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):iam::aws:policy((\/[A-Za-z0-9.,+@=_-]+)*)\/([A-Za-z0-9.,+=@_-]+)$/,
      },
    },
    run(input, context) {
      const ps = requirePermissionSet(input, context);
      const arn = String(input.ManagedPolicyArn);
      if (ps.managedPolicies.includes(arn)) {
        throw conflict(`Permission set ${ps.arn} already has managed policy ${arn} attached.`);
      }
      if (ps.managedPolicies.length >= 20) {
        throw new AwsServiceError(
          'ServiceQuotaExceededException',
          402,
          'Managed policies per permission set limit of 20 exceeded.',
        );
      }
      return editPermissionSet(ps, context, () => ps.managedPolicies.push(arn));
    },
  },

  ListAccountAssignments: {
    write: false,
    errors: READ_ERRORS,
    rules: {
      InstanceArn: RULES.instanceArn,
      AccountId: RULES.targetId,
      PermissionSetArn: RULES.permissionSetArn,
      ...listRules,
    },
    run(input, context) {
      requirePermissionSet(input, context);
      const matching = [...context.aws.state.assignments.values()].filter(
        (a) => a.accountId === input.AccountId && a.permissionSetArn === input.PermissionSetArn,
      );
      const { page, nextToken } = paginate(
        matching,
        input,
        context.aws.config,
        `assignments:${String(input.AccountId)}:${String(input.PermissionSetArn)}`,
      );
      return {
        AccountAssignments: page.map(listedAssignment),
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
    },
  },

  // Every assignment of one principal, in any account (management account only, as AWS documents).
  ListAccountAssignmentsForPrincipal: {
    write: false,
    errors: READ_ERRORS,
    rules: {
      InstanceArn: RULES.instanceArn,
      PrincipalId: RULES.principalId,
      PrincipalType: RULES.principalType,
      Filter: { type: 'object' as const },
      ...listRules,
    },
    run(input, context) {
      requireInstance(input, context);
      const filter = input.Filter as { AccountId?: unknown } | undefined;
      const matching = [...context.aws.state.assignments.values()].filter(
        (a) =>
          a.principalId === input.PrincipalId &&
          a.principalType === input.PrincipalType &&
          (filter?.AccountId === undefined || a.accountId === filter.AccountId),
      );
      const { page, nextToken } = paginate(
        matching,
        input,
        context.aws.config,
        `principal:${String(input.PrincipalType)}:${String(input.PrincipalId)}:${String(filter?.AccountId ?? '')}`,
      );
      return {
        AccountAssignments: page.map(listedAssignment),
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
    },
  },

  CreateAccountAssignment: {
    write: true,
    errors: [...WRITE_ERRORS, 'ServiceQuotaExceededException'],
    rules: assignmentRules,
    run(input, context) {
      requirePermissionSet(input, context);
      const { aws } = context;
      // "The CreateAccountAssignment write API has a limit of 15 outstanding asynchronous calls"
      // (User Guide, quotas). Answered as ThrottlingException, which clients retry with backoff.
      const outstanding = aws.state.inProgress(aws.state.creations).length;
      if (outstanding >= aws.config.maxOutstandingCreates) {
        aws.stats.outstandingCreatesRefused++;
        throw throttling(
          `Too many outstanding CreateAccountAssignment requests: the limit is ${aws.config.maxOutstandingCreates}.`,
        );
      }
      const assignment = assignmentFrom(input);
      const rival = aws.faults.rivalCreations.findIndex(
        (f) =>
          (!f.accountId || f.accountId === assignment.accountId) &&
          (!f.permissionSetArn || f.permissionSetArn === assignment.permissionSetArn) &&
          (!f.principalId || f.principalId === assignment.principalId),
      );
      if (rival >= 0) {
        aws.faults.rivalCreations.splice(rival, 1);
        aws.state.startAssignmentRequest('create', assignment, Math.min(aws.config.writeDelayMs, 50));
      }
      const injected = aws.faults.failCreations.find(
        (f) =>
          (!f.accountId || f.accountId === assignment.accountId) &&
          (!f.permissionSetArn || f.permissionSetArn === assignment.permissionSetArn) &&
          (!f.principalId || f.principalId === assignment.principalId),
      );
      const request = aws.state.startAssignmentRequest(
        'create',
        assignment,
        aws.config.writeDelayMs,
        injected?.reason,
        aws.faults.forcedRequestIds.shift(),
      );
      aws.stats.maxOutstandingCreates = Math.max(
        aws.stats.maxOutstandingCreates,
        aws.state.inProgress(aws.state.creations).length,
      );
      return { AccountAssignmentCreationStatus: assignmentStatusShape(request) };
    },
  },

  DeleteAccountAssignment: {
    write: true,
    errors: WRITE_ERRORS,
    rules: assignmentRules,
    run(input, context) {
      requirePermissionSet(input, context);
      const { aws } = context;
      const assignment = assignmentFrom(input);
      const exists = aws.state.assignments.has(
        [
          assignment.accountId,
          assignment.permissionSetArn,
          assignment.principalType,
          assignment.principalId,
        ].join('|'),
      );
      if (!exists && aws.config.deleteMissing === 'not-found') {
        throw notFound(
          `Could not find account assignment for principal ${assignment.principalId} in account ${assignment.accountId}.`,
        );
      }
      const request = aws.state.startAssignmentRequest(
        'delete',
        assignment,
        aws.config.writeDelayMs,
        undefined,
        aws.faults.forcedRequestIds.shift(),
      );
      return { AccountAssignmentDeletionStatus: assignmentStatusShape(request) };
    },
  },

  DescribeAccountAssignmentCreationStatus: {
    write: false,
    errors: READ_ERRORS,
    rules: { InstanceArn: RULES.instanceArn, AccountAssignmentCreationRequestId: { required: true } },
    run(input, context) {
      requireInstance(input, context);
      const request = requestById(input, 'AccountAssignmentCreationRequestId', context.aws.state.creations);
      return { AccountAssignmentCreationStatus: assignmentStatusShape(request) };
    },
  },

  DescribeAccountAssignmentDeletionStatus: {
    write: false,
    errors: READ_ERRORS,
    rules: { InstanceArn: RULES.instanceArn, AccountAssignmentDeletionRequestId: { required: true } },
    run(input, context) {
      requireInstance(input, context);
      const request = requestById(input, 'AccountAssignmentDeletionRequestId', context.aws.state.deletions);
      return { AccountAssignmentDeletionStatus: assignmentStatusShape(request) };
    },
  },

  ListAccountAssignmentCreationStatus: {
    write: false,
    errors: READ_ERRORS,
    rules: statusListRules,
    run(input, context) {
      const { page, nextToken } = statusList(input, context, 'creation');
      return { AccountAssignmentsCreationStatus: page, ...(nextToken ? { NextToken: nextToken } : {}) };
    },
  },

  ListAccountAssignmentDeletionStatus: {
    write: false,
    errors: READ_ERRORS,
    rules: statusListRules,
    run(input, context) {
      const { page, nextToken } = statusList(input, context, 'deletion');
      return { AccountAssignmentsDeletionStatus: page, ...(nextToken ? { NextToken: nextToken } : {}) };
    },
  },

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
      const { page, nextToken } = paginate(
        accounts,
        input,
        context.aws.config,
        `provisioned:${ps.arn}:${String(filter ?? '')}`,
      );
      return { AccountIds: page, ...(nextToken ? { NextToken: nextToken } : {}) };
    },
  },
};

export function createSsoAdminService(aws: AwsContext) {
  return createJsonService(
    {
      service: 'sso-admin',
      targetPrefix: 'SWBExternalService',
      errorNamespace: SSO_ADMIN_ERROR_NAMESPACE,
      signingName: 'sso',
      eventSource: 'sso.amazonaws.com',
      operations: SSO_ADMIN_OPERATIONS,
      // "IAM Identity Center APIs have a collective throttle limit of 20 TPS" (User Guide, quotas).
      rateLimitKey: () => 'collective',
      tps: (context) => context.config.tps,
      throttlingFields: () => ({}),
      errorsCarryRequestId: false,
      accessDeniedResource: (_operation, input) =>
        typeof input.PermissionSetArn === 'string'
          ? input.PermissionSetArn
          : typeof input.ResourceArn === 'string'
            ? input.ResourceArn
            : typeof input.InstanceArn === 'string'
              ? input.InstanceArn
              : `arn:aws:sso:::instance/*`,
    },
    aws,
  );
}

export { permissionSetArnFor };

/** An assignment as both lists of them answer it (the model's AccountAssignment and AccountAssignmentForPrincipal). */
function listedAssignment(a: Assignment) {
  return {
    AccountId: a.accountId,
    PermissionSetArn: a.permissionSetArn,
    PrincipalType: a.principalType,
    PrincipalId: a.principalId,
  };
}
