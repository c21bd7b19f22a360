// A sign-in to an account with a permission set, as CloudTrail records it: the portal's or the
// CLI's GetRoleCredentials, written by IAM Identity Center in its own account and Region
// (`eventSource` sso.amazonaws.com, `eventType` AwsServiceEvent), the person in
// `userIdentity.onBehalfOf.userId` (older records: `userIdentity.userName`), the account and the
// set's name at the time in `serviceEventDetails.account_id` / `role_name`. Every field came from a
// server and is checked for its shape; a record that is not a use (an error, another event, another
// source or instance, a malformed one) is said why, never taken. Pure.
import {
  ACCOUNT_ID as ACCOUNT,
  IDENTITY_STORE_PRINCIPAL_ID as USER_ID,
  PERMISSION_SET_NAME as SET_NAME,
} from '../patterns.js';

/** One use of a grant: who signed in, where, with which set's name, when. */
export interface SignIn {
  eventId: string;
  /** Epoch ms. */
  at: number;
  /** The Identity Store user's ID (current records). */
  userId?: string;
  /** The user's name at the time (older records, which carry no ID). */
  userName?: string;
  accountId: string;
  /** The permission set's name at the event's time. */
  setName: string;
  /** The set's ARN, where it was found by that name when the event was kept (a usage ledger's). */
  setArn?: string;
  /**
   * The principal whose grant it used, where the record names it (Azure: the eligibility a PIM
   * activation links, a group's or the person's own): a use of that principal's row only. Absent, a
   * use of the user's own row and of every row the user holds through a group (AWS: a set's role in
   * an account is one role, however it is held).
   */
  through?: string;
}

/** Why a record is not a use. */
export type NotAUse = 'error' | 'other-event' | 'other-source' | 'other-instance' | 'malformed';

export type ReadSignIn = { signIn: SignIn } | { notAUse: NotAUse };

const SOURCE = 'sso.amazonaws.com';
const EVENT = 'GetRoleCredentials';
/** A user name of the Identity Store: printable, at most 128 characters. */
export const USER_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;
export const EVENT_ID = /^[\w-]{1,128}$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The record's JSON (LookupEvents' `CloudTrailEvent`) or the record itself (an Athena row's fields). */
function recordOf(record: unknown): Record<string, unknown> | undefined {
  if (isObject(record)) return record;
  if (typeof record !== 'string' || record.length > 100_000) return undefined;
  try {
    const parsed: unknown = JSON.parse(record);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The identity store an ARN names (`arn:aws:identitystore::<account>:identitystore/<ID>`). */
const storeOf = (arn: string) => /^arn:aws[\w-]*:identitystore::\d{12}:identitystore\/(.+)$/.exec(arn)?.[1];

/**
 * The use a record stands for, or why it is none. `identityStoreId`: this instance's identity
 * store; a record naming another one is that instance's sign-in.
 */
export function signInOf(record: unknown, identityStoreId?: string): ReadSignIn {
  const r = recordOf(record);
  if (!r) return { notAUse: 'malformed' };
  if (r.eventSource !== SOURCE) return { notAUse: 'other-source' };
  if (r.eventName !== EVENT) return { notAUse: 'other-event' };
  if (r.errorCode !== undefined && r.errorCode !== null) return { notAUse: 'error' };
  const details = r.serviceEventDetails;
  const identity = r.userIdentity;
  const at = typeof r.eventTime === 'string' ? Date.parse(r.eventTime) : NaN;
  if (!isObject(details) || !isObject(identity) || !Number.isFinite(at)) return { notAUse: 'malformed' };
  const accountId = details.account_id;
  const setName = details.role_name;
  const eventId = r.eventID;
  if (
    typeof accountId !== 'string' ||
    !ACCOUNT.test(accountId) ||
    typeof setName !== 'string' ||
    !SET_NAME.test(setName) ||
    typeof eventId !== 'string' ||
    !EVENT_ID.test(eventId)
  )
    return { notAUse: 'malformed' };
  const base = { eventId, at, accountId, setName };
  const onBehalfOf = identity.onBehalfOf;
  if (isObject(onBehalfOf)) {
    const store = onBehalfOf.identityStoreArn;
    if (
      identityStoreId &&
      store !== undefined &&
      (typeof store !== 'string' || storeOf(store) !== identityStoreId)
    )
      return { notAUse: 'other-instance' };
    const userId = onBehalfOf.userId;
    if (typeof userId !== 'string' || !USER_ID.test(userId)) return { notAUse: 'malformed' };
    return { signIn: { ...base, userId } };
  }
  const userName = identity.userName;
  if (typeof userName !== 'string' || !USER_NAME.test(userName)) return { notAUse: 'malformed' };
  return { signIn: { ...base, userName } };
}

/** The records' uses, and how many of each other sort were read. */
export function signInsOf(
  records: Iterable<unknown>,
  identityStoreId?: string,
): { signIns: SignIn[]; notUses: Partial<Record<NotAUse, number>> } {
  const signIns: SignIn[] = [];
  const notUses: Partial<Record<NotAUse, number>> = {};
  for (const record of records) {
    const read = signInOf(record, identityStoreId);
    if ('signIn' in read) signIns.push(read.signIn);
    else notUses[read.notAUse] = (notUses[read.notAUse] ?? 0) + 1;
  }
  return { signIns, notUses };
}
