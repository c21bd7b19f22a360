// Permission sets a reconcile manifest manages by tag: `tag:KEY=VALUE` (a permission set carrying
// tag KEY with exactly VALUE) or `tag:KEY` (carrying KEY, whatever its value), written among the
// names and ARNs of `aws.manages.permission-sets`. A permission set name cannot hold `:` and an ARN
// starts with `arn:`, so the form is never one of them. The text splits at the first `=`: a key
// holding `=` (which AWS allows) cannot be written. Pure.
import { permissionSetRefs } from '../inputs/aws.js';
import { printable, type Problems } from '../inputs/fields.js';
import type { Parsed } from '../inputs/grants.js';
import { INSTANCE_ARN, PERMISSION_SET_ARN } from '../patterns.js';
import type { PermissionSetRef } from '../types.js';

export const TAG_FORM_PREFIX = 'tag:';

/** A tag form: `value` undefined matches any value of `key`. */
export interface PermissionSetTagForm {
  kind: 'tag';
  key: string;
  value: string | undefined;
}

/** The SSO Admin model's TagKey and TagValue: 1–128 and 0–256 characters of this class. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_KEY_MAX = 128;
const TAG_VALUE_MAX = 256;
const ALLOWED = 'letters, digits, spaces and `_.:/=+-@`';

/** Characters as AWS counts them (code points), not UTF-16 units. */
const lengthOf = (text: string) => [...text].length;

/**
 * One value of `aws.manages.permission-sets`: a tag form, or a permission set name or ARN as the
 * `role` input takes them. Problems name the input `role` (the manifest names its own path).
 */
export function managedPermissionSetRefs(
  problems: Problems,
  values: string[],
): Parsed<PermissionSetRef | PermissionSetTagForm>[] {
  return values.flatMap((written): Parsed<PermissionSetRef | PermissionSetTagForm>[] => {
    if (!written.startsWith(TAG_FORM_PREFIX))
      return permissionSetRefs(problems, [written], false) as Parsed<PermissionSetRef>[];
    const form = parseTagForm(problems, written);
    return form ? [{ written, value: form }] : [];
  });
}

/** `tag:KEY=VALUE` or `tag:KEY`, checked against the AWS tag rules; undefined (with a problem) otherwise. */
export function parseTagForm(problems: Problems, written: string): PermissionSetTagForm | undefined {
  const body = written.slice(TAG_FORM_PREFIX.length);
  const equals = body.indexOf('=');
  const key = equals < 0 ? body : body.slice(0, equals);
  const value = equals < 0 ? undefined : body.slice(equals + 1);
  const shown = `\`${printable(written)}\``;
  const fix =
    'write `tag:KEY=VALUE` (that value) or `tag:KEY` (any value); a key holding `=` cannot be written';
  if (key === '') return problems.add('role', `${shown} names no tag key`, fix);
  if (lengthOf(key) > TAG_KEY_MAX || !TAG_TEXT.test(key))
    return problems.add('role', `${shown}: a tag key is 1–${TAG_KEY_MAX} of ${ALLOWED}`, fix);
  if (value !== undefined && (lengthOf(value) > TAG_VALUE_MAX || !TAG_TEXT.test(value)))
    return problems.add('role', `${shown}: a tag value is 0–${TAG_VALUE_MAX} of ${ALLOWED}`, fix);
  return { kind: 'tag', key, value };
}

/** The form as a manifest writes it. */
export const tagFormText = (form: PermissionSetTagForm): string =>
  `${TAG_FORM_PREFIX}${form.key}${form.value === undefined ? '' : `=${form.value}`}`;

/** Whether a permission set's tags match the form (keys and values compared exactly, as AWS does). */
export function tagFormMatches(
  form: PermissionSetTagForm,
  tags: readonly { Key?: string | undefined; Value?: string | undefined }[],
): boolean {
  return tags.some((t) => t.Key === form.key && (form.value === undefined || (t.Value ?? '') === form.value));
}

/**
 * Whether a permission set ARN is of the instance: same partition, same instance ID. A listed ARN
 * of another instance is never managed, whatever its tags say.
 */
export function isPermissionSetOfInstance(permissionSetArn: string, instanceArn: string): boolean {
  // `arn:P:sso:::instance/ssoins-X` owns `arn:P:sso:::permissionSet/ssoins-X/ps-Y`.
  const prefix = `${instanceArn.replace(':sso:::instance/', ':sso:::permissionSet/')}/`;
  return (
    INSTANCE_ARN.test(instanceArn) &&
    PERMISSION_SET_ARN.test(permissionSetArn) &&
    permissionSetArn.startsWith(prefix)
  );
}
