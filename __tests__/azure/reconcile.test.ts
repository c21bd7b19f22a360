// The Azure reconciler's read, over an ARM session that answers with chosen lists: what it keys a
// listed assignment by. The end-to-end plans against the emulator are in
// __tests__/e2e/azure-reconcile*.test.ts.
import { describe, expect, it } from '@jest/globals';
import type { RoleAssignment } from '@azure/arm-authorization';
import type { ArmSession } from '../../src/azure/arm/session.js';
import { AzureReconciler } from '../../src/azure/reconcile.js';
import { ArmError } from '../../src/azure/sdk/arm-errors.js';
import { parseAzureScope, type AzureScope } from '../../src/core/azure-scope.js';
import type { AzureSettings } from '../../src/core/inputs/index.js';
import type { AzureManifestSection } from '../../src/core/manifest/types.js';
import { keyedAs } from '../../src/core/plan/assignment-diff.js';
import { emptyStats } from '../../src/engine/calls/driver.js';

const SUB = '11111111-1111-4111-8111-111111111111';
const RG = parseAzureScope(`/subscriptions/${SUB}/resourceGroups/app`) as AzureScope;
const PRINCIPAL = '22222222-2222-4222-8222-222222222222';
const ROLE = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`;
const NAME = '33333333-3333-4333-8333-333333333333';
const MARKER = 'cloud-access:octo-org/octo-repo:access/prod.yml';

/**
 * A session whose role assignment list answers `listed` (one page), and whose eligibility list
 * answers none, or fails with `eligibilities` when given.
 */
function sessionListing(listed: RoleAssignment[], eligibilities?: Error): ArmSession {
  const pages = (items: unknown[]) => ({
    byPage: async function* () {
      yield items;
    },
    [Symbol.asyncIterator]: async function* () {
      yield* items;
    },
  });
  const client = {
    roleAssignments: { listForScope: () => pages(listed) },
    roleEligibilitySchedules: { listForScope: () => pages([]) },
  };
  return {
    stats: emptyStats(),
    objectId: undefined,
    directory: { resolvedNames: () => [] },
    send: async (operation: string, _scope: unknown, call: (c: unknown, signal: AbortSignal) => unknown) => {
      if (eligibilities && operation === 'RoleEligibilitySchedules_ListForScope') throw eligibilities;
      return call(client, new AbortController().signal);
    },
  } as unknown as ArmSession;
}

const section: AzureManifestSection = {
  cloud: 'azure',
  line: 1,
  manages: {
    line: 2,
    scopes: [{ written: RG.scope, value: RG, line: 3 }],
    mode: 'full',
    exceptions: [],
    allowDeleteAll: false,
    groups: [],
  },
  assignments: [],
  groups: [],
};

describe('readCurrent', () => {
  it.each([
    ['with a trailing slash', `${RG.scope}/`],
    ['in another case', RG.scope.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/')],
  ])(
    'keys a listed assignment whose scope ARM wrote %s as the manifest keys that scope, so the plan keeps it rather than delete and create it',
    async (_, listedScope) => {
      const session = sessionListing([
        {
          id: `${listedScope.replace(/\/$/, '')}/providers/Microsoft.Authorization/roleAssignments/${NAME}`,
          name: NAME,
          scope: listedScope,
          principalId: PRINCIPAL,
          principalType: 'User',
          roleDefinitionId: ROLE,
        },
      ]);
      const reconciler = new AzureReconciler({} as AzureSettings, section, session, MARKER);
      const desired = keyedAs('azure-role-assignment', {
        principalId: PRINCIPAL,
        principalType: 'User',
        roleId: ROLE,
        targetId: RG.scope,
        target: RG,
      });
      const { current } = await reconciler.readCurrent([]);
      expect(current.map((c) => c.key)).toEqual([desired.key]);
    },
  );
});

describe('the eligibilities a reconcile reads beside the role assignments', () => {
  const denied = new ArmError('AuthorizationFailed: no roleEligibilitySchedules/read', { statusCode: 403 });
  const eligible = {
    ...keyedAs('azure-pim-eligible', {
      principalId: PRINCIPAL,
      principalType: 'User',
      roleId: ROLE,
      targetId: RG.scope,
      target: RG,
    }),
    written: { principal: PRINCIPAL, role: 'Reader', target: RG.scope },
    line: 9,
    managed: true,
    settings: {
      principalType: 'User' as const,
      description: 'd',
      condition: undefined,
      conditionVersion: undefined,
    },
  };

  it('plans without them, saying why, when ARM refuses their read and no entry is eligible', async () => {
    const reconciler = new AzureReconciler({} as AzureSettings, section, sessionListing([], denied), MARKER);
    const { current, read, problems } = await reconciler.readCurrent([]);
    expect(current).toEqual([]);
    expect(problems).toEqual([]);
    expect(read).toEqual({
      strategy: 'one paged role assignment list and one eligibility schedule list per scope (1)',
      calls: 2,
      alternatives: [],
    });
    const { notes } = await reconciler.names([], []);
    expect(notes).toEqual([
      expect.stringMatching(
        /^PIM eligibilities were not read \(AuthorizationFailed: no roleEligibilitySchedules\/read\): none is planned; a `type: eligible` entry needs/,
      ),
    ]);
  });

  it('stops the plan when ARM refuses their read and an entry is eligible', async () => {
    const reconciler = new AzureReconciler({} as AzureSettings, section, sessionListing([], denied), MARKER);
    await expect(reconciler.readCurrent([eligible])).rejects.toBe(denied);
  });

  it("stops the plan when their read fails on ARM's side", async () => {
    const failed = new ArmError('InternalServerError', { statusCode: 500 });
    const reconciler = new AzureReconciler({} as AzureSettings, section, sessionListing([], failed), MARKER);
    await expect(reconciler.readCurrent([])).rejects.toBe(failed);
  });
});
