// Input patterns, taken from the service models so that anything we accept the service accepts.

const PARTITIONS = '(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b)';

/** SSO Admin InstanceArn (Smithy model, all partitions). */
export const INSTANCE_ARN = new RegExp(`^arn:${PARTITIONS}:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$`);
/** SSO Admin PermissionSetArn (Smithy model, all partitions). */
export const PERMISSION_SET_ARN = new RegExp(
  `^arn:${PARTITIONS}:sso:::permissionSet/(sso)?ins-[a-zA-Z0-9-.]{16}/ps-[a-zA-Z0-9-./]{16}$`,
);
/** SSO Admin PermissionSetName. */
export const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;
/** SSO Admin TargetId / AccountId. */
export const ACCOUNT_ID = /^\d{12}$/;
/** SSO Admin PrincipalId: optional identity-store prefix, then a GUID. */
export const IDENTITY_STORE_PRINCIPAL_ID =
  /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;
/** Identity Store IdentityStoreId. */
export const IDENTITY_STORE_ID =
  /^d-[0-9a-f]{10}$|^[0-9a-f]{8}\b-[0-9a-f]{4}\b-[0-9a-f]{4}\b-[0-9a-f]{4}\b-[0-9a-f]{12}$/;
/** IAM role ARN for AssumeRoleWithWebIdentity, any partition. */
export const IAM_ROLE_ARN = new RegExp(`^arn:${PARTITIONS}:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$`);
/** STS RoleSessionName. */
export const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
export const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** A boolean input's two values, in any case (`true`, `True`, `TRUE` …). */
export const TRUE_INPUT = /^true$/i;
export const FALSE_INPUT = /^false$/i;

export const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** A full role definition ID, at a subscription or tenant level. */
export const ROLE_DEFINITION_ID =
  /^(\/subscriptions\/[0-9a-fA-F-]{36}|\/providers\/Microsoft\.Management\/managementGroups\/[\w().-]{1,90})?\/providers\/Microsoft\.Authorization\/roleDefinitions\/([0-9a-fA-F-]{36})$/i;
/** Azure role names: letters, digits, spaces and the punctuation the built-in and custom roles use. */
export const ROLE_NAME = /^[\p{L}\p{N} ._()&/,:+-]{1,512}$/u;

/** Printable text without control characters (names resolved through an API). */
export const PRINTABLE = /^[^\p{Cc}]+$/u;

/** An SSO Admin request ID (Smithy `UUId`): the only request IDs saved state may carry. */
export const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
