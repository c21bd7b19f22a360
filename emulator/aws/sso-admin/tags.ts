// IAM Identity Center's tag operations on permission sets (ListTagsForResource, TagResource,
// UntagResource), as sso-admin-2020-07-20.json has them: the tags CreatePermissionSet stores,
// listed a page at a time, added (a key given again takes the new value) and removed by key.
// Other taggable resources (the instance, applications) are not emulated: they are not found.
import type { Operation, OperationContext } from '../json/json-service.js';
import {
  AwsServiceError,
  notFound,
  pagedAnswer,
  RULES,
  validateInput,
  validationError,
  type MemberRule,
} from '../protocol/protocol.js';
import { inHomeRegion, requireInstance } from './common.js';
import type { PermissionSet } from '../account/model.js';

const READ_ERRORS = [
  'AccessDeniedException',
  'InternalServerException',
  'ResourceNotFoundException',
  'ThrottlingException',
  'ValidationException',
] as const;
const WRITE_ERRORS = [...READ_ERRORS, 'ConflictException'] as const;

/** The model's TagKey, TagValue and TaggableResourceArn (permission sets and the instance). */
const TAG_TEXT = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
const TAG_KEY: MemberRule = { required: true, length: [1, 128], pattern: TAG_TEXT };
const TAG_VALUE: MemberRule = { required: true, length: [0, 256], pattern: TAG_TEXT };
const RESOURCE_ARN: MemberRule = {
  required: true,
  length: [10, 2048],
  pattern:
    /^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso::((:instance\/(sso)?ins-[a-zA-Z0-9-.]{16})|(:permissionSet\/(sso)?ins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16}))$/,
};
const LIST_LENGTH = 75;
/** "Tags per permission set: 50" (IAM Identity Center quotas). */
const TAGS_PER_PERMISSION_SET = 50;

const common = {
  InstanceArn: { ...RULES.instanceArn, required: false },
  ResourceArn: RESOURCE_ARN,
};

/** The permission set a request names; the instance, when given, must be the emulator's. */
function taggedPermissionSet(input: Record<string, unknown>, context: OperationContext): PermissionSet {
  if (input.InstanceArn !== undefined) requireInstance(input, context);
  // In another Region there is no instance, so no permission set of it either.
  const ps = inHomeRegion(context)
    ? context.aws.state.permissionSets.get(String(input.ResourceArn))
    : undefined;
  if (!ps) throw notFound(`Could not find resource with ResourceArn ${String(input.ResourceArn)}.`);
  return ps;
}

/** A list member of the model's length (`min`–75 items), each item checked by `check`. */
function checkList(
  input: Record<string, unknown>,
  member: string,
  min: number,
  check: (item: unknown) => void,
) {
  const list = input[member];
  if (!Array.isArray(list)) return;
  const at = member.charAt(0).toLowerCase() + member.slice(1);
  if (list.length < min || list.length > LIST_LENGTH)
    throw validationError(
      `1 validation error detected: Value at '${at}' failed to satisfy constraint: Member must have length ${list.length < min ? `greater than or equal to ${min}` : `less than or equal to ${LIST_LENGTH}`}`,
    );
  list.forEach(check);
}

/** A request's `Tags` (CreatePermissionSet's, TagResource's) checked as the model's TagList of Tag. */
export function checkTags(input: Record<string, unknown>): void {
  checkList(input, 'Tags', 0, (tag) =>
    validateInput((tag ?? {}) as Record<string, unknown>, { Key: TAG_KEY, Value: TAG_VALUE }),
  );
}

/** More tags than a permission set may carry is ServiceQuotaExceededException. */
export function tagQuota(count: number): void {
  if (count > TAGS_PER_PERMISSION_SET)
    throw new AwsServiceError(
      'ServiceQuotaExceededException',
      402,
      `A permission set can have at most ${TAGS_PER_PERMISSION_SET} tags.`,
    );
}

export const SSO_ADMIN_TAG_OPERATIONS: Record<string, Operation> = {
  ListTagsForResource: {
    write: false,
    errors: READ_ERRORS,
    rules: { ...common, NextToken: RULES.nextToken },
    run(input, context) {
      const ps = taggedPermissionSet(input, context);
      return pagedAnswer('Tags', ps.tags, input, context.aws.config, `tags:${ps.arn}`, (t) => ({
        Key: t.Key,
        Value: t.Value,
      }));
    },
  },

  TagResource: {
    write: true,
    errors: [...WRITE_ERRORS, 'ServiceQuotaExceededException'],
    rules: { ...common, Tags: { required: true, type: 'array' } },
    run(input, context) {
      checkTags(input);
      const ps = taggedPermissionSet(input, context);
      const tags = new Map(ps.tags.map((t) => [t.Key, t.Value]));
      for (const t of input.Tags as { Key: string; Value: string }[]) tags.set(t.Key, t.Value);
      tagQuota(tags.size);
      ps.tags = [...tags].map(([Key, Value]) => ({ Key, Value }));
      return {};
    },
  },

  UntagResource: {
    write: true,
    errors: WRITE_ERRORS,
    rules: { ...common, TagKeys: { required: true, type: 'array' } },
    run(input, context) {
      checkList(input, 'TagKeys', 1, (key) => validateInput({ TagKey: key }, { TagKey: TAG_KEY }));
      const ps = taggedPermissionSet(input, context);
      const removed = new Set(input.TagKeys as string[]);
      ps.tags = ps.tags.filter((t) => !removed.has(t.Key));
      return {};
    },
  },
};
