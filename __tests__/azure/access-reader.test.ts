// The Azure access report against the emulated Entra and ARM, through the real credential and
// @azure/arm-authorization client: a manifest's marker counts only as far as its writers may say
// it (ARM's server-set creator and last writer of `created-by`, and with `manifest` given an entry
// that lists the assignment), and every assignment ARM lists is a row, at a resource group in any
// script ARM allows, or raw with a warning when the action cannot read it.
import { describe, expect, it } from '@jest/globals';
import { ROLE_GUIDS } from '../../emulator/azure/tenant/roles.js';
import { AzureAccessReader } from '../../src/azure/access-reader.js';
import { parseAzureScope, type AzureScope } from '../../src/core/azure-scope.js';
import { parsedManifest } from '../../src/core/check/manifest.js';
import type { ReportRequest } from '../../src/core/inputs/index.js';
import type { AzureManifestSection } from '../../src/core/manifest/types.js';
import { accessRows, type AccessRow } from '../../src/operations/report/access-rows.js';
import { runKeyOf, type RunState } from '../../src/core/claims/claims.js';
import { claimVerdict } from '../../src/core/claims/live.js';
import { emulatedArm, OBJECT_ID, PRINCIPAL, SCOPE, SUB } from '../harness/emulated-arm.js';
import { signedInSession } from '../harness/arm-driver.js';

const arm = emulatedArm();
const OTHER = '99999999-9999-4999-8999-999999999999';
const REPOSITORY = 'octo-org/octo-repo';
const MARKER = `[cloud-access:${REPOSITORY}:access/azure.yml]`;
const RUN = { repository: REPOSITORY, repositoryId: '42', serverUrl: 'https://github.com' };
const principal = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function reader(request: Partial<ReportRequest> = {}, scope = SCOPE) {
  const plan = arm.plan({ principal: PRINCIPAL, target: SCOPE, role: 'Reader' });
  const { session } = signedInSession(arm, plan);
  const report: ReportRequest = {
    manifests: [],
    expandGroups: false,
    compareTo: undefined,
    createdBy: [],
    lookbackSeconds: 0,
    scopes: [parseAzureScope(scope) as AzureScope],
    ...request,
  };
  return new AzureAccessReader(report, session, REPOSITORY);
}

/** The rows a report of `scope` shows, with `manifest` files given as path → text. */
async function rowsOf(
  request: Partial<ReportRequest> = {},
  manifests: Record<string, string> = {},
  scope = SCOPE,
) {
  const sections = Object.entries(manifests).map(([path, text]) => {
    const parsed = parsedManifest({ path, text });
    if (!('manifest' in parsed)) throw new Error(`${path} does not parse`);
    return { path, section: parsed.manifest.azure as AzureManifestSection };
  });
  const read = await reader({ manifests: Object.keys(manifests), ...request }, scope).read({
    manifests: sections,
    onPlan: () => {},
  });
  return { rows: accessRows('azure', read.held, RUN), read };
}

function seed(
  n: number,
  description: string,
  made: { createdBy?: string; updatedBy?: string; scope?: string } = {},
) {
  arm.az.addUser({ id: principal(n), userPrincipalName: `user${n}@contoso.com` });
  return arm.az.addRoleAssignment({
    scope: made.scope ?? SCOPE,
    roleDefinitionId: ROLE_GUIDS.Reader,
    principalId: principal(n),
    principalType: 'User',
    description,
    createdBy: made.createdBy ?? OBJECT_ID,
    ...(made.updatedBy ? { updatedBy: made.updatedBy } : {}),
  });
}
const rowOf = (rows: AccessRow[], n: number) => rows.find((r) => r.principalId === principal(n));

const MANIFEST = `version: 1
azure:
  manages:
    scopes: [${SCOPE}]
  assignments:
    - principal: ${principal(1)}
      role: ${ROLE_GUIDS.Reader}
      target: ${SCOPE}
`;

