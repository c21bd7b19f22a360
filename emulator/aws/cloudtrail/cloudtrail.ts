// CloudTrail's event history, LookupEvents only (service CloudTrail_20131101, awsJson1_1,
// `X-Amz-Target: CloudTrail_20131101.LookupEvents` from the JavaScript SDK, or
// `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents` from botocore and the CLI;
// signing name `cloudtrail`): the calls recorded in `aws.cloudTrail`, newest first, each once it is delivered
// (`config.cloudTrailDelayMs` after its time) and for 90 days, in the history of the account the call
// was made from (the caller's: account/cloudtrail-record.ts historyAccountOf). Members, limits and error codes come
// from cloudtrail-2013-11-01.json: MaxResults 1–50 (default 50), one lookup attribute of eight
// keys, StartTime not after EndTime, a NextToken bound to the parameters it was given with, and
// "The rate of lookup requests is limited to two per second, per account, per Region"
// (`config.cloudTrailTps`). The messages of the Invalid… errors are the emulator's own wording.
import { createHash } from 'node:crypto';
import type { AwsContext, CloudTrailEvent } from '../account/config.js';
import {
  eventSecond,
  historyAccountOf,
  lookedUpEvent,
  principalAccountOf,
  usernameOf,
} from '../account/cloudtrail-record.js';
import { OWNER_ACCOUNT_ID } from '../account/model.js';
import { createJsonService, type Operation } from '../json/json-service.js';
import { AwsServiceError } from '../protocol/protocol.js';

export const CLOUDTRAIL_TARGET_PREFIX = 'CloudTrail_20131101';
const CLOUDTRAIL_TARGET_ALIAS = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101';
export const CLOUDTRAIL_ERROR_NAMESPACE = 'com.amazonaws.cloudtrail.v20131101';

/** The model's LookupAttributeKey enum. */
export const LOOKUP_ATTRIBUTE_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;
type LookupKey = (typeof LOOKUP_ATTRIBUTE_KEYS)[number];

/** "You can look up events that occurred in a Region within the last 90 days." */
const RETENTION_MS = 90 * 24 * 60 * 60_000;
/** "The default number of results returned is 50, with a maximum of 50 possible." */
const PAGE_SIZE = 50;

const invalid = (code: string, message: string) => new AwsServiceError(code, 400, message);

interface Query {
  attribute?: { key: LookupKey; value: string };
  start?: number;
  end?: number;
  insight: boolean;
  maxResults: number;
  /** Identifies the parameters, so a NextToken is only good with the ones it came from. */
  key: string;
}

/** A timestamp member: epoch seconds (awsJson1_1), in ms. */
function time(input: Record<string, unknown>, member: 'StartTime' | 'EndTime'): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw invalid('InvalidTimeRangeException', `${member} is not a valid timestamp.`);
  return value * 1000;
}

function parseQuery(input: Record<string, unknown>): Query {
  const max = input.MaxResults;
  if (
    max !== undefined &&
    max !== null &&
    (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 50)
  )
    throw invalid(
      'InvalidMaxResultsException',
      `MaxResults ${JSON.stringify(max)} is invalid: it must be from 1 to 50.`,
    );
  const category = input.EventCategory;
  if (category !== undefined && category !== null && category !== 'insight')
    throw invalid(
      'InvalidEventCategoryException',
      `EventCategory ${JSON.stringify(category)} is invalid: it may only be insight.`,
    );
  const attributes = input.LookupAttributes ?? [];
  if (!Array.isArray(attributes))
    throw invalid('InvalidLookupAttributesException', 'LookupAttributes must be a list.');
  if (attributes.length > 1)
    throw invalid('InvalidLookupAttributesException', 'LookupAttributes can contain only one item.');
  let attribute: Query['attribute'];
  if (attributes.length === 1) {
    const { AttributeKey: key, AttributeValue: value } = (attributes[0] ?? {}) as Record<string, unknown>;
    if (!LOOKUP_ATTRIBUTE_KEYS.includes(key as LookupKey))
      throw invalid(
        'InvalidLookupAttributesException',
        `AttributeKey ${JSON.stringify(key)} is invalid: it must be one of ${LOOKUP_ATTRIBUTE_KEYS.join(', ')}.`,
      );
    if (typeof value !== 'string' || value.length < 1 || value.length > 2000)
      throw invalid('InvalidLookupAttributesException', 'AttributeValue must be from 1 to 2000 characters.');
    attribute = { key: key as LookupKey, value };
  }
  const start = time(input, 'StartTime');
  const end = time(input, 'EndTime');
  if (start !== undefined && end !== undefined && start > end)
    throw invalid('InvalidTimeRangeException', 'StartTime must not be after EndTime.');
  const key = createHash('sha256')
    .update(JSON.stringify([attribute, start, end, category ?? null]))
    .digest('base64url')
    .slice(0, 16);
  return {
    ...(attribute ? { attribute } : {}),
    ...(start !== undefined ? { start } : {}),
    ...(end !== undefined ? { end } : {}),
    insight: category === 'insight',
    maxResults: typeof max === 'number' ? max : PAGE_SIZE,
    key,
  };
}

