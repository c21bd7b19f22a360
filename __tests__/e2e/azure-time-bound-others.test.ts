// Time-bound Azure access (`duration`) with revoke-on-exit, end to end through the bundled main and
// post steps against the emulator's PIM: the post step touches nothing another party assigned after
// the step's own assignment ended (AdminRemove names only principal, role and scope).
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

describe("revoke-on-exit leaves the step's assignment once an administrator extended it (AdminExtend or AdminUpdate keeps the schedule and its request)", () => {
  /** The step's 2h assignment; then its schedule ends `endMs` (null: never), as an admin's change leaves it. */
  const extendedTo = async (p: string, endMs: (end: number) => number | null) => {
    azure().config.pimMinimumActiveMs = 0;
    const inputs = grant(p, { 'revoke-on-exit': 'true' });
    const step = await main(inputs);
    expect(step.outputs.changed).toBe('true');
    const schedule = azure().state.pimSchedules.find((s) => s.principalId === p)!;
    schedule.endMs = endMs(schedule.endMs!);
    return post(inputs, step.state);
  };
  const adminRemoves = () =>
    azure()
      .pim()
      .requests.filter((r) => r.properties.requestType === 'AdminRemove');

  it('sends no AdminRemove for an assignment that now ends later than its request asked, and says why', async () => {
    const p = newPrincipal();
    const revoked = await extendedTo(p, (end) => end + 8 * HOUR);
    expect(revoked.exitCode).toBe(0);
    expect(adminRemoves()).toHaveLength(0);
    expect(activeFor(p)).toHaveLength(1);
    expect(resultsOf(revoked)[0]).toMatchObject({ status: 'SUCCEEDED', changed: false });
    expect(revoked.stdout).toMatch(
      /left in place: the assignment this step's PIM request \(.*\) made now ends at .*, not .* as the request asked/,
    );
  });

  it('nor for one made permanent', async () => {
    const p = newPrincipal();
    const revoked = await extendedTo(p, () => null);
    expect(adminRemoves()).toHaveLength(0);
    expect(activeFor(p)).toHaveLength(1);
    expect(revoked.stdout).toContain('now has no end');
  });

  it('still ends its own, whose end is as its request asked', async () => {
    const p = newPrincipal();
    const revoked = await extendedTo(p, (end) => end + 60_000);
    expect(revoked.exitCode).toBe(0);
    expect(adminRemoves()).toHaveLength(1);
    expect(activeFor(p)).toHaveLength(0);
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