describe("a manifest's marker in a report", () => {
  it('counts on an assignment the report’s identity created and last wrote', async () => {
    seed(1, `Platform ${MARKER}`);
    const { rows } = await rowsOf();
    expect(rowOf(rows, 1)).toMatchObject({ held: 'manifest', manifest: 'access/azure.yml', warning: null });
  });

  it('proves nothing on an assignment another identity created or last wrote: foreign, named as claiming it', async () => {
    seed(1, `copied by hand ${MARKER}`, { createdBy: OTHER });
    seed(2, `edited ${MARKER}`, { updatedBy: OTHER });
    const { rows } = await rowsOf();
    for (const n of [1, 2])
      expect(rowOf(rows, n)).toMatchObject({
        held: 'foreign',
        manifest: null,
        warning: expect.stringContaining('claims manifest `access/azure.yml`'),
      });
    expect(rowOf(rows, 1)!.warning).toContain(`created by ${OTHER}`);
    expect(rowOf(rows, 2)!.warning).toContain(`last written by ${OTHER}`);
  });

  it('with `manifest` given, counts only where an entry lists the assignment; another repository’s marker is foreign', async () => {
    seed(1, MARKER);
    seed(2, MARKER);
    seed(3, '[cloud-access:someone/else:access/azure.yml]');
    seed(4, `[cloud-access:${REPOSITORY}:access/other.yml]`);
    const { rows } = await rowsOf({}, { 'access/azure.yml': MANIFEST });
    expect(rowOf(rows, 1)).toMatchObject({ held: 'manifest', manifest: 'access/azure.yml', manifestLine: 6 });
    expect(rowOf(rows, 2)).toMatchObject({
      held: 'foreign',
      warning: 'its description claims manifest `access/azure.yml`, but none of its entries lists it',
    });
    expect(rowOf(rows, 3)).toMatchObject({
      held: 'foreign',
      warning: expect.stringMatching(
        /claims manifest `someone\/else:access\/azure\.yml`, which input `manifest` does not give/,
      ),
    });
    expect(rowOf(rows, 4)).toMatchObject({
      held: 'foreign',
      warning: expect.stringContaining(
        'claims manifest `access/other.yml`, which input `manifest` does not give',
      ),
    });
  });
});

describe('a running job’s reliance (`:r` marker) on an assignment it found in place', () => {
  const going = new Map<string, RunState>([
    [
      runKeyOf({ repository: REPOSITORY, runId: '66', attempt: '1' }),
      { state: 'going', status: 'in_progress' },
    ],
  ]);
  /** The class of principal(n)'s row once its run is read, as the report weighs it (operations/report/index.ts). */
  const classOf = (read: Awaited<ReturnType<typeof rowsOf>>['read'], n: number) => {
    const held = read.held.find((h) => h.principal.id === principal(n))!;
    const verdict = held.runClaim ? claimVerdict(held.runClaim, going, Date.now()) : held.verdict;
    return accessRows('azure', [{ ...held, verdict }], RUN)[0]!.held;
  };

  it('is foreign, as a person made it: a reliance is never a creation claim, even while its run goes', async () => {
    seed(5, 'Made by hand [cloud-access:octo-org/octo-repo:run:66:1:r]', {
      createdBy: OTHER,
      updatedBy: OBJECT_ID,
    });
    const { read } = await rowsOf();
    expect(classOf(read, 5)).toBe('foreign');
  });

  it('written by an identity not in `created-by` is foreign', async () => {
    seed(6, 'Made by hand [cloud-access:octo-org/octo-repo:run:66:1:r]', {
      createdBy: OTHER,
      updatedBy: OTHER,
    });
    const { read } = await rowsOf();
    expect(classOf(read, 6)).toBe('foreign');
  });
});

