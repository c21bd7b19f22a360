// The write events a snapshot's delta reads: the step's own account's CloudTrail event history
// (./write-events.ts), and that of each other account that administers the instance, through the
// role `event-history-roles` names there. Event history is per account and Region: a write made
// from the management account beside a delegated administrator is in the management account's
// history only. Each role is assumed from the step's own credentials (sts:AssumeRole) and its
// account's LookupEvents read in the step's Region (the instance's) with the same names and
// window; the events are merged, each once by its EventId. A history that cannot be read (the role
// not assumed, LookupEvents refused) is named with why: the caller does not use the snapshot then.
import { DeadlineExceededError, NotSentError } from '../../engine/limits/deadline.js';
import type { AdapterDeps, CallStats } from '../../engine/calls/driver.js';
import type { AwsClients } from '../sdk/clients.js';
import { readWriteEvents, type DeltaWrite, type WriteEventsRead } from './write-events.js';

/** Another account's history the step could not read, and why. */
export interface UnreadHistory {
  account: string;
  roleArn: string;
  why: string;
}

export interface DeltaEventsRead extends WriteEventsRead {
  /** The accounts of `event-history-roles` whose history was not read. */
  unread: UnreadHistory[];
}

type Deps = Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'activity'>;

const accountOf = (roleArn: string) => roleArn.split(':')[4] ?? roleArn;

/** The write events from `since` to `until` (epoch ms) in the step's history and each role's. */
export async function readDeltaEvents(
  clients: Pick<AwsClients, 'cloudTrail' | 'cloudTrailAs' | 'lookupEventsPacer'>,
  deps: Deps,
  stats: CallStats,
  roles: readonly string[],
  window: { since: number; until: number },
): Promise<DeltaEventsRead> {
  const { since, until } = window;
  const unread: UnreadHistory[] = [];
  const [own, ...others] = await Promise.all([
    readWriteEvents(clients, deps, stats, since, until),
    ...roles.map(async (roleArn) => {
      try {
        const client = await clients.cloudTrailAs(roleArn);
        return await readWriteEvents(
          // Another account's history: its own quota of LookupEvents, paced apart from the step's.
          {
            cloudTrail: () => Promise.resolve(client),
            ...(clients.lookupEventsPacer ? { lookupEventsPacer: clients.lookupEventsPacer } : {}),
          },
          deps,
          stats,
          since,
          until,
        );
      } catch (error) {
        // Out of time or cancelled: a complete read could not be made either.
        if (error instanceof DeadlineExceededError || error instanceof NotSentError || deps.signal?.aborted)
          throw error;
        unread.push({ account: accountOf(roleArn), roleArn, why: describe(error) });
        return undefined;
      }
    }),
  ]);
  const seen = new Set<string>();
  const once = (write: DeltaWrite) =>
    write.eventId === undefined || (!seen.has(write.eventId) && Boolean(seen.add(write.eventId)));
  const read = [own, ...others].filter((r): r is WriteEventsRead => r !== undefined);
  return {
    writes: read.flatMap((r) => r.writes).filter(once),
    unreadable: read.reduce((n, r) => n + r.unreadable, 0),
    events: read.reduce((n, r) => n + r.events, 0),
    pages: read.reduce((n, r) => n + r.pages, 0),
    unread,
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { Code?: unknown }).Code;
  return `${typeof code === 'string' ? code : error.name}: ${error.message}`;
}

/** Why the snapshot is not used when another account's history could not be read. */
export function unreadReason(unread: readonly UnreadHistory[]): string {
  const accounts = unread.map((u) => u.account).join(', ');
  return `the CloudTrail event history of account ${accounts} (\`event-history-roles\`) could not be read: what that account changed since the snapshot is not known`;
}

/** One warning for each account whose history could not be read: the account, the role, and why. */
export function unreadWarnings(unread: readonly UnreadHistory[]): string[] {
  return unread.map(
    (u) =>
      `snapshot: could not read the CloudTrail event history of account ${u.account} through \`event-history-roles\` ${u.roleArn} (${u.why}); its writes since the snapshot are not known, so this run reads completely. Make the role trust this step's role (sts:AssumeRole) and allow cloudtrail:LookupEvents`,
  );
}
