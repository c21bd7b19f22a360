// A reconcile's read from its snapshot (`snapshot`), on the emulated IAM Identity Center, CloudTrail
// and S3 through the real SDKs: the first run reads completely and keeps what it read; the next
// reads only what CloudTrail's writes since touched and plans as a complete read would; a snapshot
// of another instance, a stale one or a tampered one is never trusted for a write.
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createAwsReconciler } from '../../../src/aws/reconcile.js';
import { createSnapshotStore } from '../../../src/aws/snapshot/store.js';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import { readForPlan, type ReadForPlan } from '../../../src/operations/reconcile/reconcile-read.js';
import type { ConfigOf } from '../../../src/core/inputs/index.js';
import { CloudAccessError } from '../../../src/core/errors.js';
import { newObject } from '../../../emulator/aws/s3/s3-state.js';
import {
  ACCOUNT,
  ALICE,
  BOB,
  READ_ONLY,
  awsPlan,
  emulatedDeps,
  emulatedSso,
  looseLookupPacing,
} from '../../harness/emulated-sso.js';

const sso = emulatedSso();
const OTHER = '222222222222';
const BUCKET = 'snapshots';
const admin = { principalArn: 'arn:aws:iam::123456789012:user/admin' };
const MANIFEST = [
  'version: 1',
  'aws:',
  '  manages:',
  '    permission-sets: [ReadOnlyAccess]',
  '  assignments:',
  `    - {principal: '${BOB}', role: ReadOnlyAccess, target: '${ACCOUNT}'}`,
].join('\n');

const saved = { ...process.env };
beforeEach(() => {
  const { emulator } = sso;
  process.env.AWS_ENDPOINT_URL_S3 = emulator.env.AWS_ENDPOINT_URL_S3;
  process.env.AWS_ACCESS_KEY_ID = emulator.aws.staticCredentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = emulator.aws.staticCredentials.secretAccessKey;
  // The account whose bucket the snapshot is in (x-amz-expected-bucket-owner): the emulator's own.
  process.env.AWS_ACCOUNT_ID = '123456789012';
  emulator.aws.config.cloudTrailTps = 100;
  emulator.aws.s3.createBucket(BUCKET);
});
afterEach(() => {
  for (const name of [
    'AWS_ENDPOINT_URL_S3',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_ACCOUNT_ID',
    'AWS_ENDPOINT_URL_STS',
    'GITHUB_EVENT_NAME',
  ])
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
});

/** The plan a reconcile of MANIFEST reads, with `snapshot` (and `full-read-every`) when given. */
async function plan(
  snapshot?: { url: string; fullReadEvery?: string; historyRoles?: string },
  eventName = 'schedule',
): Promise<ReadForPlan> {
  const parsed = parseManifest('access.yml', MANIFEST);
  if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
  const { deps, seams } = emulatedDeps(sso);
  const inputs = awsPlan({
    operation: 'reconcile',
    manifest: 'access.yml',
    principal: '',
    target: '',
    role: '',
    ...(snapshot
      ? {
          snapshot: snapshot.url,
          'full-read-every': snapshot.fullReadEvery ?? '',
          'event-history-roles': snapshot.historyRoles ?? '',
        }
      : {}),
  });
  const reconciler = createAwsReconciler(
    inputs,
    parsed.manifest.aws!,
    deps,
    { ...(inputs as unknown as ConfigOf<'reconcile'>).reconcile, eventName },
    { ...seams, ...looseLookupPacing() },
  );
  const read = await readForPlan(reconciler, { cloud: 'aws', line: 2 }, Date.now);
  if ('stoppedAt' in read) throw new Error(JSON.stringify(read.problems));
  return read;
}

const keys = (read: ReadForPlan) => ({
  creates: read.plan.creates.map((c) => `${c.principalId}@${c.target}`).sort(),
  deletes: read.plan.deletes.map((d) => `${d.principalId}@${d.target}`).sort(),
  unchanged: read.plan.unchanged.length,
});
const placeReads = () => sso.count('ListAccountAssignments');
const objects = () => sso.emulator.aws.s3.objects(BUCKET);

/** The fields of a stored snapshot the tests change. */
type StoredForm = {
  instance: string;
  completeReadAt: string;
  watermark: string;
  places: Record<string, unknown>;
};

