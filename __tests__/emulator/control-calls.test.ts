// The control API as `npm run emulator -- --help` spells it out: every call it lists answers its
// example bodies, every body is printed in full, and a body of the wrong shape is a 400 that names
// the field instead of a call that quietly does something else.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ListGroupMembershipsCommand } from '@aws-sdk/client-identitystore';
import { CONTROL_CALLS } from '../../emulator/control-calls.js';
import { seedSampleDirectory } from '../../emulator/azure/sample-directory.js';
import { seedExamples } from '../../emulator/examples-seed.js';
import { helpText } from '../../emulator/help.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { identityStoreClient } from './sdk.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true });
});
afterAll(() => emulator.close());
// What `npm run emulator` has at start.
beforeEach(() => {
  emulator.reset();
  seedExamples(emulator);
  seedSampleDirectory(emulator.azure!);
});

async function call(route: string, body?: unknown) {
  const [method, path] = route.split(' ') as [string, string];
  const res = await fetch(`${emulator.endpoints.github}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('every control call --help lists', () => {
  it.each(CONTROL_CALLS.map((c) => [c.route, c] as const))('%s answers its examples', async (route, c) => {
    for (const example of c.examples ?? [undefined]) {
      const answer = await call(route, example);
      expect([answer.status, answer.body.message]).toEqual([200, undefined]);
    }
  });

  it('is printed with its body and examples in full, never as {...}', () => {
    const help = helpText();
    for (const c of CONTROL_CALLS) {
      expect(help).toContain(`${c.route}: ${c.what}`);
      if (c.body) expect(help).toContain(`body: ${c.body}`);
      for (const example of c.examples ?? []) expect(help).toContain(`e.g. ${JSON.stringify(example)}`);
    }
    expect(help).not.toMatch(/\{\.\.\.\}|\{…\}(?!")/);
  });

  it('an unknown route answers 404 with the list of calls', async () => {
    const answer = await call('POST /_emulator/nothing', {});
    expect(answer.status).toBe(404);
    for (const c of CONTROL_CALLS) expect(answer.body.message).toContain(c.route);
  });
});

describe('a body of the wrong shape is a 400 naming the field', () => {
  const assignment = { accountId: '111111111111', permissionSet: 'ReadOnlyAccess', principal: 'alice' };

  it.each([
    [
      'a misspelt field',
      'POST /_emulator/aws/orphaned-grant',
      { ...assignment, runID: '701' },
      /unknown field "runID"/,
    ],
    ['a missing field', 'POST /_emulator/aws/orphaned-grant', assignment, /"runId" is missing/],
    [
      'a run ID that is not one',
      'POST /_emulator/aws/orphaned-grant',
      { ...assignment, runId: 701 },
      /"runId" takes the run ID \(digits\), got 701/,
    ],
    [
      'a role the emulator does not trust',
      'POST /_emulator/aws/orphaned-grant',
      { ...assignment, runId: '701', role: 'deployer' },
      /"role": "deployer" is not a role the emulator trusts/,
    ],
    [
      'a user the emulator does not have',
      'POST /_emulator/aws/orphaned-grant',
      { ...assignment, principal: 'alcie', runId: '701' },
      /"principal": "alcie" is not in the emulator/,
    ],
    [
      'a role ARN where a session is meant',
      'POST /_emulator/aws/create-assignment-as',
      { ...assignment, caller: { principalArn: 'arn:aws:iam::123456789012:role/cloud-access' } },
      /"caller.principalArn" takes arn:aws:sts::ACCOUNT:assumed-role\/ROLE\/SESSION/,
    ],
    [
      'a session name the ARN does not end with',
      'POST /_emulator/aws/create-assignment-as',
      {
        ...assignment,
        caller: {
          principalArn: 'arn:aws:sts::123456789012:assumed-role/cloud-access/cloud-access-123456789-701-1-e',
          sessionName: 'cloud-access-123456789-702-1-e',
        },
      },
      /"caller.sessionName" must be the session "caller.principalArn" ends with/,
    ],
    [
      'a misspelt caller field',
      'POST /_emulator/aws/delete-assignment-as',
      { ...assignment, caller: { principalArn: 'arn:aws:iam::123456789012:user/admin', session: 'x' } },
      /unknown field "caller.session"/,
    ],
    [
      'a principal the directory does not have',
      'POST /_emulator/azure/orphaned-grant',
      {
        scope: '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14',
        role: 'Reader',
        principal: 'ailce@contoso.com',
        runId: '801',
      },
      /"principal": "ailce@contoso.com" is no object ID/,
    ],
    [
      'an eligibility for a role Azure does not have',
      'POST /_emulator/azure/eligibility',
      {
        scope: '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14',
        role: 'Reeder',
        principalId: '0a11ce00-1b2c-4d3e-8f40-5a6b7c8d9e01',
      },
      /"role": "Reeder" is not a role the emulator holds/,
    ],
    [
      'an eligibility of a duration that is not ISO 8601',
      'POST /_emulator/azure/eligibility',
      {
        scope: '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14',
        role: 'Reader',
        principalId: '0a11ce00-1b2c-4d3e-8f40-5a6b7c8d9e01',
        duration: '90 days',
      },
      /"duration" takes an ISO 8601 duration/,
    ],
    [
      'an eligibility for a principal the emulator does not hold',
      'POST /_emulator/azure/eligibility',
      {
        scope: '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14',
        role: 'Reader',
        principalId: '0a11ce00-0000-4d3e-8f40-5a6b7c8d9e01',
      },
      /no principal 0a11ce00-0000/,
    ],
    [
      'requests aged by a number of days that is not one',
      'POST /_emulator/azure/eligibility/age-requests',
      { days: '46' },
      /"days" takes a number of days/,
    ],
    [
      'a role Azure does not have',
      'POST /_emulator/azure/orphaned-grant',
      {
        scope: '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14',
        role: 'Reeder',
        principal: 'alice@contoso.com',
        runId: '801',
      },
      /"role": "Reeder" is no role definition/,
    ],
    [
      'a group member the Identity Store does not have',
      'POST /_emulator/aws/group-members',
      { group: 'Deployers', members: ['alice', 'alcie'] },
      /"members": user "alcie" is not in the emulator's Identity Store/,
    ],
    [
      'no group members',
      'POST /_emulator/aws/group-members',
      { group: 'Deployers', members: [] },
      /"members" takes \[USER_NAME\|USER_ID, …\] \(1 to 100\), got \[\]/,
    ],
    [
      'a group member the directory does not have',
      'POST /_emulator/azure/group-members',
      { group: 'app-readers', members: ['ailce@contoso.com'] },
      /"members": "ailce@contoso.com" is no user, group or service principal of the directory/,
    ],
    [
      'a user where a group is meant',
      'POST /_emulator/azure/group-members',
      { group: 'alice@contoso.com', members: ['bob@contoso.com'] },
      /"group": "alice@contoso.com" is no group of the directory/,
    ],
  ])('%s', async (_, route, body, message) => {
    const writesBefore = emulator.aws.cloudTrail.length;
    const answer = await call(route, body);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(message);
    expect(answer.body.message).toContain('; body: {');
    expect(emulator.aws.cloudTrail).toHaveLength(writesBefore);
    expect(emulator.github.runs.runs()).toEqual([]);
  });
});

describe('POST /_emulator/aws/orphaned-grant', () => {
  it('creates the assignment as the run’s ephemeral session of the role, and completes the run', async () => {
    const answer = await call('POST /_emulator/aws/orphaned-grant', {
      accountId: '222222222222',
      permissionSet: 'ReadOnlyAccess',
      principalType: 'GROUP',
      principal: 'Deployers',
      runId: '701',
      attempt: '2',
      conclusion: 'failure',
    });
    expect(answer.status).toBe(200);
    const assignment = {
      accountId: '222222222222',
      permissionSetArn: emulator.aws.permissionSetArn('ReadOnlyAccess'),
      principalType: 'GROUP' as const,
      principalId: emulator.aws.groupId('Deployers'),
    };
    expect(emulator.aws.hasAssignment(assignment)).toBe(true);
    expect(emulator.aws.cloudTrail.at(-1)).toMatchObject({
      eventName: 'CreateAccountAssignment',
      principalArn: 'arn:aws:sts::123456789012:assumed-role/cloud-access/cloud-access-123456789-701-2-e',
      sessionName: 'cloud-access-123456789-701-2-e',
      webIdentity: true,
    });
    expect(emulator.github.runs.runs()).toEqual([
      expect.objectContaining({
        repositoryId: '123456789',
        runId: '701',
        attempt: '2',
        status: 'completed',
        conclusion: 'failure',
      }),
    ]);
  });
});

describe('POST /_emulator/azure/orphaned-grant', () => {
  it('makes the role assignment with the run’s :e marker, created by the action’s identity; not twice', async () => {
    const body = {
      scope: `/subscriptions/${emulator.azure!.subscriptionId}/resourceGroups/rg-app`,
      role: 'Reader',
      principal: 'Deployers',
      runId: '801',
      description: 'deploy of web',
    };
    const answer = await call('POST /_emulator/azure/orphaned-grant', body);
    expect(answer.status).toBe(200);
    expect(answer.body.assignment).toMatchObject({
      properties: {
        principalType: 'Group',
        description: 'deploy of web [cloud-access:octo-org/octo-repo:run:801:1:e]',
        createdBy: emulator.azure!.objectId,
        updatedBy: emulator.azure!.objectId,
      },
    });
    const again = await call('POST /_emulator/azure/orphaned-grant', body);
    expect([again.status, again.body.message]).toEqual([
      400,
      expect.stringMatching(/^"principal" holds "role" at "scope" already/),
    ]);
  });
});

describe('POST /_emulator/aws/group-members', () => {
  it('makes the users members: ListGroupMemberships lists them, through the SDK, once each', async () => {
    const body = { group: 'Auditors', members: ['alice', emulator.aws.userId('carol')] };
    expect((await call('POST /_emulator/aws/group-members', body)).status).toBe(200);
    expect((await call('POST /_emulator/aws/group-members', body)).status).toBe(200);
    const listed = await identityStoreClient(emulator).send(
      new ListGroupMembershipsCommand({
        IdentityStoreId: emulator.aws.identityStoreId,
        GroupId: emulator.aws.groupId('Auditors'),
      }),
    );
    expect(listed.GroupMemberships?.map((m) => m.MemberId)).toEqual([
      { UserId: emulator.aws.userId('alice') },
      { UserId: emulator.aws.userId('carol') },
    ]);
  });
});

describe('POST /_emulator/azure/group-members', () => {
  it("makes the objects direct members: Graph's transitiveMembers follows a nested group to its users", async () => {
    const answer = await call('POST /_emulator/azure/group-members', {
      group: 'Platform',
      members: ['Auditors', 'deploy-bot'],
    });
    expect(answer.status).toBe(200);
    await call('POST /_emulator/azure/group-members', { group: 'Auditors', members: ['bob@contoso.com'] });
    const directory = emulator.azure!.state.directory;
    const platform = directory.groups.find((g) => g.displayName === 'Platform')!.id;
    expect(directory.transitiveMembers(platform).sort()).toEqual(
      [
        directory.groups.find((g) => g.displayName === 'Auditors')!.id,
        directory.servicePrincipals.find((s) => s.displayName === 'deploy-bot')!.id,
        directory.users.find((u) => u.userPrincipalName === 'bob@contoso.com')!.id,
      ].sort(),
    );
  });
});