describe('a run’s ephemeral assignment (`:e` marker by `created-by`) keeps its kind whether its claim is live', () => {
  const rowWith = (read: Awaited<ReturnType<typeof rowsOf>>['read'], n: number, state: RunState) => {
    const held = read.held.find((h) => h.principal.id === principal(n))!;
    const states = new Map([[runKeyOf({ repository: REPOSITORY, runId: '67', attempt: '1' }), state]]);
    const verdict = held.runClaim ? claimVerdict(held.runClaim, states, Date.now()) : held.verdict;
    return accessRows('azure', [{ ...held, verdict }], RUN)[0]!;
  };

  it('its run going: ephemeral, live', async () => {
    seed(7, 'Granted by cloud-access [cloud-access:octo-org/octo-repo:run:67:1:e]', {
      createdBy: OBJECT_ID,
      updatedBy: OBJECT_ID,
    });
    const { read } = await rowsOf();
    expect(rowWith(read, 7, { state: 'going', status: 'in_progress' })).toMatchObject({
      held: 'ephemeral',
      live: true,
    });
  });

  it('its run ended: ephemeral, not live, the sweep ends it — never foreign', async () => {
    seed(8, 'Granted by cloud-access [cloud-access:octo-org/octo-repo:run:67:1:e]', {
      createdBy: OBJECT_ID,
      updatedBy: OBJECT_ID,
    });
    const { read } = await rowsOf();
    expect(rowWith(read, 8, { state: 'completed', conclusion: 'success' })).toMatchObject({
      held: 'ephemeral',
      live: false,
      run: expect.stringContaining('/runs/67/'),
      warning: expect.stringMatching(/has completed .*: the sweep ends it$/),
    });
  });
});

describe('every assignment ARM lists is a row', () => {
  const subscription = `/subscriptions/${SUB}`;

  it('at resource groups named in any script ARM allows', async () => {
    seed(1, '', { scope: `${subscription}/resourceGroups/rg-données` });
    seed(2, '', { scope: `${subscription}/resourceGroups/rg-日本` });
    const { rows, read } = await rowsOf({}, {}, subscription);
    expect(rowOf(rows, 1)).toMatchObject({
      targetId: `${subscription}/resourceGroups/rg-données`,
      warning: null,
    });
    expect(rowOf(rows, 2)).toMatchObject({
      targetId: `${subscription}/resourceGroups/rg-日本`,
      warning: null,
    });
    expect(read.notes.join('\n')).not.toMatch(/left out|raw/);
  });

  it('with a description longer than a step writes: its IDs read, its markers not, and why', async () => {
    seed(1, `${'x'.repeat(3000)} ${MARKER}`);
    const { rows } = await rowsOf();
    expect(rowOf(rows, 1)).toMatchObject({
      held: 'foreign',
      principalKind: 'user',
      warning: expect.stringMatching(/description is 3\d{3} characters, longer than the 2048 a step writes/),
    });
  });

  it('one the action cannot read: its raw IDs and why, never left out', async () => {
    const scope = `${subscription}/resourceGroups/rg-☃`;
    seed(1, '', { scope });
    const { rows } = await rowsOf({}, {}, subscription);
    expect(rowOf(rows, 1)).toMatchObject({
      held: 'foreign',
      targetId: scope,
      roleId: expect.stringContaining(ROLE_GUIDS.Reader),
      warning: expect.stringMatching(
        /form the action does not read \(its scope: resource group name `rg-☃` is not valid\)/,
      ),
    });
  });
});

