// The usage ledger a report keeps in its snapshot (src/core/usage/ledger.ts): the newest use per
// (user, account, set) with its event, each Region's watermark and since when it covers. A run reads
// each Region from its watermark less the delivery overlap, merges what it read (an event seen
// again changes nothing, an older one never replaces a newer), and the evidence is complete only
// where the ledger covers the whole window in every Region without a gap; a ledger read back that is
// not one this step wrote is refused, never trusted.
import { describe, expect, it } from '@jest/globals';
import {
  LEDGER_OVERLAP_MS,
  ledgerEvidence,
  ledgerSignIns,
  mergeLedger,
  planLedgerReads,
  type UsageLedger,
} from '../../../src/core/usage/ledger.js';
import { ledgerJson, parseLedger } from '../../../src/core/usage/ledger-format.js';
import { newestUses, usageOf } from '../../../src/core/usage/last-used.js';
import type { SignIn } from '../../../src/core/usage/sign-ins.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1111111111111111';
const RO = 'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111';
const RO_AGAIN = 'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-2222222222222222';
const ALICE = '906700aa-1111-2222-3333-444444444444';
const BOB = '906700bb-1111-2222-3333-444444444444';
const ACCOUNT = '111111111111';
const WINDOW = 90 * DAY;
const names = { sets: [{ id: RO, name: 'ReadOnly' }], users: [] };

let n = 0;
const signIn = (fields: Partial<SignIn> & { hoursAgo: number; now?: number }): SignIn => {
  const { hoursAgo, now = NOW, ...rest } = fields;
  return {
    eventId: `event-${++n}`,
    at: now - hoursAgo * HOUR,
    userId: ALICE,
    accountId: ACCOUNT,
    setName: 'ReadOnly',
    ...rest,
  };
};

/** A first run at `now`: every Region read from the window's start. */
function firstRun(signIns: SignIn[], now = NOW, regions = ['us-east-1']): UsageLedger {
  const plan = planLedgerReads(undefined, regions, now, WINDOW);
  return mergeLedger(undefined, {
    instance: INSTANCE,
    now,
    windowMs: WINDOW,
    reads: plan.map((p) => ({ ...p, signIns })),
    names,
  });
}

describe('the reads a run makes', () => {
  it('without a ledger, reads each Region from the window start, as far as CloudTrail keeps', () => {
    expect(planLedgerReads(undefined, ['us-east-1'], NOW, 30 * DAY)).toEqual([
      { region: 'us-east-1', from: NOW - 30 * DAY, continues: false },
    ]);
    expect(planLedgerReads(undefined, ['us-east-1'], NOW, 200 * DAY)[0]!.from).toBe(NOW - 90 * DAY);
  });

  it("with one, reads each Region from its watermark less the delivery overlap; a Region it lacks from the window's start", () => {
    const ledger = firstRun([], NOW - DAY);
    expect(planLedgerReads(ledger, ['us-east-1', 'eu-west-1'], NOW, WINDOW)).toEqual([
      { region: 'us-east-1', from: NOW - DAY - LEDGER_OVERLAP_MS, continues: true },
      { region: 'eu-west-1', from: NOW - WINDOW, continues: false },
    ]);
  });

  it('a watermark older than CloudTrail keeps is a gap: the Region is read again from the window start', () => {
    const ledger = firstRun([], NOW - 100 * DAY);
    const [plan] = planLedgerReads(ledger, ['us-east-1'], NOW, WINDOW);
    expect(plan).toMatchObject({ continues: false, from: NOW - WINDOW });
    expect(plan!.gap).toMatch(/older than the 90 days CloudTrail keeps/);
  });
});

