// Azure PIM eligibility (`assignment-type: eligible`) ended, end to end through the bundled main and
// post steps against the emulator (beside azure-eligible.test.ts, in a file of its own so that jest
// runs the two at once): AdminRemove of this repository's own, one made outside cloud-access left,
// revoke-on-exit, an eligibility beside an active assignment, and the report and the sweep.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { azure, azureInputs, newPrincipal, READER, runMain, subscription } from './fixture.js';
import {
  ageRequests,
  changeInPortal,
  eligibilitiesOf,
  eligible,
  REPOSITORY_ID,
  requestsOf,
  useEligible,
} from './eligible-fixture.js';

const { emulator, workspace, main, post, calls } = useEligible();

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
