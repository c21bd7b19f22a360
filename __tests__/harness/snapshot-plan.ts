// A reconcile's read with `snapshot`, on the emulated IAM Identity Center, CloudTrail and S3 through
// the real SDKs, for the tests of what the step makes of the object it reads back: the plan of a
// small manifest (bob holds ReadOnlyAccess in ACCOUNT), and the stored object, put back changed as
// someone with the bucket's write access would.
import { afterEach, beforeEach } from '@jest/globals';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createAwsReconciler } from '../../src/aws/reconcile.js';
import { parseManifest } from '../../src/core/manifest/parse.js';
import { readForPlan, type ReadForPlan } from '../../src/operations/reconcile/reconcile-read.js';
import type { ConfigOf } from '../../src/core/inputs/index.js';
import { newObject } from '../../emulator/aws/s3/s3-state.js';
import { ACCOUNT, BOB, awsPlan, emulatedDeps, looseLookupPacing, type EmulatedSso } from './emulated-sso.js';

export const SNAPSHOT_BUCKET = 'snapshots';
/** The emulator's own account, which owns the buckets it makes: the step's credentials name it. */
const OWN_ACCOUNT = '123456789012';

const MANIFEST = [
  'version: 1',
  'aws:',
  '  manages:',
  '    permission-sets: [ReadOnlyAccess]',
  '  assignments:',
  `    - {principal: '${BOB}', role: ReadOnlyAccess, target: '${ACCOUNT}'}`,
].join('\n');

const ENV = ['AWS_ENDPOINT_URL_S3', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCOUNT_ID'];

/** The stored snapshot's fields the tests change. */
export type StoredSnapshotForm = {
  instance: string;
  completeReadAt: string;
  watermark: string;
  places: Record<string, unknown>;
};

export function snapshotPlanner(sso: EmulatedSso) {
  const saved = { ...process.env };
  beforeEach(() => {
    const { emulator } = sso;
    process.env.AWS_ENDPOINT_URL_S3 = emulator.env.AWS_ENDPOINT_URL_S3;
    process.env.AWS_ACCESS_KEY_ID = emulator.aws.staticCredentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = emulator.aws.staticCredentials.secretAccessKey;
    process.env.AWS_ACCOUNT_ID = OWN_ACCOUNT;
    emulator.aws.config.cloudTrailTps = 100;
    emulator.aws.s3.createBucket(SNAPSHOT_BUCKET);
  });
  afterEach(() => {
    for (const name of ENV)
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
  });

  const objects = () => sso.emulator.aws.s3.objects(SNAPSHOT_BUCKET);
  /** Puts `bytes` where the snapshot is, as its writer would. */
  const replace = (bytes: Buffer | string) => {
    const [key] = objects()[0]!;
    sso.emulator.aws.s3.buckets.get(SNAPSHOT_BUCKET)!.set(key, newObject(bytes, 'application/gzip'));
  };
  return {
    objects,
    replace,
    /** The stored snapshot as JSON. */
    stored: () => JSON.parse(gunzipSync(objects()[0]![1].bytes).toString('utf8')) as StoredSnapshotForm,
    /** The stored snapshot, changed by `edit`, put back. */
    tamper(edit: (snapshot: StoredSnapshotForm) => void) {
      const snapshot = JSON.parse(gunzipSync(objects()[0]![1].bytes).toString('utf8')) as StoredSnapshotForm;
      edit(snapshot);
      replace(gzipSync(JSON.stringify(snapshot)));
    },
    /** The plan a reconcile reads with `snapshot: url`, within `seconds`. */
    async plan(url = `s3://${SNAPSHOT_BUCKET}/p`, seconds = 30): Promise<ReadForPlan> {
      const parsed = parseManifest('access.yml', MANIFEST);
      if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
      const { deps, seams } = emulatedDeps(sso, seconds);
      const inputs = awsPlan({
        operation: 'reconcile',
        manifest: 'access.yml',
        principal: '',
        target: '',
        role: '',
        snapshot: url,
      });
      const reconciler = createAwsReconciler(
        inputs,
        parsed.manifest.aws!,
        deps,
        { ...(inputs as unknown as ConfigOf<'reconcile'>).reconcile, eventName: 'schedule' },
        { ...seams, ...looseLookupPacing() },
      );
      const read = await readForPlan(reconciler, { cloud: 'aws', line: 2 }, Date.now);
      if ('stoppedAt' in read) throw new Error(JSON.stringify(read.problems));
      return read;
    },
  };
}
