// The audit log's S3 store, as the step makes it (the real @aws-sdk/client-s3, signed in with the
// step's role through the emulator's STS), driven by the real trail against the emulator's S3:
// each record PUT names the bucket owner it expects (the account of the role the step signed in
// as), so a bucket of another account is refused, not written to; and a store that answers too
// slowly or never is abandoned at the step's deadline, naming the store.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createS3AuditSink } from '../../src/aws/audit-s3.js';
import { requestHandlerOptions } from '../../src/aws/sdk/clients.js';
import type { AwsSessionSettings } from '../../src/core/inputs/index.js';
import { AuditTrail } from '../../src/engine/audit/trail.js';
import { Deadline } from '../../src/engine/limits/deadline.js';

const ROLE = 'arn:aws:iam::123456789012:role/cloud-access';
const OTHER_ACCOUNT = '210987654321';

let emulator: Emulator;
const saved = { ...process.env };

beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false });
  for (const name of ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_STS', 'AWS_REGION'])
    process.env[name] = emulator.env[name];
});
afterAll(async () => {
  process.env = { ...saved };
  await emulator.close();
});
beforeEach(() => emulator.reset());

const settings = (roleToAssume: string | undefined = ROLE): AwsSessionSettings => ({
  cloud: 'aws',
  audience: 'sts.amazonaws.com',
  principalType: 'USER',
  region: emulator.aws.region,
  roleToAssume,
  roleSessionName: 'audit-test',
});

/** The trail a step with `audit-log: s3://audit/runs` opens, on a deadline of `seconds`. */
function trail(seconds = 30, roleToAssume?: string) {
  const deps = {
    requestToken: (audience: string) => Promise.resolve(emulator.github.signToken(audience)),
    mask: () => undefined,
  };
  const sink = createS3AuditSink(
    settings(roleToAssume),
    { store: 's3', bucket: 'audit', prefix: 'runs', url: 's3://audit/runs' },
    deps,
  );
  return new AuditTrail(
    sink,
    { step: 'main', operation: 'assign', run: { repositoryId: '1', runId: '2', runAttempt: '1' } },
    () => undefined,
    { deadline: new Deadline(seconds) },
  );
}

const firstRecord = (t: AuditTrail) => t.beforeFirstWrite('assign', () => []);
const records = () => emulator.aws.s3.objects('audit', 'runs/');

describe('the S3 audit store names the bucket owner it expects', () => {
  it('writes to a bucket of the account the step signed in to', async () => {
    emulator.aws.s3.createBucket('audit', '123456789012');
    await firstRecord(trail());
    expect(records()).toHaveLength(1);
  });

  it('refuses a bucket of another account, naming the account it expected and the fix, and writes nothing there', async () => {
    emulator.aws.s3.createBucket('audit', OTHER_ACCOUNT);
    const refused = await firstRecord(trail()).catch((error: unknown) => error);
    expect(refused).toMatchObject({
      input: 'audit-log',
      message: expect.stringMatching(
        /first record could not be written to `s3:\/\/audit\/runs` \(AccessDenied: .*\), so nothing was written/,
      ),
      fix: expect.stringMatching(
        /^give the step's identity `s3:PutObject` on `arn:aws:s3:::audit\/runs\/\*`, and check that bucket `audit` is owned by account 123456789012 \(the account of the role the step signed in as;/,
      ),
    });
    expect(records()).toEqual([]);
  });

  describe('without `role-to-assume`', () => {
    beforeEach(() => {
      process.env.AWS_ACCESS_KEY_ID = emulator.aws.staticCredentials.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = emulator.aws.staticCredentials.secretAccessKey;
    });
    afterEach(() => {
      for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCOUNT_ID'])
        delete process.env[name];
    });

    it('expects the account the environment’s credentials name', async () => {
      emulator.aws.s3.createBucket('audit', OTHER_ACCOUNT);
      process.env.AWS_ACCOUNT_ID = '123456789012';
      await expect(firstRecord(trail(30, ''))).rejects.toMatchObject({
        fix: expect.stringContaining('owned by account 123456789012'),
      });
      expect(records()).toEqual([]);
    });

    it('writes nothing when no account is known, and says how to name it', async () => {
      emulator.aws.s3.createBucket('audit');
      await expect(firstRecord(trail(30, ''))).rejects.toMatchObject({
        message: expect.stringContaining("the account of the step's credentials is not known"),
        fix: expect.stringMatching(/set `role-to-assume`, or set `AWS_ACCOUNT_ID`/),
      });
      expect(emulator.requests.filter((r) => r.service === 's3')).toEqual([]);
    });
  });
});

describe('the S3 audit store inside the step’s deadline', () => {
  it('abandons a PUT never answered at the deadline, naming the s3:// location', async () => {
    emulator.aws.s3.createBucket('audit');
    emulator.aws.s3.putObjectHold = 'forever';
    await expect(firstRecord(trail(1))).rejects.toMatchObject({
      message: expect.stringContaining(
        "(`s3://audit/runs` did not answer within the step's 1s deadline (`timeout-seconds`))",
      ),
    });
    expect(records()).toEqual([]);
  });

  it('abandons a PUT held past the deadline', async () => {
    emulator.aws.s3.createBucket('audit');
    emulator.aws.s3.putObjectHold = 5_000;
    await expect(firstRecord(trail(1))).rejects.toThrow(/did not answer within the step's 1s deadline/);
  });
});

describe('the HTTP handler of every AWS client of the step', () => {
  it('ends a request past its timeout with an error, not only a warning', async () => {
    emulator.aws.s3.createBucket('audit');
    emulator.aws.s3.putObjectHold = 'forever';
    // The step's options, with a timeout short enough for a test.
    const client = new S3Client({
      region: emulator.aws.region,
      credentials: { ...emulator.aws.staticCredentials },
      maxAttempts: 1,
      requestHandler: { ...requestHandlerOptions(), requestTimeout: 300 },
    });
    await expect(
      client.send(new PutObjectCommand({ Bucket: 'audit', Key: 'k.json', Body: '{}' })),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});
