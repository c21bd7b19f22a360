// The values a manifest's `aws.permission-sets` entry holds, each checked as the SSO Admin model
// (__tests__/fixtures/contracts/aws/sso-admin-2020-07-20.json) and IAM Identity Center's console
// take it, before any write: so a value the service would refuse halfway through an apply is an
// error at its line instead. Each check answers the value (normalised) or the problem. Pure.
import { printable } from '../inputs/fields.js';

/** A value checked: the value as the step uses it, or what is wrong with it and how to fix it. */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string; fix?: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const wrong = <T>(message: string, fix?: string): Checked<T> => ({
  ok: false,
  message,
  ...(fix ? { fix } : {}),
});

/** A customer-managed policy by name and path, which each account the set is provisioned to must hold. */
export interface CustomerPolicyRef {
  name: string;
  /** `/` or `/a/b/`. */
  path: string;
}

export type PermissionsBoundary =
  { kind: 'aws-managed'; arn: string } | { kind: 'customer-managed'; policy: CustomerPolicyRef };

/** The model's PermissionSetName. */
const NAME = /^[\w+=,.@-]{1,32}$/;
/** The model's PermissionSetDescription (1–700). */
const DESCRIPTION = /^[\t\n\r\u0020-\u007E\u00A1-\u00FF]{1,700}$/;
/** The model's RelayState (1–240). */
const RELAY_STATE = /^[a-zA-Z0-9&$@#\\/%?=~\-_'"|!:,.;*+[\] (){}]{1,240}$/;
/** The model's ManagedPolicyName and ManagedPolicyPath. */
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const POLICY_PATH = /^(\/[A-Za-z0-9.,+@=_-]+)*\/$/;
const POLICY_PATH_MAX = 512;
/** The model's ManagedPolicyArn: AWS-managed policies only (`iam::aws:policy/`). */
const AWS_MANAGED_ARN =
  /^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):iam::aws:policy((\/[A-Za-z0-9.,+@=_-]+)*)\/([A-Za-z0-9.,+=@_-]+)$/;
/** An AWS-managed policy written by name, optionally under its path (`job-function/ViewOnlyAccess`). */
const AWS_MANAGED_NAME = /^([A-Za-z0-9.,+@=_-]+\/)*[A-Za-z0-9.,+=@_-]+$/;
/** The model's TagKey and TagValue. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** "Tags per permission set: 50" (IAM Identity Center quotas); one is the ownership tag. */
export const MAX_TAGS = 50;
/** The console's session lengths: 1 to 12 hours. */
export const SESSION_MINUTES = { min: 60, max: 720 } as const;
/** At most this many AWS-managed and customer-managed policies together (IAM Identity Center quotas). */
export const MAX_POLICIES = 20;
/** IAM's default managed policies per role in each account: more are refused there unless raised. */
export const IAM_DEFAULT_POLICIES_PER_ROLE = 10;

const shown = (value: string) => `\`${printable(value)}\``;
const codePoints = (text: string) => [...text].length;

export function permissionSetName(value: string): Checked<string> {
  return NAME.test(value)
    ? ok(value)
    : wrong(
        `${shown(value)} is not a permission set name`,
        'a name is 1–32 of letters, digits and `+=,.@_-`',
      );
}

export function description(value: string): Checked<string> {
  return DESCRIPTION.test(value)
    ? ok(value)
    : wrong('is not a description IAM Identity Center takes', 'write 1–700 printable Latin-1 characters');
}

export function relayState(value: string): Checked<string> {
  return RELAY_STATE.test(value)
    ? ok(value)
    : wrong(
        `${shown(value)} is not a relay state IAM Identity Center takes`,
        'write a URL of 1–240 characters',
      );
}

/** `PT4H`, `PT90M`, `PT1H30M` → minutes, within 1 to 12 hours; written out as `PT#H` or `PT#H#M`. */
export function sessionDuration(value: string): Checked<{ text: string; minutes: number }> {
  const minutes = durationMinutes(value);
  const fix = 'write an ISO 8601 duration from `PT1H` to `PT12H`, e.g. `PT4H` or `PT1H30M`';
  if (minutes === undefined) return wrong(`${shown(value)} is not a session duration`, fix);
  if (minutes < SESSION_MINUTES.min || minutes > SESSION_MINUTES.max)
    return wrong(`${shown(value)} is outside 1 to 12 hours`, fix);
  return ok({ text: durationText(minutes), minutes });
}

