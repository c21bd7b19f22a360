// The content of the permission sets a manifest defines, kept in the snapshot: a reconcile from it
// reads again only the sets CloudTrail's records (UpdatePermissionSet, the policy, boundary and tag
// writes, ProvisionPermissionSet, as the emulator records them, as AWS does) say were written since;
// a complete read reads every set; a kept content that says the plan would write is read again
// first, so a tampered snapshot never causes a wrong write; and what a complete read found that no
// record explained is `missed`, of kind `permission-set`. On the emulated IAM Identity Center,
// CloudTrail and S3 through the real SDKs.
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { UpdatePermissionSetCommand } from '@aws-sdk/client-sso-admin';
import { createAwsReconciler } from '../../../src/aws/reconcile.js';
import { createPermissionSet } from '../../../src/aws/permission-sets/write-content.js';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import { readForPlan, type ReadForPlan } from '../../../src/operations/reconcile/reconcile-read.js';
import type { ConfigOf } from '../../../src/core/inputs/index.js';
import { newObject } from '../../../emulator/aws/s3/s3-state.js';
import { BOB, awsPlan, emulatedDeps, emulatedSso, looseLookupPacing } from '../../harness/emulated-sso.js';
import { OWN, POLICY, preparedSession, readOnlyContent } from '../permission-sets/fixture.js';

const sso = emulatedSso();
const BUCKET = 'snapshots';
const HOUR = 3_600_000;
const ENTRY = ['    - name: ReadOnly', '      session-duration: PT4H', `      inline-policy: '${POLICY}'`];
const MANIFEST = [
  'version: 1',
  'aws:',
  '  manages: {permission-sets: [ReadOnly]}',
  '  permission-sets:',
  ...ENTRY,
].join('\n');
/** MANIFEST, and bob assigned ReadOnly in 111111111111. */
const ASSIGNED = `${MANIFEST}\n  assignments:\n    - {principal: '${BOB}', role: ReadOnly, target: '111111111111'}`;
/** The calls that read a set's content beyond its describe. */
const CONTENT_READS = [
  'GetInlinePolicyForPermissionSet',
  'ListManagedPoliciesInPermissionSet',
  'ListCustomerManagedPolicyReferencesInPermissionSet',
  'GetPermissionsBoundaryForPermissionSet',
  'ListTagsForResource',
];
/** Those calls about the set `arn` (the search for sets no longer defined reads the others' tags). */
const contentReads = (arn: string) =>
  CONTENT_READS.reduce(
    (n, op) => n + sso.inputsOf(op).filter((i) => i.PermissionSetArn === arn || i.ResourceArn === arn).length,
    0,
  );

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

