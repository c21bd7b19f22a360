// The snapshot a reconcile or report keeps between runs, as data: its format and what a hostile
// object may not carry, whether a run may use it, what CloudTrail's write events since it touched,
// the snapshot with the re-read places merged in, and what a complete read found that the snapshot
// and its deltas did not (`missed`).
import { describe, expect, it } from '@jest/globals';
import {
  SNAPSHOT_FORMAT,
  parseSnapshot,
  snapshotObjectKey,
  snapshotScope,
  type Snapshot,
} from '../../../src/core/snapshot/format.js';
import { snapshotUse } from '../../../src/core/snapshot/usable.js';
import { DELTA_EVENT_SOURCES, touchedBy, type TrailWrite } from '../../../src/core/snapshot/events.js';
import {
  keptGroups,
  keptPrincipals,
  missedMemberships,
  removedMemberships,
} from '../../../src/core/snapshot/memberships.js';
import { mergedSnapshot, missedBy, placeKey } from '../../../src/core/snapshot/merge.js';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const OTHER_INSTANCE = 'arn:aws:sso:::instance/ssoins-fedcba0987654321';
const PS = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-aaaaaaaaaaaaaaaa';
const PS2 = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-bbbbbbbbbbbbbbbb';
const ALICE = '1234567890-aaaaaaaa-1111-2222-3333-444444444444';
const BOB = '1234567890-bbbbbbbb-1111-2222-3333-444444444444';
const GROUP = '1234567890-cccccccc-1111-2222-3333-444444444444';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-26T12:00:00Z');

const scope = snapshotScope({ instance: INSTANCE, manifest: '.github/access.yml' });
const snapshot = (over: Partial<Snapshot> = {}): Snapshot => ({
  format: SNAPSHOT_FORMAT,
  instance: INSTANCE,
  scope,
  completeReadAt: new Date(NOW - DAY).toISOString(),
  watermark: new Date(NOW - HOUR).toISOString(),
  permissionSets: [PS, PS2],
  accounts: ['111111111111', '222222222222'],
  places: {
    [placeKey('111111111111', PS)]: [{ principalType: 'USER', principalId: ALICE }],
    [placeKey('222222222222', PS)]: [],
    [placeKey('111111111111', PS2)]: [{ principalType: 'GROUP', principalId: GROUP }],
  },
  groups: { [GROUP]: { [ALICE]: 'membership-alice' } },
  removedMemberships: {},
  principals: { [ALICE]: { principalType: 'USER', name: 'alice' } },
  ...over,
});
const asStored = (s: Snapshot) => JSON.parse(JSON.stringify(s)) as unknown;

describe('the snapshot format', () => {
  it('reads back what it wrote', () => {
    expect(parseSnapshot(asStored(snapshot()))).toEqual(snapshot());
  });

  it.each([
    ['another format', { format: 99 }, 'format 99'],
    ['an instance that is no instance ARN', { instance: 'arn:aws:sso:::instance/x' }, 'instance'],
    ['a place keyed by no account', { places: { [`12|${PS}`]: [] } }, 'place'],
    [
      'a principal of no known type',
      { places: { [placeKey('111111111111', PS)]: [{ principalType: 'ROLE', principalId: ALICE }] } },
      'principal',
    ],
    ['a watermark that is no time', { watermark: 'yesterday' }, 'watermark'],
    ['a command for the runner in a name', { names: { [ALICE]: '::stop-commands::x' } }, 'name'],
  ])('refuses %s, naming what is wrong', (_what, over, named) => {
    const parsed = parseSnapshot({ ...(asStored(snapshot()) as object), ...over });
    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(named);
  });

  it('gives each scope its own object under the prefix: two manifests sharing a prefix never overwrite each other', () => {
    const other = snapshotScope({ instance: INSTANCE, manifest: 'teams/other.yml' });
    expect(snapshotObjectKey('snapshots/', scope)).toMatch(/^snapshots\/[0-9a-f]{32}\.json\.gz$/);
    expect(snapshotObjectKey('snapshots', scope)).toBe(snapshotObjectKey('snapshots/', scope));
    expect(snapshotObjectKey('snapshots', other)).not.toBe(snapshotObjectKey('snapshots', scope));
    expect(snapshotObjectKey('', scope)).toMatch(/^[0-9a-f]{32}\.json\.gz$/);
  });

  it('keys a report by its filters, whatever their order', () => {
    const a = snapshotScope({ instance: INSTANCE, filters: { principal: 'alice', role: 'Admin' } });
    const b = snapshotScope({ instance: INSTANCE, filters: { role: 'Admin', principal: 'alice' } });
    expect(a).toBe(b);
    expect(a).not.toBe(scope);
  });
});

