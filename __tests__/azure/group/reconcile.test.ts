// A reconcile's plan of a managed group's memberships (src/azure/group/reconcile.ts) against the
// emulated Graph: a membership the file does not list is drift, but one a live, proven claim holds
// (a running job's ephemeral membership, whose request `created-by` sent) is left in place.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { runTicket, groupPimOf } from '../../../src/azure/graph/group-pim.js';
import { MEMBERSHIP_WORDS, planGroupMemberships } from '../../../src/azure/group/reconcile.js';
import { runKeyOf, type RunState } from '../../../src/core/claims/claims.js';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import type { AzureManifestSection } from '../../../src/core/manifest/types.js';
import {
  emulatedArm,
  OBJECT_ID,
  PRINCIPAL,
  SCOPE,
  GROUP_PIM_GRAPH_ROLES,
} from '../../harness/emulated-arm.js';
import { signedInSession } from '../../harness/arm-driver.js';

const arm = emulatedArm();
const REPOSITORY = 'octo-org/octo-repo';

let group: string;
let users: string[];
beforeEach(() => {
  arm.az.config.graphRoles = [...GROUP_PIM_GRAPH_ROLES];
  group = arm.az.addGroup({ displayName: `managed-${Math.random()}` }).id;
  arm.az.setGroupPimPolicy({ assignmentExpirationRequired: false }, { groupId: group });
  users = [0, 1, 2].map(
    (i) => arm.az.addUser({ userPrincipalName: `r${i}-${Math.random()}@contoso.com` }).id,
  );
});

const directory = () =>
  signedInSession(arm, arm.plan({ principal: PRINCIPAL, target: SCOPE, role: 'Reader' })).session.directory;

async function member(principalId: string, justification: string) {
  const pim = groupPimOf(directory());
  const request = await pim.write({
    action: 'adminAssign',
    kind: 'active',
    groupId: group,
    principalId,
    access: 'member',
    justification,
    ticket: runTicket('https://github.com/octo-org/octo-repo/actions/runs/1'),
  });
  await pim.follow(request, 'adminAssign');
}

const section = (listed: string): AzureManifestSection => {
  const parsed = parseManifest(
    'access.yml',
    `version: 1\nazure:\n  manages: {groups: ['${group}']}\n  groups:\n    - {group: '${group}', members: ['${listed}']}\n`,
  );
  if (!('manifest' in parsed)) throw new Error(JSON.stringify(parsed.problems));
  return parsed.manifest.azure!;
};

const runs = new Map<string, RunState>([
  [
    runKeyOf({ repository: REPOSITORY, runId: '42', attempt: '1' }),
    { state: 'going', status: 'in_progress' },
  ],
  [
    runKeyOf({ repository: REPOSITORY, runId: '43', attempt: '1' }),
    { state: 'completed', conclusion: 'success' },
  ],
]);

describe('a managed group’s memberships the file does not list', () => {
  it('are ended as drift, but a running job’s ephemeral one, proven by its request’s sender, is left in place', async () => {
    const [listed, going, ended] = users as [string, string, string];
    await member(going, `Granted [cloud-access:${REPOSITORY}:run:42:1:e]`);
    await member(ended, `Granted [cloud-access:${REPOSITORY}:run:43:1:e]`);
    const plan = await planGroupMemberships({
      directory: directory(),
      section: section(listed),
      marker: `cloud-access:${REPOSITORY}:access.yml`,
      judge: { createdBy: new Set([OBJECT_ID]), shown: OBJECT_ID, repository: REPOSITORY },
      readRuns: async () => runs,
      now: Date.now(),
      pimOnboard: false,
    });
    expect(plan?.problems).toEqual([]);
    expect(plan?.counts?.counts).toEqual({ create: 1, delete: 1, unchanged: 0, claimed: 1, unknown: 0 });
    // Its deletes are counted, and its changes shown, as memberships (a refusal's count, the summary).
    expect(plan?.words).toBe(MEMBERSHIP_WORDS);
    expect(plan?.writes.map((w) => [w.change, (w.item as { principalId: string }).principalId])).toEqual([
      ['create', listed],
      ['delete', ended],
    ]);
    expect(plan?.lines).toContainEqual(expect.stringMatching(new RegExp(`^= ${going} .*kept`)));
  });
});