describe('since when, by whom, and from where a grant is held', () => {
  const subscription = `/subscriptions/${SUB}`;
  const CREATOR = '0c0c0c0c-0000-4000-8000-0000000000c1';

  it('says when ARM says it was made, and who made it, named through Microsoft Graph', async () => {
    arm.az.addUser({ id: CREATOR, userPrincipalName: 'carol@contoso.com' });
    arm.az.addUser({ id: principal(1), userPrincipalName: 'user1@contoso.com' });
    arm.az.addRoleAssignment({
      scope: SCOPE,
      roleDefinitionId: ROLE_GUIDS.Reader,
      principalId: principal(1),
      principalType: 'User',
      createdBy: CREATOR,
      createdOn: new Date('2024-01-02T03:04:05Z'),
    });
    const { rows } = await rowsOf();
    expect(rowOf(rows, 1)).toMatchObject({
      grantedAt: '2024-01-02T03:04:05.000Z',
      grantedBy: expect.stringMatching(new RegExp(`carol.*\\(${CREATOR}\\)`)),
      inherited: null,
      target: 'resource group rg-app',
    });
  });

  it('shows an assignment at a management group above the target, inherited from it, for no call more', async () => {
    arm.az.addManagementGroup('mg-platform');
    arm.az.addSubscription(SUB, { managementGroup: 'mg-platform' });
    const mg = '/providers/Microsoft.Management/managementGroups/mg-platform';
    seed(1, '', { scope: mg });
    seed(2, '');
    const { rows, read } = await rowsOf();
    expect(rowOf(rows, 1)).toMatchObject({
      targetId: SCOPE,
      target: 'resource group rg-app',
      inherited: `inherited from ${mg}`,
      held: 'foreign',
    });
    expect(rowOf(rows, 2)).toMatchObject({ targetId: SCOPE, inherited: null });
    // Per target: the role assignments, the PIM instances and the eligibility schedules.
    expect(read.read.calls).toBe(3);
    expect(read.windows?.[0]).toMatchObject({ source: expect.stringContaining('ARM') });
  });

  it('shows an assignment at the root scope `/` inherited from it, its role named and since when, as ARM lists it', async () => {
    const made = new Date('2024-02-03T04:05:06Z');
    arm.az.addUser({ id: principal(1), userPrincipalName: 'user1@contoso.com' });
    arm.az.addRoleAssignment({
      scope: '/',
      roleDefinitionId: ROLE_GUIDS.Reader,
      principalId: principal(1),
      principalType: 'User',
      createdBy: OTHER,
      createdOn: made,
    });
    const { rows } = await rowsOf();
    expect(rowOf(rows, 1)).toMatchObject({
      targetId: SCOPE,
      target: 'resource group rg-app',
      principalName: 'user1@contoso.com',
      role: 'Reader',
      inherited: 'inherited from /',
      grantedAt: made.toISOString(),
      grantedBy: expect.stringContaining(OTHER),
      held: 'foreign',
      warning: null,
    });
  });

  it('of a management group target: one in a subscription under it is its own row, never inherited; the root’s and a parent group’s are inherited', async () => {
    arm.az.addManagementGroup('mg-top');
    arm.az.addManagementGroup('mg-platform', 'mg-top');
    arm.az.addSubscription(SUB, { managementGroup: 'mg-platform' });
    const mg = '/providers/Microsoft.Management/managementGroups/mg-platform';
    const top = '/providers/Microsoft.Management/managementGroups/mg-top';
    seed(1, '', { scope: subscription });
    seed(2, '', { scope: SCOPE });
    seed(3, '', { scope: mg });
    seed(4, '', { scope: top });
    seed(5, '', { scope: '/' });
    // The report's identity reads from the top group down.
    arm.az.addRoleAssignment({
      scope: top,
      roleDefinitionId: ROLE_GUIDS.Reader,
      principalId: OBJECT_ID,
      principalType: 'ServicePrincipal',
    });
    const { rows } = await rowsOf({}, {}, mg);
    expect(rowOf(rows, 1)).toMatchObject({ targetId: subscription, inherited: null, warning: null });
    expect(rowOf(rows, 2)).toMatchObject({ targetId: SCOPE, inherited: null, warning: null });
    expect(rowOf(rows, 3)).toMatchObject({ targetId: mg, inherited: null });
    expect(rowOf(rows, 4)).toMatchObject({ targetId: mg, inherited: `inherited from ${top}` });
    expect(rowOf(rows, 5)).toMatchObject({ targetId: mg, inherited: 'inherited from /', role: 'Reader' });
  });

  it('of a management group target: one at a management group below it is its own row, told by one `atScope()` list more', async () => {
    arm.az.addManagementGroup('mg-top');
    arm.az.addManagementGroup('mg-platform', 'mg-top');
    arm.az.addManagementGroup('mg-child', 'mg-platform');
    const top = '/providers/Microsoft.Management/managementGroups/mg-top';
    const mg = '/providers/Microsoft.Management/managementGroups/mg-platform';
    const child = '/providers/Microsoft.Management/managementGroups/mg-child';
    seed(1, '', { scope: child });
    seed(2, '', { scope: top });
    arm.az.addRoleAssignment({
      scope: top,
      roleDefinitionId: ROLE_GUIDS.Reader,
      principalId: OBJECT_ID,
      principalType: 'ServicePrincipal',
    });
    const { rows, read } = await rowsOf({}, {}, mg);
    expect(rows.filter((r) => r.principalId === principal(1))).toEqual([
      expect.objectContaining({ targetId: child, inherited: null }),
    ]);
    expect(rowOf(rows, 2)).toMatchObject({ targetId: mg, inherited: `inherited from ${top}` });
    // The three lists of the target, and the one that says which groups are above it.
    expect(read.read.calls).toBe(4);
  });

  it('shows one assignment above two targets once for each, and one under a target never as inherited', async () => {
    seed(1, '', { scope: subscription });
    const other = `${subscription}/resourceGroups/rg-other`;
    const read = await reader({
      scopes: [parseAzureScope(SCOPE) as AzureScope, parseAzureScope(other) as AzureScope],
    }).read({ manifests: [], onPlan: () => {} });
    const rows = accessRows('azure', read.held, RUN).filter((r) => r.principalId === principal(1));
    expect(rows.map((r) => [r.targetId, r.inherited])).toEqual([
      [SCOPE, `inherited from ${subscription}`],
      [other, `inherited from ${subscription}`],
    ]);
    const direct = await rowsOf({}, {}, subscription);
    expect(rowOf(direct.rows, 1)).toMatchObject({ targetId: subscription, inherited: null });
  });
});

