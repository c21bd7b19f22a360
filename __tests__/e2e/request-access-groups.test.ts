// `operation: request` for a membership of an Entra group, end to end through the bundle: a rule
// names `group:` targets with the roles `member` or `owner`; a request under it is checked as any
// request is (the rule's `max-duration`, its targets and roles once resolved) before any write,
// then granted through PIM for groups (an adminAssign for the duration asked), as an assign is.
import { describe, expect, it } from '@jest/globals';
import { azure, azureInputs, runMain, useEmulator } from './fixture.js';

const emulator = useEmulator();

const RUN_ID = '9876543210';
const ALICE_ID = 583231;
const github = () => emulator().github;
const env = {
  GITHUB_RUN_ID: RUN_ID,
  GITHUB_EVENT_NAME: 'workflow_dispatch',
  GITHUB_REPOSITORY: 'octo-org/octo-repo',
};

let users = 0;
const newUser = () =>
  azure().addUser({ userPrincipalName: `requester${++users}@octoorg.onmicrosoft.com` }).id;

/** A group PIM manages, under a name of its own for each test. */
let groups = 0;
function managedGroup(): { id: string; name: string } {
  const name = `oncall-admins-${++groups}`;
  const id = azure().addGroup({ displayName: name }).id;
  azure().onboardGroupToPim(id);
  return { id, name };
}

function policyFor(alice: string, group: string, rule = ''): string {
  return `version: 1
people:
  - github-id: ${ALICE_ID}
    github: alice
    azure: ${alice}
  - github-id: 999
    github: carol
rules:
  - name: oncall
    cloud: azure
    who: [alice]
    role: member
    target: ['group:${group}']
    max-duration: 2h
    environment: production-access
${rule}`;
}

/** A request every GitHub check allows; the policy is the test's. */
function stage(policy: string): void {
  const repo = github().repository;
  repo.setFile('main', '.github/access-policy.yml', policy);
  repo.setEnvironment('production-access', {
    reviewers: ['carol'],
    preventSelfReview: true,
    canAdminsBypass: false,
    branches: ['main'],
  });
  repo.setApprovals(RUN_ID, [
    { environment: 'production-access', state: 'approved', login: 'carol', userId: 999 },
  ]);
  github().runs.setRun({
    repository: 'octo-org/octo-repo',
    runId: RUN_ID,
    status: 'in_progress',
    event: 'workflow_dispatch',
    startedAt: Date.now() - 60_000,
  });
  github().claims = {
    event_name: 'workflow_dispatch',
    run_id: RUN_ID,
    run_attempt: '1',
    actor: 'alice',
    actor_id: String(ALICE_ID),
    environment: 'production-access',
    ref: 'refs/heads/main',
  };
}

const request = (inputs: Record<string, string> = {}) =>
  runMain(
    azureInputs({
      operation: 'request',
      rule: 'oncall',
      duration: '1h',
      justification: 'INC-7: the pager is on fire',
      'github-token': emulator().env.EMULATOR_GITHUB_TOKEN!,
      ...inputs,
    }),
    env,
  );

const pim = () => azure().groupPim();
const graphWrites = () =>
  emulator().requests.filter(
    (r) => r.service === 'graph' && r.method === 'POST' && r.path.includes('ScheduleRequests'),
  );

