// GitHub OIDC → STS → signed SSO Admin calls, the way the action authenticates, with the real
// clients (@actions/core's OIDC client, which the runner's token endpoint serves for every action,
// and the AWS credential provider the action uses); and the checks each hop makes.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ListInstancesCommand, CreateAccountAssignmentCommand } from '@aws-sdk/client-sso-admin';
import { fromWebToken } from '@aws-sdk/credential-provider-web-identity';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/nested-clients/sts';
import { decodeJwtClaims } from '../../emulator/common/jwt.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { rejection, ssoAdminClient, stsClient } from './sdk.js';

let emulator: Emulator;
const savedEnv = { ...process.env };
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  Object.assign(process.env, emulator.env);
});
afterEach(() => {
  process.env = { ...savedEnv };
});

const ROLE = 'arn:aws:iam::123456789012:role/cloud-access';
const getIDToken = async (audience?: string) => (await import('@actions/core')).getIDToken(audience);
const assume = (token: string, RoleSessionName = 'cloud-access-9876543210-1', RoleArn = ROLE) =>
  stsClient(emulator).send(
    new AssumeRoleWithWebIdentityCommand({ RoleArn, RoleSessionName, WebIdentityToken: token }),
  );

describe('the GitHub OIDC token endpoint', () => {
  it('issues an RS256 token with realistic claims through @actions/core getIDToken', async () => {
    const token = await getIDToken('sts.amazonaws.com');
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<
      string,
      string
    >;
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: emulator.github.issuer.kid });
    const claims = emulator.github.issuer.verify(token);
    expect(claims).toMatchObject({
      iss: 'https://token.actions.githubusercontent.com',
      aud: 'sts.amazonaws.com',
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      repository: 'octo-org/octo-repo',
      repository_owner: 'octo-org',
      job_workflow_ref: 'octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main',
      event_name: 'push',
    });
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(claims.nbf!).toBeLessThanOrEqual(claims.iat!);
    expect(emulator.github.issuedTokens).toEqual([token]);
  });

  it('defaults the audience to the owner URL, and merges claim overrides', async () => {
    emulator.github.claims.sub = 'repo:octo-org/octo-repo:environment:production';
    emulator.github.claims.environment = 'production';
    const claims = decodeJwtClaims(await getIDToken());
    expect(claims).toMatchObject({
      aud: 'https://github.com/octo-org',
      sub: 'repo:octo-org/octo-repo:environment:production',
      environment: 'production',
    });
  });

  it('answers 401 without the runner request token', async () => {
    const response = await fetch(`${emulator.env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=sts.amazonaws.com`, {
      headers: { authorization: 'Bearer wrong' },
    });
    expect(response.status).toBe(401);
    expect(emulator.github.issuedTokens).toEqual([]);
  });

  it('answers 500 for the next N requests with faults.serverErrors', async () => {
    emulator.github.faults.serverErrors = 1;
    await expect(getIDToken('sts.amazonaws.com')).rejects.toThrow(/500/);
    await expect(getIDToken('sts.amazonaws.com')).resolves.toMatch(/^ey/);
  });
});

