// An Azure eligibility's last use is its newest PIM activation (src/core/usage/activations.ts): a
// SelfActivate request that ended Provisioned, by the row's principal, for its role (by GUID), at
// the eligibility's own scope; a denied, failed or pending request, another request type, another
// scope or role or principal is no use; a field of the wrong shape is malformed, never a use.
import { describe, expect, it } from '@jest/globals';
import {
  activationOf,
  activationSignIns,
  activationsOf,
  type ActivatedRow,
  type ListedRequest,
} from '../../../src/core/usage/activations.js';
import { usageOf } from '../../../src/core/usage/last-used.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');
const SUB = '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14';
const RG = `${SUB}/resourceGroups/rg-app`;
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const roleId = (guid: string, at = SUB) => `${at}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const ALICE = '0a11ce00-1b2c-4d3e-8f40-5a6b7c8d9e01';
const BOB = '0b0b0000-1b2c-4d3e-8f40-5a6b7c8d9e02';
let names = 0;
const name = () => `fea7a502-9a96-4806-a26f-${String(++names).padStart(12, '0')}`;

const activation = (fields: ListedRequest = {}): ListedRequest => ({
  name: name(),
  requestType: 'SelfActivate',
  status: 'Provisioned',
  principalId: ALICE,
  roleDefinitionId: roleId(READER),
  scope: RG,
  createdOn: new Date(NOW - 3 * DAY),
  ...fields,
});
const row = (fields: Partial<ActivatedRow> = {}): ActivatedRow => ({
  principalId: ALICE,
  roleId: roleId(READER),
  targetId: RG,
  scope: RG,
  ...fields,
});

describe('what is an activation', () => {
  it('a SelfActivate request that ended Provisioned, read from the SDK’s Date or an ISO string', () => {
    const read = activationOf(activation({ createdOn: '2026-05-29T00:00:00Z' }));
    expect(read).toEqual({
      activation: expect.objectContaining({ at: NOW - 3 * DAY, principalId: ALICE, roleGuid: READER }),
    });
    expect(activationOf(activation())).toHaveProperty('activation.at', NOW - 3 * DAY);
  });

  it.each(['Denied', 'AdminDenied', 'Failed', 'Canceled', 'PendingApproval', 'TimedOut', undefined])(
    'a request that ended %s activated nothing',
    (status) => {
      expect(activationOf(activation({ status }))).toEqual({ notAUse: 'error' });
    },
  );

  it.each(['AdminAssign', 'AdminRemove', 'SelfDeactivate', 'SelfExtend', 'selfActivate'])(
    'a %s request is no activation',
    (requestType) => {
      expect(activationOf(activation({ requestType }))).toEqual({ notAUse: 'other-event' });
    },
  );

  it.each<[string, ListedRequest]>([
    ['a name that is no GUID', { name: '::error::forged' }],
    ['a principal that is no object ID', { principalId: 'alice@contoso.com' }],
    ['a role that is no role definition', { roleDefinitionId: '/subscriptions/x/providers/Other/things/y' }],
    ['a scope that is no path', { scope: 'rg-app' }],
    ['no time', { createdOn: 'yesterday' }],
  ])('%s is malformed, never a use', (_, fields) => {
    expect(activationOf(activation(fields))).toEqual({ notAUse: 'malformed' });
  });

  it('counts what is no use by why', () => {
    const { activations, notUses } = activationsOf([
      activation(),
      activation({ status: 'Denied' }),
      activation({ requestType: 'AdminAssign' }),
      activation({ createdOn: null }),
    ]);
    expect(activations).toHaveLength(1);
    expect(notUses).toEqual({ error: 1, 'other-event': 1, malformed: 1 });
  });
});

describe('the join: each eligibility row with its newest activation', () => {
  const join = (
    rows: ActivatedRow[],
    requests: ListedRequest[],
    grantedAt: string | null = '2025-01-01T00:00:00Z',
  ) => {
    const { activations } = activationsOf(requests);
    const { signIns, roleNames } = activationSignIns(rows, activations);
    return usageOf(
      rows.map((r) => ({ ...r, principalKind: 'user', grantedAt })),
      {
        signIns,
        since: NOW - 30 * DAY,
        now: NOW,
        windowMs: 30 * DAY,
        setNames: roleNames,
        members: new Map(),
      },
    ).usage;
  };

  it('takes the newest activation of its principal, role and scope', () => {
    const newest = activation({ createdOn: new Date(NOW - DAY) });
    const [usage] = join([row()], [activation({ createdOn: new Date(NOW - 9 * DAY) }), newest]);
    expect(usage).toEqual({
      lastUsed: '2026-05-31T00:00:00Z',
      lastUsedEvent: newest.name,
      lastUsedBy: null,
      usedBy: null,
    });
  });

  it('matches the role by its GUID whichever prefix ARM echoes, and the principal and scope in any case', () => {
    const [usage] = join(
      [row({ roleId: `/providers/Microsoft.Authorization/roleDefinitions/${READER}` })],
      [activation({ principalId: ALICE.toUpperCase(), scope: RG.toUpperCase() })],
    );
    expect(usage!.lastUsed).toBe('2026-05-29T00:00:00Z');
  });

  it('is none since the evidence’s start when only others activated: another principal, role or scope, or a denied request', () => {
    const [usage] = join(
      [row()],
      [
        activation({ principalId: BOB }),
        activation({ roleDefinitionId: roleId(CONTRIBUTOR) }),
        activation({ scope: SUB }),
        activation({ scope: `${RG}/providers/Microsoft.Storage/storageAccounts/data` }),
        activation({ status: 'Denied', createdOn: new Date(NOW - DAY) }),
      ],
    );
    expect(usage).toEqual({
      lastUsed: 'none since 2026-05-02T00:00:00Z',
      lastUsedEvent: null,
      lastUsedBy: null,
      usedBy: null,
    });
  });

  it('an eligibility inherited from above is used by an activation at its own scope, shown at the target', () => {
    const inherited = row({ scope: SUB, targetId: RG });
    const [usage] = join([inherited], [activation({ scope: SUB })]);
    expect(usage!.lastUsed).toBe('2026-05-29T00:00:00Z');
  });

  it('a row made inside the window and never activated is too new to tell', () => {
    const [usage] = join([row()], [], new Date(NOW - 2 * DAY).toISOString());
    expect(usage!.lastUsed).toBe('too new to tell');
  });
});

describe("a group's eligibility: its members' activations through it", () => {
  const OPS = '0e0e0000-1b2c-4d3e-8f40-5a6b7c8d9e03';
  const AUDITORS = '0a0d0000-1b2c-4d3e-8f40-5a6b7c8d9e04';
  const OPS_SCHEDULE = 'b1477448-2cc6-4ceb-93b4-000000000001';
  const AUDITORS_SCHEDULE = 'b1477448-2cc6-4ceb-93b4-000000000002';
  const ALICES_SCHEDULE = 'b1477448-2cc6-4ceb-93b4-000000000003';
  // Each schedule the report read, by its name, to its principal.
  const schedules = new Map([
    [OPS_SCHEDULE, OPS],
    [AUDITORS_SCHEDULE, AUDITORS],
    [ALICES_SCHEDULE, ALICE],
  ]);
  const members = new Map([
    [
      OPS,
      [
        { id: ALICE, name: 'alice@contoso.com' },
        { id: BOB, name: 'bob@contoso.com' },
      ],
    ],
    [AUDITORS, [{ id: ALICE, name: 'alice@contoso.com' }]],
  ]);
  const opsRow = row({ principalId: OPS, group: true });
  const join = (rows: ActivatedRow[], requests: ListedRequest[]) => {
    const { activations } = activationsOf(requests);
    const { signIns, roleNames } = activationSignIns(rows, activations, schedules);
    return usageOf(
      rows.map((r) => ({
        ...r,
        principalKind: r.group ? 'group' : 'user',
        grantedAt: '2025-01-01T00:00:00Z',
      })),
      { signIns, since: NOW - 30 * DAY, now: NOW, windowMs: 30 * DAY, setNames: roleNames, members },
    ).usage;
  };

  it('is used by the newest member who activated it, with how many members did', () => {
    const bobs = activation({
      principalId: BOB,
      linkedSchedule: OPS_SCHEDULE,
      createdOn: new Date(NOW - DAY),
    });
    const [usage] = join(
      [opsRow],
      [activation({ linkedSchedule: OPS_SCHEDULE, createdOn: new Date(NOW - 5 * DAY) }), bobs],
    );
    expect(usage).toEqual({
      lastUsed: '2026-05-31T00:00:00Z',
      lastUsedEvent: bobs.name,
      lastUsedBy: 'bob@contoso.com',
      usedBy: 2,
    });
  });

  it("a member's activation of their own eligibility, or of another group's, is not this group's use, and the group's is not theirs", () => {
    const own = row();
    const auditors = row({ principalId: AUDITORS, group: true });
    const ownUse = activation({
      linkedSchedule: ALICES_SCHEDULE,
      createdOn: new Date(NOW - DAY),
    });
    const auditorsUse = activation({
      // ARM may give the schedule's full ID: its trailing GUID is the name.
      linkedSchedule: `${SUB}/providers/Microsoft.Authorization/roleEligibilitySchedules/${AUDITORS_SCHEDULE.toUpperCase()}`,
      createdOn: new Date(NOW - 2 * DAY),
    });
    const [ops, alices, auditorsUsage] = join([opsRow, own, auditors], [ownUse, auditorsUse]);
    expect(ops).toMatchObject({ lastUsed: 'none since 2026-05-02T00:00:00Z', usedBy: 0 });
    expect(alices).toMatchObject({ lastUsedEvent: ownUse.name });
    expect(auditorsUsage).toMatchObject({
      lastUsedEvent: auditorsUse.name,
      lastUsedBy: 'alice@contoso.com',
      usedBy: 1,
    });
  });

  it('an activation that names no schedule read is a use of every eligibility of that role and scope the person holds, never of none', () => {
    const unnamed = activation({ principalId: BOB });
    const gone = activation({
      principalId: BOB,
      linkedSchedule: 'b1477448-2cc6-4ceb-93b4-00000000dead',
    });
    expect(join([opsRow], [unnamed])[0]).toMatchObject({ lastUsedEvent: unnamed.name, usedBy: 1 });
    expect(join([opsRow], [gone])[0]).toMatchObject({ lastUsedEvent: gone.name, usedBy: 1 });
  });

  it("a non-member's activation through the group is not counted: the members are the group's as read", () => {
    const carols = activation({
      principalId: '0c0c0000-1b2c-4d3e-8f40-5a6b7c8d9e05',
      linkedSchedule: OPS_SCHEDULE,
    });
    expect(join([opsRow], [carols])[0]).toMatchObject({
      lastUsed: 'none since 2026-05-02T00:00:00Z',
      usedBy: 0,
    });
  });
});
