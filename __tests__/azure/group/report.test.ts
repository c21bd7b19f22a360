// A report of `group:` targets against the emulated Entra and Graph (PIM for groups), through the
// real credential: each membership a row `group: <name>`, role member or owner, active or eligible,
// since and by whom, held as the request that made it proves; a scope target reads no group.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { AzureAccessReader } from '../../../src/azure/access-reader.js';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import type { AzureManifestSection } from '../../../src/core/manifest/types.js';
import type { ReportManifest } from '../../../src/engine/run/access-reader.js';
import { runTicket, type GroupMembershipWrite, groupPimOf } from '../../../src/azure/graph/group-pim.js';
import { groupHeld } from '../../../src/azure/group/held.js';
import { parseAzureScope, type AzureScope } from '../../../src/core/azure-scope.js';
import { parseDuration, type Duration } from '../../../src/core/duration.js';
import type { ReportRequest } from '../../../src/core/inputs/index.js';
import { accessRows } from '../../../src/operations/report/access-rows.js';
import { runKeyOf, type RunState } from '../../../src/core/claims/claims.js';
import { claimVerdict } from '../../../src/core/claims/live.js';
import { emulatedArm, OBJECT_ID, PRINCIPAL, SCOPE } from '../../harness/emulated-arm.js';
import { signedInSession } from '../../harness/arm-driver.js';

const arm = emulatedArm();
const REPOSITORY = 'octo-org/octo-repo';
const RUN = { repository: REPOSITORY, repositoryId: '42', serverUrl: 'https://github.com' };
const OTHER = '99999999-9999-4999-8999-999999999999';
const PERMISSIONS = [
  'User.Read.All',
  'GroupMember.Read.All',
  'Application.Read.All',
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
  'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
  'RoleManagementPolicy.Read.AzureADGroup',
];

let group: string;
let alice: string;
let bob: string;
beforeEach(() => {
  arm.az.config.graphRoles = PERMISSIONS;
  group = arm.az.addGroup({ displayName: 'platform-admins' }).id;
  alice = arm.az.addUser({ userPrincipalName: `alice-${Math.random()}@contoso.com` }).id;
  bob = arm.az.addUser({ userPrincipalName: `bob-${Math.random()}@contoso.com` }).id;
  arm.az.setGroupPimPolicy(
    { eligibilityExpirationRequired: false, assignmentExpirationRequired: false },
    { groupId: group },
  );
});

function session() {
  const plan = arm.plan({ principal: PRINCIPAL, target: SCOPE, role: 'Reader' });
  return signedInSession(arm, plan).session;
}

const duration = (text: string): Duration => parseDuration(text) as Duration;
async function member(write: Partial<GroupMembershipWrite>) {
  const pim = groupPimOf(session().directory);
  const request = await pim.write({
    action: 'adminAssign',
    kind: 'active',
    groupId: group,
    principalId: alice,
    access: 'member',
    justification: 'by hand',
    ticket: runTicket('https://github.com/octo-org/octo-repo/actions/runs/42'),
    ...write,
  });
  expect((await pim.follow(request, 'adminAssign')).verdict).toBe('succeeded');
}

async function rowsOf(
  request: Partial<ReportRequest>,
  manifests: ReportManifest<AzureManifestSection>[] = [],
) {
  const report: ReportRequest = {
    manifests: [],
    expandGroups: false,
    compareTo: undefined,
    createdBy: [],
    lookbackSeconds: 0,
    scopes: [],
    groups: [{ kind: 'group', name: 'platform-admins' }],
    ...request,
  };
  const read = await new AzureAccessReader(report, session(), REPOSITORY).read({
    manifests,
    onPlan: () => {},
  });
  // The runs the claims name, as the report's step weighs them once GitHub answers: run 42 is going.
  const going = new Map<string, RunState>([
    [
      runKeyOf({ repository: REPOSITORY, runId: '42', attempt: '1' }),
      { state: 'going', status: 'in_progress' },
    ],
  ]);
  const held = read.held.map((h) =>
    h.runClaim ? { ...h, verdict: claimVerdict(h.runClaim, going, Date.now()) } : h,
  );
  return { rows: accessRows('azure', held, RUN), read };
}

