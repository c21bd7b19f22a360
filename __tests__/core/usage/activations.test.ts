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
  const join = (rows: ActivatedRow[], requests: ListedRequest[], grantedAt: string | null = null) => {
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