describe('a subscription target is named by its display name, read once per report', () => {
  const PRODUCTION = '5e5e5e5e-0000-4000-8000-00000000005e';
  const subscription = `/subscriptions/${PRODUCTION}`;
  const mg = '/providers/Microsoft.Management/managementGroups/platform';

  it('names it by the display name ARM gives, with one Subscriptions_Get counted in the read', async () => {
    arm.az.addSubscription(PRODUCTION, { managementGroup: 'platform', displayName: 'Production' });
    seed(1, '', { scope: subscription });
    seed(2, '', { scope: subscription });
    seed(3, '', { scope: mg });
    seed(4, '', { scope: `${subscription}/resourceGroups/rg-web` });
    let estimate = 0;
    const read = await reader({}, subscription).read({
      manifests: [],
      onPlan: (plan) => (estimate = plan.calls),
    });
    const rows = accessRows('azure', read.held, RUN);
    for (const n of [1, 2, 3])
      expect(rowOf(rows, n)).toMatchObject({ targetId: subscription, target: 'subscription Production' });
    expect(rowOf(rows, 4)).toMatchObject({ target: 'resource group rg-web' });
    expect(arm.requests().filter((r) => r === `GET ${subscription}`)).toHaveLength(1);
    // The cheapest complete read: three lists for the one scope (role assignments, PIM instances,
    // eligibility schedules), and one read of its one subscription.
    expect(read.read.calls).toBe(4);
    expect(estimate).toBe(4);
  });

  it('keeps the ID of a subscription the identity cannot read, says so once with the permission, and does not fail', async () => {
    arm.az.addSubscription(PRODUCTION, { displayName: 'Production' });
    // Role assignments' reads, but not Microsoft.Resources/subscriptions/read.
    const auditor = arm.az.addRoleDefinition({
      roleName: 'Assignment auditor',
      assignableScopes: [subscription],
      permissions: [{ actions: ['Microsoft.Authorization/*/read'] }],
    });
    arm.az.addRoleAssignment({
      scope: subscription,
      roleDefinitionId: auditor.guid,
      principalId: OBJECT_ID,
      principalType: 'ServicePrincipal',
    });
    seed(1, '', { scope: subscription });
    const { rows, read } = await rowsOf({}, {}, subscription);
    expect(rowOf(rows, 1)).toMatchObject({ targetId: subscription, target: null });
    const said = read.notes.filter((n) => n.includes('subscriptions/read'));
    expect(said).toEqual([
      expect.stringMatching(
        new RegExp(
          `display name of 1 subscription\\(s\\) \\(${PRODUCTION}: 403 AuthorizationFailed\\).*Reader has it`,
        ),
      ),
    ]);
    expect(read.read.calls).toBe(4);
  });
});
