// The group membership kinds (src/core/kinds/azure-pim-group.ts): a membership through PIM
// for groups keyed by its kind, principal, group and access; its IDs saved and read back checked;
// a report's row read as one; a person's removal as one shell-safe Graph request; and a reconcile's
// plan of memberships, through the kind alone.
import { describe, expect, it } from '@jest/globals';
import {
  azureGroupActive,
  azureGroupEligible,
  type GroupMembershipParts,
  type GroupMembershipShape,
} from '../../../src/core/kinds/azure-pim-group.js';
import { kindNamed } from '../../../src/core/kinds/index.js';
import {
  keyedBy,
  planReconcile,
  type CurrentAssignment,
  type DesiredAssignment,
} from '../../../src/core/plan/assignment-diff.js';
import type { WrittenGrant } from '../../../src/core/types.js';

const ALICE = 'aaaaaaaa-0000-4000-8000-000000000001';
const BOB = 'bbbbbbbb-0000-4000-8000-000000000002';
const ADMINS = '99999999-0000-4000-8000-00000000000a';
const REQUEST = '34e963f6-150f-cf79-678c-6fcaf978bb49';
const WRITTEN = {} as WrittenGrant;

describe('the registry', () => {
  it('finds each kind by its name, beside the assignment kinds', () => {
    expect(kindNamed('azure-group-active')).toBe(azureGroupActive);
    expect(kindNamed('azure-group-eligible')).toBe(azureGroupEligible);
  });
});

describe('a membership’s key', () => {
  it('is one for one principal, group and access, whatever the case of the IDs', () => {
    expect(
      azureGroupActive.key({ principalId: ALICE.toUpperCase(), groupId: ADMINS, access: 'member' }),
    ).toBe(azureGroupActive.key({ principalId: ALICE, groupId: ADMINS.toUpperCase(), access: 'member' }));
  });

  it('differs between member and owner, and between active and eligible', () => {
    const member: GroupMembershipParts = { principalId: ALICE, groupId: ADMINS, access: 'member' };
    const keys = new Set([
      azureGroupActive.key(member),
      azureGroupActive.key({ ...member, access: 'owner' }),
      azureGroupEligible.key(member),
    ]);
    expect(keys.size).toBe(3);
    expect([azureGroupActive.assignmentType, azureGroupEligible.assignmentType]).toEqual([
      'active',
      'eligible',
    ]);
  });
});

describe('its saved IDs', () => {
  it('are written and read back as the membership grant, resolved, with the request that made it', () => {
    const ids = {
      cloud: 'azure' as const,
      principalId: ALICE,
      groupId: ADMINS,
      roleId: 'owner' as const,
      name: REQUEST,
    };
    const saved = azureGroupEligible.savedIds.write(ids);
    expect(saved).toEqual({ principalId: ALICE, targetId: ADMINS, roleId: 'owner', name: REQUEST });
    expect(azureGroupEligible.savedIds.read(saved, WRITTEN, undefined)).toEqual({
      cloud: 'azure',
      kind: 'azure-group-eligible',
      written: WRITTEN,
      principal: { kind: 'object', id: ALICE, bare: true },
      group: { kind: 'id', id: ADMINS },
      access: 'owner',
      resolved: ids,
    });
  });

  it('that are no membership’s are refused, saying why', () => {
    const read = (principalId: string, targetId: string, roleId: string) =>
      azureGroupActive.savedIds.read({ principalId, targetId, roleId }, WRITTEN, undefined);
    expect(read('alice', ADMINS, 'member')).toBe('its principal is not a GUID');
    expect(read(ALICE, '/subscriptions/x', 'member')).toBe('its group is not a GUID');
    expect(read(ALICE, ADMINS, 'Reader')).toBe('its access "Reader" is neither member nor owner');
  });
});

describe('a person’s view', () => {
  it('a report’s row is the principal holding member or owner of the group', () => {
    expect(azureGroupActive.partsOfRow({ principalId: ALICE, roleId: 'owner', targetId: ADMINS })).toEqual({
      principalId: ALICE,
      groupId: ADMINS,
      access: 'owner',
    });
  });

  it('removing one by hand is one adminRemove request, its body one shell word', () => {
    const command = azureGroupEligible.removeByHand({
      principalId: ALICE,
      targetId: ADMINS,
      roleId: 'member',
    });
    expect(command).toBe(
      `az rest --method post --url https://graph.microsoft.com/v1.0/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests --body '{"accessId":"member","principalId":"${ALICE}","groupId":"${ADMINS}","action":"adminRemove","justification":"Removed by hand"}'`,
    );
  });
});

describe('a reconcile’s plan of memberships', () => {
  type Shape = GroupMembershipShape<'azure-group-active'>;
  const desired = (parts: GroupMembershipParts, line: number): DesiredAssignment<object, string, Shape> => ({
    ...keyedBy(azureGroupActive, parts),
    target: parts.groupId,
    written: { principal: parts.principalId, role: parts.access, target: parts.groupId },
    line,
    managed: true,
    settings: {},
  });
  const current = (parts: GroupMembershipParts): CurrentAssignment<string, Shape> => ({
    ...keyedBy(azureGroupActive, parts),
    target: parts.groupId,
    managed: true,
    shown: { principal: parts.principalId, role: parts.access, target: parts.groupId },
  });

  it('creates the listed ones, keeps those held, deletes the managed ones no longer listed', () => {
    const plan = planReconcile(
      [
        desired({ principalId: ALICE, groupId: ADMINS, access: 'member' }, 3),
        desired({ principalId: BOB, groupId: ADMINS, access: 'owner' }, 4),
      ],
      [
        current({ principalId: ALICE, groupId: ADMINS, access: 'member' }),
        current({ principalId: BOB, groupId: ADMINS, access: 'member' }),
      ],
    );
    expect(plan.creates.map((c) => [c.principalId, c.access, c.kind])).toEqual([
      [BOB, 'owner', 'azure-group-active'],
    ]);
    expect(plan.unchanged.map((c) => c.principalId)).toEqual([ALICE]);
    expect(plan.deletes.map((d) => [d.principalId, d.access])).toEqual([[BOB, 'member']]);
  });
});