describe('whether a run may use the snapshot', () => {
  const wanted = { instance: INSTANCE, scope, now: NOW, fullReadEveryMs: 7 * DAY };

  it('uses one of this instance and scope, read completely within full-read-every', () => {
    expect(snapshotUse(snapshot(), wanted)).toEqual({ use: true });
  });

  it.each([
    ['another instance', { instance: OTHER_INSTANCE }, 'another instance'],
    ['another scope', { scope: 'other' }, 'another scope'],
    [
      'a complete read older than full-read-every, however fresh its deltas',
      {
        completeReadAt: new Date(NOW - 8 * DAY).toISOString(),
        watermark: new Date(NOW - HOUR).toISOString(),
      },
      'full-read-every',
    ],
    [
      'a watermark more than 5 minutes in the future',
      { watermark: new Date(NOW + HOUR).toISOString() },
      "lies 1 h after this step's clock, more than 5 minutes",
    ],
  ])('does not use one of %s, and says why', (_what, over, why) => {
    const use = snapshotUse(snapshot(over), wanted);
    expect(use).toMatchObject({ use: false });
    expect((use as { reason: string }).reason).toContain(why);
  });

  it('counts full-read-every from the last complete read: 12h after a read 13 hours ago is stale', () => {
    const use = snapshotUse(snapshot({ completeReadAt: new Date(NOW - 13 * HOUR).toISOString() }), {
      ...wanted,
      fullReadEveryMs: 12 * HOUR,
    });
    expect(use).toMatchObject({ use: false });
  });
});

describe('what the write events touched', () => {
  const at = new Date(NOW - HOUR);
  const write = (eventName: string, requestParameters: Record<string, unknown>, extra = {}): TrailWrite => ({
    eventName,
    eventSource: DELTA_EVENT_SOURCES[eventName]![0]!,
    eventTime: at,
    requestParameters,
    responseElements: null,
    ...extra,
  });

  it('an assignment created or deleted touches its place; one in another instance is not ours', () => {
    const touched = touchedBy(
      [
        write('CreateAccountAssignment', {
          instanceArn: INSTANCE,
          targetId: '111111111111',
          permissionSetArn: PS,
        }),
        write('DeleteAccountAssignment', {
          instanceArn: INSTANCE,
          targetId: '222222222222',
          permissionSetArn: PS2,
        }),
        write('CreateAccountAssignment', {
          instanceArn: OTHER_INSTANCE,
          targetId: '333333333333',
          permissionSetArn: PS,
        }),
      ],
      snapshot(),
    );
    expect([...touched.places].sort()).toEqual(
      [placeKey('111111111111', PS), placeKey('222222222222', PS2)].sort(),
    );
  });

  it('a provisioning to an account touches that place and its set; a permission set edited is named, no place', () => {
    const touched = touchedBy(
      [
        write('ProvisionPermissionSet', {
          instanceArn: INSTANCE,
          targetId: '222222222222',
          permissionSetArn: PS2,
        }),
        write('PutInlinePolicyToPermissionSet', { instanceArn: INSTANCE, permissionSetArn: PS }),
      ],
      snapshot(),
    );
    expect([...touched.places]).toEqual([placeKey('222222222222', PS2)]);
    expect([...touched.permissionSets].sort()).toEqual([PS, PS2].sort());
  });

  it('a membership added touches its group; one removed touches the group that held the membership, or every group when none did', () => {
    const added = touchedBy(
      [write('CreateGroupMembership', { groupId: GROUP, memberId: { userId: BOB } })],
      snapshot(),
    );
    expect([...added.groups]).toEqual([GROUP]);
    const removed = touchedBy(
      [write('DeleteGroupMembership', { membershipId: 'membership-alice' })],
      snapshot(),
    );
    expect([...removed.groups]).toEqual([GROUP]);
    expect(removed.everyGroup).toBe(false);
    const unknown = touchedBy(
      [write('DeleteGroupMembership', { membershipId: 'membership-who' })],
      snapshot(),
    );
    expect(unknown.everyGroup).toBe(true);
  });

  it('an event whose parameters are not what a write of its name carries touches everything it could', () => {
    const touched = touchedBy(
      [
        write('CreateAccountAssignment', {
          instanceArn: INSTANCE,
          targetId: 'not-an-account',
          permissionSetArn: PS,
        }),
      ],
      snapshot(),
    );
    expect(touched.unreadable).toBe(1);
  });
});

