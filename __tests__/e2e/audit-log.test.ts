// `audit-log` end to end through the bundled main and post steps: a write-once record of every
// change, read back from the emulator's S3 (the unmodified @aws-sdk/client-s3 through
// AWS_ENDPOINT_URL_S3) and from Azurite (Microsoft's Azure Storage emulator, signed in to with the
// step's own Entra token); a store that refuses the first record stops the step before any cloud
// write, naming what is missing; a dry run records nothing.
import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import tls from 'node:tls';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { AZURITE_ACCOUNT, AZURITE_ACCOUNT_KEY } from '../../emulator/azure/index.js';
import { seedAzuriteContainer } from '../../emulator/azurite-seed.js';
import {
  awsAssignment,
  awsInputs,
  azure,
  azureInputs,
  newPrincipal,
  READER,
  ROLE_TO_ASSUME,
  runMain,
  runPost,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 50, azurite: true });

/** The records under `prefix/`, in key order, parsed. */
const s3Records = (prefix: string) =>
  emulator()
    .aws.s3.objects('audit', `${prefix}/`)
    .map(([key, o]) => ({ key, record: JSON.parse(o.body) as Record<string, unknown> }));

const cloudWrites = () => emulator().requests.filter((r) => r.write && r.service !== 's3');

describe('audit-log on AWS (S3)', () => {
  const inputs = {
    principal: 'alice',
    target: '111111111111',
    role: 'ReadOnlyAccess',
    'revoke-on-exit': 'true',
    'audit-log': 's3://audit/cloud-access',
  };

  it('reaches an S3-compatible server on the runner named `localhost` (moto, MinIO): the bucket in the path', async () => {
    emulator().aws.s3.createBucket('audit');
    const named = emulator().env.AWS_ENDPOINT_URL_S3!.replace('127.0.0.1', 'localhost');
    const granted = await runMain(
      awsInputs({ ...inputs, 'revoke-on-exit': 'false', 'audit-log': 's3://audit/named' }),
      {
        AWS_ENDPOINT_URL_S3: named,
      },
    );
    expect(granted.exitCode).toBe(0);
    expect(s3Records('named').map((r) => r.record.change)).toEqual(['plan', 'grant']);
  });

  it('records the grant and the post step’s revoke, each step’s first record before its first write', async () => {
    emulator().aws.s3.createBucket('audit');
    const dayOf = () => new Date().toISOString().slice(0, 10).split('-').join('/');
    const firstDay = dayOf();
    const granted = await runMain(awsInputs(inputs));
    expect(granted.exitCode).toBe(0);
    const revoked = await runPost(awsInputs(inputs), granted.state);
    expect(revoked.exitCode).toBe(0);
    expect(emulator().aws.hasAssignment(awsAssignment('111111111111'))).toBe(false);
    const records = s3Records('cloud-access');
    // Each record under the day it was written: the test's days, should it run across midnight.
    const days = new Set([firstDay, dayOf()]);
    // Main: its plan (1) and the grant (2); the post step's numbers follow every one main could take.
    expect(
      records.map((r) =>
        r.key.replace(/^cloud-access\/(\d{4}\/\d\d\/\d\d)\//, (_, day: string) =>
          days.has(day) ? 'cloud-access/<day>/' : `cloud-access/${day}/`,
        ),
      ),
    ).toEqual([1, 2, 3, 4].map((n) => `cloud-access/<day>/123456789-1234567890-1-${n}.json`));
    expect(records.map((r) => [r.record.step, r.record.change])).toEqual([
      ['main', 'plan'],
      ['main', 'grant'],
      ['post', 'plan'],
      ['post', 'post-revoke'],
    ]);
    expect(records[1]!.record).toMatchObject({
      operation: 'assign',
      cloud: 'aws',
      principal: { name: 'alice', type: 'USER' },
      role: { name: 'ReadOnlyAccess', id: expect.stringMatching(/^arn:aws:sso:::permissionSet\//) },
      // The account by its Organizations name, read for the records (DescribeAccount).
      target: { id: '111111111111', name: 'account-111111111111' },
      requestId: expect.any(String),
      status: 'SUCCEEDED',
      run: {
        repository: 'octo-org/octo-repo',
        repositoryId: '123456789',
        runUrl: 'https://github.com/octo-org/octo-repo/actions/runs/1234567890/attempts/1',
        event: 'push',
        actor: 'octocat',
      },
    });
    expect(records[3]!.record).toMatchObject({
      role: { name: 'ReadOnlyAccess' },
      target: { name: 'account-111111111111' },
    });
    // The post step's records name this run, as the main step's do.
    expect(records[3]!.record.run).toEqual(records[1]!.record.run);
    // Each record's PUT went before the write it records: the first S3 request precedes the create.
    const order = emulator().requests.map((r) => (r.service === 's3' ? 's3' : r.write ? 'write' : 'read'));
    expect(order.indexOf('s3')).toBeLessThan(order.indexOf('write'));
    // One PUT per record.
    expect(emulator().requests.filter((r) => r.service === 's3')).toHaveLength(4);
  });

  it('signs each step in once: its records go with the credentials of its one STS exchange', async () => {
    emulator().aws.s3.createBucket('audit');
    const granted = await runMain(awsInputs(inputs));
    expect(granted.exitCode).toBe(0);
    const sts = () => emulator().requests.filter((r) => r.service === 'sts').length;
    expect(sts()).toBe(1);
    const revoked = await runPost(awsInputs(inputs), granted.state);
    expect(revoked.exitCode).toBe(0);
    expect(sts()).toBe(2);
    expect(s3Records('cloud-access')).toHaveLength(4);
  });

  it('refused s3:PutObject, writes nothing to the cloud and fails naming the sink and the permission', async () => {
    emulator().aws.s3.createBucket('audit');
    emulator().aws.s3.deniedPutObject.add(ROLE_TO_ASSUME);
    const refused = await runMain(awsInputs({ ...inputs, 'revoke-on-exit': 'false' }));
    expect(refused.exitCode).not.toBe(0);
    expect(cloudWrites()).toEqual([]);
    expect(refused.errors.join('\n')).toMatch(
      /first record could not be written to `s3:\/\/audit\/cloud-access` \(AccessDenied: .*\), so nothing was written to the cloud: give the step's identity `s3:PutObject` on `arn:aws:s3:::audit\/cloud-access\/\*`/,
    );
  });

  it('ends by its deadline when S3 never answers, failing on the sink, not on a cloud request it never sent', async () => {
    emulator().aws.s3.createBucket('audit');
    emulator().aws.s3.putObjectHold = 'forever';
    // Long enough for a loaded machine to reach the first record's PUT, which S3 never answers.
    const held = await runMain(awsInputs({ ...inputs, 'revoke-on-exit': 'false', 'timeout-seconds': '10' }));
    expect(held.exitCode).not.toBe(0);
    // The step's own 10 s from its first request to its exit, on this process's clock (the
    // emulator's): a loaded machine's slow start-up is not counted. Nowhere near a hang.
    const first = Math.min(...emulator().requests.map((r) => r.at));
    expect(Date.now() - first).toBeLessThan(10_000 + 5_000);
    expect(cloudWrites()).toEqual([]);
    const errors = held.errors.join('\n');
    expect(errors).toMatch(
      /first record could not be written to `s3:\/\/audit\/cloud-access` \(`s3:\/\/audit\/cloud-access` did not answer within the step's 10s deadline \(`timeout-seconds`\)\), so nothing was written to the cloud/,
    );
    expect(errors).not.toMatch(/outstanding CreateAccountAssignment/);
  });

  it('warns naming a change whose record failed after it was made, and keeps it in results', async () => {
    emulator().aws.s3.createBucket('audit');
    // The first record (the plan) is written; the grant's is refused.
    emulator().aws.s3.putObjectsBeforeDenial = 1;
    const granted = await runMain(awsInputs({ ...inputs, 'revoke-on-exit': 'false' }));
    expect(granted.exitCode).toBe(0);
    expect(emulator().aws.hasAssignment(awsAssignment('111111111111'))).toBe(true);
    expect(granted.warnings).toEqual([
      expect.stringMatching(
        /^audit-log: the record of the grant of ReadOnlyAccess on 111111111111 for alice was not written to `s3:\/\/audit\/cloud-access` \(AccessDenied: .*\); the change was made and stays in `results`$/,
      ),
    ]);
    expect(JSON.parse(granted.outputs.results!)).toMatchObject([
      { principal: 'alice', status: 'SUCCEEDED', changed: true },
    ]);
  });

  it('writes no record in a dry run', async () => {
    emulator().aws.s3.createBucket('audit');
    const planned = await runMain(awsInputs({ ...inputs, 'revoke-on-exit': 'false', 'dry-run': 'true' }));
    expect(planned.exitCode).toBe(0);
    expect(emulator().requests.filter((r) => r.service === 's3')).toEqual([]);
  });
});

/** Azurite's blobs, read with its account key over the emulator's TLS (its CA trusted by this process too). */
function azurite(): BlobServiceClient {
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), azure().caCert]);
  return new BlobServiceClient(
    azure().azuriteBlobEndpoint!,
    new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_ACCOUNT_KEY),
  );
}

