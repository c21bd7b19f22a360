// The usage ledger a report keeps in its snapshot (`last-used: true` with `snapshot`): the newest
// use per (user, account, permission set) with its event, each Region's watermark (the newest event
// time read to) and since when that Region's reads have covered without a gap, and the sets' (and
// users') names over time. A run reads each Region only from its watermark less CloudTrail's
// delivery overlap, merges what it read (an event seen again changes nothing: the newest use per key
// wins, by time then event ID), and so the window can outgrow the 90 days CloudTrail keeps. The
// evidence is complete only where every Region is covered from before the window's start to now.
// The object is the bucket's, which others can write: a ledger read back is checked for its shape
// and for times that cannot be (a watermark ahead of now, a use after every watermark), and refused
// whole when it fails; a refused ledger is read again from the window's start. Pure.
import { CLOUDTRAIL_HISTORY_MS } from '../duration.js';
import { idNamed, type NameSpan } from './last-used.js';
import { namesSince, updatedNames, type CurrentName } from './name-history.js';
import type { SignIn } from './sign-ins.js';

/** CloudTrail delivers an event within about 15 minutes of the call; twice that is read again. */
export const LEDGER_OVERLAP_MS = 30 * 60_000;

/** One kept use: a sign-in, with the set's ARN (and the user's ID) where its name found one. */
export type LedgerUse = SignIn;

/** Since when a Region's reads cover without a gap, and up to when (epoch ms). */
export interface RegionCover {
  since: number;
  until: number;
}

export interface UsageLedger {
  instance: string;
  regions: Record<string, RegionCover>;
  uses: LedgerUse[];
  setNames: NameSpan[];
  userNames: NameSpan[];
}

/** What a run reads in a Region: from when, and whether it continues the ledger's cover there. */
export interface LedgerReadPlan {
  region: string;
  from: number;
  continues: boolean;
  /** Why the ledger's cover there was not continued, when it had one. */
  gap?: string;
}

/** What a run read in a Region: its sign-ins, or why it could not. */
export type LedgerRead = LedgerReadPlan & ({ signIns: readonly SignIn[] } | { failed: string });

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Each Region's read: from its watermark less the overlap where the ledger covers it, else from the window's start. */
export function planLedgerReads(
  ledger: UsageLedger | undefined,
  regions: readonly string[],
  now: number,
  windowMs: number,
): LedgerReadPlan[] {
  const fresh = Math.max(now - windowMs, now - CLOUDTRAIL_HISTORY_MS);
  return regions.map((region) => {
    const cover = ledger?.regions[region];
    if (cover && cover.until - LEDGER_OVERLAP_MS >= fresh)
      return { region, from: cover.until - LEDGER_OVERLAP_MS, continues: true };
    const plan: LedgerReadPlan = { region, from: fresh, continues: false };
    if (cover && cover.until - LEDGER_OVERLAP_MS < now - CLOUDTRAIL_HISTORY_MS)
      plan.gap = `${region}'s watermark ${iso(cover.until)} is older than the 90 days CloudTrail keeps: the ledger there starts again from ${iso(fresh)}`;
    return plan;
  });
}

const whoOf = (u: LedgerUse) => (u.userId ? u.userId.toLowerCase() : `name:${u.userName ?? ''}`);
const keyOf = (u: LedgerUse) => `${whoOf(u)}|${u.accountId}|${u.setArn ?? `name:${u.setName}`}`;
const newer = (a: LedgerUse, b: LedgerUse) => a.at > b.at || (a.at === b.at && a.eventId > b.eventId);

/**
 * The ledger after a run's reads at `now`: the names brought up to date (`listed`: every set that
 * exists, when the run listed them all), each sign-in kept by the set and user that had its names
 * then (else by the names, matched when the rows are joined), the newest use per key, each Region
 * read moved to `now`, and uses older than the window dropped (the ledger then vouches only after
 * the newest it dropped).
 */
export function mergeLedger(
  previous: UsageLedger | undefined,
  run: {
    instance: string;
    now: number;
    windowMs: number;
    reads: readonly LedgerRead[];
    names: { sets: readonly CurrentName[]; listed?: readonly string[]; users: readonly CurrentName[] };
  },
): UsageLedger {
  const { now } = run;
  const floor = now - run.windowMs;
  const setNames = updatedNames(previous?.setNames ?? [], run.names.sets, now, run.names.listed);
  const userNames = updatedNames(previous?.userNames ?? [], run.names.users, now);
  const uses = new Map((previous?.uses ?? []).map((u) => [keyOf(u), u]));
  const regions = { ...previous?.regions };
  for (const read of run.reads) {
    if ('failed' in read) continue;
    const cover = previous?.regions[read.region];
    regions[read.region] = { since: read.continues && cover ? cover.since : read.from, until: now };
    for (const signIn of read.signIns) {
      const setArn = signIn.setArn ?? idNamed(setNames, signIn.setName, signIn.at);
      const userId =
        signIn.userId ?? (signIn.userName ? idNamed(userNames, signIn.userName, signIn.at) : undefined);
      const { userName, ...rest } = signIn;
      const use: LedgerUse = {
        ...rest,
        ...(userId ? { userId } : { userName: userName ?? '' }),
        ...(setArn ? { setArn } : {}),
      };
      const known = uses.get(keyOf(use));
      if (!known || newer(use, known)) uses.set(keyOf(use), use);
    }
  }
  // A use dropped hides whether its key was used before it: the ledger vouches only after it.
  const dropped = [...uses.values()].filter((u) => u.at < floor);
  if (dropped.length > 0) {
    const after = Math.floor(Math.max(...dropped.map((u) => u.at)) / 1000) * 1000 + 1000;
    for (const cover of Object.values(regions)) cover.since = Math.max(cover.since, after);
  }
  return {
    instance: run.instance,
    regions,
    uses: [...uses.values()].filter((u) => u.at >= floor).sort((a, b) => a.at - b.at),
    setNames: namesSince(setNames, floor),
    userNames: namesSince(userNames, floor),
  };
}

/** What the ledger proves at `now` of `regions`: since when, and each gap in the window. */
export function ledgerEvidence(
  ledger: UsageLedger,
  regions: readonly string[],
  now: number,
  windowMs: number,
): { since: number; gaps: string[] } {
  const gaps: string[] = [];
  let since = -Infinity;
  for (const region of regions) {
    const cover = ledger.regions[region];
    if (!cover) {
      gaps.push(`${region} was not read, and the ledger holds none of its sign-ins`);
      continue;
    }
    if (cover.until < now) gaps.push(`${region} was read to ${iso(cover.until)} only`);
    since = Math.max(since, cover.since);
  }
  if (since === -Infinity) since = now;
  const start = now - windowMs;
  if (since > start)
    gaps.push(
      `the ledger's evidence starts ${iso(since)}, the window starts ${iso(start)}: it covers the window from ${iso(since + windowMs)} if every run reads each Region`,
    );
  return { since, gaps };
}

/** The ledger's uses, as the sign-ins the rows are joined with. */
export const ledgerSignIns = (ledger: UsageLedger): SignIn[] => ledger.uses.map((u) => ({ ...u }));
