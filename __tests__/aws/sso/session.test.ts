// The SSO session over the emulated IAM Identity Center, through the real SDK clients: discovery,
// name resolution, pagination, and service errors as typed errors.
import { describe, expect, it, jest } from '@jest/globals';
import { ListAccountAssignmentsCommand } from '@aws-sdk/client-sso-admin';
import { AwsServiceError } from '../../../src/aws/sdk/aws-errors.js';
import { permissionSetReads } from '../../../src/aws/directory/names.js';
import { PermissionSetNames } from '../../../src/aws/directory/permission-set-names.js';
import type { SsoCalls } from '../../../src/aws/sdk/sso-calls.js';
import { IDENTITY_STORE_CALLS_PER_WINDOW } from '../../../src/aws/sdk/identity-store-calls.js';
import { FIRST_WAVE } from '../../../src/aws/directory/permission-set-names.js';
import { SSO_ADMIN_CALLS_PER_WINDOW, SSO_ADMIN_WINDOW_MS } from '../../../src/aws/sso/quotas.js';
import { createSsoSession } from '../../../src/aws/sso/session.js';
import { AdaptiveRateLimiter } from '../../../src/engine/limits/adaptive-limits.js';
import { CloudAccessError } from '../../../src/core/errors.js';
import {
  ACCOUNT,
  ADMIN,
  ALICE,
  DEPLOYERS,
  INSTANCE_ARN,
  READ_ONLY,
  STORE_ID,
  awsPlan,
  emulatedDeps,
  emulatedSso,
  pageToken,
} from '../../harness/emulated-sso.js';

const sso = emulatedSso();
const instances = () => sso.emulator.aws.state.instances;

function setUp(inputs: Record<string, string> = {}) {
  const plan = awsPlan(inputs);
  const { deps, seams } = emulatedDeps(sso);
  return { sso, plan, session: createSsoSession(plan, deps, seams) };
}

const OTHER_INSTANCE = 'arn:aws:sso:::instance/ssoins-2222222222222222';

describe('prepare: the instance', () => {
  it('makes no call when the instance is given and no principal is a name', async () => {
    const { sso, session } = setUp();
    await session.prepare();
    expect(sso.calls()).toEqual([]);
    expect(session.instance).toBe(INSTANCE_ARN);
  });

  it('discovers the only visible instance and its identity store', async () => {
    const { sso, session } = setUp({ 'instance-arn': '', principal: 'alice' });
    await session.prepare();
    expect(session.instance).toBe(INSTANCE_ARN);
    expect(await session.principalId({ kind: 'name', name: 'alice' })).toBe(ALICE);
    expect(sso.inputsOf('GetUserId')[0]).toMatchObject({ IdentityStoreId: STORE_ID });
    expect(sso.calls()).toEqual(['SWBExternalService.ListInstances', 'AWSIdentityStore.GetUserId']);
  });

  it('asks for instance-arn when several instances are visible, listing them', async () => {
    const { session } = setUp({ 'instance-arn': '' });
    instances().push({ instanceArn: OTHER_INSTANCE, identityStoreId: 'd-2222222222' });
    await expect(session.prepare()).rejects.toMatchObject({
      input: 'instance-arn',
      message: `2 IAM Identity Center instances are visible in us-east-1: ${INSTANCE_ARN} (identity store ${STORE_ID}, octo-org); ${OTHER_INSTANCE} (identity store d-2222222222)`,
      fix: 'pass `instance-arn` (and `identity-store-id`) to choose one',
    });
  });

  it('says when no instance is visible in the Region, naming `aws-region`', async () => {
    const { sso, session } = setUp({ 'instance-arn': '' });
    sso.emulator.aws.state.instances = [];
    await expect(session.prepare()).rejects.toMatchObject({
      input: 'aws-region',
      message: 'no IAM Identity Center instance is visible in us-east-1',
      fix: expect.stringMatching(
        /^set `aws-region` to the Region the instance lives in .*sso:ListInstances$/,
      ),
    });
  });

  it('finds a given instance on a later page of ListInstances, or says it is not visible', async () => {
    const { sso, session } = setUp({ 'instance-arn': OTHER_INSTANCE, principal: 'alice' });
    sso.pageSize(1);
    instances().unshift({
      instanceArn: 'arn:aws:sso:::instance/ssoins-3333333333333333',
      identityStoreId: 'd-3333333333',
    });
    instances().push({ instanceArn: OTHER_INSTANCE, identityStoreId: 'd-2222222222' });
    // A principal given by name: the identity store is discovered with the instance.
    await session.prepare({ identityStore: true });
    expect(session.instance).toBe(OTHER_INSTANCE);
    expect(sso.count('ListInstances')).toBe(3);

    sso.reset();
    const missing = setUp({ 'instance-arn': OTHER_INSTANCE, principal: 'alice' });
    await expect(missing.session.prepare({ identityStore: true })).rejects.toMatchObject({
      input: 'instance-arn',
      message: `instance ${OTHER_INSTANCE} is not among the IAM Identity Center instances visible in us-east-1`,
      fix: expect.stringContaining(`visible: ${INSTANCE_ARN} (identity store ${STORE_ID}, octo-org)`),
    });
  });

  it('says prepare() must run first when the instance is unknown', () => {
    const { session } = setUp({ 'instance-arn': '' });
    expect(() => session.instance).toThrow('prepare() must run first');
  });
});