async function blobRecords(container: string): Promise<Record<string, unknown>[]> {
  const client = azurite().getContainerClient(container);
  const records: Record<string, unknown>[] = [];
  for await (const blob of client.listBlobsFlat()) {
    const body = await client.getBlobClient(blob.name).downloadToBuffer();
    records.push({ key: blob.name, ...(JSON.parse(body.toString('utf8')) as object) });
  }
  return records;
}

/** A grant of a new principal with `revoke-on-exit` (and `more`), then its post step: the records they wrote. */
async function grantAndRevokeRecorded(more: Record<string, string> = {}) {
  const container = `audit-${randomUUID().slice(0, 8)}`;
  await azurite().createContainer(container);
  // A user of the directory, given by object ID: its records name it through Graph.
  const principal = azure().addUser({
    userPrincipalName: `auditor-${randomUUID().slice(0, 8)}@contoso.com`,
  }).id;
  const inputs = {
    principal,
    target: subscription(),
    role: 'Reader',
    'revoke-on-exit': 'true',
    'audit-log': `${azure().azuriteBlobEndpoint!}/${container}/runs`,
    ...more,
  };
  const granted = await runMain(azureInputs(inputs));
  expect(granted.exitCode).toBe(0);
  const revoked = await runPost(azureInputs(inputs), granted.state);
  expect(revoked.exitCode).toBe(0);
  return { principal, records: await blobRecords(container) };
}

