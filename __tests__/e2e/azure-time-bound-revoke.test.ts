// Time-bound Azure access (`duration`) with revoke-on-exit, end to end through the bundled main and
// post steps against the emulator's PIM: what the post step ends of what its main step created, and
// a request still awaiting approval.
import { describe, expect, it } from '@jest/globals';
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

const { main, post, calls } = useTimeBound();

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