describe('merging what a run read', () => {
  it('adds new uses, keeps the newest per user, account and set, and moves the watermark', () => {
    const old = signIn({ hoursAgo: 50 });
    const ledger = firstRun([old], NOW - DAY);
    const newer = signIn({ hoursAgo: 2 });
    const bob = signIn({ hoursAgo: 3, userId: BOB });
    const next = mergeLedger(ledger, {
      instance: INSTANCE,
      now: NOW,
      windowMs: WINDOW,
      reads: planLedgerReads(ledger, ['us-east-1'], NOW, WINDOW).map((p) => ({
        ...p,
        signIns: [newer, bob],
      })),
      names,
    });
    expect(next.regions['us-east-1']).toEqual({ since: NOW - DAY - WINDOW, until: NOW });
    const uses = newestUses({ signIns: ledgerSignIns(next), setNames: next.setNames });
    expect(uses.uses.size).toBe(2);
    expect([...uses.uses.values()].map((u) => u.eventId).sort()).toEqual([newer.eventId, bob.eventId].sort());
  });

  it('an event read again inside the overlap changes nothing, and an older event never replaces a newer', () => {
    const newest = signIn({ hoursAgo: 1 });
    const ledger = firstRun([newest], NOW - HOUR / 2);
    const older = signIn({ hoursAgo: 5 });
    const next = mergeLedger(ledger, {
      instance: INSTANCE,
      now: NOW,
      windowMs: WINDOW,
      reads: [{ region: 'us-east-1', from: NOW - HOUR, continues: true, signIns: [newest, older, newest] }],
      names,
    });
    expect(next.uses).toEqual(ledger.uses);
  });

  it('a Region not read keeps its old watermark, and the evidence says the gap', () => {
    const ledger = firstRun([], NOW - DAY, ['us-east-1', 'eu-west-1']);
    const next = mergeLedger(ledger, {
      instance: INSTANCE,
      now: NOW,
      windowMs: WINDOW,
      reads: [
        { region: 'us-east-1', from: NOW - DAY, continues: true, signIns: [] },
        { region: 'eu-west-1', from: NOW - DAY, continues: true, failed: 'AccessDenied' },
      ],
      names,
    });
    expect(next.regions['eu-west-1']).toEqual(ledger.regions['eu-west-1']);
    const evidence = ledgerEvidence(next, ['us-east-1', 'eu-west-1'], NOW, 30 * DAY);
    expect(evidence.gaps.join(' ')).toMatch(/eu-west-1 .*read to 2026-05-31T00:00:00Z/);
  });

  it('uses older than the window are dropped, and the ledger then vouches only after the newest it dropped', () => {
    const ancient = signIn({ hoursAgo: 24 * 80 });
    const ledger = firstRun([ancient], NOW - 20 * DAY);
    const next = mergeLedger(ledger, {
      instance: INSTANCE,
      now: NOW,
      windowMs: 30 * DAY,
      reads: planLedgerReads(ledger, ['us-east-1'], NOW, 30 * DAY).map((p) => ({ ...p, signIns: [] })),
      names,
    });
    expect(next.uses).toEqual([]);
    expect(next.regions['us-east-1']!.since).toBe(ancient.at + 1000);
  });

  it('a sign-in is kept by the set that had its name at the time: a later set of that name does not inherit it', () => {
    const before = signIn({ hoursAgo: 48 });
    const ledger = firstRun([before], NOW - DAY);
    // ReadOnly was deleted and made again under a new ARN; the run sees the new one and not the old.
    const after = signIn({ hoursAgo: 1, userId: BOB });
    const next = mergeLedger(ledger, {
      instance: INSTANCE,
      now: NOW,
      windowMs: WINDOW,
      reads: planLedgerReads(ledger, ['us-east-1'], NOW, WINDOW).map((p) => ({ ...p, signIns: [after] })),
      names: { sets: [{ id: RO_AGAIN, name: 'ReadOnly' }], listed: [RO_AGAIN], users: [] },
    });
    const { uses } = newestUses({ signIns: ledgerSignIns(next), setNames: next.setNames });
    expect(uses.get(`${ALICE}|${ACCOUNT}|${RO}`)?.eventId).toBe(before.eventId);
    expect(uses.get(`${ALICE}|${ACCOUNT}|${RO_AGAIN}`)).toBeUndefined();
    // Bob's sign-in falls after the old set was seen gone: not given to the old set, never a guess.
    expect(uses.get(`${BOB}|${ACCOUNT}|${RO}`)).toBeUndefined();
    expect(next.setNames.find((s) => s.id === RO)!.until).toBe(NOW);
  });

  it("an older record that names its user by name is kept by that name's user at the time, where the names were kept", () => {
    const older = signIn({ hoursAgo: 3, userName: 'alice' });
    delete older.userId;
    const ledger = mergeLedger(undefined, {
      instance: INSTANCE,
      now: NOW,
      windowMs: WINDOW,
      reads: [{ region: 'us-east-1', from: NOW - WINDOW, continues: false, signIns: [older] }],
      names: { ...names, users: [{ id: ALICE, name: 'alice' }] },
    });
    const { uses, unmatched } = newestUses({
      signIns: ledgerSignIns(ledger),
      setNames: ledger.setNames,
      userNames: ledger.userNames,
    });
    expect(unmatched).toBe(0);
    expect(uses.get(`${ALICE}|${ACCOUNT}|${RO}`)?.eventId).toBe(older.eventId);
  });
});

describe('what the ledger proves', () => {
  it('covers the window in every Region from its first read: complete, and none since names that read', () => {
    const ledger = firstRun([], NOW - DAY);
    const evidence = ledgerEvidence(ledger, ['us-east-1'], NOW - DAY, 30 * DAY);
    expect(evidence).toEqual({ since: NOW - DAY - WINDOW, gaps: [] });
  });

  it('a window longer than the ledger has covered is a gap, said with the date it will be covered', () => {
    const ledger = firstRun([], NOW - DAY);
    const evidence = ledgerEvidence(ledger, ['us-east-1'], NOW - DAY, 120 * DAY);
    expect(evidence.gaps).toHaveLength(1);
    expect(evidence.gaps[0]).toMatch(/starts 2026-03-02T00:00:00Z.*window starts 2026-01-31T00:00:00Z/);
  });

  it('can outgrow the 90 days CloudTrail keeps once its reads have covered more', () => {
    let ledger = firstRun([], NOW - 60 * DAY);
    for (const at of [NOW - 30 * DAY, NOW]) {
      ledger = mergeLedger(ledger, {
        instance: INSTANCE,
        now: at,
        windowMs: 150 * DAY,
        reads: planLedgerReads(ledger, ['us-east-1'], at, 150 * DAY).map((p) => ({ ...p, signIns: [] })),
        names,
      });
    }
    expect(ledgerEvidence(ledger, ['us-east-1'], NOW, 150 * DAY)).toEqual({
      since: NOW - 150 * DAY,
      gaps: [],
    });
  });
});