/** The value an event has for a lookup attribute (any of its resources for the resource keys). */
function attributeValues(event: CloudTrailEvent, key: LookupKey): string[] {
  switch (key) {
    case 'EventId':
      return [event.eventId];
    case 'EventName':
      return [event.eventName];
    case 'ReadOnly':
      return [String(event.readOnly ?? false)];
    case 'Username':
      return [usernameOf(event)];
    case 'EventSource':
      return [event.eventSource];
    case 'AccessKeyId':
      return [event.accessKeyId];
    case 'ResourceType':
      return (event.resources ?? []).map((r) => r.ResourceType);
    case 'ResourceName':
      return (event.resources ?? []).map((r) => r.ResourceName);
  }
}

/** Where a page ends: the last event's time and its place in the log (events keep their order). */
interface Cursor {
  key: string;
  time: number;
  seq: number;
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');

function decodeCursor(token: unknown, key: string): Cursor {
  const bad = invalid(
    'InvalidNextTokenException',
    'The NextToken is not valid, or was used with parameters other than those it was given with.',
  );
  if (typeof token !== 'string') throw bad;
  try {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (cursor.key !== key || typeof cursor.time !== 'number' || typeof cursor.seq !== 'number') throw bad;
    return cursor as Cursor;
  } catch {
    throw bad;
  }
}

export const CLOUDTRAIL_OPERATIONS: Record<string, Operation> = {
  LookupEvents: {
    write: false,
    errors: [
      'InvalidEventCategoryException',
      'InvalidLookupAttributesException',
      'InvalidMaxResultsException',
      'InvalidNextTokenException',
      'InvalidTimeRangeException',
    ],
    // Checked in run(): CloudTrail answers its own errors, not ValidationException.
    rules: {},
    run(input, { aws, region, caller }) {
      const account = principalAccountOf(caller.principalArn) ?? OWNER_ACCOUNT_ID;
      const query = parseQuery(input);
      const after =
        input.NextToken === undefined || input.NextToken === null
          ? undefined
          : decodeCursor(input.NextToken, query.key);
      const now = Date.now();
      const delivered = aws.cloudTrail
        .map((event, seq) => ({ event, seq, time: eventSecond(event.at) }))
        .filter(
          ({ event }) => event.at + aws.config.cloudTrailDelayMs <= now && event.at >= now - RETENTION_MS,
        )
        // Event history is kept per account and Region: a call shows only in the history of the
        // account it was made from, in the Region it was made in.
        .filter(({ event }) => historyAccountOf(event) === account)
        .filter(({ event }) => (event.awsRegion ?? aws.region) === region)
        // Every recorded event is a management event: none is an Insights event.
        .filter(() => !query.insight)
        .filter(
          ({ time: t }) =>
            (query.start === undefined || t >= query.start) && (query.end === undefined || t <= query.end),
        )
        .filter(
          ({ event }) =>
            !query.attribute || attributeValues(event, query.attribute.key).includes(query.attribute.value),
        )
        .sort((a, b) => b.time - a.time || b.seq - a.seq)
        .filter(({ time: t, seq }) => !after || t < after.time || (t === after.time && seq < after.seq));
      const page = delivered.slice(0, query.maxResults);
      const last = page.at(-1);
      return {
        Events: page.map(({ event }) => lookedUpEvent(event)),
        ...(last && delivered.length > page.length
          ? { NextToken: encodeCursor({ key: query.key, time: last.time, seq: last.seq }) }
          : {}),
      };
    },
  },
};

export function createCloudTrailService(aws: AwsContext) {
  return createJsonService(
    {
      service: 'cloudtrail',
      targetPrefix: CLOUDTRAIL_TARGET_PREFIX,
      targetAliases: [CLOUDTRAIL_TARGET_ALIAS],
      errorNamespace: CLOUDTRAIL_ERROR_NAMESPACE,
      signingName: 'cloudtrail',
      eventSource: 'cloudtrail.amazonaws.com',
      operations: CLOUDTRAIL_OPERATIONS,
      // Per account and Region: one bucket for each account that calls.
      rateLimitKey: (_operation, caller) =>
        `lookup-events:${principalAccountOf(caller.principalArn) ?? OWNER_ACCOUNT_ID}`,
      tps: (context) => context.config.cloudTrailTps,
      throttlingFields: () => ({}),
      errorsCarryRequestId: false,
      accessDeniedResource: () => '*',
    },
    aws,
  );
}
