// IAM Identity Center's account assignment operations: the two lists of assignments, the
// asynchronous create (which holds one of the instance's outstanding slots until it ends) and
// delete, and their status reads, one by ID or a list of them.
// Member names, constraints and error lists come from sso-admin-2020-07-20.json.
import type { Operation, OperationContext } from '../json/json-service.js';
import {
  AwsServiceError,
  notFound,
  pagedAnswer,
  paginate,
  RULES,
  throttling,
  validateInput,
} from '../protocol/protocol.js';
import {
  epochSeconds,
  listRules,
  READ_ERRORS,
  requireInstance,
  requirePermissionSet,
  WRITE_ERRORS,
} from './common.js';
import type { Assignment, AssignmentRequest } from '../account/model.js';
import type { OutstandingCreatesRefusal } from '../account/config.js';
import { createCloudTrailSeams, type TrailCaller } from '../cloudtrail/seams.js';

const TOO_MANY_PROCESSING = 'There are too many requests processing. Please try again later.';

/**
 * The answers to a create beyond the instance's 15 outstanding (AwsConfig.outstandingCreatesRefusal;
 * see CreateAccountAssignment below): as an SDK recorded AWS answering it, with the model's status
 * for ThrottlingException (429), as the TPS quota answers, and as ConflictException ("Occurs when a
 * conflict with a previous successful write is detected", which clients met running too many
 * creates at once: aws-samples/assignment-automation-4-aws-sso #8).
 */
export const OUTSTANDING_REFUSALS: Record<OutstandingCreatesRefusal, () => AwsServiceError> = {
  recorded: () => new AwsServiceError('ThrottlingException', 400, TOO_MANY_PROCESSING),
  model: () => new AwsServiceError('ThrottlingException', 429, TOO_MANY_PROCESSING),
  rate: () => throttling('Rate exceeded'),
  conflict: () => new AwsServiceError('ConflictException', 409, TOO_MANY_PROCESSING),
};

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

/** An assignment as both lists of them answer it (the model's AccountAssignment and AccountAssignmentForPrincipal). */
function listedAssignment(a: Assignment) {
  return {
    AccountId: a.accountId,
    PermissionSetArn: a.permissionSetArn,
    PrincipalType: a.principalType,
    PrincipalId: a.principalId,
  };
}

export const SSO_ADMIN_ASSIGNMENT_OPERATIONS: Record<string, Operation> = {
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
      return pagedAnswer(
        'AccountAssignments',
        matching,
        input,
        context.aws.config,
        `assignments:${String(input.AccountId)}:${String(input.PermissionSetArn)}`,
        listedAssignment,
      );
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
      return pagedAnswer(
        'AccountAssignments',
        matching,
        input,
        context.aws.config,
        `principal:${String(input.PrincipalType)}:${String(input.PrincipalId)}:${String(filter?.AccountId ?? '')}`,
        listedAssignment,
      );
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
      // (User Guide, quotas). AWS refuses the next as an SDK recorded it (aws-samples/aws-iam-
      // identity-center-extensions #87): ThrottlingException with HTTP 400, not the model's 429,
      // this text, no Retry-After. A client cannot tell it from the TPS quota's refusal (HTTP 429,
      // "Rate exceeded") by its name, only by its status and text (src/aws/sdk/aws-errors.ts).
      const outstanding = aws.state.inProgress(aws.state.creations).length;
      if (outstanding >= aws.config.maxOutstandingCreates) {
        aws.stats.outstandingCreatesRefused++;
        throw OUTSTANDING_REFUSALS[aws.config.outstandingCreatesRefusal]();
      }
      const assignment = assignmentFrom(input);
      const deletion = aws.faults.rivalDeletions.findIndex(
        (f) =>
          (!f.accountId || f.accountId === assignment.accountId) &&
          (!f.permissionSetArn || f.permissionSetArn === assignment.permissionSetArn) &&
          (!f.principalId || f.principalId === assignment.principalId),
      );
      if (deletion >= 0) {
        const [{ caller }] = aws.faults.rivalDeletions.splice(deletion, 1) as [{ caller: TrailCaller }];
        createCloudTrailSeams(aws).deleteAssignmentAs(assignment, caller);
      }
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
};
