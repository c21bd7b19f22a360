// The organization trail as an Athena table (the columns of AWS's CloudTrail table in Glue, as the
// CloudTrail console creates it: lower-case names, `useridentity` a struct, the JSON members
// `requestparameters`, `responseelements` and `serviceeventdetails` strings), over the emulated
// CloudTrail's records once delivered, every account and Region. Its SQL is the little a
// sign-in read needs: `SELECT <columns> FROM <table> WHERE <column> = | >= '<text>' AND …`, a
// column being a name or `json_format(CAST(<struct> AS JSON))`; anything else is refused with the
// reason a query FAILED for, in Athena's `ERROR_NAME: message` form (the messages are the emulator's
// own wording).
import { cloudTrailRecord } from '../account/cloudtrail-record.js';
import type { AwsContext } from '../account/config.js';

/** The struct `useridentity`'s fields, as the CloudTrail table declares them (others are not in the table). */
const USER_IDENTITY_FIELDS = [
  'type',
  'principalid',
  'arn',
  'accountid',
  'invokedby',
  'accesskeyid',
  'username',
  'onbehalfof',
  'sessioncontext',
] as const;
const ON_BEHALF_OF_FIELDS = ['userid', 'identitystorearn'] as const;

/** The record's members by column, as the table's SerDe maps them (lower-cased names). */
const SCALAR_COLUMNS = {
  eventversion: 'eventVersion',
  eventtime: 'eventTime',
  eventsource: 'eventSource',
  eventname: 'eventName',
  awsregion: 'awsRegion',
  sourceipaddress: 'sourceIPAddress',
  useragent: 'userAgent',
  errorcode: 'errorCode',
  errormessage: 'errorMessage',
  requestparameters: 'requestParameters',
  responseelements: 'responseElements',
  requestid: 'requestID',
  eventid: 'eventID',
  readonly: 'readOnly',
  eventtype: 'eventType',
  recipientaccountid: 'recipientAccountId',
  serviceeventdetails: 'serviceEventDetails',
  eventcategory: 'eventCategory',
} as const;
type ScalarColumn = keyof typeof SCALAR_COLUMNS;
const STRUCT_COLUMNS = ['useridentity'] as const;

export class QueryFailure extends Error {}

const fail = (name: string, message: string) => new QueryFailure(`${name}: ${message}`);

/** A column of the query's answer: its name, and its value in a record (null when absent). */
interface Selected {
  name: string;
  value(record: Record<string, unknown>): string | null;
}

interface Condition {
  column: ScalarColumn;
  op: '=' | '>=';
  literal: string;
}

export interface ParsedQuery {
  database: string;
  table: string;
  columns: Selected[];
  where: Condition[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value as the table holds it: a JSON member as its text, a boolean as `true`/`false`. */
function scalarText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A struct as its declared fields (lower-case), each null where the record has none: CAST(… AS JSON). */
function userIdentityStruct(value: unknown): Record<string, unknown> | null {
  if (!isObject(value)) return null;
  const lower = Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]));
  const struct: Record<string, unknown> = {};
  for (const field of USER_IDENTITY_FIELDS) {
    const v = lower[field];
    if (field === 'onbehalfof')
      struct[field] = isObject(v)
        ? Object.fromEntries(
            ON_BEHALF_OF_FIELDS.map((f) => [
              f,
              scalarText(Object.entries(v).find(([k]) => k.toLowerCase() === f)?.[1]),
            ]),
          )
        : null;
    else if (field === 'sessioncontext') struct[field] = isObject(v) ? lowerKeys(v) : null;
    else struct[field] = scalarText(v);
  }
  return struct;
}

function lowerKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), lowerKeys(v)]));
}

const IDENTIFIER = /^"([a-z0-9_]{1,255})"$|^([a-z0-9_]{1,255})$/;

function identifier(text: string): string | undefined {
  const m = IDENTIFIER.exec(text.trim());
  return m ? (m[1] ?? m[2]) : undefined;
}

