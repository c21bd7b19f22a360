// What PIM put in force, end to end through the bundled main step against the emulator's Graph:
// a membership request is followed past its `Provisioned` to the schedule instance PIM lists a
// moment later, and the step's `assignment-id` and `expires-at` (and its `results`) are that
// instance's `id` and `endDateTime`, whether the request provisioned at once or was read until it
// did; an instance not listed by the deadline is a warning naming what is missing, and the outputs
// stay empty rather than taken from the request.
import { describe, expect, it } from '@jest/globals';
import { azure, azureInputs, resultsOf, runMain, useEmulator } from './fixture.js';

useEmulator({ azurite: false });
const main = (inputs: Record<string, string>) => runMain(azureInputs(inputs));

let users = 0;
const newPrincipal = () =>
  azure().addUser({ userPrincipalName: `instance${++users}@octoorg.onmicrosoft.com` }).id;
function managedGroup(): string {
  const id = azure().addGroup({ displayName: 'platform-admins' }).id;
  azure().onboardGroupToPim(id);
  return id;
}
const membership = (principal: string, extra: Record<string, string> = {}) => ({
  principal,
  target: 'group:platform-admins',
  role: 'member',
  duration: 'PT8H',
  ...extra,
});
const pim = () => azure().groupPim();
const instanceOf = (principalId: string) => pim().instances.filter((i) => i.principalId === principalId);

describe('an assign’s outputs are the instance PIM put in force', () => {
  it('listed 1.5 s after the request provisioned: `assignment-id` is its id, `expires-at` its endDateTime', async () => {
    azure().config.groupPimInstanceDelayMs = 1_500;
    managedGroup();
    const p = newPrincipal();
    const step = await main(membership(p));
    expect(step.exitCode).toBe(0);
    const [request] = pim().requests.filter((r) => r.principalId === p);
    const [instance] = instanceOf(p);
    expect(instance).toBeDefined();
    expect(step.outputs).toMatchObject({
      status: 'SUCCEEDED',
      'request-id': request!.id,
      'assignment-id': instance!.id,
      'expires-at': instance!.endDateTime,
    });
    // Not the schedule the request names: the instance has an ID of its own.
    expect(step.outputs['assignment-id']).not.toBe(request!.targetScheduleId);
    expect(resultsOf(step)[0]).toMatchObject({
      assignmentId: instance!.id,
      expiresAt: instance!.endDateTime,
    });
    expect(step.warnings).toEqual([]);
  });

  it('read until it provisioned (PendingProvisioning), then its instance: the same outputs', async () => {
    azure().config.groupPimProvisioningDelayMs = 1_000;
    azure().config.groupPimInstanceDelayMs = 1_000;
    managedGroup();
    const p = newPrincipal();
    const step = await main(membership(p, { 'assignment-type': 'eligible', role: 'owner' }));
    expect(step.exitCode).toBe(0);
    const [instance] = instanceOf(p);
    expect(instance).toMatchObject({ kind: 'eligibility', accessId: 'owner' });
    expect(step.outputs).toMatchObject({
      status: 'SUCCEEDED',
      'assignment-id': instance!.id,
      'expires-at': instance!.endDateTime,
    });
  });

  it('not listed by the deadline: a warning names the request and the missing instance; no ID or end is made up', async () => {
    azure().config.groupPimInstanceDelayMs = 600_000;
    managedGroup();
    const p = newPrincipal();
    const step = await main(membership(p, { 'timeout-seconds': '5' }));
    const [request] = pim().requests.filter((r) => r.principalId === p);
    expect(request).toMatchObject({ status: 'Provisioned' });
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', 'assignment-id': '', 'expires-at': '' });
    const missing = step.warnings.filter((w) =>
      w.includes(`PIM for groups request ${request!.id} ended Provisioned, but the schedule instance`),
    );
    expect(missing).toHaveLength(1);
    expect(missing[0]).toContain('not found in assignmentScheduleInstances');
    expect(step.summary).toContain('schedule instance it put in force was not found');
  });
});
