// IAM Identity Center's admin API (service SWBExternalService, awsJson1_1, signing name `sso`):
// the operations the action uses and the ones tests use to change permission sets (their tags in
// ./tags.ts, account assignments in ./assignments.ts, their provisioning in ./provisioning.ts).
// Member names, constraints and error lists come from sso-admin-2020-07-20.json.
import type { AwsContext } from '../account/config.js';
import { createJsonService, type Operation, type OperationContext } from '../json/json-service.js';
import { AwsServiceError, conflict, paginate, RULES, validationError } from '../protocol/protocol.js';
import { SSO_ADMIN_ASSIGNMENT_OPERATIONS } from './assignments.js';
import {
  ALL,
  epochSeconds,
  inHomeRegion,
  listRules,
  READ_ERRORS,
  requireInstance,
  requirePermissionSet,
  WRITE_ERRORS,
} from './common.js';
import { SSO_ADMIN_PROVISIONING_OPERATIONS } from './provisioning.js';
import { SSO_ADMIN_TAG_OPERATIONS } from './tags.js';
import type { PermissionSet } from '../account/model.js';
import { OWNER_ACCOUNT_ID, permissionSetArnFor } from '../account/model.js';

export const SSO_ADMIN_ERROR_NAMESPACE = 'com.amazonaws.swbexternalservice';

const permissionSetShape = (ps: PermissionSet) => ({
  Name: ps.name,
  PermissionSetArn: ps.arn,
  ...(ps.description ? { Description: ps.description } : {}),
  CreatedDate: epochSeconds(ps.createdDate),
  SessionDuration: ps.sessionDuration,
  ...(ps.relayState ? { RelayState: ps.relayState } : {}),
});

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
    run(input, context) {
      const { aws } = context;
      const instances = inHomeRegion(context) ? aws.state.instances : [];
      const { page, nextToken } = paginate(instances, input, aws.config, 'instances');
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

  ...SSO_ADMIN_ASSIGNMENT_OPERATIONS,
  ...SSO_ADMIN_PROVISIONING_OPERATIONS,
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