describe('what the write events touched, as AWS records them: by source, and records that name no group', () => {
  const at = new Date(NOW - HOUR);
  const from = (
    eventSource: string,
    eventName: string,
    requestParameters: Record<string, unknown>,
  ): TrailWrite => ({
    eventName,
    eventSource,
    eventTime: at,
    requestParameters,
    responseElements: null,
  });
  const STORE = 'identitystore.amazonaws.com';
  const CONSOLE = 'sso-directory.amazonaws.com';
  const SCIM = 'identitystore-scim.amazonaws.com';

  it("IAM's DeleteGroup and DeleteUser share the Identity Store's names, and touch nothing", () => {
    const touched = touchedBy(
      [
        from('iam.amazonaws.com', 'DeleteGroup', { groupName: 'Admins' }),
        from('iam.amazonaws.com', 'DeleteUser', { userName: 'bob' }),
        from('iam.amazonaws.com', 'CreateGroupMembership', {}),
      ],
      snapshot(),
    );
    expect(touched).toMatchObject({ unreadable: 0, everyGroup: false, ignored: 3 });
    expect([...touched.groups, ...touched.deletedGroups, ...touched.deletedUsers]).toEqual([]);
  });

  it("the console's AddMemberToGroup and RemoveMemberFromGroup touch the group they name", () => {
    const touched = touchedBy(
      [
        from(CONSOLE, 'AddMemberToGroup', { groupId: GROUP, member: { memberId: BOB } }),
        from(CONSOLE, 'RemoveMemberFromGroup', { groupId: GROUP, member: { memberId: ALICE } }),
      ],
      snapshot(),
    );
    expect([...touched.groups]).toEqual([GROUP]);
    expect(touched.everyGroup).toBe(false);
  });

  it("SCIM's PatchGroup, its members hidden, touches the group it names; a record that names no group touches every group, and says why", () => {
    const hidden = {
      Operations: [{ op: 'add', path: 'members', value: [{ value: 'HIDDEN_DUE_TO_SECURITY_REASONS' }] }],
    };
    const named = touchedBy([from(SCIM, 'PatchGroup', { groupId: GROUP, httpBody: hidden })], snapshot());
    expect([...named.groups]).toEqual([GROUP]);
    const unnamed = touchedBy([from(SCIM, 'PatchGroup', { httpBody: hidden })], snapshot());
    expect(unnamed.everyGroup).toBe(true);
    expect(unnamed.everyGroupWhy).toMatch(/PatchGroup .*names no group/);
  });

  it('a failed write changes nothing and touches nothing', () => {
    const touched = touchedBy(
      [
        {
          ...from(STORE, 'DeleteGroupMembership', { membershipId: 'membership-who' }),
          errorCode: 'ResourceNotFoundException',
        },
      ],
      snapshot(),
    );
    expect(touched.everyGroup).toBe(false);
  });

  it('a DeleteGroupMembership resolves by the membership ID a removed row keeps for 24 hours', () => {
    const kept = snapshot({
      removedMemberships: {
        'membership-bob': { group: GROUP, user: BOB, removedAt: new Date(NOW - HOUR).toISOString() },
      },
    });
    const touched = touchedBy(
      [from(STORE, 'DeleteGroupMembership', { membershipId: 'membership-bob' })],
      kept,
    );
    expect([...touched.groups]).toEqual([GROUP]);
    expect(touched.everyGroup).toBe(false);
  });

  it("DeleteGroup and DeleteUser from every source: the group's member rows go with it, the user's rows go, no place is touched", () => {
    const OTHER_GROUP = '1234567890-dddddddd-1111-2222-3333-444444444444';
    const base = snapshot({
      groups: { [GROUP]: { [ALICE]: 'membership-alice' }, [OTHER_GROUP]: { [ALICE]: 'm-a2', [BOB]: 'm-b2' } },
    });
    for (const source of [STORE, CONSOLE, SCIM]) {
      const touched = touchedBy(
        [from(source, 'DeleteGroup', { groupId: GROUP }), from(source, 'DeleteUser', { userId: BOB })],
        base,
      );
      expect([...touched.deletedGroups]).toEqual([GROUP]);
      expect([...touched.deletedUsers]).toEqual([BOB]);
      expect(touched.places.size).toBe(0);
      expect(keptGroups(base, touched)).toEqual({ [GROUP]: {}, [OTHER_GROUP]: { [ALICE]: 'm-a2' } });
    }
  });

  it('keeps a principal with its name until CloudTrail says it was renamed, deleted, or its group patched by SCIM', () => {
    const base = snapshot({
      principals: {
        [ALICE]: { principalType: 'USER', name: 'alice' },
        [BOB]: { principalType: 'USER', name: 'bob' },
        [GROUP]: { principalType: 'GROUP', name: 'Deployers' },
      },
    });
    expect(Object.keys(keptPrincipals(base, touchedBy([], base))).sort()).toEqual([ALICE, BOB, GROUP].sort());
    const touched = touchedBy(
      [
        from(CONSOLE, 'UpdateUser', { userId: ALICE }),
        from(SCIM, 'PatchGroup', { groupId: GROUP, httpBody: {} }),
      ],
      base,
    );
    expect(Object.keys(keptPrincipals(base, touched))).toEqual([BOB]);
    expect(keptPrincipals(base, touchedBy([from(STORE, 'UpdateUser', {})], base))).toEqual({});
    expect(
      parseSnapshot(
        asStored(snapshot({ principals: { [ALICE]: { principalType: 'ROLE', name: 'x' } } as never })),
      ),
    ).toMatch(/its principal .* is not a USER or GROUP/);
  });

  it('keeps the rows a re-read no longer finds as removed memberships for 24 hours, then forgets them', () => {
    const previous = snapshot({
      groups: { [GROUP]: { [ALICE]: 'membership-alice', [BOB]: 'membership-bob' } },
      removedMemberships: {
        'm-old': { group: GROUP, user: BOB, removedAt: new Date(NOW - 25 * HOUR).toISOString() },
        'm-recent': { group: GROUP, user: ALICE, removedAt: new Date(NOW - 2 * HOUR).toISOString() },
      },
    });
    expect(removedMemberships(previous, { [GROUP]: { [ALICE]: 'membership-alice' } }, NOW)).toEqual({
      'm-recent': { group: GROUP, user: ALICE, removedAt: new Date(NOW - 2 * HOUR).toISOString() },
      'membership-bob': { group: GROUP, user: BOB, removedAt: new Date(NOW).toISOString() },
    });
  });
});