/** The minutes of an hours-and-minutes ISO 8601 duration (`PT2H`, `PT30M`, `PT1H30M`), else undefined. */
export function durationMinutes(value: string): number | undefined {
  const match = /^PT(?:(\d{1,3})H)?(?:(\d{1,4})M)?$/.exec(value);
  if (!match || (match[1] === undefined && match[2] === undefined)) return undefined;
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

export const durationText = (minutes: number) =>
  minutes <= 0
    ? 'PT0M'
    : `PT${minutes >= 60 ? `${Math.floor(minutes / 60)}H` : ''}${minutes % 60 > 0 ? `${minutes % 60}M` : ''}`;

/**
 * An AWS-managed policy: its ARN as written, or its name (with its path, `job-function/…`) made the
 * ARN `arn:<partition>:iam::aws:policy/<name>`. An ARN of an account's own policy is refused: that
 * is a customer-managed policy, referenced by name and path.
 */
export function awsManagedPolicy(value: string, partition = 'aws'): Checked<string> {
  if (value.startsWith('arn:')) {
    if (AWS_MANAGED_ARN.test(value) && value.length <= 2048) return ok(value);
    return /^arn:[^:]+:iam::\d{12}:policy\//.test(value)
      ? wrong(
          `${shown(value)} is a customer-managed policy of one account`,
          'list it under `customer-managed-policies` by name and path: each account it is provisioned to must hold it',
        )
      : wrong(
          `${shown(value)} is not an AWS-managed policy ARN`,
          'write `arn:aws:iam::aws:policy/NAME`, or the name alone',
        );
  }
  if (!AWS_MANAGED_NAME.test(value))
    return wrong(
      `${shown(value)} is not an AWS-managed policy name`,
      'write its name (`ReadOnlyAccess`), with its path when it has one (`job-function/ViewOnlyAccess`), or its ARN',
    );
  return ok(`arn:${partition}:iam::aws:policy/${value}`);
}

export function customerPolicy(name: string, path = '/'): Checked<CustomerPolicyRef> {
  if (!POLICY_NAME.test(name))
    return wrong(`${shown(name)} is not a policy name`, 'a name is 1–128 of letters, digits and `+=,.@_-`');
  if (!POLICY_PATH.test(path) || path.length > POLICY_PATH_MAX)
    return wrong(
      `${shown(path)} is not a policy path`,
      'a path starts and ends with `/`, e.g. `/` or `/security/`',
    );
  return ok({ name, path });
}

/** The tag the step owns sets by: never written in `tags` (the step writes it). */
export const OWNERSHIP_TAG = 'cloud-access:manifest';

/** The entry's own tags, checked as the model's Tag; `aws:` keys and the ownership tag are the service's and the step's. */
export function tags(entries: [string, string][]): Checked<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (key === OWNERSHIP_TAG)
      return wrong(
        `the tag \`${OWNERSHIP_TAG}\` is the step's own`,
        'leave it out: the step writes it on every set the manifest defines',
      );
    if (key.toLowerCase().startsWith('aws:'))
      return wrong(
        `the tag key ${shown(key)} starts with \`aws:\`, which AWS keeps for itself`,
        'choose another key',
      );
    if (codePoints(key) < 1 || codePoints(key) > 128 || !TAG_TEXT.test(key))
      return wrong(
        `${shown(key)} is not a tag key`,
        'a key is 1–128 of letters, digits, spaces and `_.:/=+-@`',
      );
    if (codePoints(value) > 256 || !TAG_TEXT.test(value))
      return wrong(
        `the tag ${shown(key)} has a value AWS refuses`,
        'a value is 0–256 of letters, digits, spaces and `_.:/=+-@`',
      );
    result[key] = value;
  }
  if (entries.length > MAX_TAGS - 1)
    return wrong(
      `has ${entries.length} tags; a permission set carries at most ${MAX_TAGS}, one of them the step's`,
      `keep at most ${MAX_TAGS - 1}`,
    );
  return ok(result);
}

/**
 * The ownership tag's value for this manifest, `<owner>/<repo>:<manifest path>`; a path whose
 * characters a tag value cannot hold (or longer than 256) is a problem, never a shortened value
 * that another manifest could share.
 */
export function ownershipValue(repository: string, manifestPath: string): Checked<string> {
  const value = `${repository}:${manifestPath}`;
  return codePoints(value) <= 256 && TAG_TEXT.test(value)
    ? ok(value)
    : wrong(
        `the ownership tag's value ${shown(value)} holds characters a tag value cannot hold, or is longer than 256`,
        'name the manifest by a path of letters, digits and `_.:/=+-@` only',
      );
}
