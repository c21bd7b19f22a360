// The Azure sweep's pure part: every part of a listed assignment is validated before it is a
// claim, since what ARM answers is taken as hostile (a name, scope or ID that would delete or show
// another place than it seems to, a creator that is no object ID).
import { describe, expect, it } from '@jest/globals';
import type { RoleAssignment } from '@azure/arm-authorization';
import { ROLE_GUIDS } from '../../../emulator/azure/tenant/roles.js';
import { SEED } from '../../../emulator/azure/tenant/state.js';
import { azureClaimsOf } from '../../../src/azure/role-assignment/run-markers.js';

const SUB = SEED.subscriptionId;
const SCOPE = `/subscriptions/${SUB}/resourceGroups/rg-app`;
const PRINCIPAL = 'ce2ce14e-85d7-4629-bdbc-454d0519d987';
const OBJECT_ID = SEED.appObjectId;
const ROLE_DEFINITIONS = '/providers/Microsoft.Authorization/roleDefinitions/';
const MARKER = '[cloud-access:octo-org/octo-repo:run:123:2:e]';
const CREATED_ON = new Date('2025-01-02T03:04:05Z');

describe('azureClaimsOf: what ARM answers is hostile', () => {
  const name = '00000000-aaaa-4bbb-8ccc-000000000001';
  const valid: RoleAssignment = {
    id: `${SCOPE}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    scope: SCOPE,
    principalId: PRINCIPAL,
    principalType: 'User',
    roleDefinitionId: `/subscriptions/${SUB}${ROLE_DEFINITIONS}${ROLE_GUIDS.Reader}`,
    description: MARKER,
    createdBy: OBJECT_ID,
    createdOn: CREATED_ON,
  };
  const createdBy = { ids: new Set([OBJECT_ID]), shown: OBJECT_ID };

  it('takes a well-formed one', () => {
    expect(azureClaimsOf([valid], createdBy)).toMatchObject({ claims: [{ ids: { name } }], seen: 1 });
  });

  it.each<[string, Partial<RoleAssignment>]>([
    [
      'a name that is not a GUID',
      { name: 'x', id: `${SCOPE}/providers/Microsoft.Authorization/roleAssignments/x` },
    ],
    [
      'a scope with `..`',
      { scope: `${SCOPE}/..`, id: `${SCOPE}/../providers/Microsoft.Authorization/roleAssignments/${name}` },
    ],
    ['a scope with an invisible character', { scope: `${SCOPE}\u202e` }],
    ['a scope the parser would normalise', { scope: `${SCOPE}/` }],
    [
      'an ID that names another scope',
      { id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/${name}` },
    ],
    ['no ID', { id: undefined }],
    ['a principal that is not a GUID', { principalId: 'everyone' }],
    ['a role that is not a role definition ID', { roleDefinitionId: `${SCOPE}/../roleDefinitions/x` }],
    ['a creator that is not an object ID', { createdBy: `${OBJECT_ID}\n::error::x` }],
    ['no creation time', { createdOn: undefined }],
    ['a description longer than ARM keeps', { description: `${'x'.repeat(2048)}${MARKER}` }],
  ])('ignores %s', (_, change) => {
    expect(azureClaimsOf([{ ...valid, ...change }], createdBy)).toMatchObject({
      claims: [],
      seen: 1,
      malformed: 1,
    });
  });

  it('acts on no second assignment of one principal, role and scope', () => {
    const second = '00000000-aaaa-4bbb-8ccc-000000000002';
    const twin = {
      ...valid,
      name: second,
      id: `${SCOPE}/providers/Microsoft.Authorization/roleAssignments/${second}`,
    };
    expect(azureClaimsOf([valid, twin], createdBy)).toMatchObject({
      claims: [{ ids: { name } }],
      malformed: 1,
    });
  });

  it('leaves out a principal type it does not know', () => {
    const { claims } = azureClaimsOf([{ ...valid, principalType: 'Everyone' }], createdBy);
    expect(claims[0]?.ids).not.toHaveProperty('principalType');
  });
});

