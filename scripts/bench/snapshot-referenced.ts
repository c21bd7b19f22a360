// `npm run bench:snapshot-referenced` (P15 at the outside run's scale): a reconcile with `snapshot`
// over 200 accounts × 20 managed permission sets, of which the manifest defines 6 and references 14
// (made in the console: their names, session durations and tags are the snapshot's), 40 groups'
// assignments given by ID. A first run reads completely and keeps the snapshot; then 30 changes by
// others (15 deletes, 15 creates, each in CloudTrail, over defined and referenced sets alike) and 2
// tag writes to referenced sets; then the measured dry run from the snapshot. Prints its calls by
// operation and against its oracle: the calls a run that reads only what the events touched makes
// (the LookupEvents pages, one `ListAccountAssignments` per touched place, 7 reads per touched
// defined set, a describe and a tag list per touched referenced set, the account list's pages,
// one member listing per touched group), with the names of what changed (one describe per
// permission set of a changed place: a kept name is confirmed before a write at its set) and the one
// list of the instance's sets names are resolved from. Goal: within 1.25× (the outside run measured
// 1.62×). Counts, not times: the machine's load does not move them. Runs the bundle in dist/, or
// $CLOUD_ACCESS_BUNDLE_DIR (`npm run package -- <dir>`).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/index.js';
import { runStep } from '../../harness/action-runner.js';
import { OWNERSHIP_TAG } from '../../src/core/permission-sets/fields.js';
import { readFigures } from './instance.js';

const ACCOUNTS = 200;
const DEFINED = 6;
const REFERENCED = 14;
const GROUPS = 40;
const ASSIGNMENTS = 1000;
const CHANGES = 30;
const TAG_WRITES = 2;
/** The ownership tag's value of the manifest, as the step runs it (harness/action-runner.ts's repository). */
const OWN = 'octo-org/octo-repo:access.yml';
const accounts = Array.from({ length: ACCOUNTS }, (_, i) => String(400000000000 + i));
const defined = Array.from({ length: DEFINED }, (_, i) => `Defined${i}`);
const referenced = Array.from({ length: REFERENCED }, (_, i) => `Console${i}`);
const sets = [...defined, ...referenced];
const groups = Array.from({ length: GROUPS }, (_, i) => `team-${String(i).padStart(2, '0')}`);

