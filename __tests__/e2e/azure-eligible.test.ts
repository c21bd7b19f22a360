// Azure PIM eligibility (`assignment-type: eligible`), end to end through the bundled main and post
// steps against the emulator's roleEligibilityScheduleRequests and schedules: made and ended by
// AdminAssign and AdminRemove, the role's eligibility policy read first, and an eligibility known
// as this repository's by its schedule's request name, also once ARM no longer returns the request.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  azure,
  azureInputs,
  newPrincipal,
  READER,
  runMain,
  runPost,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator();
// Azure refuses to end an eligibility in its first 5 minutes; these tests end them at once.
beforeEach(() => {
  azure().config.pimMinimumActiveMs = 0;
});

const REPOSITORY_ID = { GITHUB_REPOSITORY_ID: '123456789' };
const workspace = mkdtempSync(join(tmpdir(), 'azure-eligible-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));
const main = (inputs: Record<string, string>) => runMain(azureInputs(inputs), REPOSITORY_ID);
const post = (inputs: Record<string, string>, state: Record<string, string>) =>
  runPost(azureInputs(inputs), state);
const calls = (operation: string) => emulator().requests.filter((r) => r.operation === operation);
const eligible = (p: string, extra: Record<string, string> = {}) => ({
  principal: p,
  target: subscription(),
  role: 'Reader',
  'assignment-type': 'eligible',
  duration: 'P30D',
  ...extra,
});
/** The principal's eligibilities as the emulator holds them: current ones. */
const eligibilitiesOf = (p: string) =>
  azure().state.eligibility.schedules.filter((s) => s.principalId === p && s.endedAt === undefined);
/** ARM stops returning requests after about 45 days, while their schedules stay. */
const ageRequests = () => azure().ageEligibilityRequests(46 * 86_400_000);
/** Another admin changes (or makes) the principal's Reader eligibility in the portal: a new schedule, by the admin's own request. */
const changeInPortal = (p: string) =>
  azure().writeEligibilityAsAdmin({
    scope: subscription(),
    roleDefinitionId: READER,
    principalId: p,
    duration: 'P60D',
  });
const requestsOf = (p: string, type = 'AdminAssign') =>
  azure().state.eligibility.requests.filter((r) => r.principalId === p && r.requestType === type);

interface Result {
  status: string;
  changed: boolean;
  kind?: string;
  failureReason: string | null;
  expiresAt?: string;
}
const resultsOf = (step: { outputs: Record<string, string> }) =>
  JSON.parse(step.outputs.results!) as Result[];

describe('assign with assignment-type: eligible', () => {
  it('makes the principal eligible through one AdminAssign, for `duration`, and says so', async () => {
    const p = newPrincipal();
    const step = await main(eligible(p));
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    const [schedule] = eligibilitiesOf(p);
    expect(schedule).toBeDefined();
    expect(schedule!.endMs! - schedule!.startMs).toBe(30 * 86_400_000);
    expect(step.outputs['expires-at']).toBe(new Date(schedule!.endMs!).toISOString());
    expect(resultsOf(step)[0]).toMatchObject({ status: 'SUCCEEDED', kind: 'eligible' });
    expect(step.stdout).toMatch(new RegExp(`✓ assign eligible (user )?${p} → `));
    // Eligibility is not an active assignment: nothing is assigned.
    expect(calls('RoleAssignmentScheduleRequests_Create')).toHaveLength(0);
    expect(calls('RoleAssignments_Create')).toHaveLength(0);
    expect(requestsOf(p)).toHaveLength(1);
  });

  it('makes a permanent eligibility without `duration` where the policy allows it', async () => {
    azure().setEligibilityPolicy({ isExpirationRequired: false });
    const p = newPrincipal();
    const step = await main(eligible(p, { duration: '' }));
    expect(step.exitCode).toBe(0);
    expect(eligibilitiesOf(p)[0]!.endMs).toBeNull();
  });

  it('leaves one made between its read and its request (RoleAssignmentExists), not as its own', async () => {
    const p = newPrincipal();
    // An admin makes it in the portal as the step's AdminAssign arrives, after the step read none.
    const requests = emulator().requests;
    requests.push = (...entries) => {
      const length = Array.prototype.push.apply(requests, entries);
      if (entries.some((e) => e.method === 'PUT' && e.path.includes('roleEligibilityScheduleRequests'))) {
        delete (requests as { push?: unknown }).push;
        changeInPortal(p);
      }
      return length;
    };
    const inputs = eligible(p, { 'revoke-on-exit': 'true', duration: 'PT8H' });
    const step = await main(inputs);
    expect(step.exitCode).toBe(0);
    expect(step.outputs.changed).toBe('false');
    expect(step.stdout).toContain('already eligible: Azure answered RoleAssignmentExists');
    // Not this step's: its post step sends nothing.
    const revoked = await post(inputs, step.state);
    expect(revoked.exitCode).toBe(0);
    expect(calls('RoleEligibilityScheduleRequests_Create')).toHaveLength(1);
    expect(eligibilitiesOf(p)).toHaveLength(1);
  });

  it('never reports a principal eligible that Azure lists no eligibility for: an unexplained RoleAssignmentExists takes the next name', async () => {
    const p = newPrincipal();
    // ARM's wording of "this request name was used before" is unconfirmed: here, that of an eligibility that exists.
    azure().faults.armFailures = [
      {
        method: 'PUT',
        pathIncludes: 'roleEligibilityScheduleRequests',
        status: 400,
        code: 'RoleAssignmentExists',
        message: 'The Role assignment already exists.',
        times: 1,
      },
    ];
    const inputs = eligible(p, { 'revoke-on-exit': 'true', duration: 'PT8H' });
    const step = await main(inputs);
    expect(step.exitCode).toBe(0);
    expect(step.stdout).not.toContain('already eligible');
    expect(step.outputs.changed).toBe('true');
    expect(eligibilitiesOf(p)).toHaveLength(1);
    expect(new Set(calls('RoleEligibilityScheduleRequests_Create').map((r) => r.path)).size).toBe(2);
    // The one made is this step's: its post step ends it.
    expect((await post(inputs, step.state)).exitCode).toBe(0);
    expect(eligibilitiesOf(p)).toHaveLength(0);
  });

  it('leaves an eligibility already there (changed=false), with no second request', async () => {
    const p = newPrincipal();
    expect((await main(eligible(p))).exitCode).toBe(0);
    const again = await main(eligible(p));
    expect(again.exitCode).toBe(0);
    expect(again.outputs.changed).toBe('false');
    expect(again.stdout).toContain('already eligible until');
    expect(requestsOf(p)).toHaveLength(1);
  });
});

describe('eligibility at every kind of scope', () => {
  it.each([
    ['management group', () => '/providers/Microsoft.Management/managementGroups/platform'],
    ['resource group', () => `${subscription()}/resourceGroups/rg-data`],
  ])('makes and ends one at a %s, the role named as ARM requires there', async (_kind, scope) => {
    const p = newPrincipal();
    // A role definition ID with the subscription, which a management group's request must not carry.
    const role = `${subscription()}/providers/Microsoft.Authorization/roleDefinitions/${READER}`;
    const step = await main(eligible(p, { target: scope(), role }));
    expect(step.exitCode).toBe(0);
    expect(eligibilitiesOf(p)).toHaveLength(1);
    const revoked = await main(eligible(p, { target: scope(), role: READER, operation: 'revoke' }));
    expect(revoked.outputs.changed).toBe('true');
    expect(eligibilitiesOf(p)).toHaveLength(0);
  });
});

describe("the role's eligibility policy is read before any write", () => {
  it('refuses an eligibility longer than the maximum, naming the rule, the maximum and the scope', async () => {
    azure().setEligibilityPolicy({ isExpirationRequired: true, maximumDuration: 'P15D' }, { role: 'Reader' });
    const step = await main(eligible(newPrincipal()));
    expect(step.exitCode).toBe(1);
    expect(step.outputs['failure-reason']).toContain('Expiration_Admin_Eligibility');
    expect(step.outputs['failure-reason']).toContain('P15D');
    expect(step.outputs['failure-reason']).toContain(subscription());
    expect(calls('RoleEligibilityScheduleRequests_Create')).toHaveLength(0);
  });

  it('refuses one without an end where the rule requires one', async () => {
    const step = await main(eligible(newPrincipal(), { duration: '' }));
    expect(step.exitCode).toBe(1);
    expect(step.outputs['failure-reason']).toMatch(
      /refuses a permanent eligibility: its rule Expiration_Admin_Eligibility requires an end, at most P365D/,
    );
    expect(calls('RoleEligibilityScheduleRequests_Create')).toHaveLength(0);
  });

  it.each([
    [
      'longer than the maximum',
      'P60D',
      /`duration` P60D \(60 days\) is more than its rule Expiration_Admin_Eligibility allows/,
    ],
    [
      'without an end',
      '',
      /an eligibility without an end is more than its rule Expiration_Admin_Eligibility allows/,
    ],
  ])(
    'explains a refusal of one %s when the policy cannot be read, and what to change',
    async (_what, duration, reason) => {
      azure().setEligibilityPolicy(
        { isExpirationRequired: true, maximumDuration: 'P30D' },
        { role: 'Reader' },
      );
      azure().faults.pimDenyPolicyRead = true;
      const step = await main(eligible(newPrincipal(), { duration }));
      expect(step.exitCode).toBe(1);
      // Azure applied the policy the step could not read.
      expect(calls('RoleEligibilityScheduleRequests_Create')).toHaveLength(1);
      const failure = step.outputs['failure-reason']!;
      expect(failure).toMatch(reason);
      expect(failure).toContain('ExpirationRule');
      expect(failure).toContain('Microsoft.Authorization/roleManagementPolicyAssignments/read');
      expect(failure).toMatch(/set `duration`/);
    },
  );
});

describe('revoke with assignment-type: eligible', () => {
  it("ends this repository's eligibility through an AdminRemove", async () => {
    const p = newPrincipal();
    expect((await main(eligible(p))).exitCode).toBe(0);
    const step = await main(eligible(p, { operation: 'revoke' }));
    expect(step.exitCode).toBe(0);
    expect(step.outputs.changed).toBe('true');
    expect(requestsOf(p, 'AdminRemove')).toHaveLength(1);
    expect(eligibilitiesOf(p)).toHaveLength(0);
  });

  it('still knows it as its own once ARM no longer returns the request that made it', async () => {
    const p = newPrincipal();
    expect((await main(eligible(p))).exitCode).toBe(0);
    ageRequests();
    const again = await main(eligible(p));
    expect(again.outputs.changed).toBe('false');
    const step = await main(eligible(p, { operation: 'revoke' }));
    expect(step.exitCode).toBe(0);
    expect(step.outputs.changed).toBe('true');
    expect(eligibilitiesOf(p)).toHaveLength(0);
  });

  it('leaves one changed in the portal (its schedule names another request), and says why', async () => {
    const p = newPrincipal();
    expect((await main(eligible(p))).exitCode).toBe(0);
    changeInPortal(p);
    const step = await main(eligible(p, { operation: 'revoke' }));
    expect(step.exitCode).toBe(1);
    expect(step.outputs['failure-reason']).toMatch(
      /left in place: the eligibility's schedule names PIM request [0-9a-f-]+, which is not one this repository names for it/,
    );
    expect(requestsOf(p, 'AdminRemove')).toHaveLength(0);
    expect(eligibilitiesOf(p)).toHaveLength(1);
  });

  it('leaves its eligibility when Azure also lists another of the same principal, role and scope that is not its own', async () => {
    const p = newPrincipal();
    expect((await main(eligible(p))).exitCode).toBe(0);
    // A second schedule (one to start later, made by another's request): which one an AdminRemove,
    // which names principal, role and scope only, would end is nowhere documented.
    const [own] = eligibilitiesOf(p);
    azure().state.eligibility.schedules.push({
      ...own!,
      name: randomUUID(),
      instanceName: randomUUID(),
      requestName: randomUUID(),
      startMs: own!.startMs + 86_400_000,
    });
    for (const inputs of [
      eligible(p, { operation: 'revoke', 'dry-run': 'true' }),
      eligible(p, { operation: 'revoke' }),
    ]) {
      const step = await main(inputs);
      expect(step.exitCode).toBe(1);
      expect(step.outputs['failure-reason']).toContain('which is not one this repository names for it');
    }
    expect(requestsOf(p, 'AdminRemove')).toHaveLength(0);
    expect(eligibilitiesOf(p)).toHaveLength(2);
  });

  it('makes a principal eligible again after a removal under the next name the derivation allows', async () => {
    const p = newPrincipal();
    expect((await main(eligible(p))).exitCode).toBe(0);
    expect((await main(eligible(p, { operation: 'revoke' }))).exitCode).toBe(0);
    // The first request is no longer returned, yet its name stays taken ("already exists").
    ageRequests();
    const step = await main(eligible(p));
    expect(step.exitCode).toBe(0);
    expect(step.outputs.changed).toBe('true');
    // Its first try under the first name was refused as a name used before.
    expect(
      calls('RoleEligibilityScheduleRequests_Create').some((r) => r.errorCode === 'RoleAssignmentExists'),
    ).toBe(true);
    const names = requestsOf(p).map((r) => r.name);
    expect(new Set(names).size).toBe(2);
    // The new life is still this repository's.
    const revoked = await main(eligible(p, { operation: 'revoke' }));
    expect(revoked.outputs.changed).toBe('true');
  });
});

describe('an eligibility made outside cloud-access', () => {
  it('is left by a revoke, which says why', async () => {
    const p = newPrincipal();
    changeInPortal(p);
    const step = await main(eligible(p, { operation: 'revoke' }));
    expect(step.exitCode).toBe(1);
    expect(step.outputs['failure-reason']).toContain('which is not one this repository names for it');
    expect(requestsOf(p, 'AdminRemove')).toHaveLength(0);
  });

  it('is shown as left by a dry-run revoke, which writes nothing', async () => {
    const p = newPrincipal();
    changeInPortal(p);
    const step = await main(eligible(p, { operation: 'revoke', 'dry-run': 'true' }));
    expect(step.outputs['failure-reason']).toContain('which is not one this repository names for it');
    expect(emulator().requests.filter((r) => r.write)).toHaveLength(0);
  });

  it('is found by an assign, which leaves it as it is', async () => {
    const p = newPrincipal();
    changeInPortal(p);
    const step = await main(eligible(p));
    expect(step.exitCode).toBe(0);
    expect(step.outputs.changed).toBe('false');
    expect(calls('RoleEligibilityScheduleRequests_Create')).toHaveLength(0);
  });
});

describe('revoke-on-exit with assignment-type: eligible', () => {
  it('ends the eligibility in the post step', async () => {
    const p = newPrincipal();
    const inputs = eligible(p, { 'revoke-on-exit': 'true', duration: 'PT8H' });
    const step = await main(inputs);
    expect(step.exitCode).toBe(0);
    expect(eligibilitiesOf(p)).toHaveLength(1);
    const revoked = await post(inputs, step.state);
    expect(revoked.exitCode).toBe(0);
    expect(eligibilitiesOf(p)).toHaveLength(0);
    expect(requestsOf(p, 'AdminRemove')).toHaveLength(1);
    expect(revoked.stdout).toMatch(new RegExp(`✓ revoke eligible (user )?${p} → `));
  });

  it('leaves one changed in the portal since, and says why', async () => {
    const p = newPrincipal();
    const inputs = eligible(p, { 'revoke-on-exit': 'true', duration: 'PT8H' });
    const step = await main(inputs);
    changeInPortal(p);
    const revoked = await post(inputs, step.state);
    expect(revoked.stdout).toMatch(
      /left in place: the eligibility's schedule names PIM request [0-9a-f-]+, which is not this step's/,
    );
    expect(eligibilitiesOf(p)).toHaveLength(1);
    expect(requestsOf(p, 'AdminRemove')).toHaveLength(0);
  });

  // Azure ends no eligibility within 5 minutes of its start: when those end after the post
  // step's budget, waiting (and retrying the refusal) can only end in the same place.
  it('leaves at once, sending nothing, when the 5 minutes in which Azure ends no eligibility outlast `post-timeout-seconds`, and says until when the eligibility lasts', async () => {
    azure().config.pimMinimumActiveMs = 5 * 60_000;
    const p = newPrincipal();
    const inputs = eligible(p, { 'revoke-on-exit': 'true', duration: 'PT8H', 'post-timeout-seconds': '60' });
    const step = await main(inputs);
    expect(step.exitCode).toBe(0);
    const revoked = await post(inputs, step.state);
    expect(revoked.exitCode).toBe(0);
    expect(requestsOf(p, 'AdminRemove')).toHaveLength(0);
    expect(calls('RoleEligibilityScheduleRequests_Create')).toHaveLength(1);
    expect(eligibilitiesOf(p)).toHaveLength(1);
    expect(revoked.stdout).toMatch(
      /Azure PIM ends no eligibility within 5 minutes of its start \(ActiveDurationTooShort until \S+Z\), which is after `post-timeout-seconds` \(60s\) runs out, so the step did not wait for it\. The eligibility lasts until \S+Z, when Azure ends it/,
    );
    expect(revoked.warnings).toEqual([expect.stringContaining('could not remove 1 eligibility yet')]);
    expect(revoked.stdout + revoked.warnings.join('\n')).not.toContain('time-bound grant');
  });

  it('is refused without `duration` before any network call', async () => {
    const step = await main(eligible(newPrincipal(), { 'revoke-on-exit': 'true', duration: '' }));
    expect(step.exitCode).toBe(1);
    expect(step.stdout + step.stderr).toContain('with `assignment-type: eligible` needs `duration`');
    expect(emulator().requests).toHaveLength(0);
  });
});

describe('active and eligible side by side', () => {
  it('are two grants: revoking the eligibility leaves the active assignment', async () => {
    const p = newPrincipal();
    expect(
      (await main({ principal: p, target: subscription(), role: READER, duration: 'PT2H' })).exitCode,
    ).toBe(0);
    const step = await main(eligible(p));
    expect(step.exitCode).toBe(0);
    expect(step.outputs.changed).toBe('true');
    expect((await main(eligible(p, { operation: 'revoke' }))).outputs.changed).toBe('true');
    expect(eligibilitiesOf(p)).toHaveLength(0);
    expect(
      azure()
        .pim()
        .instances.filter((i) => i.properties.principalId === p),
    ).toHaveLength(1);
  });
});

/** A scheduled report of the subscription: the step, and the JSON's rows of principal `p`. */
async function reportOf(p: string) {
  const step = await runMain(azureInputs({ operation: 'report', target: subscription() }), {
    ...REPOSITORY_ID,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: mkdtempSync(join(workspace, 'runner-temp-')),
    GITHUB_EVENT_NAME: 'schedule',
  });
  expect(step.exitCode).toBe(0);
  const { rows } = JSON.parse(readFileSync(step.outputs['report-json']!, 'utf8')) as {
    rows: {
      principalId: string;
      kind: string;
      held: string;
      expiresAt: string | null;
      targetId: string;
      inherited: string | null;
    }[];
  };
  return { step, rows: rows.filter((r) => r.principalId === p) };
}

describe('the report says the kind of every row', () => {
  it('shows an eligibility and an active assignment of one principal, role and scope as two rows', async () => {
    // A user the directory holds: one it does not would be orphaned, whatever its kind.
    const p = azure().addUser({ userPrincipalName: 'elly@contoso.com' }).id;
    expect(
      (await main({ principal: p, target: subscription(), role: READER, duration: 'PT2H' })).exitCode,
    ).toBe(0);
    expect((await main(eligible(p))).exitCode).toBe(0);
    const { step, rows } = await reportOf(p);
    expect(rows.map((r) => r.kind).sort()).toEqual(['active', 'eligible']);
    const eligibility = rows.find((r) => r.kind === 'eligible')!;
    expect(eligibility).toMatchObject({
      held: 'time-bound',
      expiresAt: new Date(eligibilitiesOf(p)[0]!.endMs!).toISOString(),
    });
    expect(readFileSync(step.outputs['report-csv']!, 'utf8').split('\r\n')[0]).toMatch(
      /,kind,covered,readAt,live$/,
    );
    expect(step.summary).toContain('<th>kind</th>');
  });

  it('shows an eligibility made at a management group above the target, as inherited from there', async () => {
    const p = newPrincipal();
    const group = '/providers/Microsoft.Management/managementGroups/platform';
    azure().writeEligibilityAsAdmin({ scope: group, roleDefinitionId: READER, principalId: p });
    const { rows } = await reportOf(p);
    expect(rows).toEqual([
      expect.objectContaining({
        kind: 'eligible',
        targetId: subscription(),
        inherited: `inherited from ${group}`,
      }),
    ]);
  });
});

describe('the sweep leaves eligibilities', () => {
  it("leaves a finished run's eligibility, which Azure ends at its end", async () => {
    const p = newPrincipal();
    const inputs = eligible(p, { 'revoke-on-exit': 'true', duration: 'PT8H' });
    expect((await runMain(azureInputs(inputs), { ...REPOSITORY_ID, GITHUB_RUN_ID: '901' })).exitCode).toBe(0);
    emulator().github.runs.setRun({
      repository: 'octo-org/octo-repo',
      repositoryId: '123456789',
      runId: '901',
      attempt: '1',
      status: 'completed',
      conclusion: 'success',
    });
    const sweep = await runMain(
      azureInputs({
        operation: 'sweep',
        target: subscription(),
        'github-token': emulator().github.runs.jobToken,
      }),
      { GITHUB_EVENT_NAME: 'schedule' },
    );
    expect(sweep.exitCode).toBe(0);
    expect(eligibilitiesOf(p)).toHaveLength(1);
    expect(requestsOf(p, 'AdminRemove')).toHaveLength(0);
  });
});
