// Who signed in with which grant (`report` with `last-used: true`): IAM Identity Center writes a
// `GetRoleCredentials` event in its own account for every portal or CLI sign-in, in each Region the
// instance serves (ListRegions, where replicated). Each Region's event history is read by that
// event name from the window's start (CloudTrail keeps 90 days), 50 events a page at 2 pages a
// second per Region, paced and retried by the engine within the step's deadline; each record is
// read by core/usage/sign-ins.ts. A Region that could not be read is a gap in the evidence, said,
// never a reason to call a grant unused.
import { ListRegionsCommand, type RegionMetadata } from '@aws-sdk/client-sso-admin';
import { CloudAccessError, describeError } from '../../core/errors.js';
import { CLOUDTRAIL_HISTORY_MS } from '../../core/duration.js';
import { signInsOf } from '../../core/usage/sign-ins.js';
import type { UsageRequest } from '../../core/inputs/usage-inputs.js';
import type { AdapterDeps } from '../../engine/calls/driver.js';
import type { UsageRead } from '../../engine/run/access-reader.js';
import { AdaptiveRateLimiter } from '../../engine/limits/adaptive-limits.js';
import { createAwsCallRunner } from '../sdk/aws-errors.js';
import type { SsoSession } from '../sso/session.js';
import {
  LOOKUP_EVENTS_PAGE,
  LOOKUP_EVENTS_PER_SECOND,
  lookupEventsPacer,
  readEventPages,
} from '../trail/cloudtrail.js';

export const SIGN_IN_EVENT = 'GetRoleCredentials';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The Regions the instance serves: ListRegions (multi-Region instances), else the step's Region
 * alone with the gap said (an instance that predates it, or a role without `sso:ListRegions`).
 */
export async function instanceRegions(
  session: SsoSession,
  stepRegion: string,
  gaps: string[],
): Promise<string[]> {
  try {
    const regions: RegionMetadata[] = await session.paginate(
      'ListRegions',
      (NextToken) => new ListRegionsCommand({ InstanceArn: session.instance, NextToken }),
      (page) => page.Regions,
    );
    const names = regions
      .map((r) => r.RegionName)
      .filter((r): r is string => typeof r === 'string' && /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(r));
    return names.length > 0 ? [...new Set(names)] : [stepRegion];
  } catch (error) {
    gaps.push(
      `the instance's Regions were not listed (${describeError(error)}): only ${stepRegion} was read; \`sso:ListRegions\` lets the report read every Region the instance serves`,
    );
    return [stepRegion];
  }
}

/** The sign-ins within the window in every Region of the instance, and what the evidence covers. */
export async function readSignIns(
  session: SsoSession,
  deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'activity'>,
  request: UsageRequest,
  stepRegion: string,
  say: (line: string) => void,
): Promise<Omit<UsageRead, 'members'>> {
  const now = Date.now();
  const gaps: string[] = [];
  const wanted = now - request.unusedAfterMs;
  // CloudTrail's event history keeps 90 days: a longer window is read as far as it goes.
  const since = Math.max(wanted, now - CLOUDTRAIL_HISTORY_MS);
  if (since > wanted)
    gaps.push(
      `the window starts ${iso(wanted)}, but CloudTrail's event history keeps 90 days: the evidence starts ${iso(since)}`,
    );
  const regions = await instanceRegions(session, stepRegion, gaps);
  say(
    `usage: reading CloudTrail's ${SIGN_IN_EVENT} events since ${iso(since)} in ${regions.length} Region(s) (${regions.join(', ')}): one LookupEvents page per ${LOOKUP_EVENTS_PAGE} events and at least one per Region, at ${LOOKUP_EVENTS_PER_SECOND} pages a second per Region (10,000 sign-ins are 200 pages, about 100 s)`,
  );
  const read = await readRegions(session, deps, stepRegion, regions, () => since, now);
  const records: string[] = [];
  let pages = 0;
  for (const r of read) {
    if ('failed' in r) gaps.push(`${r.region} was not read: ${r.failed}`);
    else {
      records.push(...r.records);
      pages += r.pages;
    }
  }
  const { signIns, notUses } = signInsOf(records, session.identityStore);
  return {
    signIns,
    notUses,
    since,
    regions,
    gaps,
    pages,
    notes: [
      `usage: ${records.length} ${SIGN_IN_EVENT} event(s) read in ${pages} page(s) from ${regions.length} Region(s): ${signIns.length} sign-in(s)`,
    ],
  };
}

/** What a Region's read gave: its records and pages, or why it failed. */
export type RegionRecords = { region: string } & ({ records: string[]; pages: number } | { failed: string });

/**
 * Each Region's GetRoleCredentials records from `fromOf(region)` to `until`, the Regions in
 * parallel, each at its own 2 pages a second (the step's Region shares the step's pacer).
 */
export function readRegions(
  session: SsoSession,
  deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'activity'>,
  stepRegion: string,
  regions: readonly string[],
  fromOf: (region: string) => number,
  until: number,
): Promise<RegionRecords[]> {
  return Promise.all(
    regions.map(async (region): Promise<RegionRecords> => {
      const pacer =
        region === stepRegion
          ? lookupEventsPacer(session.clients)
          : new AdaptiveRateLimiter({ ceiling: LOOKUP_EVENTS_PER_SECOND, windowMs: 1_000 });
      const call = createAwsCallRunner(deps, session.stats, pacer);
      try {
        const client = await session.clients.cloudTrailIn(region);
        const read = await readEventPages(
          client,
          call,
          { eventName: SIGN_IN_EVENT, since: fromOf(region), until },
          (event) => event.CloudTrailEvent ?? '',
          {
            repeated: () =>
              new CloudAccessError(
                `CloudTrail LookupEvents handed back a NextToken it gave before in ${region}: its sign-ins cannot be read to their end`,
              ),
          },
        );
        return { region, records: read.writes, pages: read.pages };
      } catch (error) {
        return { region, failed: describeError(error) };
      }
    }),
  );
}
