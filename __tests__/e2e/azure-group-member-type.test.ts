// Memberships of groups through PIM for groups as Graph writes them: `memberType` `direct` or
// `group`, in lower case (Graph's privilegedAccessGroupMemberType). End to end through the bundled
// step against the emulator's Graph, which speaks that case: a revoke of a membership in force
// removes it, an assign of one in force reuses it (`existed`) and sends no adminAssign, and a
// membership held through another group is never taken for the principal's own.
import { describe, expect, it } from '@jest/globals';
import { azure, azureInputs, resultsOf, runMain, useEmulator } from './fixture.js';

const emulator = useEmulator();
const main = (inputs: Record<string, string>) => runMain(azureInputs(inputs));

let users = 0;
const newUser = () => azure().addUser({ userPrincipalName: `member${++users}@octoorg.onmicrosoft.com` }).id;
function managedGroup(displayName = 'platform-admins'): string {
  const id = azure().addGroup({ displayName }).id;
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
const instancesOf = (principalId: string) => pim().instances.filter((i) => i.principalId === principalId);
/** The schedule requests the steps sent, by action. */
const sent = (action: string) => pim().requests.filter((r) => r.action === action);

describe('the emulated Graph speaks Graph’s case', () => {
  it('lists a membership in force with memberType `direct`', async () => {
    managedGroup();
    const p = newUser();
    expect((await main(membership(p))).exitCode).toBe(0);
    expect(instancesOf(p)).toEqual([
      expect.objectContaining({ memberType: 'direct', assignmentType: 'assigned' }),
    ]);
  });
});

describe('a revoke of a membership in force', () => {
  it('sends the adminRemove and the person is no longer a member', async () => {
    const group = managedGroup();
    const p = newUser();
    expect((await main(membership(p))).exitCode).toBe(0);
    expect(instancesOf(p)).toHaveLength(1);
    const revoke = await main(membership(p, { operation: 'revoke' }));
    expect(revoke.exitCode).toBe(0);
    expect(sent('adminRemove')).toEqual([
      expect.objectContaining({ principalId: p, groupId: group, accessId: 'member' }),
    ]);
    expect(instancesOf(p)).toEqual([]);
    expect(revoke.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    expect(resultsOf(revoke)[0]).toMatchObject({ existed: true, exists: false, changed: true });
    expect(revoke.stdout).not.toMatch(/already absent/);
  });
});

describe('an assign of a membership in force', () => {
  it('says it existed, sends no second adminAssign, and leaves it as it is', async () => {
    managedGroup();
    const p = newUser();
    expect((await main(membership(p))).exitCode).toBe(0);
    const again = await main(membership(p));
    expect(again.exitCode).toBe(0);
    expect(sent('adminAssign')).toHaveLength(1);
    expect(again.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'false' });
    expect(resultsOf(again)[0]).toMatchObject({ existed: true, exists: true, changed: false });
    const graphPosts = emulator().requests.filter(
      (r) => r.service === 'graph' && r.method === 'POST' && r.path.includes('ScheduleRequests'),
    );
    expect(graphPosts).toHaveLength(1);
  });
});

describe('a membership held through another group', () => {
  /** `p` a member of `deployers`, and `deployers` an active member of platform-admins. */
  async function heldThroughGroup() {
    const group = managedGroup();
    const deployers = azure().addGroup({ displayName: 'deployers' }).id;
    const p = newUser();
    azure().state.directory.addMember(deployers, p);
    expect((await main(membership(deployers))).exitCode).toBe(0);
    expect(instancesOf(p)).toEqual([expect.objectContaining({ memberType: 'group', groupId: group })]);
    return { group, deployers, p };
  }

  it('is not taken for the person’s own: an assign makes the direct membership', async () => {
    const { group, p } = await heldThroughGroup();
    const step = await main(membership(p));
    expect(step.exitCode).toBe(0);
    expect(sent('adminAssign').filter((r) => r.principalId === p)).toEqual([
      expect.objectContaining({ groupId: group, status: 'Provisioned' }),
    ]);
    expect(resultsOf(step)[0]).toMatchObject({ existed: false, exists: true, changed: true });
    expect(
      instancesOf(p)
        .map((i) => i.memberType)
        .sort(),
    ).toEqual(['direct', 'group']);
  });

  it('is not the person’s to revoke: no adminRemove is sent, and the group keeps its membership', async () => {
    const { deployers, p } = await heldThroughGroup();
    const step = await main(membership(p, { operation: 'revoke' }));
    expect(step.exitCode).toBe(0);
    expect(sent('adminRemove')).toEqual([]);
    expect(resultsOf(step)[0]).toMatchObject({ existed: false, changed: false });
    expect(instancesOf(deployers)).toHaveLength(1);
  });
});
