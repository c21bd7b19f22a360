// Every audit record names its principal, role and target by name as well as by ID: the records of
// the sweep's revokes and of the post step's revokes included, on both clouds, through the bundle
// as the runner runs it (records read back from the emulator's S3 and from Azurite).
import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import tls from 'node:tls';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { AZURITE_ACCOUNT, AZURITE_ACCOUNT_KEY } from '../../emulator/azure/index.js';
import {
  awsInputs,
  azure,
  azureInputs,
  READER,
  runMain,
  runPost,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 50, azurite: true });

type Named = { id?: string; name?: string };
type Record_ = { step: string; change: string; principal?: Named; role?: Named; target?: Named };

const s3Records = (prefix: string) =>
  emulator()
    .aws.s3.objects('audit', `${prefix}/`)
    .map(([, o]) => JSON.parse(o.body) as Record_);

/** Azurite's blobs, read with its account key over the emulator's TLS. */
function azurite(): BlobServiceClient {
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), azure().caCert]);
  return new BlobServiceClient(
    azure().azuriteBlobEndpoint!,
    new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_ACCOUNT_KEY),
  );
}

async function blobRecords(container: string): Promise<Record_[]> {
  const client = azurite().getContainerClient(container);
  const records: Record_[] = [];
  for await (const blob of client.listBlobsFlat()) {
    const body = await client.getBlobClient(blob.name).downloadToBuffer();
    records.push(JSON.parse(body.toString('utf8')) as Record_);
  }
  return records;
}

const finished = (runId: string) =>
  emulator().github.runs.setRun({
    repository: 'octo-org/octo-repo',
    repositoryId: '123456789',
    runId,
    attempt: '1',
    status: 'completed',
    conclusion: 'success',
  });

const sweepEnv = { GITHUB_EVENT_NAME: 'schedule' };

describe('Azure: the sweep’s revoke record', () => {
  it('names the principal, the role and the scope by name and by ID', async () => {
    const container = `audit-${randomUUID().slice(0, 8)}`;
    await azurite().createContainer(container);
    const upn = `swept-${randomUUID().slice(0, 8)}@contoso.com`;
    const principal = azure().addUser({ userPrincipalName: upn }).id;
    const scope = `${subscription()}/resourceGroups/rg-sweep`;
    const job = await runMain(
      azureInputs({ principal, target: scope, role: READER, 'revoke-on-exit': 'true' }),
      { GITHUB_RUN_ID: '8101' },
    );
    expect(job.exitCode).toBe(0);
    finished('8101');

    const sweep = await runMain(
      azureInputs({
        operation: 'sweep',
        target: scope,
        'github-token': emulator().github.runs.jobToken,
        'audit-log': `${azure().azuriteBlobEndpoint!}/${container}/runs`,
      }),
      sweepEnv,
    );
    expect(sweep.errors).toEqual([]);
    expect(sweep.exitCode).toBe(0);
    const records = await blobRecords(container);
    expect(records.map((r) => r.change)).toEqual(['plan', 'sweep-revoke']);
    expect(records[1]).toMatchObject({
      principal: { id: principal, name: upn },
      role: { id: expect.stringContaining(READER), name: 'Reader' },
      target: { id: scope, name: 'rg-sweep' },
    });
  }, 60_000);
});

describe('AWS: the sweep’s and the post step’s revoke records', () => {
  it('the sweep’s names the user, the permission set and the account by name and by ID', async () => {
    emulator().aws.s3.createBucket('audit');
    const job = await runMain(
      awsInputs({
        principal: 'alice',
        target: '111111111111',
        role: 'ReadOnlyAccess',
        'revoke-on-exit': 'true',
      }),
      { GITHUB_RUN_ID: '8102' },
    );
    expect(job.exitCode).toBe(0);
    finished('8102');

    const sweep = await runMain(
      awsInputs({
        operation: 'sweep',
        'github-token': emulator().github.runs.jobToken,
        'audit-log': 's3://audit/sweep',
      }),
      sweepEnv,
    );
    expect(sweep.errors).toEqual([]);
    expect(sweep.exitCode).toBe(0);
    const records = s3Records('sweep');
    expect(records.map((r) => r.change)).toEqual(['plan', 'sweep-revoke']);
    expect(records[1]).toMatchObject({
      principal: { id: emulator().aws.userId('alice'), name: 'alice' },
      role: { id: expect.stringMatching(/^arn:aws:sso:::permissionSet\//), name: 'ReadOnlyAccess' },
      target: { id: '111111111111', name: 'account-111111111111' },
    });
  }, 60_000);

  it('the post step’s names the user, the permission set and the account by name and by ID', async () => {
    emulator().aws.s3.createBucket('audit');
    const inputs = awsInputs({
      principal: 'alice',
      target: '111111111111',
      role: 'ReadOnlyAccess',
      'revoke-on-exit': 'true',
      'audit-log': 's3://audit/post',
    });
    const job = await runMain(inputs);
    expect(job.exitCode).toBe(0);
    const post = await runPost(inputs, job.state);
    expect(post.exitCode).toBe(0);
    const records = s3Records('post').filter((r) => r.step === 'post');
    expect(records.map((r) => r.change)).toEqual(['plan', 'post-revoke']);
    expect(records[1]).toMatchObject({
      principal: { id: emulator().aws.userId('alice'), name: 'alice' },
      role: { id: expect.stringMatching(/^arn:aws:sso:::permissionSet\//), name: 'ReadOnlyAccess' },
      target: { id: '111111111111', name: 'account-111111111111' },
    });
  }, 60_000);
});