describe('a ledger read back', () => {
  const written = () =>
    JSON.parse(JSON.stringify(ledgerJson(firstRun([signIn({ hoursAgo: 30 })], NOW - DAY)))) as Record<
      string,
      unknown
    >;

  it('is the ledger written', () => {
    const ledger = firstRun([signIn({ hoursAgo: 30 })], NOW - DAY);
    expect(parseLedger(JSON.parse(JSON.stringify(ledgerJson(ledger))), INSTANCE, NOW)).toEqual(ledger);
  });

  it.each<[string, (l: Record<string, unknown>) => void, RegExp]>([
    ['not an object', (l) => Object.keys(l).forEach((k) => delete l[k]), /version/],
    [
      'another instance',
      (l) => (l.instance = 'arn:aws:sso:::instance/ssoins-9999999999999999'),
      /another instance/,
    ],
    [
      'a watermark ahead of now',
      (l) => ((l.regions as Record<string, { until: string }>)['us-east-1']!.until = '2027-01-01T00:00:00Z'),
      /ahead/,
    ],
    [
      'a use after its watermarks',
      (l) => ((l.uses as { at: string }[])[0]!.at = '2026-05-31T12:00:00Z'),
      /after/,
    ],
    ['a forged event ID', (l) => ((l.uses as { eventId: string }[])[0]!.eventId = '::error::x'), /use/],
    ['a forged set name', (l) => ((l.setNames as { name: string }[])[0]!.name = 'x\n::warning::y'), /name/],
    ['a Region that is not one', (l) => (l.regions = { 'not a region': {} }), /Region/],
  ])('is refused when %s', (_, tamper, why) => {
    const ledger = written();
    tamper(ledger);
    const parsed = parseLedger(ledger, INSTANCE, NOW);
    expect(typeof parsed).toBe('string');
    expect(parsed).toMatch(why);
  });
});

describe('a set made again under a deleted set’s name, seen by runs that do not list every set', () => {
  // A report with `role` lists no set but its own, so no run sees the old set gone. IAM Identity
  // Center keeps names unique among the sets that exist: the new set having the name is proof the
  // old one no longer does. Without that, every later sign-in under the name matched both sets,
  // was left unmatched, and the new set's row, used every day, read `none since`: a prune removed it.
  it("gives the new set its own later sign-ins: a used row never reads 'none since'", () => {
    const run = (ledger: UsageLedger | undefined, now: number, signIns: SignIn[], set: string) =>
      mergeLedger(ledger, {
        instance: INSTANCE,
        now,
        windowMs: WINDOW,
        reads: planLedgerReads(ledger, ['us-east-1'], now, WINDOW).map((p) => ({ ...p, signIns })),
        names: { sets: [{ id: set, name: 'ReadOnly' }], users: [] },
      });
    let ledger = run(undefined, NOW - 120 * DAY, [signIn({ hoursAgo: 24 * 121 })], RO);
    // ReadOnly deleted and made again; each run from then on sees only the new one, by its name.
    for (let day = 110; day >= 0; day -= 10)
      ledger = run(ledger, NOW - day * DAY, [signIn({ hoursAgo: 24 * day + 1 })], RO_AGAIN);
    const newest = ledger.uses.at(-1)!;
    const { uses, unmatched } = newestUses({ signIns: ledgerSignIns(ledger), setNames: ledger.setNames });
    const row = { principalKind: 'user', principalId: ALICE, roleId: RO_AGAIN, targetId: ACCOUNT };
    const [usage] = usageOf([{ ...row, grantedAt: '2026-01-01T00:00:00Z' }], {
      signIns: ledgerSignIns(ledger),
      since: ledgerEvidence(ledger, ['us-east-1'], NOW, WINDOW).since,
      now: NOW,
      windowMs: WINDOW,
      setNames: ledger.setNames,
      members: new Map(),
    }).usage;
    expect(usage!.lastUsed).toBe(new Date(newest.at).toISOString().replace('.000', ''));
    expect(unmatched).toBe(0);
    expect(uses.get(`${ALICE}|${ACCOUNT}|${RO_AGAIN}`)?.eventId).toBe(newest.eventId);
    const holders = ledger.setNames.filter((s) => s.name === 'ReadOnly' && s.until === undefined);
    expect(holders.map((s) => s.id)).toEqual([RO_AGAIN]);
  });
});