describe('azureClaimsOf: whose markers count', () => {
  const name = '00000000-aaaa-4bbb-8ccc-000000000003';
  const OTHER = '99999999-9999-4999-8999-999999999999';
  const assignment = (change: Partial<RoleAssignment>): RoleAssignment => ({
    id: `${SCOPE}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    scope: SCOPE,
    principalId: PRINCIPAL,
    principalType: 'User',
    roleDefinitionId: `/subscriptions/${SUB}${ROLE_DEFINITIONS}${ROLE_GUIDS.Reader}`,
    description: `deploy ${MARKER}`,
    createdBy: OBJECT_ID,
    createdOn: CREATED_ON,
    updatedBy: OBJECT_ID,
    updatedOn: CREATED_ON,
    ...change,
  });
  const createdBy = { ids: new Set([OBJECT_ID]), shown: OBJECT_ID };
  const claimOf = (change: Partial<RoleAssignment>) =>
    azureClaimsOf([assignment(change)], createdBy).claims[0];

  it('holds a marker only while `created-by` also wrote it last: a description edited by another identity proves nothing', () => {
    expect(claimOf({})?.standing).toEqual({ holds: true });
    expect(claimOf({ updatedBy: OTHER })?.standing).toEqual({
      holds: false,
      kind: 'unproven',
      reason: expect.stringContaining(`last written by ${OTHER} (updatedBy, at `),
      // A run's grant that another identity wrote: stuck once its runs have ended.
      pinned: { since: expect.any(Number) },
    });
    expect(claimOf({ updatedBy: undefined })?.standing).toMatchObject({ holds: false, kind: 'unproven' });
  });

  it('ignores a last writer that is not an object ID', () => {
    expect(azureClaimsOf([assignment({ updatedBy: 'everyone' })], createdBy)).toMatchObject({
      claims: [],
      malformed: 1,
    });
  });

  it('takes the first marker for the creating run and every later one for a run that relies on it', () => {
    const later = new Date('2025-01-03T00:00:00Z');
    const claim = claimOf({
      description: `deploy ${MARKER} [cloud-access:octo-org/octo-repo:run:456:1:r] [cloud-access:octo-org/octo-repo:run:123:3:r1790000000]`,
      updatedOn: later,
    });
    expect(claim?.standing).toEqual({ holds: true });
    expect(claim?.mark).toEqual({
      run: { repository: 'octo-org/octo-repo', runId: '123', attempt: '2' },
      ephemeral: true,
    });
    expect(claim?.reliers).toEqual([
      {
        run: { repository: 'octo-org/octo-repo', runId: '456', attempt: '1' },
        ephemeral: true,
        madeBy: OBJECT_ID,
        madeAt: later.getTime(),
        evidence: expect.stringContaining('[cloud-access:octo-org/octo-repo:run:456:1:r]'),
      },
      {
        run: { repository: 'octo-org/octo-repo', runId: '123', attempt: '3' },
        ephemeral: true,
        expiresAt: 1790000000,
        madeBy: OBJECT_ID,
        madeAt: later.getTime(),
        evidence: expect.stringContaining(':r1790000000]'),
      },
    ]);
  });

  it('never takes a reliance for a creation: a first marker `:r` is unproven', () => {
    const claim = claimOf({ description: '[cloud-access:octo-org/octo-repo:run:456:1:r]' });
    expect(claim?.standing).toEqual({
      holds: false,
      kind: 'unproven',
      reason: expect.stringContaining('first marker is a reliance'),
    });
  });

  it('takes an expiry no step writes without throwing, for the plan to weigh', () => {
    const claim = claimOf({ description: '[cloud-access:octo-org/octo-repo:run:123:2:e9000000000000]' });
    expect(claim?.mark?.expiresAt).toBe(9000000000000);
    expect(claim?.standing).toEqual({ holds: true });
  });

  it.each([
    ['an expiry no number holds', '[cloud-access:octo-org/octo-repo:run:123:2:e99999999999999999999]'],
    ['a marker without the space a step writes before it', `deploy${MARKER}`],
    ['a space before the first marker with no text', ` ${MARKER}`],
  ])('proves nothing by %s', (_, description) => {
    expect(claimOf({ description })?.standing).toEqual({
      holds: false,
      kind: 'unproven',
      reason: expect.stringContaining('no step writes in that form'),
    });
  });
});