/** The stored snapshot, changed by `edit`, put back as someone with the bucket's write access would. */
function tamper(edit: (snapshot: StoredForm) => void) {
  const [key, object] = objects()[0]!;
  const snapshot = JSON.parse(gunzipSync(object.bytes).toString('utf8')) as StoredForm;
  edit(snapshot);
  sso.emulator.aws.s3.buckets
    .get(BUCKET)!
    .set(key, newObject(gzipSync(JSON.stringify(snapshot)), 'application/gzip'));
}

describe('a reconcile with `snapshot`', () => {
  it('reads completely the first time and keeps what it read; after changes by others, plans as a complete read does, with fewer reads', async () => {
    sso.addAssignment(BOB);
    sso.addAssignment(ALICE, READ_ONLY, OTHER);
    const first = await plan({ url: `s3://${BUCKET}/reconcile` });
    expect(first.read.notices).toEqual([
      expect.stringMatching(
        /^snapshot: a complete read, because there is no snapshot at s3:\/\/snapshots\/reconcile\//,
      ),
      expect.stringMatching(/^snapshot: written to s3:\/\/snapshots\/reconcile\/[0-9a-f]{32}\.json\.gz$/),
    ]);
    expect(objects()).toHaveLength(1);

    // Changes by others, made without the action: each is in CloudTrail.
    sso.emulator.aws.createAssignmentAs(
      { accountId: ACCOUNT, permissionSetArn: READ_ONLY, principalType: 'USER', principalId: ALICE },
      admin,
    );
    sso.emulator.aws.deleteAssignmentAs(
      { accountId: OTHER, permissionSetArn: READ_ONLY, principalType: 'USER', principalId: ALICE },
      admin,
    );
    sso.emulator.aws.createAssignmentAs(
      { accountId: OTHER, permissionSetArn: READ_ONLY, principalType: 'USER', principalId: BOB },
      admin,
    );

    let reads = placeReads();
    const complete = await plan();
    const completeReads = placeReads() - reads;
    reads = placeReads();
    const fromSnapshot = await plan({ url: `s3://${BUCKET}/reconcile` });
    const snapshotReads = placeReads() - reads;
    expect(keys(fromSnapshot)).toEqual(keys(complete));
    expect(keys(fromSnapshot).deletes).toEqual([`${ALICE}@${ACCOUNT}`, `${BOB}@${OTHER}`].sort());
    expect(fromSnapshot.read.notices?.[0]).toMatch(
      /^snapshot: read from s3:\/\/snapshots\/reconcile\/.* and CloudTrail's writes since/,
    );
    expect(fromSnapshot.read.strategy).toMatch(/brought up to date/);
    expect(snapshotReads).toBeLessThanOrEqual(completeReads);
    expect(sso.count('ListAccountsForProvisionedPermissionSet')).toBe(2); // the two complete reads' only
  });

  it('reads nothing at the places no write touched, and reads again only where CloudTrail says', async () => {
    sso.addAssignment(BOB);
    sso.addAssignment(ALICE, READ_ONLY, OTHER);
    await plan({ url: `s3://${BUCKET}/p` });
    const before = sso.inputsOf('ListAccountAssignments').length;
    const quiet = await plan({ url: `s3://${BUCKET}/p` });
    expect(keys(quiet).deletes).toEqual([`${ALICE}@${OTHER}`]);
    // ALICE@OTHER is a delete the plan would make: its place is read again before it is planned.
    expect(
      sso
        .inputsOf('ListAccountAssignments')
        .slice(before)
        .map((i) => i.AccountId),
    ).toEqual([OTHER]);
  });

  it('reads again the places a ProvisionPermissionSet or an unreadable write event names, not only assignment writes', async () => {
    sso.addAssignment(BOB);
    await plan({ url: `s3://${BUCKET}/p` });
    // Alice's assignment at OTHER is not in CloudTrail; a provisioning to OTHER is.
    sso.addAssignment(ALICE, READ_ONLY, OTHER);
    sso.emulator.aws.addCloudTrailEvent({
      eventName: 'ProvisionPermissionSet',
      principalArn: admin.principalArn,
      requestParameters: {
        InstanceArn: sso.emulator.aws.state.instanceArn,
        PermissionSetArn: READ_ONLY,
        TargetId: OTHER,
        TargetType: 'AWS_ACCOUNT',
      },
    });
    const read = await plan({ url: `s3://${BUCKET}/p` });
    expect(read.read.notices?.[0]).toMatch(/^snapshot: read from /);
    expect(keys(read).deletes).toEqual([`${ALICE}@${OTHER}`]);

    // A write whose parameters are not what its name carries: the delta cannot say what it
    // touched, so the run reads completely.
    sso.emulator.aws.addCloudTrailEvent({
      eventName: 'CreateAccountAssignment',
      principalArn: admin.principalArn,
      requestParameters: { InstanceArn: sso.emulator.aws.state.instanceArn, TargetId: 'not an account' },
    });
    const unreadable = await plan({ url: `s3://${BUCKET}/p` });
    expect(unreadable.read.notices?.[0]).toMatch(
      /^snapshot: a complete read, because CloudTrail recorded 1 write event\(s\) since the snapshot whose parameters/,
    );
  });

  it("after a run applies its plan, the next plans nothing, before CloudTrail delivers the run's writes and after", async () => {
    sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
    const first = await plan({ url: `s3://${BUCKET}/p` });
    expect(keys(first)).toEqual({
      creates: [`${BOB}@${ACCOUNT}`],
      deletes: [`${ALICE}@${ACCOUNT}`],
      unchanged: 0,
    });
    // The snapshot was written before the apply, with the run's start as its watermark. The apply,
    // as the step's session makes it; CloudTrail has not delivered it yet.
    sso.emulator.aws.config.cloudTrailDelayMs = 10 * 60_000;
    const step = { principalArn: 'arn:aws:sts::123456789012:assumed-role/cloud-access/run-1' };
    sso.emulator.aws.createAssignmentAs(
      { accountId: ACCOUNT, permissionSetArn: READ_ONLY, principalType: 'USER', principalId: BOB },
      step,
    );
    sso.emulator.aws.deleteAssignmentAs(
      { accountId: ACCOUNT, permissionSetArn: READ_ONLY, principalType: 'USER', principalId: ALICE },
      step,
    );
    const undelivered = await plan({ url: `s3://${BUCKET}/p` });
    expect(undelivered.read.notices?.[0]).toMatch(/^snapshot: read from /);
    expect(keys(undelivered)).toEqual({ creates: [], deletes: [], unchanged: 1 });
    // Delivered: the watermark did not pass the writes, so they are seen and their place read.
    sso.emulator.aws.config.cloudTrailDelayMs = 0;
    const delivered = await plan({ url: `s3://${BUCKET}/p` });
    expect(delivered.read.notices?.[0]).toMatch(/: 1 place\(s\) read again, and 0 more before planning/);
    expect(keys(delivered)).toEqual({ creates: [], deletes: [], unchanged: 1 });
  });

  it('does not use a snapshot of another instance, or one whose complete read is older than full-read-every, and says so', async () => {
    sso.addAssignment(BOB);
    await plan({ url: `s3://${BUCKET}/p` });
    tamper((s) => {
      s.instance = 'arn:aws:sso:::instance/ssoins-fedcba0987654321';
    });
    const foreign = await plan({ url: `s3://${BUCKET}/p` });
    expect(foreign.read.notices?.[0]).toMatch(
      /a complete read, because the snapshot .* is not used: it is of another instance/,
    );
    tamper((s) => {
      s.completeReadAt = new Date(Date.now() - 2 * 3600_000).toISOString();
      s.watermark = s.completeReadAt;
    });
    const stale = await plan({ url: `s3://${BUCKET}/p`, fullReadEvery: '1h' });
    expect(stale.read.notices?.[0]).toMatch(
      /is not used: its last complete read is .* more than full-read-every/,
    );
    tamper(() => undefined);
    const [key] = objects()[0]!;
    sso.emulator.aws.s3.buckets.get(BUCKET)!.set(key, newObject('not gzip', 'application/gzip'));
    const unreadable = await plan({ url: `s3://${BUCKET}/p` });
    expect(unreadable.read.notices?.[0]).toMatch(/cannot be used: it is not gzipped JSON/);
  });

  it('never deletes or creates from a tampered snapshot: each place it would change at is read again', async () => {
    sso.addAssignment(BOB);
    await plan({ url: `s3://${BUCKET}/p` });
    const key = `${ACCOUNT}|${READ_ONLY}`;
    // Says alice holds ReadOnlyAccess (she does not), and bob does not (he does).
    tamper((s) => {
      s.places[key] = [{ principalType: 'USER', principalId: ALICE }];
    });
    const read = await plan({ url: `s3://${BUCKET}/p` });
    expect(keys(read)).toEqual({ creates: [], deletes: [], unchanged: 1 });
  });

  it('after a complete read, lists what the snapshot and CloudTrail missed as a warning', async () => {
    sso.addAssignment(BOB);
    await plan({ url: `s3://${BUCKET}/p` });
    // A change CloudTrail does not show (made in the emulator's state directly), and an aged snapshot.
    sso.addAssignment(ALICE, READ_ONLY, OTHER);
    tamper((s) => {
      s.completeReadAt = new Date(Date.now() - 2 * 3600_000).toISOString();
    });
    const read = await plan({ url: `s3://${BUCKET}/p`, fullReadEvery: '1h' });
    expect(read.read.warnings).toEqual([
      expect.stringMatching(
        new RegExp(`missed\\): USER ${ALICE} at ${OTHER} × .* \\(found, not in the snapshot\\)`),
      ),
    ]);
    expect(read.read.missed).toEqual([
      {
        kind: 'assignment',
        accountId: OTHER,
        permissionSetArn: READ_ONLY,
        principalType: 'USER',
        principalId: ALICE,
        was: 'absent',
        change: 'added',
      },
    ]);
  });

  it("names the likely causes of what it missed: another administering account's history, a SCIM token older than September 2024, an event later than the 30-minute overlap", async () => {
    sso.addAssignment(BOB);
    await plan({ url: `s3://${BUCKET}/p` });
    sso.addAssignment(ALICE, READ_ONLY, OTHER);
    tamper((s) => {
      s.completeReadAt = new Date(Date.now() - 2 * 3600_000).toISOString();
    });
    const [warning] = (await plan({ url: `s3://${BUCKET}/p`, fullReadEvery: '1h' })).read.warnings ?? [];
    expect(warning).toMatch(/likely causes: .*another account that administers the instance/);
    expect(warning).toMatch(/SCIM token created before September 2024/);
    expect(warning).toMatch(/later than the 30-minute overlap/);
  });

  it('with `event-history-roles`, names as a likely cause an administering account other than those whose history it reads', async () => {
    const role = 'arn:aws:iam::210987654321:role/history';
    process.env.AWS_ENDPOINT_URL_STS = sso.emulator.env.AWS_ENDPOINT_URL_STS;
    sso.emulator.aws.assumableRoles.push({
      arn: role,
      trustedPrincipals: ['arn:aws:iam::123456789012:root'],
    });
    sso.addAssignment(BOB);
    await plan({ url: `s3://${BUCKET}/p`, historyRoles: role });
    sso.addAssignment(ALICE, READ_ONLY, OTHER);
    tamper((s) => {
      s.completeReadAt = new Date(Date.now() - 2 * 3600_000).toISOString();
    });
    const read = await plan({ url: `s3://${BUCKET}/p`, fullReadEvery: '1h', historyRoles: role });
    expect(read.read.warnings).toEqual([
      expect.stringMatching(
        /likely causes: a write from an account that administers the instance other than this step's and the 1 whose history `event-history-roles` reads/,
      ),
    ]);
  });

  it('keeps the principals the manifest gives by ID with their names: a run from the snapshot describes none again, unless CloudTrail says the principal changed', async () => {
    sso.addAssignment(BOB);
    await plan({ url: `s3://${BUCKET}/p` });
    const described = () => sso.count('DescribeUser') + sso.count('DescribeGroup');
    let before = described();
    const lookupPages = () => sso.emulator.requests.filter((r) => r.operation === 'LookupEvents').length;
    const lookups = lookupPages();
    const fromSnapshot = await plan({ url: `s3://${BUCKET}/p` });
    expect(fromSnapshot.read.notices?.[0]).toMatch(/^snapshot: read from /);
    expect(described() - before).toBe(0);
    // CloudTrail's pages, read before the manifest was resolved, are counted in the read.
    expect(lookupPages() - lookups).toBeGreaterThan(0);
    expect(fromSnapshot.read.calls).toBe(lookupPages() - lookups);
    expect(fromSnapshot.read.notices?.[0]).toMatch(new RegExp(`; ${fromSnapshot.read.calls} call\\(s\\)$`));
    expect(keys(fromSnapshot)).toEqual({ creates: [], deletes: [], unchanged: 1 });

    // Renamed at the console: UpdateUser names the user, whose name is read again.
    sso.emulator.aws.addCloudTrailEvent({
      eventSource: 'sso-directory.amazonaws.com',
      eventName: 'UpdateUser',
      principalArn: admin.principalArn,
      requestParameters: { directoryId: sso.emulator.aws.identityStoreId, userId: BOB },
    });
    before = described();
    await plan({ url: `s3://${BUCKET}/p` });
    expect(described() - before).toBe(1);
  });

  it('on a pull request, reads and plans but never writes the snapshot', async () => {
    process.env.GITHUB_EVENT_NAME = 'schedule'; // the environment is not what the adapter reads
    sso.addAssignment(BOB);
    const read = await plan({ url: `s3://${BUCKET}/p` }, 'pull_request');
    expect(read.read.notices?.[1]).toMatch(
      /^snapshot: not written, the event that started this run may not write/,
    );
    expect(objects()).toEqual([]);
  });

  it('fails, naming the input and the bucket, when the bucket does not exist: before any write', async () => {
    await expect(plan({ url: 's3://no-such-bucket/p' })).rejects.toThrow(CloudAccessError);
    await expect(plan({ url: 's3://no-such-bucket/p' })).rejects.toThrow(
      /input `snapshot`: bucket `no-such-bucket` does not exist/,
    );
    expect(sso.count('CreateAccountAssignment') + sso.count('DeleteAccountAssignment')).toBe(0);
  });
});

