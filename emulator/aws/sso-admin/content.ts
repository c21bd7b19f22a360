// What a permission set allows: its inline policy, the AWS-managed policies and customer-managed
// policy references attached to it, and its permissions boundary, each put, read and taken away as
// sso-admin-2020-07-20.json has the operations. Every change makes the accounts the permission set
// is provisioned to outdated until ProvisionPermissionSet runs (the model's notes on these calls).
import type { Operation, OperationContext } from '../json/json-service.js';
import {
  AwsServiceError,
  conflict,
  notFound,
  pagedAnswer,
  RULES,
  validateInput,
  validationError,
  type MemberRule,
} from '../protocol/protocol.js';
import { listRules, READ_ERRORS, requirePermissionSet, WRITE_ERRORS } from './common.js';
import type { CustomerManagedPolicyReference, PermissionSet } from '../account/model.js';
import { policyKey } from '../account/model.js';
import { isKnownAwsManagedPolicy } from '../account/aws-managed-policies.js';

/**
 * "Managed policies per permission set: 20" (IAM Identity Center quotas), AWS-managed and
 * customer-managed counted together.
 */
export const MANAGED_POLICIES_PER_PERMISSION_SET = 20;

const PERMISSION_SET = { InstanceArn: RULES.instanceArn, PermissionSetArn: RULES.permissionSetArn };

/** The model's ManagedPolicyArn: an AWS-managed policy, never one of an account. */
const MANAGED_POLICY_ARN: MemberRule = {
  required: true,
  length: [20, 2048],
  pattern:
    /^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):iam::aws:policy((\/[A-Za-z0-9.,+@=_-]+)*)\/([A-Za-z0-9.,+=@_-]+)$/,
};
/** The model's CustomerManagedPolicyReference: ManagedPolicyName and ManagedPolicyPath. */
const REFERENCE_RULES: Record<string, MemberRule> = {
  Name: { required: true, length: [1, 128], pattern: /^[\w+=,.@-]+$/ },
  Path: { length: [1, 512], pattern: /^((\/[A-Za-z0-9.,+@=_-]+)*)\/$/ },
};
/** The model's PermissionSetPolicyDocument. */
const POLICY_DOCUMENT: MemberRule = {
  required: true,
  length: [1, 32768],
  pattern: /^[\t\n\r\u0020-\u00FF]+$/,
};

/** An edit: every account where the permission set is provisioned becomes outdated. */
export function editPermissionSet(ps: PermissionSet, context: OperationContext, change: () => void): object {
  change();
  context.aws.state.bumpVersion(ps.arn);
  return {};
}

/** The reference a request names, checked as the model's shape, with the path `/` when none is given. */
function referenceOf(value: unknown): CustomerManagedPolicyReference {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw validationError('CustomerManagedPolicyReference must be a structure with a Name.');
  const ref = value as Record<string, unknown>;
  validateInput(ref, REFERENCE_RULES);
  return { Name: String(ref.Name), Path: typeof ref.Path === 'string' ? ref.Path : '/' };
}

const sameReference = (a: CustomerManagedPolicyReference, b: CustomerManagedPolicyReference) =>
  policyKey(a) === policyKey(b);

function quotaLeft(ps: PermissionSet): void {
  if (ps.managedPolicies.length + ps.customerManagedPolicies.length >= MANAGED_POLICIES_PER_PERMISSION_SET)
    throw new AwsServiceError(
      'ServiceQuotaExceededException',
      402,
      `Managed policies per permission set limit of ${MANAGED_POLICIES_PER_PERMISSION_SET} exceeded.`,
    );
}

/** `arn:aws:iam::aws:policy/job-function/ViewOnlyAccess` → `ViewOnlyAccess`, as AttachedManagedPolicy names it. */
const policyName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

