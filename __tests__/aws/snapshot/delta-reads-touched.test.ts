// A reconcile from its snapshot reads again only what CloudTrail's writes since touched, with a
// manifest that defines one permission set and references others it manages (made in the console):
// the referenced sets' names, session durations and tags are the snapshot's, so no untouched set is
// described or has its tags listed, no user or group is listed, and a place is read only where a
// write names it. On the emulated IAM Identity Center, CloudTrail and S3 through the real SDKs.
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createAwsReconciler } from '../../../src/aws/reconcile.js';
import { createPermissionSet } from '../../../src/aws/permission-sets/write-content.js';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import { OWNERSHIP_TAG } from '../../../src/core/permission-sets/fields.js';
import { readForPlan, type ReadForPlan } from '../../../src/operations/reconcile/reconcile-read.js';
import type { ConfigOf } from '../../../src/core/inputs/index.js';
import { newObject } from '../../../emulator/aws/s3/s3-state.js';
import {
  ACCOUNT,
  ADMIN,
  ALICE,
  BOB,
  READ_ONLY,
  awsPlan,
  emulatedDeps,
  emulatedSso,
  looseLookupPacing,
} from '../../harness/emulated-sso.js';
import { OWN, POLICY, preparedSession, readOnlyContent } from '../permission-sets/fixture.js';

const sso = emulatedSso();
const BUCKET = 'snapshots';
const OTHER = '222222222222';
const admin = { principalArn: 'arn:aws:iam::123456789012:user/admin' };
/** Defines ReadOnly; references ReadOnlyAccess and AdministratorAccess, made in the console. */
const MANIFEST = [
  'version: 1',
  'aws:',
  '  manages: {permission-sets: [ReadOnly, ReadOnlyAccess, AdministratorAccess]}',
  '  permission-sets:',
  '    - name: ReadOnly',
  '      session-duration: PT4H',
  `      inline-policy: '${POLICY}'`,
  '  assignments:',
  `    - {principal: '${BOB}', role: ReadOnlyAccess, target: '${ACCOUNT}'}`,
  `    - {principal: '${ALICE}', role: AdministratorAccess, target: '${ACCOUNT}'}`,
].join('\n');

