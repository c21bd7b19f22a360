// CloudTrail event history (LookupEvents) of the instance's account assignment writes: no trail
// needs to be set up, it keeps 90 days, and it is recorded in the Region of the call, which for
// IAM Identity Center is the instance's. Two requests per second per account and Region ("Quotas
// in AWS CloudTrail": LookupEvents 2 TPS), 50 events a page: creates and deletes are looked up by
// their event names, each page paced under that quota and retried as every AWS call is.
import {
  LookupEventsCommand,
  type CloudTrailClient,
  type LookupEventsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import { CloudAccessError } from '../../core/errors.js';
import type { TrailWrite } from '../../core/claims/aws-writes.js';
import { AdaptiveRateLimiter } from '../../engine/limits/adaptive-limits.js';
import type { CallPacer, CallRunner } from '../../engine/calls/call-runner.js';
import type { AdapterDeps, CallStats } from '../../engine/calls/driver.js';
import type { AwsClients } from '../sdk/clients.js';
import { createAwsCallRunner } from '../sdk/aws-errors.js';
import { paginate } from '../sdk/paginate.js';
import { ASSIGNMENT_WRITES, trailWriteOf, type LookedUpEvent } from './events.js';

/** LookupEvents: 2 per second (CloudTrail quotas). */
export const LOOKUP_EVENTS_PER_SECOND = 2;
/** The most events LookupEvents answers in a page. */
export const LOOKUP_EVENTS_PAGE = 50;

/** What the pages of event history read held: the writes taken from their events, and the counts. */
export interface EventPages<W> {
  writes: W[];
  /** Events looked at, pages read, events that were not a write taken (another instance's, malformed). */
  events: number;
  pages: number;
  ignored: number;
}

export type TrailRead = EventPages<TrailWrite>;

/** The reads of several event names as one. */
export function allPages<W>(reads: readonly EventPages<W>[]): EventPages<W> {
  return {
    writes: reads.flatMap((r) => r.writes),
    events: reads.reduce((n, r) => n + r.events, 0),
    pages: reads.reduce((n, r) => n + r.pages, 0),
    ignored: reads.reduce((n, r) => n + r.ignored, 0),
  };
}

const lookupPacers = new WeakMap<object, CallPacer>();

/**
 * The pacing of every LookupEvents made through `clients`. CloudTrail counts 2 a second per
 * account and Region, which a step's clients stand for (their credentials, their Region): the
 * snapshot's delta and the sweep's and claims' history share one limiter, rather than each taking
 * the whole quota and being throttled when they overlap.
 */
export function lookupEventsPacer(clients: Pick<AwsClients, 'cloudTrail' | 'lookupEventsPacer'>): CallPacer {
  let pacer = lookupPacers.get(clients);
  if (!pacer) {
    pacer =
      clients.lookupEventsPacer ??
      new AdaptiveRateLimiter({ ceiling: LOOKUP_EVENTS_PER_SECOND, windowMs: 1_000 });
    lookupPacers.set(clients, pacer);
  }
  return pacer;
}

export class AssignmentTrail {
  private readonly call: CallRunner;

  constructor(
    private readonly clients: AwsClients,
    deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'activity'>,
    stats: CallStats,
  ) {
    this.call = createAwsCallRunner(deps, stats, lookupEventsPacer(clients));
  }

  /**
   * The instance's assignment writes of the kinds asked for (creates, deletes or both) recorded from
   * `since` to `until` (epoch ms).
   */
  async read(
    instanceArn: string,
    since: number,
    until: number,
    kinds: readonly ('create' | 'delete')[] = ['create', 'delete'],
    /** Ends the read after a page once this says the writes read (newest first) are enough. */
    enough?: (writes: readonly TrailWrite[]) => boolean,
  ): Promise<TrailRead> {
    const eventNames = Object.entries(ASSIGNMENT_WRITES)
      .filter(([, kind]) => kinds.includes(kind))
      .map(([eventName]) => eventName);
    return allPages(
      await Promise.all(
        eventNames.map((eventName) => this.readEvents(eventName, instanceArn, since, until, enough)),
      ),
    );
  }

  private async readEvents(
    eventName: string,
    instanceArn: string,
    since: number,
    until: number,
    enough?: (writes: readonly TrailWrite[]) => boolean,
  ): Promise<TrailRead> {
    return readEventPages(
      await this.clients.cloudTrail(),
      this.call,
      { eventName, since, until },
      (event) => trailWriteOf(event, instanceArn),
      {
        ...(enough ? { enough } : {}),
        // Stopping at a token handed back twice would leave evidence unread, and the sweep revokes
        // only on complete evidence.
        repeated: () =>
          new CloudAccessError(
            `CloudTrail LookupEvents handed back a NextToken it gave before, while reading ${eventName} events: the history cannot be read to its end, so nothing is revoked`,
            { fix: 'run the sweep again; if it persists, report it to AWS Support' },
          ),
      },
    );
  }
}

/**
 * Every page of LookupEvents for one event name from `since` to `until` (epoch ms), newest first,
 * each event taken as the write `writeOf` reads of it (or counted ignored): one lookup attribute a
 * query, paced and retried by `call`, ended early once `paging.enough` says the writes taken are
 * enough, and a NextToken handed back twice failing with `paging.repeated`.
 */
export async function readEventPages<W>(
  client: CloudTrailClient,
  call: CallRunner,
  query: { eventName: string; since: number; until: number },
  writeOf: (event: LookedUpEvent) => W | undefined,
  paging: { enough?: (writes: readonly W[]) => boolean; repeated: () => Error },
): Promise<EventPages<W>> {
  const read: EventPages<W> = { writes: [], events: 0, pages: 0, ignored: 0 };
  const { enough } = paging;
  await paginate(
    'LookupEvents',
    (nextToken) =>
      call('LookupEvents', (signal) =>
        client.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: query.eventName }],
            StartTime: new Date(query.since),
            EndTime: new Date(query.until),
            MaxResults: LOOKUP_EVENTS_PAGE,
            NextToken: nextToken,
          }),
          { abortSignal: signal },
        ),
      ),
    (page: LookupEventsCommandOutput) => {
      read.pages++;
      for (const event of page.Events ?? []) {
        read.events++;
        const write = writeOf(event);
        if (write) read.writes.push(write);
        else read.ignored++;
      }
      return page.Events;
    },
    { ...(enough ? { enough: () => enough(read.writes) } : {}), repeated: paging.repeated },
  );
  return read;
}