function selected(text: string): Selected {
  const cast =
    /^json_format\s*\(\s*cast\s*\(\s*("?[a-z_]+"?)\s+as\s+json\s*\)\s*\)(?:\s+as\s+("?[a-z_]+"?))?$/i.exec(
      text,
    );
  if (cast) {
    const column = identifier(cast[1]!.toLowerCase());
    if (column !== 'useridentity')
      throw fail('NOT_SUPPORTED', `the emulator casts only ${STRUCT_COLUMNS.join(', ')} to JSON`);
    const name = cast[2] ? identifier(cast[2].toLowerCase()) : '_col';
    return {
      name: name ?? '_col',
      value: (r) => {
        const struct = userIdentityStruct(r.userIdentity);
        return struct ? JSON.stringify(struct) : null;
      },
    };
  }
  const column = identifier(text.toLowerCase());
  if (column && column in SCALAR_COLUMNS) {
    const member = SCALAR_COLUMNS[column as ScalarColumn];
    return { name: column, value: (r) => scalarText(r[member]) };
  }
  if (column && (STRUCT_COLUMNS as readonly string[]).includes(column))
    throw fail(
      'NOT_SUPPORTED',
      `the emulator answers the struct ${column} only as json_format(CAST(… AS JSON))`,
    );
  throw fail('COLUMN_NOT_FOUND', `Column '${text.slice(0, 100)}' cannot be resolved`);
}

function condition(text: string): Condition {
  const m = /^("?[a-z_]+"?)\s*(=|>=)\s*'((?:[^']|'')*)'$/i.exec(text.trim());
  if (!m)
    throw fail(
      'NOT_SUPPORTED',
      `the emulator's WHERE takes only <column> = | >= '<text>', not ${text.slice(0, 100)}`,
    );
  const column = identifier(m[1]!.toLowerCase());
  if (!column || !(column in SCALAR_COLUMNS))
    throw fail('COLUMN_NOT_FOUND', `Column '${m[1]!}' cannot be resolved`);
  return { column: column as ScalarColumn, op: m[2] as '=' | '>=', literal: m[3]!.replace(/''/g, "'") };
}

/** The query, parsed; a QueryFailure when it is not one the emulator answers. */
export function parseQuery(sql: string, context: { database?: string | undefined }): ParsedQuery {
  const flat = sql.replace(/\s+/g, ' ').trim().replace(/;$/, '');
  const m = /^select (.+?) from ((?:"?[a-z0-9_]+"?\.)?"?[a-z0-9_]+"?)(?: where (.+))?$/i.exec(flat);
  if (!m)
    throw fail(
      'NOT_SUPPORTED',
      "the emulator's Athena answers only SELECT <columns> FROM <table> WHERE <column> = | >= '<text>' AND …",
    );
  const parts = m[2]!.split('.');
  const table = identifier(parts.at(-1)!);
  const database = parts.length === 2 ? identifier(parts[0]!) : context.database;
  if (!table || !database) throw fail('SCHEMA_NOT_FOUND', 'no database is named or set in the query context');
  // Commas outside parentheses separate the columns.
  const columns: string[] = [];
  let depth = 0;
  let start = 0;
  const list = m[1]!;
  for (let i = 0; i < list.length; i++) {
    if (list[i] === '(') depth++;
    else if (list[i] === ')') depth--;
    else if (list[i] === ',' && depth === 0) {
      columns.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  columns.push(list.slice(start).trim());
  const where = m[3] ? m[3].split(/ and (?=(?:[^']*'[^']*')*[^']*$)/i).map(condition) : [];
  return { database, table, columns: columns.map(selected), where };
}

/** The rows the query answers over the trail's delivered records, in the records' order. */
export function answerQuery(
  aws: AwsContext,
  query: ParsedQuery,
  now: number,
): { names: string[]; rows: (string | null)[][]; scannedBytes: number } {
  const name = `${query.database}.${query.table}`;
  if (!aws.config.athenaTables.includes(name))
    throw fail('TABLE_NOT_FOUND', `Table 'awsdatacatalog.${name}' does not exist`);
  const records = aws.cloudTrail
    .filter((event) => event.at + aws.config.cloudTrailDelayMs <= now)
    .map(cloudTrailRecord);
  const rows = records
    .filter((record) =>
      query.where.every((c) => {
        const value = scalarText(record[SCALAR_COLUMNS[c.column]]);
        return value !== null && (c.op === '=' ? value === c.literal : value >= c.literal);
      }),
    )
    .map((record) => query.columns.map((column) => column.value(record)));
  const scannedBytes = records.reduce((n, r) => n + JSON.stringify(r).length, 0);
  return { names: query.columns.map((c) => c.name), rows, scannedBytes };
}