describe('a request under a rule of groups: a time-bound membership through PIM for groups', () => {
  it("grants the policy's Entra object ID the rule's membership for the duration asked, with the run's marker", async () => {
    const alice = newUser();
    const group = managedGroup();
    stage(policyFor(alice, group.name));
    const step = await request();
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    const [sent] = pim().requests.filter((r) => r.principalId === alice);
    expect(sent).toMatchObject({
      kind: 'assignment',
      action: 'adminAssign',
      accessId: 'member',
      groupId: group.id,
      status: 'Provisioned',
      ticketInfo: { ticketNumber: `https://github.com/octo-org/octo-repo/actions/runs/${RUN_ID}` },
      scheduleInfo: expect.objectContaining({
        expiration: expect.objectContaining({ type: 'afterDuration', duration: 'PT1H' }),
      }),
    });
    expect(sent!.justification).toMatch(/\[cloud-access:octo-org\/octo-repo:run:9876543210:1\]$/);
    expect(pim().instances.filter((i) => i.principalId === alice)).toHaveLength(1);
    expect(step.summary).toContain('oncall');
    expect(step.summary).toContain('carol');
  });

  it("takes a target and role asked within the rule by the group's object ID", async () => {
    const alice = newUser();
    const group = managedGroup();
    stage(policyFor(alice, group.name));
    const step = await request({ target: `group:${group.id.toUpperCase()}`, role: 'member' });
    expect(step.exitCode).toBe(0);
    expect(pim().requests.filter((r) => r.principalId === alice)).toMatchObject([
      { action: 'adminAssign', groupId: group.id, accessId: 'member' },
    ]);
  });
});

describe('a request for a group checked against its rule before any write', () => {
  it("refuses a duration past the rule's max-duration", async () => {
    const alice = newUser();
    stage(policyFor(alice, managedGroup().name));
    const step = await request({ duration: '3h' });
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toMatch(/longer than its `max-duration`/);
    expect(graphWrites()).toEqual([]);
  });

  it("refuses a role or a group the rule does not name, naming the rule's", async () => {
    const alice = newUser();
    const group = managedGroup();
    const other = managedGroup();
    stage(policyFor(alice, group.name));
    const owner = await request({ role: 'owner' });
    expect(owner.exitCode).toBe(1);
    expect(owner.stdout).toMatch(/`role` `owner` is none of the rule's roles.*`member`/);
    const elsewhere = await request({ target: `group:${other.name}` });
    expect(elsewhere.exitCode).toBe(1);
    expect(elsewhere.stdout).toContain(`\`target\` \`group:${other.name}\``);
    expect(elsewhere.stdout).toContain(`group:${group.name}`);
    expect(graphWrites()).toEqual([]);
  });

  it('refuses a rule whose group the directory does not have, naming it, before any write', async () => {
    const alice = newUser();
    stage(policyFor(alice, 'no-such-group'));
    const step = await request();
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain('no-such-group');
    expect(graphWrites()).toEqual([]);
  });

  it('refuses a policy whose group target is ill-formed, at its line, before any cloud request', async () => {
    const alice = newUser();
    stage(policyFor(alice, 'x').replace("target: ['group:x']", "target: ['group:']"));
    const step = await request();
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toMatch(/line=13::.*`target` `group:` is not a group/);
    expect(emulator().requests.filter((r) => r.service !== 'github')).toEqual([]);
  });
});

describe('a hostile request for a group', () => {
  it("is refused a duration within the rule's max-duration but past the group's PIM policy, naming `duration`", async () => {
    const alice = newUser();
    const group = managedGroup();
    azure().setGroupPimPolicy({ assignmentMaximumDuration: 'PT1H' }, { groupId: group.id });
    stage(policyFor(alice, group.name));
    const step = await request({ duration: '2h' });
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toMatch(/`duration`/);
    expect(step.stdout).toContain('PT1H');
    expect(graphWrites()).toEqual([]);
  });

  it("is refused a twin of the rule's group (another group of the same display name), by its ID or the rule's name", async () => {
    const alice = newUser();
    const group = managedGroup();
    const twin = azure().addGroup({ displayName: group.name }).id;
    azure().onboardGroupToPim(twin);
    stage(policyFor(alice, group.name));
    const byId = await request({ target: `group:${twin}` });
    expect(byId.exitCode).toBe(1);
    expect(byId.stdout).toContain(`group:${twin}`);
    const byName = await request();
    expect(byName.exitCode).toBe(1);
    expect(graphWrites()).toEqual([]);
  });

  it('is refused a user’s object ID asked as a group, before any PIM request', async () => {
    const alice = newUser();
    stage(policyFor(alice, managedGroup().name));
    const step = await request({ target: `group:${alice}` });
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain(`group:${alice}`);
    expect(graphWrites()).toEqual([]);
  });
});