describe('audit-log on Azure (Azurite)', () => {
  it('records the grant and the post step’s revoke, signed in with the step’s Entra token', async () => {
    const { principal, records } = await grantAndRevokeRecorded();
    expect(records.map((r) => [r.step, r.change])).toEqual([
      ['main', 'plan'],
      ['main', 'grant'],
      ['post', 'plan'],
      ['post', 'post-revoke'],
    ]);
    expect(records[1]).toMatchObject({
      key: expect.stringMatching(/^runs\/\d{4}\/\d{2}\/\d{2}\/123456789-1234567890-1-2\.json$/),
      cloud: 'azure',
      // Given by object ID, named through Graph; the subscription by its display name.
      principal: { id: principal, name: expect.stringMatching(/@/) },
      role: { id: expect.stringContaining(READER), name: 'Reader' },
      target: { id: subscription(), name: 'Azure subscription 1' },
      status: 'SUCCEEDED',
    });
    // The post step names it too: it asks the Graph endpoint the main step saved with the audit log.
    expect(records[3]).toMatchObject({ principal: { id: principal, name: expect.stringMatching(/@/) } });
  });

  it('to the container `npm run emulator -- --azurite` makes: a step records there, read back without a key, as docs/local-run.md does', async () => {
    const auditLog = await seedAzuriteContainer(emulator());
    expect(auditLog).toBe(`${azure().azuriteBlobEndpoint!}/cloud-access-audit/cloud-access`);
    const granted = await runMain(
      azureInputs({
        principal: newPrincipal(),
        target: subscription(),
        role: 'Reader',
        'audit-log': auditLog!,
      }),
    );
    expect(granted.exitCode).toBe(0);
    const listed = await fetch(`${auditLog!.replace(/\/cloud-access$/, '')}?restype=container&comp=list`);
    expect(listed.status).toBe(200);
    expect(await listed.text()).toMatch(
      /<Name>cloud-access\/\d{4}\/\d{2}\/\d{2}\/123456789-1234567890-1-2\.json<\/Name>/,
    );
  });

  it('records a grant ARM refused, FAILED, its resource group by name', async () => {
    const container = `audit-${randomUUID().slice(0, 8)}`;
    await azurite().createContainer(container);
    azure().faults.authorizationFailed = ['Microsoft.Authorization/roleAssignments/write'];
    const refused = await runMain(
      azureInputs({
        principal: newPrincipal(),
        target: `${subscription()}/resourceGroups/rg-app`,
        role: 'Reader',
        'audit-log': `${azure().azuriteBlobEndpoint!}/${container}/runs`,
      }),
    );
    expect(refused.exitCode).not.toBe(0);
    expect(
      (await blobRecords(container)).map((r) => [r.change, r.status, (r.target as { name?: string })?.name]),
    ).toEqual([
      ['plan', undefined, undefined],
      ['grant', 'FAILED', 'rg-app'],
    ]);
  });

  it('says of an Azure PIM eligibility’s grant and revoke that they were of an eligibility, not active access', async () => {
    // Azure refuses to end an eligibility in its first 5 minutes; the post step ends it at once.
    azure().config.pimMinimumActiveMs = 0;
    const { principal, records } = await grantAndRevokeRecorded({
      'assignment-type': 'eligible',
      duration: 'P30D',
    });
    expect(records.map((r) => [r.step, r.change, r.kind])).toEqual([
      ['main', 'plan', undefined],
      ['main', 'grant', 'eligible'],
      ['post', 'plan', undefined],
      ['post', 'post-revoke', 'eligible'],
    ]);
    expect(records[0]!.planned).toEqual([
      { principal, target: subscription(), role: 'Reader', kind: 'eligible' },
    ]);
    expect(records[1]).toMatchObject({
      principal: { id: principal },
      assignmentId: expect.stringContaining('roleEligibilitySchedule'),
      status: 'SUCCEEDED',
    });
  });

  it('with no container to write to, writes nothing to the cloud and fails naming the sink and the role', async () => {
    const refused = await runMain(
      azureInputs({
        principal: newPrincipal(),
        target: subscription(),
        role: READER,
        'audit-log': `${azure().azuriteBlobEndpoint!}/no-such-container/runs`,
      }),
    );
    expect(refused.exitCode).not.toBe(0);
    expect(cloudWrites()).toEqual([]);
    expect(refused.errors.join('\n')).toMatch(
      /first record could not be written to `https:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/no-such-container\/runs` .*Storage Blob Data Contributor/,
    );
  });
});
