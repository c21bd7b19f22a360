// An eligible membership of a group's last use is its principal's newest activation of it
// (src/core/usage/group-activations.ts): a selfActivate request Graph lists that ended Provisioned,
// by the row's principal, for its group and access; a denied, failed or pending request, an admin's
// request, another person, group or access is no use of it; a field of the wrong shape is
// malformed, never a use. Joined as the report joins every use (core/usage/last-used.ts).
import { describe, expect, it } from '@jest/globals';
import {
  groupActivationOf,
  groupActivationSignIns,
  groupActivationsOf,
  type GroupActivatedRow,
  type ListedGroupRequest,
} from '../../../src/core/usage/group-activations.js';
import { usageOf } from '../../../src/core/usage/last-used.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');
const GROUP = '6e0c8a52-3b1d-4f7e-9a20-5c4d3e2f1a0b';
const OTHER_GROUP = '7f1d9b63-4c2e-4a8f-8b31-6d5e4f3a2b1c';
const ALICE = '0a11ce00-1b2c-4d3e-8f40-5a6b7c8d9e01';
const BOB = '0b0b0000-1b2c-4d3e-8f40-5a6b7c8d9e02';
let ids = 0;
const id = () => `fea7a502-9a96-4806-a26f-${String(++ids).padStart(12, '0')}`;

/** A request in the shape of Graph's privilegedAccessGroupAssignmentScheduleRequest. */
const request = (fields: ListedGroupRequest = {}): ListedGroupRequest => ({
  id: id(),
  action: 'selfActivate',
  status: 'Provisioned',
  principalId: ALICE,
  groupId: GROUP,
  accessId: 'member',
  createdDateTime: new Date(NOW - 3 * DAY).toISOString(),
  targetScheduleId: `${GROUP}_member_${id()}`,
  ...fields,
});
const row = (fields: Partial<GroupActivatedRow> = {}): GroupActivatedRow => ({
  principalId: ALICE,
  groupId: GROUP,
  access: 'member',
  targetId: GROUP,
  ...fields,
});

describe('what is an activation of a membership', () => {
  it('a selfActivate request that ended Provisioned, its time its createdDateTime', () => {
    const r = request({ principalId: ALICE.toUpperCase() });
    expect(groupActivationOf(r)).toEqual({
      activation: { id: r.id, at: NOW - 3 * DAY, principalId: ALICE, groupId: GROUP, access: 'member' },
    });
  });

  it.each(['Denied', 'Failed', 'Canceled', 'PendingApproval', 'PendingProvisioning', undefined])(
    'a request that ended %s activated nothing',
    (status) => {
      expect(groupActivationOf(request({ status }))).toEqual({ notAUse: 'error' });
    },
  );

  it.each(['adminAssign', 'adminUpdate', 'adminExtend', 'selfDeactivate', 'selfExtend', undefined])(
    'a %s request is no use',
    (action) => {
      expect(groupActivationOf(request({ action }))).toEqual({ notAUse: 'other-event' });
    },
  );

  it.each<[string, ListedGroupRequest]>([
    ['an ID that is no GUID', { id: 'x' }],
    ['no principal', { principalId: undefined }],
    ['a group that is no GUID', { groupId: `${GROUP}/../x` }],
    ['an access neither member nor owner', { accessId: 'admin' }],
    ['a time that is no time', { createdDateTime: 'yesterday' }],
    ['a time of another type', { createdDateTime: 12 }],
  ])('%s is malformed, never a use', (_, fields) => {
    expect(groupActivationOf(request(fields))).toEqual({ notAUse: 'malformed' });
  });

  it('counts what is no use by why', () => {
    const read = groupActivationsOf([
      request(),
      request({ status: 'Denied' }),
      request({ action: 'adminAssign' }),
      request({ id: 1 }),
    ]);
    expect(read.activations).toHaveLength(1);
    expect(read.notUses).toEqual({ error: 1, 'other-event': 1, malformed: 1 });
  });
});

describe('whose row an activation is a use of', () => {
  const joined = (rows: GroupActivatedRow[], requests: ListedGroupRequest[], windowMs = 30 * DAY) => {
    const { signIns, roleNames } = groupActivationSignIns(rows, groupActivationsOf(requests).activations);
    return usageOf(
      rows.map((r) => ({
        principalKind: 'user',
        principalId: r.principalId,
        roleId: r.access,
        targetId: r.targetId,
        grantedAt: '2025-01-01T00:00:00Z',
      })),
      { signIns, since: NOW - 30 * DAY, now: NOW, windowMs, setNames: roleNames, members: new Map() },
    ).usage;
  };

  it("the row of the principal, group and access: its newest activation, and none of another's", () => {
    const older = request({ createdDateTime: new Date(NOW - 9 * DAY).toISOString() });
    const newest = request({ createdDateTime: new Date(NOW - 2 * DAY).toISOString() });
    const [alice, bob] = joined(
      [row(), row({ principalId: BOB })],
      [
        older,
        newest,
        // Not bob's membership: alice's, another group's, an owner's, a denied one.
        request({ groupId: OTHER_GROUP, principalId: BOB }),
        request({ accessId: 'owner', principalId: BOB }),
        request({ principalId: BOB, status: 'Denied' }),
      ],
    );
    expect(alice).toMatchObject({ lastUsed: '2026-05-30T00:00:00Z', lastUsedEvent: newest.id });
    expect(bob!.lastUsed).toMatch(/^none since 2026-05-02T00:00:00Z$/);
  });

  it("an owner's activation is a use of the owner row only", () => {
    const owner = request({ accessId: 'owner' });
    const [member, owns] = joined([row(), row({ access: 'owner' })], [owner]);
    expect(member!.lastUsed).toMatch(/^none since/);
    expect(owns).toMatchObject({ lastUsedEvent: owner.id });
  });

  it('a sign-in goes through the principal itself, never a group it is in', () => {
    const { signIns } = groupActivationSignIns([row()], groupActivationsOf([request()]).activations);
    expect(signIns).toEqual([
      expect.objectContaining({ userId: ALICE, accountId: GROUP, setName: 'member', through: ALICE }),
    ]);
  });
});