describe('STS AssumeRoleWithWebIdentity', () => {
  it('exchanges the token through fromWebToken, and SSO Admin accepts the signed calls', async () => {
    const token = await getIDToken('sts.amazonaws.com');
    const credentials = fromWebToken({
      roleArn: ROLE,
      webIdentityToken: token,
      roleSessionName: 'cloud-access-9876543210-1',
    });
    const client = ssoAdminClient(emulator, credentials);
    const { Instances } = await client.send(new ListInstancesCommand({}));
    expect(Instances?.[0]).toMatchObject({
      InstanceArn: emulator.aws.instanceArn,
      IdentityStoreId: 'd-1234567890',
      Status: 'ACTIVE',
    });
    await client.send(
      new CreateAccountAssignmentCommand({
        InstanceArn: emulator.aws.instanceArn,
        TargetId: '111111111111',
        TargetType: 'AWS_ACCOUNT',
        PermissionSetArn: emulator.aws.permissionSetArn('ReadOnlyAccess'),
        PrincipalType: 'GROUP',
        PrincipalId: emulator.aws.groupId('Deployers'),
      }),
    );
    expect(emulator.aws.cloudTrail[0]).toMatchObject({
      eventName: 'CreateAccountAssignment',
      principalArn: 'arn:aws:sts::123456789012:assumed-role/cloud-access/cloud-access-9876543210-1',
      sessionName: 'cloud-access-9876543210-1',
    });
    expect(emulator.requests.map((r) => `${r.service}:${r.operation}:${r.status}`)).toEqual([
      'github:token:200',
      'sts:AssumeRoleWithWebIdentity:200',
      'sso-admin:ListInstances:200',
      'sso-admin:CreateAccountAssignment:200',
    ]);
  });

  it('returns session credentials that expire after credentialLifetimeSeconds, or DurationSeconds', async () => {
    const result = await assume(emulator.github.signToken('sts.amazonaws.com'));
    expect(result.Credentials!.AccessKeyId).toMatch(/^ASIA/);
    expect(result.Credentials!.Expiration!.getTime() - Date.now()).toBeGreaterThan(3590_000);
    expect(result).toMatchObject({
      SubjectFromWebIdentityToken: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      Audience: 'sts.amazonaws.com',
      Provider: 'token.actions.githubusercontent.com',
      AssumedRoleUser: {
        Arn: 'arn:aws:sts::123456789012:assumed-role/cloud-access/cloud-access-9876543210-1',
      },
    });
    const short = await stsClient(emulator).send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: ROLE,
        RoleSessionName: 's1',
        WebIdentityToken: emulator.github.signToken('sts.amazonaws.com'),
        DurationSeconds: 900,
      }),
    );
    expect(short.Credentials!.Expiration!.getTime() - Date.now()).toBeLessThan(901_000);
  });

  it('refuses a token for another audience: InvalidIdentityToken "Incorrect token audience"', async () => {
    const error = await rejection(assume(await getIDToken()));
    expect(error).toMatchObject({
      name: 'InvalidIdentityTokenException',
      message: 'Incorrect token audience',
      $metadata: expect.objectContaining({ httpStatusCode: 400 }),
    });
  });

  it('refuses a token from another issuer, or with a bad signature', async () => {
    expect(
      (
        await rejection(
          assume(emulator.github.signToken('sts.amazonaws.com', { iss: 'https://evil.example' })),
        )
      ).name,
    ).toBe('InvalidIdentityTokenException');
    const [h, p] = emulator.github.signToken('sts.amazonaws.com').split('.');
    expect((await rejection(assume(`${h}.${p}.AAAA`))).name).toBe('InvalidIdentityTokenException');
  });

  it('refuses an expired token: ExpiredTokenException', async () => {
    const error = await rejection(
      assume(emulator.github.signToken('sts.amazonaws.com', { exp: Math.floor(Date.now() / 1000) - 10 })),
    );
    expect(error.name).toBe('ExpiredTokenException');
  });

  it('denies a subject the trust policy does not match, and an unknown role: AccessDenied 403', async () => {
    emulator.github.claims.sub = 'repo:octo-org/other-repo:ref:refs/heads/main';
    const untrusted = await rejection(assume(await getIDToken('sts.amazonaws.com')));
    expect(untrusted).toMatchObject({
      message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      $metadata: expect.objectContaining({ httpStatusCode: 403 }),
    });
    emulator.github.claims = {};
    const unknown = await rejection(
      assume(
        emulator.github.signToken('sts.amazonaws.com'),
        'session',
        'arn:aws:iam::123456789012:role/missing',
      ),
    );
    expect(unknown.$metadata).toMatchObject({ httpStatusCode: 403 });
    expect(emulator.requests.filter((r) => r.service === 'sts').map((r) => r.errorCode)).toEqual([
      'AccessDenied',
      'AccessDenied',
    ]);
  });

  it('validates RoleSessionName against the model: ValidationError', async () => {
    const error = await rejection(assume(emulator.github.signToken('sts.amazonaws.com'), 'has spaces'));
    expect(error.message).toContain("at 'roleSessionName' failed to satisfy constraint");
    expect(emulator.requests.at(-1)?.errorCode).toBe('ValidationError');
  });

  it('answers IDPCommunicationError for the next N calls with faults.stsIdpCommunicationErrors', async () => {
    emulator.aws.faults.stsIdpCommunicationErrors = 1;
    expect((await rejection(assume(emulator.github.signToken('sts.amazonaws.com')))).name).toBe(
      'IDPCommunicationErrorException',
    );
    await expect(assume(emulator.github.signToken('sts.amazonaws.com'))).resolves.toBeDefined();
  });
});