describe('principal names', () => {
  it('looks a user name up once, however many grants use it', async () => {
    const { sso, session } = setUp({ principal: 'alice', 'identity-store-id': STORE_ID });
    const [a, b] = await Promise.all([
      session.principalId({ kind: 'name', name: 'alice' }),
      session.principalId({ kind: 'name', name: 'alice' }),
    ]);
    expect([a, b]).toEqual([ALICE, ALICE]);
    expect(sso.inputsOf('GetUserId')).toEqual([
      {
        IdentityStoreId: STORE_ID,
        AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'alice' } },
      },
    ]);
  });

  it('looks a group up by display name', async () => {
    const { sso, session } = setUp({
      principal: 'Deployers',
      'principal-type': 'GROUP',
      'identity-store-id': STORE_ID,
    });
    expect(await session.principalId({ kind: 'name', name: 'Deployers' })).toBe(DEPLOYERS);
    expect(sso.inputsOf('GetGroupId')[0]).toMatchObject({
      AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'Deployers' } },
    });
  });

  it('confirms an ID is of its type with one DescribeUser, once per step', async () => {
    const { sso, session } = setUp({ 'identity-store-id': STORE_ID });
    expect(await session.principalId({ kind: 'id', id: ALICE })).toBe(ALICE);
    expect(await session.principalId({ kind: 'id', id: ALICE })).toBe(ALICE);
    expect(sso.calls()).toEqual(['AWSIdentityStore.DescribeUser']);
  });

  it('a group’s ID as a USER fails naming the type it is and the principal-type that fits', async () => {
    const { session } = setUp({ 'identity-store-id': STORE_ID });
    await expect(session.principalId({ kind: 'id', id: DEPLOYERS })).rejects.toMatchObject({
      input: 'principal',
      message: `\`${DEPLOYERS}\` is a group of identity store ${STORE_ID}, not a user (\`principal-type: USER\`, the default)`,
      fix: 'set `principal-type: GROUP` for it',
    });
    await expect(session.principalId({ kind: 'id', id: ALICE }, 'GROUP')).rejects.toMatchObject({
      fix: 'set `principal-type: USER` for it',
    });
    expect(await session.principalId({ kind: 'id', id: DEPLOYERS }, 'GROUP')).toBe(DEPLOYERS);
  });

  it('an ID the store holds as neither fails, saying so', async () => {
    const { session } = setUp({ 'identity-store-id': STORE_ID });
    const stranger = 'd6f0e2a4-1b3c-4d5e-8f90-123456789abc';
    await expect(session.principalId({ kind: 'id', id: stranger })).rejects.toMatchObject({
      message: `\`${stranger}\` is neither a user nor a group of identity store ${STORE_ID}`,
    });
  });

  it('says a user name was not found (ResourceNotFoundException), pointing at principal-type', async () => {
    const { session } = setUp({ principal: 'mallory', 'identity-store-id': STORE_ID });
    const error = await session.principalId({ kind: 'name', name: 'mallory' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudAccessError);
    expect(error).not.toBeInstanceOf(AwsServiceError);
    expect(error).toMatchObject({
      input: 'principal',
      message: `user name \`mallory\` was not found in identity store ${STORE_ID}`,
      fix: 'check the user name, pass the user ID, or set `principal-type: GROUP` if it is a group',
    });
  });

  it('says a group display name was not found, pointing at principal-type USER', async () => {
    const { session } = setUp({
      principal: 'alice',
      'principal-type': 'GROUP',
      'identity-store-id': STORE_ID,
    });
    await expect(session.principalId({ kind: 'name', name: 'alice' })).rejects.toMatchObject({
      input: 'principal',
      message: `group display name \`alice\` was not found in identity store ${STORE_ID}`,
      fix: expect.stringContaining('`principal-type: USER`'),
    });
  });

  it('judges not-found by the error code, not the words: a denial that says "not found" stays a denial', async () => {
    const { sso, session } = setUp({ principal: 'alice', 'identity-store-id': STORE_ID });
    sso.failNext('GetUserId', 'AccessDeniedException', 400, 'User not found in the allowed list');
    const error = await session.principalId({ kind: 'name', name: 'alice' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsServiceError);
    const requestId = sso.requestIdOf('GetUserId');
    expect(error).toMatchObject({
      code: 'AccessDeniedException',
      operation: 'GetUserId',
      statusCode: 400,
      requestId,
      message: `GetUserId was denied: User not found in the allowed list (request ${requestId})`,
      fix: 'allow `identitystore:GetUserId` in the policy of the role the action uses',
    });
  });

  it('refuses an ID the identity store answered that is not an Identity Store ID', async () => {
    const { sso, session } = setUp({ principal: 'alice', 'identity-store-id': STORE_ID });
    sso.emulator.aws.state.users.get(ALICE)!.id = 'not-an-id';
    await expect(session.principalId({ kind: 'name', name: 'alice' })).rejects.toThrow(
      'the identity store answered `alice` with an ID that is not an Identity Store ID',
    );
  });
});

