// The snapshot's store as the audit log's is (../audit-s3.test.ts), on the emulated S3 through the
// real SDK: every request ends within the step's deadline, each failure names `snapshot` and the
// object's `s3://` location with S3's own words, every request names the bucket owner it expects,
// and a store that cannot be reached fails the step before any write to the cloud.
import { describe, expect, it } from '@jest/globals';
import { CloudAccessError } from '../../../src/core/errors.js';
import { createSnapshotStore } from '../../../src/aws/snapshot/store.js';
import { awsPlan, emulatedDeps, emulatedSso } from '../../harness/emulated-sso.js';
import { snapshotPlanner } from '../../harness/snapshot-plan.js';

const sso = emulatedSso();
const { plan, objects } = snapshotPlanner(sso);
const s3 = () => sso.emulator.aws.s3;
const OBJECT = String.raw`s3://snapshots/p/[0-9a-f]{32}\.json\.gz`;
const cloudWrites = () => sso.count('CreateAccountAssignment') + sso.count('DeleteAccountAssignment');

/** The store of the object at `p/x.json.gz`, within a deadline of `seconds`. */
const store = (seconds: number) =>
  createSnapshotStore(
    awsPlan(),
    { bucket: 'snapshots', prefix: 'p', url: 's3://snapshots/p' },
    'p/x.json.gz',
    emulatedDeps(sso, seconds).deps,
  );

describe('a snapshot store that does not answer', () => {
  // Held forever, a request ends only by the step's deadline (the SDK's own timeout is 15 s a try).
  it('ends a GetObject never answered at the step’s deadline, naming snapshot and the s3:// object', async () => {
    s3().getObjectHold = 'forever';
    const failed = store(1).read();
    await expect(failed).rejects.toThrow(CloudAccessError);
    await expect(failed).rejects.toMatchObject({
      input: 'snapshot',
      message:
        "snapshot: S3 did not answer GetObject on s3://snapshots/p/x.json.gz within the step's 1s deadline (`timeout-seconds`)",
      fix: expect.stringContaining('raise `timeout-seconds`'),
    });
  });

  it('ends a PutObject never answered the same way', async () => {
    s3().putObjectHold = 'forever';
    await expect(store(1).write({ n: 1 }, undefined)).rejects.toMatchObject({
      message:
        "snapshot: S3 did not answer PutObject on s3://snapshots/p/x.json.gz within the step's 1s deadline (`timeout-seconds`)",
    });
  });

  it('fails a reconcile before any write to the cloud', async () => {
    s3().getObjectHold = 'forever';
    await expect(plan(undefined, 5)).rejects.toThrow(/^snapshot: S3 did not answer GetObject|deadline/);
    expect(cloudWrites()).toBe(0);
  });
});

describe('a snapshot store that refuses', () => {
  it('names snapshot and the object beside S3’s own words when it answers 503 SlowDown', async () => {
    // The SDK tries a request 3 times: each is answered 503.
    s3().failNext('GetObject', 'SlowDown', 503, 'Please reduce your request rate.', 3);
    await expect(plan()).rejects.toMatchObject({
      input: 'snapshot',
      message: expect.stringMatching(
        new RegExp(
          `^snapshot: S3 answered GetObject on ${OBJECT} with 503 SlowDown: Please reduce your request rate\\.$`,
        ),
      ),
      fix: expect.stringContaining('run the step again later'),
    });
    expect(cloudWrites()).toBe(0);
  });

  it('refuses a bucket of another account: every request names the owner it expects', async () => {
    s3().createBucket('elsewhere', '999999999999');
    await expect(plan('s3://elsewhere/p')).rejects.toMatchObject({
      input: 'snapshot',
      message: expect.stringMatching(
        /^input `snapshot`: S3 refused GetObject on `s3:\/\/elsewhere\/p\/.*` \(AccessDenied\)$/,
      ),
      fix: expect.stringContaining('check that bucket `elsewhere` is owned by account 123456789012'),
    });
    expect(s3().objects('elsewhere')).toEqual([]);
    // The step's own account's bucket is read and written.
    await plan();
    expect(objects()).toHaveLength(1);
  });

  it('fails the step before any write when S3 cannot be reached, naming snapshot and the object', async () => {
    process.env.AWS_ENDPOINT_URL_S3 = 'http://127.0.0.1:9';
    await expect(plan()).rejects.toMatchObject({
      input: 'snapshot',
      message: expect.stringMatching(new RegExp(`^snapshot: GetObject on ${OBJECT} did not reach S3 \\(`)),
      fix: expect.stringContaining('reachable from the runner'),
    });
    expect(cloudWrites()).toBe(0);
  });
});