const emulator = await startEmulator({ quiet: true });
const workspace = mkdtempSync(join(tmpdir(), 'bench-snapshot-referenced-'));
try {
  const { aws } = emulator;
  for (const name of defined)
    aws.state.addPermissionSet(name, {
      description: `${name} access`,
      tags: [{ Key: OWNERSHIP_TAG, Value: OWN }],
    });
  for (const name of referenced)
    aws.state.addPermissionSet(name, { tags: [{ Key: 'team', Value: 'console' }] });
  for (const name of groups) aws.addGroup(name);
  for (const name of sets)
    for (const account of accounts) aws.state.provision(aws.permissionSetArn(name), account);
  const assignmentOf = (i: number) => ({
    accountId: accounts[(i * 7) % ACCOUNTS]!,
    permissionSetArn: aws.permissionSetArn(sets[i % sets.length]!),
    principalType: 'GROUP' as const,
    principalId: aws.groupId(groups[Math.floor(i / 25) % GROUPS]!),
  });
  const entries = new Map<string, ReturnType<typeof assignmentOf>>();
  for (let i = 0; i < ASSIGNMENTS; i++) {
    const a = assignmentOf(i);
    entries.set(`${a.accountId}|${a.permissionSetArn}|${a.principalId}`, a);
  }
  for (const a of entries.values()) aws.addAssignment(a);
  const nameOf = new Map(sets.map((s) => [aws.permissionSetArn(s), s]));
  writeFileSync(
    join(workspace, 'access.yml'),
    [
      'version: 1',
      'aws:',
      `  manages:\n    permission-sets: [${sets.join(', ')}]`,
      '  permission-sets:',
      ...defined.map((s) => `    - {name: ${s}, description: '${s} access', session-duration: PT1H}`),
      '  assignments:',
      ...[...entries.values()].map(
        (a) =>
          `    - {principal: '${a.principalId}', principal-type: GROUP, role: ${nameOf.get(a.permissionSetArn)}, target: '${a.accountId}'}`,
      ),
      '',
    ].join('\n'),
  );
  aws.s3.createBucket('snapshots');
  const run = (dryRun: boolean) =>
    runStep('main', {
      inputs: {
        cloud: 'aws',
        operation: 'reconcile',
        manifest: 'access.yml',
        'dry-run': String(dryRun),
        'max-deletions': String(CHANGES),
        snapshot: 's3://snapshots/referenced',
        'aws-region': 'us-east-1',
        'role-to-assume': 'arn:aws:iam::123456789012:role/cloud-access',
        'instance-arn': aws.instanceArn,
        'identity-store-id': aws.identityStoreId,
        'timeout-seconds': '900',
      },
      env: { ...emulator.env, GITHUB_WORKSPACE: workspace, ACTIONS_STEP_DEBUG: 'false', RUNNER_DEBUG: '' },
    });

  // The first run: a complete read, which keeps the snapshot.
  const first = await run(true);
  if (!readFigures(first))
    throw new Error(`the first run failed (exit ${first.exitCode})\n${first.stdout.slice(-3000)}`);
  for (const event of aws.cloudTrail) event.at -= 2 * 3_600_000;

  // 30 changes by others since: 15 of the manifest's assignments deleted, 15 made by hand at other places.
  const admin = { principalArn: 'arn:aws:iam::123456789012:user/admin' };
  const manifest = [...entries.values()];
  for (let i = 0; i < CHANGES / 2; i++) aws.deleteAssignmentAs(manifest[i * 37]!, admin);
  for (let i = 0; i < CHANGES / 2; i++) {
    const a = manifest[i * 41 + 3]!;
    aws.createAssignmentAs(
      { ...a, accountId: accounts[(accounts.indexOf(a.accountId) + 100) % ACCOUNTS]! },
      admin,
    );
  }
  const changes = aws.cloudTrail.filter(
    (e) => e.requestParameters.TargetId !== undefined && e.at > Date.now() - 3_600_000,
  );
  for (let i = 0; i < TAG_WRITES; i++)
    aws.addCloudTrailEvent({
      eventName: 'TagResource',
      principalArn: admin.principalArn,
      requestParameters: {
        InstanceArn: aws.instanceArn,
        ResourceArn: aws.permissionSetArn(referenced[i * 5]!),
        Tags: [],
      },
    });
  const touchedPlaces = new Set(
    changes.map(
      (e) => `${String(e.requestParameters.TargetId)}|${String(e.requestParameters.PermissionSetArn)}`,
    ),
  ).size;
  const changedSets = new Set(changes.map((e) => String(e.requestParameters.PermissionSetArn))).size;

  const before = emulator.requests.length;
  const step = await run(true);
  const read = readFigures(step);
  if (!read)
    throw new Error(`the run from the snapshot failed (exit ${step.exitCode})\n${step.stdout.slice(-3000)}`);
  const requests = emulator.requests
    .slice(before)
    .filter((r) => ['sso-admin', 'identitystore', 'cloudtrail', 'organizations'].includes(r.service));
  const count = (operation: string) => requests.filter((r) => r.operation === operation).length;
  const pages = count('LookupEvents');
  const accountPages = count('ListAccounts');
  const groupReads = count('ListGroupMemberships');
  const setLists = count('ListPermissionSets');
  // What any delta read needs, and the names of what changed.
  const oracle =
    pages + touchedPlaces + 7 * 0 + 2 * TAG_WRITES + accountPages + groupReads + changedSets + setLists;
  const byOperation = [...new Set(requests.map((r) => r.operation))]
    .sort()
    .map((op) => `${count(op)} ${op}`)
    .join(', ');
  console.log(
    `reconcile plan with snapshot and referenced sets: ${ACCOUNTS} accounts × ${sets.length} managed permission sets (${DEFINED} defined, ${REFERENCED} referenced, not defined), ${entries.size} groups' assignments (by ID), ${CHANGES} changes by others (${touchedPlaces} places, ${changedSets} sets) and ${TAG_WRITES} tag writes to referenced sets since the snapshot`,
  );
  console.log(
    /::notice::(snapshot: read from[^\n]*)/.exec(step.stdout)?.[1] ??
      '(no notice: the snapshot was not used)',
  );
  console.log(`the delta run's calls: ${byOperation}`);
  const tagLists = requests
    .filter((r) => r.operation === 'ListTagsForResource')
    .map((r) => nameOf.get(String(r.input?.ResourceArn)) ?? 'outside manages');
  console.log(
    `tag lists read: ${tagLists.join(', ') || 'none'} (a set outside \`manages\` is read to find the sets this manifest no longer defines)`,
  );
  console.log(
    `referenced sets: the step's ${requests.length} calls = ${(requests.length / oracle).toFixed(2)}× the oracle (${pages} LookupEvents pages + ${touchedPlaces} touched places + 7 × 0 touched defined sets + 2 × ${TAG_WRITES} touched referenced sets + ${accountPages} account list pages + ${groupReads} touched groups + ${changedSets} names of the changed places' sets + ${setLists} list of sets = ${oracle}; goal ≤ 1.25×, the outside run measured 1.62×)`,
  );
} finally {
  rmSync(workspace, { recursive: true, force: true });
  await emulator.close();
}
