// Who last used each row (src/core/usage/last-used.ts): the newest sign-in of its user to its
// account with its set, the set found by its name at the event's time; a group's newest member and
// how many used it; `none since` the evidence's start, or `too new to tell` for a row made inside
// the window; sign-ins that match no user or set are counted, never given to a row.
import { describe, expect, it } from '@jest/globals';
import { TOO_NEW, usageOf, type UsageEvidence, type UsedRow } from '../../../src/core/usage/last-used.js';
import type { SignIn } from '../../../src/core/usage/sign-ins.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');
const SINCE = NOW - 90 * DAY;
const RO = 'arn:aws:sso:::permissionSet/ssoins-1/ps-ro';
const ADMIN = 'arn:aws:sso:::permissionSet/ssoins-1/ps-admin';
const ACCOUNT = '111111111111';

const row = (fields: Partial<UsedRow> = {}): UsedRow => ({
  principalKind: 'user',
  principalId: 'alice-id',
  roleId: RO,
  targetId: ACCOUNT,
  grantedAt: '2025-01-01T00:00:00Z',
  ...fields,
});
let n = 0;
const signIn = (fields: Partial<SignIn> & { daysAgo: number }): SignIn => {
  const { daysAgo, ...rest } = fields;
  return {
    eventId: `e-${++n}`,
    at: NOW - daysAgo * DAY,
    userId: 'alice-id',
    accountId: ACCOUNT,
    setName: 'ReadOnly',
    ...rest,
  };
};
const evidence = (signIns: SignIn[], fields: Partial<UsageEvidence> = {}): UsageEvidence => ({
  signIns,
  since: SINCE,
  now: NOW,
  windowMs: 90 * DAY,
  setNames: [
    { id: RO, name: 'ReadOnly' },
    { id: ADMIN, name: 'Admin' },
  ],
  members: new Map(),
  ...fields,
});

describe("a user's row", () => {
  it('shows the newest sign-in to its account with its set, and that event', () => {
    const { usage } = usageOf(
      [row()],
      evidence([
        signIn({ daysAgo: 30 }),
        signIn({ daysAgo: 3, eventId: 'newest' }),
        signIn({ daysAgo: 1, accountId: '222222222222' }),
        signIn({ daysAgo: 1, setName: 'Admin' }),
        signIn({ daysAgo: 1, userId: 'bob-id' }),
      ]),
    );
    expect(usage).toEqual([
      { lastUsed: '2026-05-29T00:00:00Z', lastUsedEvent: 'newest', lastUsedBy: null, usedBy: null },
    ]);
  });

  it('with no sign-in says since when the evidence covers; made inside the window, too new to tell; not known when made, unknown (it may be new)', () => {
    const { usage } = usageOf(
      [row(), row({ grantedAt: new Date(NOW - 10 * DAY).toISOString() }), row({ grantedAt: null })],
      evidence([]),
    );
    expect(usage.map((u) => u.lastUsed)).toEqual([
      'none since 2026-03-03T00:00:00Z',
      TOO_NEW,
      'unknown (not known when it was made)',
    ]);
  });

  it('a young row that was used shows its use', () => {
    const young = row({ grantedAt: new Date(NOW - 2 * DAY).toISOString() });
    expect(usageOf([young], evidence([signIn({ daysAgo: 1 })])).usage[0]!.lastUsed).toBe(
      '2026-05-31T00:00:00Z',
    );
  });

  it('a row made `before` a time inside the window is too new to tell: its create is not known to be older', () => {
    const before = row({ grantedAt: `before ${new Date(NOW - 5 * DAY).toISOString()}` });
    expect(usageOf([before], evidence([])).usage[0]!.lastUsed).toBe(TOO_NEW);
  });
});

describe('a set matched by its name at the time', () => {
  it("a name reused by a later set does not inherit the old set's uses", () => {
    const history = [
      { id: ADMIN, name: 'ReadOnly', until: NOW - 50 * DAY },
      { id: RO, name: 'ReadOnly', from: NOW - 50 * DAY },
    ];
    const { usage } = usageOf(
      [row(), row({ roleId: ADMIN })],
      evidence([signIn({ daysAgo: 60, eventId: 'old-set' })], { setNames: history }),
    );
    expect(usage.map((u) => u.lastUsedEvent)).toEqual([null, 'old-set']);
  });

  it('a name no set had, or two sets had, at the time matches nothing and is counted', () => {
    const { usage, unmatched } = usageOf(
      [row()],
      evidence([signIn({ daysAgo: 1, setName: 'Gone' })], {
        setNames: [
          { id: RO, name: 'ReadOnly' },
          { id: ADMIN, name: 'Gone', until: NOW - 10 * DAY },
        ],
      }),
    );
    expect(unmatched).toBe(1);
    expect(usage[0]!.lastUsedEvent).toBeNull();
  });
});

describe('an older record, which names its user by name', () => {
  it("is matched through the user's name at the time where it was kept", () => {
    const older = signIn({ daysAgo: 5, userName: 'alice', eventId: 'older' });
    delete older.userId;
    const kept = [{ id: 'alice-id', name: 'alice' }];
    expect(usageOf([row()], evidence([older], { userNames: kept })).usage[0]!.lastUsedEvent).toBe('older');
  });

  it('is unmatched without the names kept', () => {
    const older = signIn({ daysAgo: 5, userName: 'alice' });
    delete older.userId;
    const read = usageOf([row()], evidence([older]));
    expect([read.unmatched, read.usage[0]!.lastUsedEvent]).toEqual([1, null]);
  });
});

describe("a group's row", () => {
  const group = row({ principalKind: 'group', principalId: 'GROUP-ID' });
  const members = new Map([
    [
      'group-id',
      [
        { id: 'alice-id', name: 'alice' },
        { id: 'bob-id', name: 'bob' },
        { id: 'carol-id', name: 'carol' },
      ],
    ],
  ]);

  it('shows its newest member and how many members used it', () => {
    const { usage } = usageOf(
      [group],
      evidence([signIn({ daysAgo: 9 }), signIn({ daysAgo: 2, userId: 'bob-id', eventId: 'bob-latest' })], {
        members,
      }),
    );
    expect(usage[0]).toEqual({
      lastUsed: '2026-05-30T00:00:00Z',
      lastUsedEvent: 'bob-latest',
      lastUsedBy: 'bob',
      usedBy: 2,
    });
  });

  it('used by no member: none since, and 0 members', () => {
    expect(usageOf([group], evidence([], { members })).usage[0]).toMatchObject({
      lastUsed: 'none since 2026-03-03T00:00:00Z',
      usedBy: 0,
    });
  });

  it('whose members were not read is unknown, never none', () => {
    expect(usageOf([group], evidence([signIn({ daysAgo: 1 })])).usage[0]!.lastUsed).toMatch(/^unknown/);
  });
});