export const SSO_ADMIN_CONTENT_OPERATIONS: Record<string, Operation> = {
  PutInlinePolicyToPermissionSet: {
    write: true,
    errors: [...WRITE_ERRORS, 'ServiceQuotaExceededException'],
    rules: { ...PERMISSION_SET, InlinePolicy: POLICY_DOCUMENT },
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

  // A permission set without an inline policy answers no InlinePolicy member.
  GetInlinePolicyForPermissionSet: {
    write: false,
    errors: READ_ERRORS,
    rules: PERMISSION_SET,
    run(input, context) {
      const ps = requirePermissionSet(input, context);
      return ps.inlinePolicy === undefined ? {} : { InlinePolicy: ps.inlinePolicy };
    },
  },

  DeleteInlinePolicyFromPermissionSet: {
    write: true,
    errors: WRITE_ERRORS,
    rules: PERMISSION_SET,
    run(input, context) {
      const ps = requirePermissionSet(input, context);
      return editPermissionSet(ps, context, () => delete ps.inlinePolicy);
    },
  },

  AttachManagedPolicyToPermissionSet: {
    write: true,
    errors: [...WRITE_ERRORS, 'ServiceQuotaExceededException'],
    rules: { ...PERMISSION_SET, ManagedPolicyArn: MANAGED_POLICY_ARN },
    run(input, context) {
      const ps = requirePermissionSet(input, context);
      const arn = String(input.ManagedPolicyArn);
      // A policy IAM does not have is refused, not attached: the model's error for a resource
      // the request names that is not found.
      if (!isKnownAwsManagedPolicy(arn)) throw notFound(`Policy ${arn} does not exist.`);
      if (ps.managedPolicies.includes(arn)) {
        throw conflict(`Permission set ${ps.arn} already has managed policy ${arn} attached.`);
      }
      quotaLeft(ps);
      return editPermissionSet(ps, context, () => ps.managedPolicies.push(arn));
    },
  },

  DetachManagedPolicyFromPermissionSet: {
    write: true,
    errors: WRITE_ERRORS,
    rules: { ...PERMISSION_SET, ManagedPolicyArn: MANAGED_POLICY_ARN },
    run(input, context) {
      const ps = requirePermissionSet(input, context);
      const arn = String(input.ManagedPolicyArn);
      if (!ps.managedPolicies.includes(arn))
        throw notFound(`Managed policy ${arn} is not attached to permission set ${ps.arn}.`);
      return editPermissionSet(ps, context, () => {
        ps.managedPolicies = ps.managedPolicies.filter((a) => a !== arn);
      });
    },
  },

  ListManagedPoliciesInPermissionSet: {
    write: false,
    errors: READ_ERRORS,
    rules: { ...PERMISSION_SET, ...listRules },
    run(input, context) {
      const ps = requirePermissionSet(input, context);
      return pagedAnswer(
        'AttachedManagedPolicies',
        ps.managedPolicies,
        input,
        context.aws.config,
        `managed:${ps.arn}`,
        (Arn) => ({ Name: policyName(Arn), Arn }),
      );
    },
  },

  AttachCustomerManagedPolicyReferenceToPermissionSet: {
    write: true,
    errors: [...WRITE_ERRORS, 'ServiceQuotaExceededException'],
    rules: { ...PERMISSION_SET, CustomerManagedPolicyReference: { required: true, type: 'object' } },
    run(input, context) {
      const ref = referenceOf(input.CustomerManagedPolicyReference);
      const ps = requirePermissionSet(input, context);
      if (ps.customerManagedPolicies.some((r) => sameReference(r, ref)))
        throw conflict(
          `Permission set ${ps.arn} already references customer managed policy ${policyKey(ref)}.`,
        );
      quotaLeft(ps);
      return editPermissionSet(ps, context, () => ps.customerManagedPolicies.push(ref));
    },
  },

  DetachCustomerManagedPolicyReferenceFromPermissionSet: {
    write: true,
    errors: WRITE_ERRORS,
    rules: { ...PERMISSION_SET, CustomerManagedPolicyReference: { required: true, type: 'object' } },
    run(input, context) {
      const ref = referenceOf(input.CustomerManagedPolicyReference);
      const ps = requirePermissionSet(input, context);
      if (!ps.customerManagedPolicies.some((r) => sameReference(r, ref)))
        throw notFound(
          `Customer managed policy ${policyKey(ref)} is not referenced by permission set ${ps.arn}.`,
        );
      return editPermissionSet(ps, context, () => {
        ps.customerManagedPolicies = ps.customerManagedPolicies.filter((r) => !sameReference(r, ref));
      });
    },
  },

  ListCustomerManagedPolicyReferencesInPermissionSet: {
    write: false,
    errors: READ_ERRORS,
    rules: { ...PERMISSION_SET, ...listRules },
    run(input, context) {
      const ps = requirePermissionSet(input, context);
      return pagedAnswer(
        'CustomerManagedPolicyReferences',
        ps.customerManagedPolicies,
        input,
        context.aws.config,
        `customer-managed:${ps.arn}`,
        (r) => ({ Name: r.Name, Path: r.Path }),
      );
    },
  },

  // One boundary: either an AWS-managed policy ARN or a customer-managed policy reference.
  PutPermissionsBoundaryToPermissionSet: {
    write: true,
    errors: WRITE_ERRORS,
    rules: { ...PERMISSION_SET, PermissionsBoundary: { required: true, type: 'object' } },
    run(input, context) {
      const boundary = (input.PermissionsBoundary ?? {}) as Record<string, unknown>;
      const hasArn = boundary.ManagedPolicyArn !== undefined;
      const hasRef = boundary.CustomerManagedPolicyReference !== undefined;
      if (hasArn === hasRef)
        throw validationError(
          'PermissionsBoundary must specify either ManagedPolicyArn or CustomerManagedPolicyReference.',
        );
      if (hasArn) validateInput(boundary, { ManagedPolicyArn: MANAGED_POLICY_ARN });
      const value = hasArn
        ? { ManagedPolicyArn: String(boundary.ManagedPolicyArn) }
        : { CustomerManagedPolicyReference: referenceOf(boundary.CustomerManagedPolicyReference) };
      const ps = requirePermissionSet(input, context);
      return editPermissionSet(ps, context, () => (ps.permissionsBoundary = value));
    },
  },

  // No boundary is ResourceNotFoundException, as the service answers it (readers take it as none).
  GetPermissionsBoundaryForPermissionSet: {
    write: false,
    errors: READ_ERRORS,
    rules: PERMISSION_SET,
    run(input, context) {
      const ps = requirePermissionSet(input, context);
      if (!ps.permissionsBoundary)
        throw notFound(`Could not find PermissionsBoundary for PermissionSet ${ps.arn}.`);
      return { PermissionsBoundary: ps.permissionsBoundary };
    },
  },

  DeletePermissionsBoundaryFromPermissionSet: {
    write: true,
    errors: WRITE_ERRORS,
    rules: PERMISSION_SET,
    run(input, context) {
      const ps = requirePermissionSet(input, context);
      if (!ps.permissionsBoundary)
        throw notFound(`Could not find PermissionsBoundary for PermissionSet ${ps.arn}.`);
      return editPermissionSet(ps, context, () => delete ps.permissionsBoundary);
    },
  },
};