describe('SigV4 checks on SSO Admin', () => {
  it('an unknown access key is UnrecognizedClientException', async () => {
    const client = ssoAdminClient(emulator, { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' });
    const error = await rejection(client.send(new ListInstancesCommand({})));
    expect(error).toMatchObject({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
  });

  it('a wrong secret is InvalidSignatureException', async () => {
    const client = ssoAdminClient(emulator, {
      accessKeyId: emulator.aws.staticCredentials.accessKeyId,
      secretAccessKey: 'wrong',
    });
    expect((await rejection(client.send(new ListInstancesCommand({})))).name).toBe(
      'InvalidSignatureException',
    );
  });

  it('a session key without its session token is UnrecognizedClientException', async () => {
    const { Credentials } = await assume(emulator.github.signToken('sts.amazonaws.com'));
    const client = ssoAdminClient(emulator, {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
    });
    expect((await rejection(client.send(new ListInstancesCommand({})))).name).toBe(
      'UnrecognizedClientException',
    );
  });

  it('an expired session is ExpiredTokenException', async () => {
    const { Credentials } = await assume(emulator.github.signToken('sts.amazonaws.com'));
    emulator.aws.expireSessions();
    const client = ssoAdminClient(emulator, {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    });
    const error = await rejection(client.send(new ListInstancesCommand({})));
    expect(error).toMatchObject({
      name: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    });
  });
});

describe('the control API under /_emulator/', () => {
  it('serves requests and state, merges faults, and resets', async () => {
    const base = emulator.endpoints.github;
    emulator.aws.addAssignment({
      accountId: '111111111111',
      permissionSetArn: emulator.aws.permissionSetArn('ReadOnlyAccess'),
      principalType: 'USER',
      principalId: emulator.aws.userId('alice'),
    });
    const state = (await (await fetch(`${base}/_emulator/state`)).json()) as {
      assignments: unknown[];
      permissionSets: unknown[];
    };
    expect(state.assignments).toHaveLength(1);
    expect(state.permissionSets).toHaveLength(4);
    const faults = await fetch(`${base}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ throttleRate: 0.25 }),
    });
    expect(faults.status).toBe(200);
    expect(emulator.aws.faults.throttleRate).toBe(0.25);
    expect((await fetch(`${base}/_emulator/faults`, { method: 'POST', body: '{"nope":1}' })).status).toBe(
      400,
    );
    await getIDToken('sts.amazonaws.com');
    expect(((await (await fetch(`${base}/_emulator/requests`)).json()) as unknown[]).length).toBe(1);
    await fetch(`${base}/_emulator/reset`, { method: 'POST' });
    expect(emulator.aws.faults.throttleRate).toBe(0);
    expect(emulator.requests).toEqual([]);
    expect(emulator.aws.assignments()).toEqual([]);
  });

  it('shows the Azure role assignments and merges Azure faults', async () => {
    const base = emulator.endpoints.github;
    const seeded = emulator.azure!.roleAssignments().length;
    const state = (await (await fetch(`${base}/_emulator/state`)).json()) as {
      azure: { roleAssignments: unknown[]; subscriptionId: string };
    };
    expect(state.azure.roleAssignments).toHaveLength(seeded);
    expect(state.azure.subscriptionId).toBe(emulator.azure!.subscriptionId);
    const faults = await fetch(`${base}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ azure: { throttleRate: 0.5, entraServerErrors: 2 } }),
    });
    expect(faults.status).toBe(200);
    expect(emulator.azure!.faults).toMatchObject({ throttleRate: 0.5, entraServerErrors: 2 });
    const unknown = await fetch(`${base}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ azure: { nope: 1 } }),
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toContain('azure.nope');
  });

  it('sets the injected answers (failRequests, forcedRequestIds, azure.armFailures)', async () => {
    const failRequests = [
      {
        operation: 'CreateAccountAssignment',
        status: 400,
        code: 'ValidationException',
        message: 'no',
        times: 1,
      },
    ];
    const armFailures = [{ method: 'PUT', status: 400, code: 'InvalidRoleAssignment', message: 'no' }];
    const res = await fetch(`${emulator.endpoints.github}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ failRequests, forcedRequestIds: ['r-1'], azure: { armFailures } }),
    });
    expect(res.status).toBe(200);
    expect(emulator.aws.faults).toMatchObject({ failRequests, forcedRequestIds: ['r-1'] });
    expect(emulator.azure!.faults.armFailures).toEqual(armFailures);
  });
});
