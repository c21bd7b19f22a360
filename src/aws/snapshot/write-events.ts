// CloudTrail's write events since a snapshot's watermark, as its delta reads them: each event name
// of core/snapshot/events.ts LOOKED_UP_EVENT_NAMES (the account assignment and provisioning writes
// of IAM Identity Center, the group membership writes of the Identity Store) is a LookupEvents
// query of its own, since LookupEvents takes one lookup attribute. By event name, not
// by event source: event history holds read events too, and a lookup by `sso.amazonaws.com` would
// page through every ListAccountAssignments the complete reads made, 50 a page at 2 pages a second.
// Each page is paced under that quota and retried as every AWS call is. A record is taken only in
// the shape AWS gives it: one whose JSON or name is not its event's is counted unreadable,
// never guessed at; one of another source (IAM's DeleteGroup) is kept with its source, and
// core/snapshot/events.ts ignores it.
import { CloudAccessError } from '../../core/errors.js';
import { LOOKED_UP_EVENT_NAMES, type TrailWrite } from '../../core/snapshot/events.js';
import type { AdapterDeps, CallStats } from '../../engine/calls/driver.js';
import type { AwsClients } from '../sdk/clients.js';
import { createAwsCallRunner } from '../sdk/aws-errors.js';
import { allPages, lookupEventsPacer, readEventPages } from '../trail/cloudtrail.js';
import { eventRecordOf, jsonObject, type LookedUpEvent } from '../trail/events.js';

/** A write and its event's ID (LookupEvents' EventId), by which two histories' reads are merged. */
export type DeltaWrite = TrailWrite & { eventId?: string };

export interface WriteEventsRead {
  writes: DeltaWrite[];
  /** Events whose record is not the write its name says (malformed JSON, another name). */
  unreadable: number;
  events: number;
  pages: number;
}

/**
 * The write an event records, or undefined when its record is not that write's (JSON, name). Its
 * source is kept: core/snapshot/events.ts ignores a name of ours another service recorded.
 */
export function deltaWriteOf(event: LookedUpEvent, eventName: string): DeltaWrite | undefined {
  const record = eventRecordOf(event, eventName);
  if (!record || typeof record.eventSource !== 'string') return undefined;
  const eventTime = event.EventTime ?? new Date(String(record.eventTime));
  if (Number.isNaN(eventTime.getTime())) return undefined;
  return {
    eventName,
    eventSource: record.eventSource,
    eventTime,
    requestParameters: jsonObject(record.requestParameters) ?? null,
    responseElements: jsonObject(record.responseElements) ?? null,
    ...(typeof record.errorCode === 'string' ? { errorCode: record.errorCode } : {}),
    ...(event.EventId ? { eventId: event.EventId } : {}),
  };
}

export async function readWriteEvents(
  /** Another account's (`event-history-roles`) is its own object, and so paces its own quota. */
  clients: Pick<AwsClients, 'cloudTrail' | 'lookupEventsPacer'>,
  deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'activity'>,
  stats: CallStats,
  since: number,
  until: number,
): Promise<WriteEventsRead> {
  const call = createAwsCallRunner(deps, stats, lookupEventsPacer(clients));
  const client = await clients.cloudTrail();
  const reads = await Promise.all(
    LOOKED_UP_EVENT_NAMES.map((eventName) =>
      readEventPages(client, call, { eventName, since, until }, (event) => deltaWriteOf(event, eventName), {
        // Stopping at a token handed back twice would leave writes unread: the snapshot would hide them.
        repeated: () =>
          new CloudAccessError(
            `CloudTrail LookupEvents handed back a NextToken it gave before, while reading ${eventName} events since the snapshot: the delta cannot be read to its end`,
            { fix: 'run again; if it persists, report it to AWS Support' },
          ),
      }),
    ),
  );
  const { writes, ignored, events, pages } = allPages(reads);
  return { writes, unreadable: ignored, events, pages };
}