describe('two runs at once', () => {
  it('never interleave: the second to write reads the first one’s snapshot again and merges its reads into it', async () => {
    sso.addAssignment(BOB);
    // Both read before either writes: each PutObject is held long enough for the other to read.
    sso.emulator.aws.s3.putObjectHold = 300;
    const [a, b] = await Promise.all([plan({ url: `s3://${BUCKET}/p` }), plan({ url: `s3://${BUCKET}/p` })]);
    sso.emulator.aws.s3.putObjectHold = undefined;
    const kept = [a.read.notices?.[1], b.read.notices?.[1]].sort();
    expect(kept).toEqual([
      expect.stringMatching(
        /^snapshot: another run wrote s3:\/\/snapshots\/p\/.* meanwhile; this run's reads were merged into it$/,
      ),
      expect.stringMatching(/^snapshot: written to /),
    ]);
    expect(objects()).toHaveLength(1);
    const next = await plan({ url: `s3://${BUCKET}/p` });
    expect(next.read.notices?.[0]).toMatch(/^snapshot: read from /);
    expect(keys(next)).toEqual({ creates: [], deletes: [], unchanged: 1 });
  });
});

describe('the snapshot object', () => {
  it('is replaced only on the ETag it was read with: a second writer loses, and knows it', async () => {
    const { deps } = emulatedDeps(sso);
    const store = createSnapshotStore(
      awsPlan(),
      { bucket: BUCKET, prefix: 'p', url: `s3://${BUCKET}/p` },
      'p/x.json.gz',
      deps,
    );
    expect(await store.write({ n: 1 }, undefined)).toBe('written');
    const read = await store.read();
    expect(read).toMatchObject({ found: true, content: { n: 1 } });
    const etag = (read as { etag: string }).etag;
    expect(await store.write({ n: 2 }, etag)).toBe('written');
    expect(await store.write({ n: 3 }, etag)).toBe('lost');
    expect(await store.write({ n: 4 }, undefined)).toBe('lost');
    expect(await store.read()).toMatchObject({ content: { n: 2 } });
  });
});
