// Who signed in with which grant, read into the usage ledger the report keeps in its snapshot
// (`last-used: true` with `snapshot`, core/usage/ledger.ts): each Region the instance serves is
// read by LookupEvents only from its watermark less CloudTrail's delivery overlap, so a run pays
// about one page per 50 new sign-ins and one per Region, and the evidence can reach past the 90 days
// CloudTrail keeps. A ledger that is missing, unreadable, tampered with or of another instance is
// not continued: each Region is read from the window's start, and the evidence says since when it
// covers. A Region not read keeps its old watermark, and the evidence is incomplete until a run
// reads it again within the 90 days.
import { signInsOf, type NotAUse, type SignIn } from '../../core/usage/sign-ins.js';
import type { UsageRequest } from '../../core/inputs/usage-inputs.js';
import {
  ledgerEvidence,
  ledgerSignIns,
  mergeLedger,
  planLedgerReads,
  type LedgerRead,
  type UsageLedger,
} from '../../core/usage/ledger.js';
import { parseLedger } from '../../core/usage/ledger-format.js';
import type { CurrentName } from '../../core/usage/name-history.js';
import type { AdapterDeps } from '../../engine/calls/driver.js';
import type { UsageRead } from '../../engine/run/access-reader.js';
import type { SsoSession } from '../sso/session.js';
import { LOOKUP_EVENTS_PAGE, LOOKUP_EVENTS_PER_SECOND } from '../trail/cloudtrail.js';
import { instanceRegions, readRegions, SIGN_IN_EVENT } from './sign-ins.js';

/** What the run knows for the ledger: the one the snapshot held, and the names now. */
export interface LedgerInput {
  /** The ledger the snapshot held (JSON as read), or why there is none to continue. */
  previous: { value: unknown } | { none: string };
  /** `s3://bucket/key`, for messages. */
  where: string;
  /** The sets' and users' names now; `listed`: every set of the instance, when the run listed them. */
  names: { sets: CurrentName[]; listed?: string[] | undefined; users: CurrentName[] };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The sign-ins the ledger holds after this run's reads, what the evidence covers, and the ledger to keep. */
export async function readSignInsWithLedger(
  session: SsoSession,
  deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'activity'>,
  request: UsageRequest,
  stepRegion: string,
  say: (line: string) => void,
  input: LedgerInput,
): Promise<{ read: Omit<UsageRead, 'members'>; ledger: UsageLedger }> {
  const now = Date.now();
  const gaps: string[] = [];
  const notes: string[] = [];
  const parsed =
    'value' in input.previous
      ? parseLedger(input.previous.value, session.instance, now)
      : input.previous.none;
  const previous = typeof parsed === 'object' ? parsed : undefined;
  if (!previous)
    notes.push(
      `usage: the ledger in ${input.where} is not continued, because ${parsed}: each Region is read from the window's start`,
    );
  const regions = await instanceRegions(session, stepRegion, gaps);
  const plans = planLedgerReads(previous, regions, now, request.unusedAfterMs);
  for (const plan of plans) if (plan.gap) notes.push(`usage: ${plan.gap}`);
  const from = (region: string) => plans.find((p) => p.region === region)!.from;
  say(
    `usage: reading CloudTrail's ${SIGN_IN_EVENT} events since ${plans.map((p) => `${iso(p.from)} in ${p.region}${p.continues ? " (the ledger's watermark less the delivery overlap)" : ''}`).join(', ')}: ${regions.length} Region(s) (${regions.join(', ')}), one LookupEvents page per ${LOOKUP_EVENTS_PAGE} events and at least one per Region, at ${LOOKUP_EVENTS_PER_SECOND} pages a second per Region`,
  );
  const records = await readRegions(session, deps, stepRegion, regions, from, now);
  const notUses: Partial<Record<NotAUse, number>> = {};
  let pages = 0;
  let events = 0;
  let signInsRead = 0;
  const reads: LedgerRead[] = records.map((r) => {
    const plan = plans.find((p) => p.region === r.region)!;
    if ('failed' in r) {
      gaps.push(`${r.region} was not read: ${r.failed}`);
      return { ...plan, failed: r.failed };
    }
    pages += r.pages;
    events += r.records.length;
    const read = signInsOf(r.records, session.identityStore);
    for (const [why, n] of Object.entries(read.notUses) as [NotAUse, number][])
      notUses[why] = (notUses[why] ?? 0) + n;
    signInsRead += read.signIns.length;
    return { ...plan, signIns: read.signIns satisfies SignIn[] };
  });
  const ledger = mergeLedger(previous, {
    instance: session.instance,
    now,
    windowMs: request.unusedAfterMs,
    reads,
    names: input.names,
  });
  const evidence = ledgerEvidence(ledger, regions, now, request.unusedAfterMs);
  gaps.push(...evidence.gaps);
  return {
    ledger,
    read: {
      signIns: ledgerSignIns(ledger),
      notUses,
      since: evidence.since,
      regions,
      gaps,
      pages,
      setNames: ledger.setNames,
      userNames: ledger.userNames,
      notes: [
        ...notes,
        `usage: ${events} ${SIGN_IN_EVENT} event(s) read in ${pages} page(s) from ${regions.length} Region(s): ${signInsRead} sign-in(s), merged into the usage ledger (${ledger.uses.length} use(s) kept, its evidence since ${iso(evidence.since)})`,
      ],
    },
  };
}
