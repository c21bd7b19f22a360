// The usage ledger as the snapshot holds it (./ledger.ts): JSON with ISO 8601 times, and what one
// read back may carry. Anyone who can write the bucket can write it, so nothing in it is trusted
// beyond its shape and times that can be: a watermark ahead of now would skip events, a use after
// every watermark was never read; either refuses the ledger whole, and the run reads the window
// again. Names are the service's own patterns, so a name read back is as inert as one read live.
// Pure.
import { ACCOUNT_ID, AWS_REGION, IDENTITY_STORE_PRINCIPAL_ID, INSTANCE_ARN } from '../patterns.js';
import { PERMISSION_SET_ARN, PERMISSION_SET_NAME } from '../patterns.js';
import type { NameSpan } from './last-used.js';
import type { LedgerUse, RegionCover, UsageLedger } from './ledger.js';
import { EVENT_ID, USER_NAME } from './sign-ins.js';

const LEDGER_VERSION = 1;
/** A runner's clock may run behind the one that wrote the ledger. */
const CLOCK_SKEW_MS = 5 * 60_000;
const MOST_ENTRIES = 500_000;

const toIso = (ms: number) => new Date(ms).toISOString();

/** The ledger as JSON: times as ISO 8601. */
export function ledgerJson(ledger: UsageLedger): unknown {
  const span = (s: NameSpan) => ({
    id: s.id,
    name: s.name,
    ...(s.from !== undefined ? { from: toIso(s.from) } : {}),
    ...(s.until !== undefined ? { until: toIso(s.until) } : {}),
  });
  return {
    version: LEDGER_VERSION,
    instance: ledger.instance,
    regions: Object.fromEntries(
      Object.entries(ledger.regions).map(([r, c]) => [r, { since: toIso(c.since), until: toIso(c.until) }]),
    ),
    uses: ledger.uses.map((u) => ({ ...u, at: toIso(u.at) })),
    setNames: ledger.setNames.map(span),
    userNames: ledger.userNames.map(span),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const timeOf = (v: unknown): number | undefined => {
  const ms = typeof v === 'string' && v.length <= 40 ? Date.parse(v) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
};
const matches = (v: unknown, pattern: RegExp): v is string => typeof v === 'string' && pattern.test(v);

/** A use read back, or undefined when it is not one. */
function useOf(v: unknown): LedgerUse | undefined {
  if (!isObject(v)) return undefined;
  const at = timeOf(v.at);
  if (at === undefined || !matches(v.eventId, EVENT_ID) || !matches(v.accountId, ACCOUNT_ID))
    return undefined;
  if (!matches(v.setName, PERMISSION_SET_NAME)) return undefined;
  if (v.setArn !== undefined && !matches(v.setArn, PERMISSION_SET_ARN)) return undefined;
  const who = matches(v.userId, IDENTITY_STORE_PRINCIPAL_ID)
    ? { userId: v.userId }
    : v.userId === undefined && matches(v.userName, USER_NAME)
      ? { userName: v.userName }
      : undefined;
  if (!who) return undefined;
  return {
    eventId: v.eventId,
    at,
    accountId: v.accountId,
    setName: v.setName,
    ...who,
    ...(v.setArn !== undefined ? { setArn: v.setArn } : {}),
  };
}

/** Names over time read back, or why not. */
function spansOf(v: unknown, what: string, id: RegExp, name: RegExp): NameSpan[] | string {
  if (!Array.isArray(v) || v.length > MOST_ENTRIES) return `its ${what} are not a list`;
  const spans: NameSpan[] = [];
  for (const s of v) {
    const from = isObject(s) && s.from !== undefined ? timeOf(s.from) : undefined;
    const until = isObject(s) && s.until !== undefined ? timeOf(s.until) : undefined;
    if (
      !isObject(s) ||
      !matches(s.id, id) ||
      !matches(s.name, name) ||
      (s.from !== undefined && from === undefined) ||
      (s.until !== undefined && until === undefined) ||
      (from !== undefined && until !== undefined && from > until)
    )
      return `an entry of its ${what} is not an ID, a name and times`;
    spans.push({
      id: s.id,
      name: s.name,
      ...(from !== undefined ? { from } : {}),
      ...(until !== undefined ? { until } : {}),
    });
  }
  return spans;
}

/** The ledger a snapshot holds, of `instance`, read at `now`; or why it is not used (its first fault). */
export function parseLedger(value: unknown, instance: string, now: number): UsageLedger | string {
  if (!isObject(value) || value.version !== LEDGER_VERSION)
    return `it is not of version ${LEDGER_VERSION} of the usage ledger`;
  if (!matches(value.instance, INSTANCE_ARN) || value.instance !== instance)
    return 'it is of another instance';
  if (!isObject(value.regions)) return 'its Regions are not an object';
  const regions: Record<string, RegionCover> = {};
  let newest = -Infinity;
  for (const [region, cover] of Object.entries(value.regions)) {
    const since = isObject(cover) ? timeOf(cover.since) : undefined;
    const until = isObject(cover) ? timeOf(cover.until) : undefined;
    if (!AWS_REGION.test(region) || since === undefined || until === undefined || since > until)
      return `its Region ${JSON.stringify(region.slice(0, 64))} is not a Region read since and until a time`;
    if (until > now + CLOCK_SKEW_MS) return `its watermark in ${region} is ahead of now`;
    regions[region] = { since, until };
    newest = Math.max(newest, until);
  }
  if (!Array.isArray(value.uses) || value.uses.length > MOST_ENTRIES) return 'its uses are not a list';
  const uses: LedgerUse[] = [];
  for (const v of value.uses) {
    const use = useOf(v);
    if (!use) return 'a use it holds is not a sign-in of a user to an account with a set';
    if (use.at > newest) return `a use it holds is dated after every watermark (${use.eventId})`;
    uses.push(use);
  }
  const setNames = spansOf(value.setNames, 'set names', PERMISSION_SET_ARN, PERMISSION_SET_NAME);
  if (typeof setNames === 'string') return setNames;
  const userNames = spansOf(value.userNames, 'user names', IDENTITY_STORE_PRINCIPAL_ID, USER_NAME);
  if (typeof userNames === 'string') return userNames;
  return { instance, regions, uses, setNames, userNames };
}