describe('permission set names', () => {
  it('finds a name among every page of ListPermissionSets, describing each set once', async () => {
    const { sso, session } = setUp();
    sso.pageSize(2);
    for (let i = 3; i <= 7; i++) sso.emulator.aws.addPermissionSet(`Set${i}`);
    const [a, b] = await Promise.all([
      session.permissionSetArn({ kind: 'name', name: 'Set7' }),
      session.permissionSetArn({ kind: 'name', name: 'AdministratorAccess' }),
    ]);
    expect([a, b]).toEqual([sso.emulator.aws.permissionSetArn('Set7'), ADMIN]);
    expect(sso.count('ListPermissionSets')).toBe(4);
    expect(sso.count('DescribePermissionSet')).toBe(7);
    expect(sso.inputsOf('ListPermissionSets').map((i) => i.NextToken)).toEqual([
      undefined,
      pageToken('permission-sets', 2),
      pageToken('permission-sets', 4),
      pageToken('permission-sets', 6),
    ]);
  });

  it('passes an ARN through without a call', async () => {
    const { sso, session } = setUp();
    expect(await session.permissionSetArn({ kind: 'arn', arn: READ_ONLY })).toBe(READ_ONLY);
    expect(sso.calls()).toEqual([]);
  });

  it('names the closest permission sets when a name is unknown', async () => {
    const { session } = setUp();
    await expect(session.permissionSetArn({ kind: 'name', name: 'AdminAccess' })).rejects.toMatchObject({
      input: 'role',
      message: `permission set \`AdminAccess\` was not found in ${INSTANCE_ARN}`,
      fix: expect.stringMatching(/^did you mean .*`AdministratorAccess`.*\? Names are case-sensitive/),
    });
  });

  it('says so when the instance has no permission sets', async () => {
    const { sso, session } = setUp();
    sso.emulator.aws.state.permissionSets.clear();
    await expect(session.permissionSetArn({ kind: 'name', name: 'ReadOnlyAccess' })).rejects.toMatchObject({
      fix: 'the instance has no permission sets; create one first',
    });
  });

  it('leaves out permission sets whose ARN an input ARN could not have', async () => {
    // No service that keeps to the model lists such an ARN (it would refuse to describe it), so the
    // lookup is given the answers directly: the guard is against a service that does not.
    const odd = `${READ_ONLY}-odd`;
    const names: Record<string, string> = {
      [READ_ONLY]: 'ReadOnlyAccess',
      [ADMIN]: 'AdministratorAccess',
      [odd]: 'Odd',
    };
    const answers = {
      instance: INSTANCE_ARN,
      paginate: async () => [READ_ONLY, ADMIN, odd],
      send: async (_operation: string, command: { input: object }) => ({
        PermissionSet: { Name: names[(command.input as { PermissionSetArn: string }).PermissionSetArn] },
      }),
    } as unknown as SsoCalls;
    expect([
      ...(await new PermissionSetNames(permissionSetReads(answers), () => INSTANCE_ARN).all()).keys(),
    ]).toEqual(['ReadOnlyAccess', 'AdministratorAccess']);
  });

  describe('described only until the names asked are found', () => {
    /** ReadOnlyAccess, AdministratorAccess, then Set1 … Set`more`, listed in that order. */
    const seed = (more: number) => {
      for (let i = 1; i <= more; i++) sso.emulator.aws.addPermissionSet(`Set${i}`);
    };
    const described = () => sso.inputsOf('DescribePermissionSet').map((i) => i.PermissionSetArn);

    it('20 permission sets, the wanted one early: one wave of 8 describes, not 20', async () => {
      const { session } = setUp();
      seed(18);
      expect(await session.permissionSetArn({ kind: 'name', name: 'Set3' })).toBe(
        sso.emulator.aws.permissionSetArn('Set3'),
      );
      expect(sso.count('ListPermissionSets')).toBe(1);
      expect(described()).toHaveLength(FIRST_WAVE);
    });

    it('a later name goes on down the list from where the last lookup stopped, describing none twice', async () => {
      const { session } = setUp();
      seed(18);
      await session.permissionSetArn({ kind: 'name', name: 'Set3' });
      expect(await session.permissionSetArn({ kind: 'name', name: 'Set12' })).toBe(
        sso.emulator.aws.permissionSetArn('Set12'),
      );
      // Set12 is the 14th listed: the second wave (as large as the first) reaches it.
      expect(described()).toHaveLength(2 * FIRST_WAVE);
      expect(new Set(described()).size).toBe(described().length);
      expect(sso.count('ListPermissionSets')).toBe(1);
    });

    it('names asked at once share the waves: 40 permission sets, three names, 32 describes, none twice', async () => {
      const { session } = setUp();
      seed(38);
      const asked = ['Set3', 'Set14', 'Set30', 'Set3'];
      const arns = await Promise.all(asked.map((name) => session.permissionSetArn({ kind: 'name', name })));
      expect(arns).toEqual(asked.map((name) => sso.emulator.aws.permissionSetArn(name)));
      // Set30 is the 32nd listed: waves of 8, 8 and 16.
      expect(described()).toHaveLength(32);
      expect(new Set(described()).size).toBe(32);
      expect(sso.count('ListPermissionSets')).toBe(1);
    });

    it('a missing name gets "did you mean" once every permission set was described, each once', async () => {
      const { session } = setUp();
      seed(18);
      await expect(session.permissionSetArn({ kind: 'name', name: 'Set-17' })).rejects.toMatchObject({
        input: 'role',
        message: `permission set \`Set-17\` was not found in ${INSTANCE_ARN}`,
        fix: expect.stringMatching(/^did you mean .*`Set17`.*\? Names are case-sensitive/),
      });
      expect(described()).toHaveLength(20);
      expect(new Set(described()).size).toBe(20);
    });

    it('a describe that failed is made again by the next lookup: no name is called missing unread', async () => {
      const { session } = setUp();
      seed(18);
      sso.failNext('DescribePermissionSet', 'AccessDeniedException', 400, 'not allowed');
      await expect(session.permissionSetArn({ kind: 'name', name: 'Set3' })).rejects.toMatchObject({
        code: 'AccessDeniedException',
      });
      expect(await session.permissionSetArn({ kind: 'name', name: 'Set3' })).toBe(
        sso.emulator.aws.permissionSetArn('Set3'),
      );
      // The first wave again: its one refused describe, and none of the seven answered.
      expect(described()).toHaveLength(FIRST_WAVE + 1);
    });
  });
});