describe('a report of group: targets', () => {
  it('shows each membership as group: <name>, member or owner, active or eligible, since and by', async () => {
    await member({ duration: duration('PT8H') });
    await member({ kind: 'eligible', access: 'owner', principalId: bob });
    const { rows, read } = await rowsOf({});
    const groupRows = rows.filter((r) => r.target === 'group: platform-admins');
    expect(groupRows).toEqual([
      expect.objectContaining({
        principalId: alice,
        role: 'member',
        roleId: 'member',
        targetId: group,
        kind: 'azure-group-active',
        grantedAt: expect.any(String),
        grantedBy: expect.stringContaining(OBJECT_ID),
        expiresAt: expect.any(String),
      }),
      expect.objectContaining({ principalId: bob, role: 'owner', kind: 'azure-group-eligible' }),
    ]);
    expect(read.cover?.targets).toEqual([`group:${group}`]);
  });

  it('classes memberships made by someone else time-bound when they end, foreign when they do not', async () => {
    await member({ duration: duration('PT8H') });
    await member({ principalId: bob });
    const { rows } = await rowsOf({ createdBy: [OTHER] });
    expect(rows.map((r) => [r.principalId, r.held])).toEqual(
      expect.arrayContaining([
        [alice, 'time-bound'],
        [bob, 'foreign'],
      ]),
    );
  });

  it('classes the action’s own: a run’s ephemeral one as its claim, a plain assign’s as permanent, a manifest’s as the manifest', async () => {
    await member({ justification: `Granted [cloud-access:${REPOSITORY}:run:42:1:e]` });
    await member({
      principalId: bob,
      justification: `Granted by cloud-access for ${REPOSITORY} run 42 attempt 1 [cloud-access:${REPOSITORY}:run:42:1]`,
    });
    await member({
      access: 'owner',
      justification: `Platform [cloud-access:${REPOSITORY}:access/groups.yml]`,
    });
    const { rows } = await rowsOf({});
    const held = (principal: string, role: string) =>
      rows.find((r) => r.principalId === principal && r.role === role);
    expect(held(alice, 'member')).toMatchObject({
      held: 'ephemeral',
      live: true,
      run: expect.stringContaining('42'),
    });
    expect(held(bob, 'member')).toMatchObject({ held: 'permanent' });
    expect(held(alice, 'owner')).toMatchObject({ held: 'manifest', manifest: 'access/groups.yml' });
  });

  it('a manifest’s membership given with `manifest` is the manifest’s at the line that lists it; one no entry lists is said so', async () => {
    const marked = `Platform [cloud-access:${REPOSITORY}:access/groups.yml]`;
    await member({ justification: marked });
    await member({ principalId: bob, justification: marked });
    const parsed = parseManifest(
      'access/groups.yml',
      `version: 1\nazure:\n  manages: {groups: ['${group}']}\n  groups:\n    - group: '${group}'\n      members:\n        - '${alice}'\n`,
    );
    if (!('manifest' in parsed)) throw new Error(JSON.stringify(parsed.problems));
    const { rows } = await rowsOf({ manifests: ['access/groups.yml'] }, [
      { path: 'access/groups.yml', section: parsed.manifest.azure! },
    ]);
    const rowOf = (principal: string) => rows.find((r) => r.principalId === principal);
    expect(rowOf(alice)).toMatchObject({ held: 'manifest', manifest: 'access/groups.yml', manifestLine: 7 });
    expect(rowOf(bob)).toMatchObject({
      held: 'foreign',
      warning: 'its justification claims manifest `access/groups.yml`, but none of its entries lists it',
    });
  });

  it('`role: owner` shows the owners only', async () => {
    await member({});
    await member({ access: 'owner', principalId: bob });
    for (const name of ['owner', 'Owner']) {
      const { rows } = await rowsOf({ roles: [{ kind: 'name', name }] });
      expect(rows.map((r) => [r.principalId, r.role])).toEqual([[bob, 'owner']]);
    }
  });

  it('reads no group for a scope target', async () => {
    await member({});
    const { rows } = await rowsOf({ groups: [], scopes: [parseAzureScope(SCOPE) as AzureScope] });
    expect(rows.filter((r) => r.kind.startsWith('azure-group'))).toEqual([]);
  });
});

describe('a membership whose request Graph no longer returns', () => {
  it('is foreign, even with an end, and says why', () => {
    const held = groupHeld(
      {
        membership: {
          id: 'i',
          kind: 'active',
          groupId: group,
          principalId: alice,
          access: 'member',
          start: '2026-01-01T00:00:00Z',
          end: '2099-01-01T00:00:00Z',
          scheduleId: 's',
          createdUsing: undefined,
          memberType: 'direct',
        },
        unproven: 'Graph no longer returns the request that made it (r)',
      },
      new Map(),
      { createdBy: new Set([OBJECT_ID]), shown: OBJECT_ID, repository: REPOSITORY },
    );
    const [row] = accessRows('azure', [held], RUN);
    expect(row).toMatchObject({ held: 'foreign', warning: expect.stringContaining('no longer returns') });
  });
});