/** The plan a reconcile of MANIFEST reads with its snapshot. */
async function plan(manifest = MANIFEST): Promise<ReadForPlan> {
  const parsed = parseManifest('access.yml', manifest);
  if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
  const { deps, seams } = emulatedDeps(sso);
  const inputs = awsPlan({
    operation: 'reconcile',
    manifest: 'access.yml',
    principal: '',
    target: '',
    role: '',
    snapshot: `s3://${BUCKET}/sets`,
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

type Stored = {
  names?: Record<string, string>;
  completeReadAt: string;
  permissionSetContents?: Record<string, { sessionMinutes: number; tags: Record<string, string> }>;
};
const objects = () => sso.emulator.aws.s3.objects(BUCKET);
const stored = () => JSON.parse(gunzipSync(objects()[0]![1].bytes).toString('utf8')) as Stored;
function tamper(edit: (s: Stored) => void) {
  const [key] = objects()[0]!;
  const s = stored();
  edit(s);
  sso.emulator.aws.s3.buckets
    .get(BUCKET)!
    .set(key, newObject(gzipSync(JSON.stringify(s)), 'application/gzip'));
}
const setChanges = (read: ReadForPlan) => read.sections.flatMap((s) => s.planned ?? []).map((p) => p.change);

/** The set as the manifest defines it, made two hours ago (its records older than any overlap). */
async function madeLongAgo(): Promise<string> {
  const arn = await createPermissionSet(await preparedSession(sso), {
    ...readOnlyContent(['session-duration: PT4H', `inline-policy: '${POLICY}'`]),
  });
  for (const event of sso.emulator.aws.cloudTrail) event.at -= 2 * HOUR;
  return arn;
}

describe('a reconcile with `snapshot` and defined permission sets', () => {
  it("keeps each set's content: the next run reads none of it again when CloudTrail recorded no write to the set", async () => {
    const arn = await madeLongAgo();
    const first = await plan();
    expect(setChanges(first)).toEqual([]);
    expect(stored().permissionSetContents?.[arn]).toMatchObject({ name: 'ReadOnly', sessionMinutes: 240 });

    const before = contentReads(arn);
    const second = await plan();
    expect(contentReads(arn) - before).toBe(0);
    expect(setChanges(second)).toEqual([]);
    expect(second.read.notices).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/0 permission set\(s\)' content read again \(0 written since\)/),
      ]),
    );
  });

  it('reads again a set an UpdatePermissionSet since touched (its record as AWS writes it), and plans it back', async () => {
    const arn = await madeLongAgo();
    await plan();
    const session = await preparedSession(sso);
    await session.send(
      'UpdatePermissionSet',
      new UpdatePermissionSetCommand({
        InstanceArn: session.instance,
        PermissionSetArn: arn,
        SessionDuration: 'PT2H',
      }),
    );
    const record = sso.emulator.aws.cloudTrail.at(-1)!;
    expect(record).toMatchObject({ eventName: 'UpdatePermissionSet', eventSource: 'sso.amazonaws.com' });

    const before = contentReads(arn);
    const next = await plan();
    expect(contentReads(arn) - before).toBe(CONTENT_READS.length);
    expect(setChanges(next)).toEqual(['permission-set-update']);
    expect(next.read.notices).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/1 permission set\(s\)' content read again \(1 written since\)/),
      ]),
    );
  });

  it('never plans a write from a kept content alone: a tampered one that says the set differs is read again, and nothing is written', async () => {
    const arn = await madeLongAgo();
    await plan();
    tamper((s) => {
      s.permissionSetContents![arn]!.sessionMinutes = 60;
    });
    const before = contentReads(arn);
    const next = await plan();
    expect(contentReads(arn) - before).toBe(CONTENT_READS.length);
    expect(setChanges(next)).toEqual([]);
  });

  it('reads every set on a complete read, and lists a change no record explained as missed, of kind permission-set', async () => {
    const arn = await madeLongAgo();
    await plan();
    // An edit CloudTrail never showed this account (another administering account's history).
    sso.emulator.aws.state.permissionSets.get(arn)!.sessionDuration = 'PT2H';
    // Its last complete read eight days ago: older than full-read-every (7d).
    tamper((s) => {
      s.completeReadAt = new Date(Date.now() - 8 * 24 * HOUR).toISOString();
    });
    const before = contentReads(arn);
    const next = await plan();
    expect(contentReads(arn) - before).toBe(CONTENT_READS.length);
    expect(setChanges(next)).toEqual(['permission-set-update']);
    expect(next.read.missed).toEqual([
      { kind: 'permission-set', permissionSetArn: arn, name: 'ReadOnly', change: 'changed' },
    ]);
    expect(next.read.warnings).toEqual([
      expect.stringMatching(/1 permission set\(s\) whose content .* ReadOnly/),
    ]);
  });
});

describe('the permission set names a snapshot keeps', () => {
  const ADMIN = 'AdministratorAccess';

  it('a run from the snapshot describes no permission set no write touched, and plans as before', async () => {
    const arn = await madeLongAgo();
    await plan();
    expect(stored().names?.[arn]).toBe('ReadOnly');
    const describes = sso.count('DescribePermissionSet');
    const next = await plan();
    expect(sso.count('DescribePermissionSet') - describes).toBe(0);
    expect(setChanges(next)).toEqual([]);
  });

  it('describes the set a planned write is at, and plans it when IAM Identity Center names it as kept', async () => {
    const arn = await madeLongAgo();
    await plan(ASSIGNED);
    const describes = sso.inputsOf('DescribePermissionSet').filter((i) => i.PermissionSetArn === arn).length;
    const next = await plan(ASSIGNED);
    expect(
      sso.inputsOf('DescribePermissionSet').filter((i) => i.PermissionSetArn === arn).length - describes,
    ).toBe(1);
    expect(next.plan.creates.map((c) => `${c.principalId}@${c.target}`)).toEqual([`${BOB}@111111111111`]);
  });

  it('never writes from a kept name alone: a set the plan writes at is described, and a name edited in the object stops the step, naming it', async () => {
    const arn = await madeLongAgo();
    await plan();
    const admin = sso.emulator.aws.permissionSetArn(ADMIN);
    // Someone with the bucket's write access swaps two names: ReadOnly would resolve to AdministratorAccess.
    tamper((s) => {
      s.names = { ...s.names, [admin]: 'ReadOnly', [arn]: ADMIN };
    });
    await expect(plan(ASSIGNED)).rejects.toThrow(
      /the snapshot at s3:\/\/snapshots\/sets\/.* names 1 permission set\(s\) otherwise than IAM Identity Center does .*: it was edited; nothing was written/,
    );
  });
});