describe('send and paginate', () => {
  it('follows NextToken through every page and counts each call', async () => {
    const { sso, session } = setUp();
    sso.pageSize(2);
    for (let i = 0; i < 5; i++) sso.addAssignment(`9067a1b2c3-0000000${i}-2222-3333-4444-555555555555`);
    const all = await session.paginate(
      'ListAccountAssignments',
      (nextToken) =>
        new ListAccountAssignmentsCommand({
          InstanceArn: INSTANCE_ARN,
          AccountId: ACCOUNT,
          PermissionSetArn: READ_ONLY,
          NextToken: nextToken,
        }),
      (page) => page.AccountAssignments,
    );
    expect(all).toHaveLength(5);
    expect(sso.count('ListAccountAssignments')).toBe(3);
    expect(session.stats.calls).toEqual({ ListAccountAssignments: 3 });
  });

  it('turns a service error into an AwsServiceError with its code, status and request ID', async () => {
    const { session } = setUp({ 'instance-arn': OTHER_INSTANCE });
    const error = await session
      .paginate(
        'ListAccountAssignments',
        (nextToken) =>
          new ListAccountAssignmentsCommand({
            InstanceArn: OTHER_INSTANCE,
            AccountId: ACCOUNT,
            PermissionSetArn: READ_ONLY,
            NextToken: nextToken,
          }),
        (page) => page.AccountAssignments,
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsServiceError);
    const requestId = sso.requestIdOf('ListAccountAssignments');
    expect(error).toMatchObject({
      code: 'ResourceNotFoundException',
      // The model's status for it (the emulator follows the model).
      statusCode: 404,
      requestId,
      message: `ListAccountAssignments: not found: Instance ${OTHER_INSTANCE} does not exist. (request ${requestId})`,
    });
  });

  it('lets at most 19 calls leave in any second by default, each counted until a second after its answer (under the quota of 20, however the network bunches calls)', async () => {
    const plan = awsPlan({ 'instance-arn': '' });
    const { deps, seams } = emulatedDeps(sso);
    const session = createSsoSession(plan, deps, { ...seams, limiter: undefined });
    sso.pageSize(1);
    sso.emulator.aws.state.instances = Array.from({ length: 20 }, () => instances()[0]!);
    const started = Date.now();
    await expect(session.prepare()).rejects.toThrow('20 IAM Identity Center instances');
    // Twenty pages: nineteen at once, the twentieth once the first has left the window.
    expect(Date.now() - started).toBeGreaterThanOrEqual(SSO_ADMIN_WINDOW_MS - 5);
    expect(SSO_ADMIN_CALLS_PER_WINDOW).toBeLessThan(20);
    expect(SSO_ADMIN_WINDOW_MS).toBeGreaterThanOrEqual(1000);
  });
});

