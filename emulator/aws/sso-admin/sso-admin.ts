// IAM Identity Center's admin API (service SWBExternalService, awsJson1_1, signing name `sso`):
// the operations the action uses and the ones tests use to change permission sets (their tags in
// ./tags.ts, account assignments in ./assignments.ts, their provisioning in ./provisioning.ts).
// Member names, constraints and error lists come from sso-admin-2020-07-20.json.
import type { AwsContext } from '../account/config.js';
import { createJsonService, type Operation } from '../json/json-service.js';
import {
  AwsServiceError,
  conflict,
  pagedAnswer,
  paginate,
  RULES,
  validationError,
} from '../protocol/protocol.js';
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
import { checkTags, SSO_ADMIN_TAG_OPERATIONS, tagQuota } from './tags.js';
import { editPermissionSet, SSO_ADMIN_CONTENT_OPERATIONS } from './content.js';
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

  // The instance's Regions: its primary (where it was made) and the ones it is replicated to.
  ListRegions: {
    write: false,
    // Its model lists no ResourceNotFoundException: an instance it does not know is invalid input.
    errors: ALL,
    rules: { InstanceArn: RULES.instanceArn, ...listRules },
    run(input, context) {
      const { aws } = context;
      if (input.InstanceArn !== aws.state.instanceArn || !inHomeRegion(context))
        throw validationError(`Instance ${String(input.InstanceArn)} does not exist.`);
      const regions = [
        { RegionName: aws.region, Status: 'ACTIVE', IsPrimaryRegion: true },
        ...aws.config.replicaRegions.map((RegionName) => ({
          RegionName,
          Status: 'ACTIVE',
          IsPrimaryRegion: false,
        })),
      ].map((r) => ({ ...r, AddedDate: epochSeconds(aws.state.instanceCreatedDate) }));
      return pagedAnswer('Regions', regions, input, aws.config, 'regions');
    },
  },

  ListPermissionSets: {
    write: false,
    errors: READ_ERRORS,
    rules: { InstanceArn: RULES.instanceArn, ...listRules },
    run(input, context) {
      requireInstance(input, context);
      const arns = [...context.aws.state.permissionSets.keys()];
      return pagedAnswer('PermissionSets', arns, input, context.aws.config, 'permission-sets');
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
      checkTags(input);
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
      // The tags are written with the permission set, in the same call: it never exists untagged.
      const tags = new Map(((input.Tags ?? []) as PermissionSet['tags']).map((t) => [t.Key, t.Value]));
      tagQuota(tags.size);
      const ps = context.aws.state.addPermissionSet(name, {
        createdDate: new Date(),
        ...(typeof input.Description === 'string'
          ? { description: input.Description }
          : { description: undefined }),
        ...(typeof input.SessionDuration === 'string' ? { sessionDuration: input.SessionDuration } : {}),
        ...(typeof input.RelayState === 'string' ? { relayState: input.RelayState } : {}),
        tags: [...tags].map(([Key, Value]) => ({ Key, Value })),
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
        // As AWS does, a relay state the call does not send is cleared (terraform-provider-aws
        // #17411): an update sends it each time to keep it.
        if (typeof input.RelayState === 'string') ps.relayState = input.RelayState;
        else delete ps.relayState;
      });
    },
  },

  // Refused while the permission set is provisioned to an account (so while any assignment of it
  // is left) or being provisioned, as the service refuses it: the caller deletes the assignments
  // first, whose last one in an account takes the permission set away there.
  DeletePermissionSet: {
    write: true,
    errors: WRITE_ERRORS,
    rules: { InstanceArn: RULES.instanceArn, PermissionSetArn: RULES.permissionSetArn },
    run(input, context) {
      const ps = requirePermissionSet(input, context);
      const { state } = context.aws;
      const provisioned = state.provisionedAccounts(ps.arn).map((a) => a.accountId);
      const provisioning =
        state.inProgress(state.provisionings).some((r) => r.permissionSetArn === ps.arn) ||
        state.inProgress(state.creations).some((r) => r.assignment.permissionSetArn === ps.arn);
      if (provisioned.length > 0 || provisioning)
        throw conflict(
          `Could not delete because PermissionSet has ApplicationProfile associated with it (provisioned to ${provisioned.length > 0 ? provisioned.join(', ') : 'an account being provisioned'}).`,
        );
      state.deletePermissionSet(ps.arn);
      return {};
    },
  },

  ...SSO_ADMIN_CONTENT_OPERATIONS,
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
