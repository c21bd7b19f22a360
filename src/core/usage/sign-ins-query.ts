// The one Athena query a run makes for the sign-ins (`usage-source: athena://…`), over a table of
// the organization trail with CloudTrail's Glue schema (lower-case columns, `useridentity` a struct,
// `serviceeventdetails` JSON text, `eventtime` ISO 8601 text), and each answered row turned back into
// the record ./sign-ins.ts reads, so a row is taken or refused exactly as LookupEvents' record is.
// The names in the query come from `usage-source`, already held to Glue's lower-case letters,
// digits and underscores (core/inputs/usage-inputs.ts), and are double-quoted again here; the only
// literal is a time this module writes. Pure.

/** The table, as `usage-source` names it. */
export interface TrailTable {
  database: string;
  table: string;
}

/** The columns the query selects, in its order: what recordOfRow reads. */
export const SIGN_IN_COLUMNS = [
  'eventid',
  'eventtime',
  'eventsource',
  'eventname',
  'errorcode',
  'useridentity',
  'serviceeventdetails',
] as const;

const GLUE_NAME = /^[a-z0-9_]{1,255}$/;

/** A Glue name as a quoted SQL identifier; anything else is refused (never escaped into the query). */
function quoted(name: string): string {
  if (!GLUE_NAME.test(name)) throw new Error(`\`${name.slice(0, 40)}\` is not a Glue name`);
  return `"${name}"`;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The sign-ins since `since` (epoch ms): every GetRoleCredentials of IAM Identity Center in every
 * account and Region of the trail. The instance's own are told from others' by the record
 * (./sign-ins.ts): the query does not narrow to an account, since a wrong account would read as
 * "nobody used it". `eventtime` is text in CloudTrail's table; ISO 8601 UTC compares as text.
 */
export function signInsQuery(source: TrailTable, since: number): string {
  const columns = SIGN_IN_COLUMNS.map((c) =>
    c === 'useridentity' ? 'json_format(CAST(useridentity AS JSON)) AS useridentity' : c,
  );
  return [
    `SELECT ${columns.join(', ')}`,
    `FROM ${quoted(source.database)}.${quoted(source.table)}`,
    `WHERE eventsource = 'sso.amazonaws.com' AND eventname = 'GetRoleCredentials' AND eventtime >= '${iso(since)}'`,
  ].join('\n');
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON column's text as its value; a text that is no JSON object stays text (the reader refuses it). */
function jsonOf(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : text;
  } catch {
    return text;
  }
}

/** The struct's fields under the record's names (Glue lower-cases them). */
function userIdentityOf(value: unknown): unknown {
  if (!isObject(value)) return value;
  const onBehalfOf = value.onbehalfof;
  return {
    type: value.type,
    principalId: value.principalid,
    accountId: value.accountid,
    userName: value.username,
    ...(isObject(onBehalfOf)
      ? { onBehalfOf: { userId: onBehalfOf.userid, identityStoreArn: onBehalfOf.identitystorearn } }
      : {}),
  };
}

/**
 * A result row (by the header's column names; an absent value is SQL NULL) as the CloudTrail record
 * it came from, as far as ./sign-ins.ts reads one.
 */
export function recordOfRow(names: readonly string[], values: readonly (string | undefined)[]): unknown {
  const column = (name: (typeof SIGN_IN_COLUMNS)[number]) => {
    const i = names.indexOf(name);
    return i < 0 ? undefined : values[i];
  };
  return {
    eventID: column('eventid'),
    eventTime: column('eventtime'),
    eventSource: column('eventsource'),
    eventName: column('eventname'),
    errorCode: column('errorcode') ?? null,
    userIdentity: userIdentityOf(jsonOf(column('useridentity'))),
    serviceEventDetails: jsonOf(column('serviceeventdetails')),
  };
}