describe('Identity Store calls, under a quota of their own', () => {
  const session = () => {
    const { deps, seams } = emulatedDeps(sso);
    return createSsoSession(awsPlan({ 'identity-store-id': STORE_ID }), deps, {
      ...seams,
      limiter: undefined,
      identityStoreLimiter: undefined,
    });
  };
  const listGroups = async (s: ReturnType<typeof session>) => {
    const { ListGroupsCommand } = await import('@aws-sdk/client-identitystore');
    return s.sendIdentityStore('ListGroups', new ListGroupsCommand({ IdentityStoreId: STORE_ID }));
  };

  it('a burst of 19 Identity Store calls holds no SSO Admin call back ("20 TPS per API", apart from IAM Identity Center\'s collective 20)', async () => {
    // The SSO Admin pacer the session makes by default, watched: what takes a place in its window.
    const ssoAdmin = new AdaptiveRateLimiter({
      ceiling: SSO_ADMIN_CALLS_PER_WINDOW,
      windowMs: SSO_ADMIN_WINDOW_MS,
    });
    const taken = jest.spyOn(ssoAdmin, 'take');
    const { deps, seams } = emulatedDeps(sso);
    const s = createSsoSession(awsPlan({ 'identity-store-id': STORE_ID }), deps, {
      ...seams,
      limiter: ssoAdmin,
      identityStoreLimiter: undefined,
    });
    await Promise.all(Array.from({ length: IDENTITY_STORE_CALLS_PER_WINDOW }, () => listGroups(s)));
    await s.permissionSetArn({ kind: 'name', name: 'ReadOnlyAccess' });
    // In one window with the 19, the list and the describes would wait for the first to leave it:
    // the window holds the SSO Admin calls alone (a count, not a clock, so a busy machine cannot
    // make it look held back).
    expect(taken.mock.calls.map(([operation]) => operation).sort()).toEqual([
      'DescribePermissionSet',
      'DescribePermissionSet',
      'ListPermissionSets',
    ]);
    expect(SSO_ADMIN_CALLS_PER_WINDOW).toBeGreaterThan(3);
    expect(s.stats.calls).toEqual({ ListGroups: 19, ListPermissionSets: 1, DescribePermissionSet: 2 });
  });

  it('paces them by themselves: the 20th waits for the first to leave the window', async () => {
    const s = session();
    const started = Date.now();
    await Promise.all(Array.from({ length: IDENTITY_STORE_CALLS_PER_WINDOW + 1 }, () => listGroups(s)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(SSO_ADMIN_WINDOW_MS - 5);
    expect(IDENTITY_STORE_CALLS_PER_WINDOW).toBeLessThan(20);
  });

  it('retries a throttled one and counts it, as SSO Admin calls are', async () => {
    const s = session();
    sso.failNext('GetUserId', 'ThrottlingException', 400, 'Rate exceeded');
    expect(await s.principalId({ kind: 'name', name: 'alice' })).toBe(ALICE);
    expect(s.stats).toMatchObject({ calls: { GetUserId: 2 }, retries: 1, throttled: 1 });
  });
});