describe('the snapshot after a run, and what it missed', () => {
  it('replaces the re-read places, keeps the others, and moves the watermark but not the complete read', () => {
    const reread = new Map([
      [placeKey('222222222222', PS), [{ principalType: 'USER' as const, principalId: BOB }]],
    ]);
    const next = mergedSnapshot(snapshot(), { places: reread, watermark: new Date(NOW), groups: new Map() });
    expect(next.places[placeKey('222222222222', PS)]).toEqual([{ principalType: 'USER', principalId: BOB }]);
    expect(next.places[placeKey('111111111111', PS)]).toEqual(
      snapshot().places[placeKey('111111111111', PS)],
    );
    expect(next.watermark).toBe(new Date(NOW).toISOString());
    expect(next.completeReadAt).toBe(snapshot().completeReadAt);
  });

  it('lists what a complete read found that the snapshot and its deltas did not, either way', () => {
    const complete = new Map([
      [placeKey('111111111111', PS), [{ principalType: 'USER' as const, principalId: BOB }]],
      [placeKey('222222222222', PS), []],
      [placeKey('111111111111', PS2), [{ principalType: 'GROUP' as const, principalId: GROUP }]],
    ]);
    expect(missedBy(snapshot(), complete, new Set())).toEqual([
      {
        kind: 'assignment',
        accountId: '111111111111',
        permissionSetArn: PS,
        principalType: 'USER',
        principalId: BOB,
        was: 'absent',
        change: 'added',
      },
      {
        kind: 'assignment',
        accountId: '111111111111',
        permissionSetArn: PS,
        principalType: 'USER',
        principalId: ALICE,
        was: 'present',
        change: 'removed',
      },
    ]);
    // A place the deltas touched was re-read, not taken from the snapshot: nothing of it was missed.
    expect(missedBy(snapshot(), complete, new Set([placeKey('111111111111', PS)]))).toEqual([]);
  });

  it('lists the group members a complete read found otherwise, where no write named the group, deleted it or its user', () => {
    const OTHER_GROUP = '1234567890-dddddddd-1111-2222-3333-444444444444';
    const kept = { [GROUP]: { [ALICE]: 'm-a' }, [OTHER_GROUP]: { [BOB]: 'm-b' } };
    const read = { [GROUP]: { [BOB]: 'm-b1' }, [OTHER_GROUP]: {} };
    const none = {
      everyGroup: false,
      groups: new Set<string>(),
      deletedGroups: new Set<string>(),
      deletedUsers: new Set<string>(),
    };
    expect(missedMemberships(kept, read, none)).toEqual([
      { kind: 'membership', groupId: GROUP, userId: ALICE, change: 'removed' },
      { kind: 'membership', groupId: GROUP, userId: BOB, change: 'added' },
      { kind: 'membership', groupId: OTHER_GROUP, userId: BOB, change: 'removed' },
    ]);
    // Explained: a write named the group, deleted it, or deleted the user.
    expect(missedMemberships(kept, read, { ...none, groups: new Set([GROUP]) })).toEqual([
      { kind: 'membership', groupId: OTHER_GROUP, userId: BOB, change: 'removed' },
    ]);
    expect(
      missedMemberships(kept, read, {
        ...none,
        deletedGroups: new Set([GROUP]),
        deletedUsers: new Set([BOB]),
      }),
    ).toEqual([]);
    // A write that named no group: the delta read every group again, so nothing was missed.
    expect(missedMemberships(kept, read, { ...none, everyGroup: true })).toEqual([]);
    // A group not read now says nothing of its members.
    expect(missedMemberships(kept, { [GROUP]: { [ALICE]: 'm-a' } }, none)).toEqual([]);
  });
});