const saved = { ...process.env };
const ENV = ['AWS_ENDPOINT_URL_S3', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCOUNT_ID'];
beforeEach(() => {
  const { emulator } = sso;
  process.env.AWS_ENDPOINT_URL_S3 = emulator.env.AWS_ENDPOINT_URL_S3;
  process.env.AWS_ACCESS_KEY_ID = emulator.aws.staticCredentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = emulator.aws.staticCredentials.secretAccessKey;
  process.env.AWS_ACCOUNT_ID = '123456789012';
  emulator.aws.config.cloudTrailTps = 100;
  emulator.aws.s3.createBucket(BUCKET);
});
afterEach(() => {
  for (const name of ENV)
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
});

async function plan(): Promise<ReadForPlan> {
  const parsed = parseManifest('access.yml', MANIFEST);
  if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
  const { deps, seams } = emulatedDeps(sso);
  const inputs = awsPlan({
    operation: 'reconcile',
    manifest: 'access.yml',
    principal: '',
    target: '',
    role: '',
    snapshot: `s3://${BUCKET}/touched`,
  });
  const reconciler = createAwsReconciler(
    inputs,
    parsed.manifest.aws!,
    deps,
    { ...(inputs as unknown as ConfigOf<'reconcile'>).reconcile, eventName: 'schedule' },
    { ...seams, ...looseLookupPacing() },
  );
  const read = await readForPlan(reconciler, { cloud: 'aws', line: 2 }, Date.now, undefined, {
    files: new Map(),
    owner: OWN,
  });
  if ('stoppedAt' in read) throw new Error(JSON.stringify(read.problems));
  return read;
}

/** The SSO Admin and Identity Store calls `run` makes, as `Operation` or `Operation arn-or-account`. */
async function callsOf(run: () => Promise<unknown>): Promise<string[]> {
  const from = sso.emulator.requests.length;
  await run();
  return sso.emulator.requests
    .slice(from)
    .filter((r) => r.service === 'sso-admin' || r.service === 'identitystore')
    .map((r) => {
      const about = r.input?.ResourceArn ?? r.input?.PermissionSetArn;
      return r.operation === 'ListAccountAssignments'
        ? `${r.operation} ${String(r.input?.AccountId)}`
        : about === undefined
          ? r.operation
          : `${r.operation} ${String(about)}`;
    })
    .sort();
}

/** The world the first run reads completely: ReadOnly made long ago (its records older than any overlap), the assignments held. */
async function firstRun() {
  await createPermissionSet(await preparedSession(sso), {
    ...readOnlyContent(['session-duration: PT4H', `inline-policy: '${POLICY}'`]),
  });
  for (const event of sso.emulator.aws.cloudTrail) event.at -= 2 * 3_600_000;
  sso.addAssignment(BOB, READ_ONLY, ACCOUNT);
  sso.addAssignment(ALICE, ADMIN, ACCOUNT);
  const first = await plan();
  expect(first.read.notices?.[0]).toMatch(/^snapshot: a complete read/);
}

type Stored = { permissionSetFacts?: Record<string, { tags: Record<string, string> }> };
function tamper(edit: (s: Stored) => void) {
  const [key, object] = sso.emulator.aws.s3.objects(BUCKET)[0]!;
  const s = JSON.parse(gunzipSync(object.bytes).toString('utf8')) as Stored;
  edit(s);
  sso.emulator.aws.s3.buckets
    .get(BUCKET)!
    .set(key, newObject(gzipSync(JSON.stringify(s)), 'application/gzip'));
}

describe('a reconcile from its snapshot, with permission sets the manifest references but does not define', () => {
  it('with no write since, describes no set, lists no set’s tags and no user or group: the one list of sets alone', async () => {
    await firstRun();
    let quiet: ReadForPlan | undefined;
    const calls = await callsOf(async () => (quiet = await plan()));
    expect(quiet!.read.notices?.[0]).toMatch(/^snapshot: read from /);
    expect(calls).toEqual(['ListPermissionSets']);
    expect(quiet!.plan.creates).toEqual([]);
    expect(quiet!.plan.deletes).toEqual([]);
  });

  it('after a write by someone else, reads again the place it names and the set a delete there is at, nothing else', async () => {
    await firstRun();
    sso.emulator.aws.createAssignmentAs(
      { accountId: OTHER, permissionSetArn: READ_ONLY, principalType: 'USER', principalId: ALICE },
      admin,
    );
    let read: ReadForPlan | undefined;
    const calls = await callsOf(async () => (read = await plan()));
    expect(read!.plan.deletes.map((d) => `${d.principalId}@${d.target}`)).toEqual([`${ALICE}@${OTHER}`]);
    expect(calls).toEqual(
      [
        'ListPermissionSets',
        `ListAccountAssignments ${OTHER}`,
        // The kept name of the set a delete is planned at, confirmed before the write.
        `DescribePermissionSet ${READ_ONLY}`,
      ].sort(),
    );
  });

  it("reads again the tags of a set a tag write touched, that set's alone", async () => {
    await firstRun();
    sso.emulator.aws.addCloudTrailEvent({
      eventName: 'TagResource',
      principalArn: admin.principalArn,
      requestParameters: { instanceArn: sso.emulator.aws.instanceArn, resourceArn: ADMIN, tags: [] },
    });
    const calls = await callsOf(plan);
    expect(calls.filter((c) => c.startsWith('ListTagsForResource'))).toEqual([
      `ListTagsForResource ${ADMIN}`,
    ]);
  });

  it("never plans a set's delete from its kept tags: tags that say the set is this manifest's are read again", async () => {
    await firstRun();
    // Someone with the bucket's write access says AdministratorAccess carries this manifest's tag.
    tamper((s) => {
      s.permissionSetFacts![ADMIN]!.tags = { [OWNERSHIP_TAG]: OWN };
    });
    let read: ReadForPlan | undefined;
    const calls = await callsOf(async () => (read = await plan()));
    expect(calls).toContain(`ListTagsForResource ${ADMIN}`);
    expect(read!.sections.flatMap((s) => s.planned ?? []).map((p) => p.change)).toEqual([]);
  });
});

describe("the snapshot's facts of a referenced set", () => {
  it('are left out, not a failed reconcile, when the set cannot be read (gone since the list); read again next run', async () => {
    await firstRun();
    // A write touched AdministratorAccess, so its facts are read again, and that read fails.
    sso.emulator.aws.addCloudTrailEvent({
      eventName: 'TagResource',
      principalArn: admin.principalArn,
      requestParameters: { instanceArn: sso.emulator.aws.instanceArn, resourceArn: ADMIN, tags: [] },
    });
    sso.emulator.aws.faults.failRequests.push({
      operation: 'ListTagsForResource',
      match: { ResourceArn: ADMIN },
      status: 400,
      code: 'ResourceNotFoundException',
      message: 'Could not find PermissionSet',
      times: 1,
    });
    const read = await plan();
    expect(read.plan.creates).toEqual([]);
    let stored: Stored = {};
    tamper((s) => void (stored = s));
    expect(Object.keys(stored.permissionSetFacts ?? {})).not.toContain(ADMIN);
  });
});
