// `npm run bench:snapshot` (P15): the plan of `operation: reconcile` with `snapshot` over 2,000
// accounts × 150 managed permission sets the manifest defines (each provisioned to every account,
// its content kept in the snapshot) and 3,000 groups' assignments (the groups given by ID, as a
// manifest generated from the directory writes them), 40 of them also in a permission set the
// manifest does not manage, beside 40 groups outside it that hold those places by hand since before
// the snapshot (rows the plan shows by the groups' names every run), after 300 changes by others
// since the snapshot (150 creates, 150 deletes, each in CloudTrail) and 15 sets written by others
// (an UpdatePermissionSet and a ProvisionPermissionSet each, the content left as the manifest
// defines it), against the emulator at IAM Identity Center's 20 TPS and CloudTrail's 2 LookupEvents
// a second. The snapshot is made from the seeded state, as the complete read before it would have
// written it (that read, at this scale, is what the snapshot saves: its figure is computed beside).
// Prints the read's calls against the oracle (the LookupEvents pages + the touched places + 6 calls
// and one provisioning-status read per touched set + the account list's pages + the touched groups; the manifest names accounts by ID, so no account list
// is read, and a reconcile reads no group's members; goal within 1.25×), its wall time (goal within
// 3 minutes) and the cheaper complete plan's calls at 20 TPS (goal: at least 6× slower); and the
// same ratio with the names the step read (the manifest's principals and permission sets), as an
// outside run counts them. Runs the
// bundle in dist/, or $CLOUD_ACCESS_BUNDLE_DIR (`npm run package -- <dir>`). `npm run bench` runs
// it as its own process and puts its figures in BENCHMARKS.md (snapshot-goals.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startEmulator } from '../../emulator/index.js';
import { newObject } from '../../emulator/aws/s3/s3-state.js';
import { runStep } from '../../harness/action-runner.js';
import { OWNERSHIP_TAG } from '../../src/core/permission-sets/fields.js';
import { SNAPSHOT_FORMAT, snapshotObjectKey, snapshotScope } from '../../src/core/snapshot/format.js';
import { placeKey } from '../../src/core/snapshot/merge.js';
import { readFigures } from './instance.js';

const TPS = 20;
/** The reads of names: the manifest's principals and permission sets resolved, rows labelled. */
const NAME_READS = new Set([
  'ListGroups',
  'ListUsers',
  'GetGroupId',
  'GetUserId',
  'DescribeGroup',
  'DescribeUser',
  'ListPermissionSets',
  'DescribePermissionSet',
]);
const ACCOUNTS = 2000;
const SETS = 150;
const GROUPS = 3000;
const CHANGES = 300;
/** Groups outside the manifest, each beside a manifest group at a place of an unmanaged set, since before the snapshot. */
const BY_HAND = 40;
/** The unmanaged set those places are of. */
const LEGACY = 'Legacy';
/** The defined sets others wrote since the snapshot: each read again in 6 calls and its outdated accounts. */
const SET_WRITES = 15;
/** The ownership tag's value of the manifest, as the step runs it (harness/action-runner.ts's repository). */
const OWN = 'octo-org/octo-repo:access.yml';
const DESCRIPTION = (set: string) => `${set} access`;
const PAGE = 100;
const accounts = Array.from({ length: ACCOUNTS }, (_, i) => String(300000000000 + i));
const sets = Array.from({ length: SETS }, (_, i) => `Managed${i}`);
const groups = Array.from({ length: GROUPS }, (_, i) => `team-${String(i).padStart(4, '0')}`);
const handGroups = Array.from({ length: BY_HAND }, (_, i) => `hand-${String(i).padStart(2, '0')}`);
/** The `i`th group's assignment: one permission set in one account. */
const assignmentOf = (i: number) => ({
  group: groups[i]!,
  set: sets[i % SETS]!,
  account: accounts[i % ACCOUNTS]!,
});

const emulator = await startEmulator({ quiet: true });
const workspace = mkdtempSync(join(tmpdir(), 'bench-snapshot-'));
try {
  const { aws } = emulator;
  for (const name of sets)
    aws.state.addPermissionSet(name, {
      description: DESCRIPTION(name),
      sessionDuration: 'PT1H',
      tags: [{ Key: OWNERSHIP_TAG, Value: OWN }],
    });
  for (const name of [...groups, ...handGroups]) aws.addGroup(name);
  for (const name of sets)
    for (const account of accounts) aws.state.provision(aws.permissionSetArn(name), account);
  const assignment = (i: number) => {
    const { group, set, account } = assignmentOf(i);
    return {
      accountId: account,
      permissionSetArn: aws.permissionSetArn(set),
      principalType: 'GROUP' as const,
      principalId: aws.groupId(group),
    };
  };
  // Every group holds its assignment, as the manifest asks.
  for (let i = 0; i < GROUPS; i++) aws.addAssignment(assignment(i));
  // In the unmanaged set, a manifest group and a hand group at each of 40 places: the plan shows
  // the hand group's row (unmanaged) by its name every run.
  aws.state.addPermissionSet(LEGACY);
  const legacyAt = (i: number) => accounts[(i * 50 + 7) % ACCOUNTS]!;
  for (let i = 0; i < BY_HAND; i++)
    for (const group of [groups[i]!, handGroups[i]!])
      aws.addAssignment({
        accountId: legacyAt(i),
        permissionSetArn: aws.permissionSetArn(LEGACY),
        principalType: 'GROUP',
        principalId: aws.groupId(group),
      });
  const entries = [
    ...groups.map((_, i) => assignmentOf(i)),
    ...handGroups.map((_, i) => ({ group: groups[i]!, set: LEGACY, account: legacyAt(i) })),
  ].map(
    ({ group, set, account }) =>
      `    - {principal: '${aws.groupId(group)}', principal-type: GROUP, role: ${set}, target: '${account}'}`,
  );
  const definitions = sets.map(
    (set) => `    - {name: ${set}, description: '${DESCRIPTION(set)}', session-duration: PT1H}`,
  );
  writeFileSync(
    join(workspace, 'access.yml'),
    `version: 1\naws:\n  manages:\n    permission-sets: [${sets.join(', ')}]\n  permission-sets:\n${definitions.join('\n')}\n  assignments:\n${entries.join('\n')}\n`,
  );

  // The snapshot the complete read an hour ago would have kept.
  const hourAgo = new Date(Date.now() - 3600_000).toISOString();
  const places: Record<string, { principalType: 'GROUP' | 'USER'; principalId: string }[]> = {};
  for (const a of aws.assignments())
    (places[placeKey(a.accountId, a.permissionSetArn)] ??= []).push({
      principalType: a.principalType,
      principalId: a.principalId,
    });
  const scope = snapshotScope({ instance: aws.instanceArn, manifest: 'access.yml' });
  aws.s3.createBucket('snapshots');
  aws.s3.buckets.get('snapshots')!.set(
    snapshotObjectKey('bench', scope),
    newObject(
      gzipSync(
        JSON.stringify({
          format: SNAPSHOT_FORMAT,
          instance: aws.instanceArn,
          scope,
          completeReadAt: hourAgo,
          watermark: hourAgo,
          permissionSets: sets.map((s) => aws.permissionSetArn(s)).sort(),
          accounts: null,
          places,
          groups: {},
          removedMemberships: {},
          // The manifest's groups, confirmed of their type, with their names.
          principals: Object.fromEntries(
            groups.map((g) => [aws.groupId(g), { principalType: 'GROUP', name: g }]),
          ),
          // The names the complete read found: every set's, and those of the groups at the places.
          names: Object.fromEntries([
            ...[...aws.state.permissionSets.values()].map((set) => [set.arn, set.name]),
            ...[...groups, ...handGroups].map((g) => [aws.groupId(g), g]),
          ]),
          permissionSetContents: Object.fromEntries(
            sets.map((set) => [
              aws.permissionSetArn(set),
              {
                name: set,
                description: DESCRIPTION(set),
                sessionMinutes: 60,
                awsManagedPolicies: [],
                customerManagedPolicies: [],
                tags: { [OWNERSHIP_TAG]: OWN },
                outdated: [],
              },
            ]),
          ),
        }),
      ),
      'application/gzip',
    ),
  );

  // 300 changes by others since: 150 of the groups' assignments deleted, 150 hand-made ones at
  // other places (each a place of its own).
  const admin = { principalArn: 'arn:aws:iam::123456789012:user/admin' };
  const halfHourAgo = Date.now() - 30 * 60_000;
  for (let i = 0; i < CHANGES / 2; i++) aws.deleteAssignmentAs(assignment(i * 7), admin, halfHourAgo);
  for (let i = 0; i < CHANGES / 2; i++)
    aws.createAssignmentAs(
      { ...assignment(i * 11 + 1), accountId: accounts[(i * 11 + 1 + 1000) % ACCOUNTS]! },
      admin,
      halfHourAgo,
    );
  const touched = new Set(
    aws.cloudTrail
      .filter((e) => e.requestParameters.TargetId !== undefined)
      .map((e) => `${String(e.requestParameters.TargetId)}|${String(e.requestParameters.PermissionSetArn)}`),
  ).size;

  // Others' writes to 15 sets since: each an update and a provisioning, the content as defined.
  for (let i = 0; i < SET_WRITES; i++)
    for (const eventName of ['UpdatePermissionSet', 'ProvisionPermissionSet'])
      aws.addCloudTrailEvent({
        eventName,
        principalArn: admin.principalArn,
        at: halfHourAgo,
        requestParameters: {
          InstanceArn: aws.instanceArn,
          PermissionSetArn: aws.permissionSetArn(sets[i * 10]!),
          ...(eventName === 'ProvisionPermissionSet' ? { TargetType: 'ALL_PROVISIONED_ACCOUNTS' } : {}),
        },
      });

  const principals = aws.state.users.size + aws.state.groups.size;
  const byPrincipal =
    Math.ceil(aws.state.groups.size / PAGE) + Math.ceil(aws.state.users.size / PAGE) + principals;
  const byPlace = SETS * Math.ceil(ACCOUNTS / PAGE) + SETS * ACCOUNTS;
  // A complete read also reads every defined set: its 6 calls and its outdated accounts.
  const complete = Math.min(byPrincipal, byPlace) + 7 * SETS;
  console.log(
    `reconcile plan with snapshot: ${ACCOUNTS} accounts × ${SETS} managed permission sets the manifest defines, ${GROUPS} groups' assignments (by ID) and ${BY_HAND} by hand in an unmanaged set (shown by name), ${CHANGES} changes by others (${touched} places) and ${SET_WRITES} sets written by others since the snapshot`,
  );
  console.log(
    `load average at start: ${loadavg()[0]!.toFixed(2)} (2 cores shared: wall figures are indicative)`,
  );
  console.log(
    `a complete read: by principal ${byPrincipal} calls, by place ${byPlace}; the cheaper, with 7 × ${SETS} defined sets' reads, ${complete} = ${(complete / TPS).toFixed(0)} s at ${TPS} TPS`,
  );
  const before = emulator.requests.length;
  const started = Date.now();
  const step = await runStep('main', {
    inputs: {
      cloud: 'aws',
      operation: 'reconcile',
      manifest: 'access.yml',
      'dry-run': 'true',
      'max-deletions': String(CHANGES),
      snapshot: 's3://snapshots/bench',
      'aws-region': 'us-east-1',
      'role-to-assume': 'arn:aws:iam::123456789012:role/cloud-access',
      'instance-arn': aws.instanceArn,
      'identity-store-id': aws.identityStoreId,
      'timeout-seconds': '900',
    },
    env: { ...emulator.env, GITHUB_WORKSPACE: workspace, ACTIONS_STEP_DEBUG: 'false', RUNNER_DEBUG: '' },
  });
  const wall = Date.now() - started;
  const read = readFigures(step);
  if (!read) {
    console.log(`the step failed (exit ${step.exitCode})\n${step.stdout.slice(-3000)}`);
    process.exitCode = 1;
  } else {
    const requests = emulator.requests.slice(before);
    const pages = requests.filter((r) => r.service === 'cloudtrail').length;
    const accountPages = requests.filter((r) => r.operation === 'ListAccounts').length;
    const groupReads = requests.filter((r) => r.operation === 'ListGroupMemberships').length;
    const oracle = pages + touched + 7 * SET_WRITES + accountPages + groupReads;
    const nameReads = requests.filter((r) => NAME_READS.has(r.operation));
    // Every call the step made to IAM Identity Center, the Identity Store and CloudTrail: the read's,
    // its names (a kept set name confirmed before a write at its set is made inside the read) and
    // the plan's of the defined sets.
    const stepCalls = requests.filter((r) =>
      ['sso-admin', 'identitystore', 'cloudtrail'].includes(r.service),
    ).length;
    const withoutNames = stepCalls - nameReads.length;
    const notice =
      /::notice::(snapshot: (?:read from|a complete read)[^\n]*)/.exec(step.stdout)?.[1] ?? '(no notice)';
    console.log(notice);
    console.log(
      `plan ${step.outputs.plan}; read: ${read.calls} calls; the step's calls but names: ${withoutNames} = ${(withoutNames / oracle).toFixed(2)}× the oracle (${pages} LookupEvents pages + ${touched} touched places + 7 × ${SET_WRITES} touched sets + ${accountPages} account list pages + ${groupReads} touched groups = ${oracle}; goal ≤ 1.25×); ` +
        `read wall ${read.readMs} ms, whole step ${wall} ms (goal ≤ 180 s); ` +
        `${(complete / read.calls).toFixed(1)}× fewer calls than the cheaper complete plan (goal ≥ 6×); ` +
        `${requests.filter((r) => r.service === 'sso-admin' || r.service === 'identitystore').length} IAM Identity Center calls in all (the manifest's names included)`,
    );
    // The names the step read to resolve the manifest and label its rows: with them, the ratio the
    // outside run measures. The oracle reads the names of what changed only: one describe for each
    // permission set the changes' places are of (a set's name kept in the snapshot is confirmed
    // before a write at it); every changed place's principal is a group the manifest names.
    const byOperation = [...new Set(nameReads.map((r) => r.operation))]
      .map((op) => `${nameReads.filter((r) => r.operation === op).length} ${op}`)
      .join(', ');
    const withNames = stepCalls;
    const changedSets = new Set(
      aws.cloudTrail.flatMap((e) =>
        e.requestParameters.TargetId === undefined ? [] : [String(e.requestParameters.PermissionSetArn)],
      ),
    ).size;
    console.log(
      `with the names read: ${withNames} calls = ${(withNames / (oracle + changedSets)).toFixed(2)}× the oracle with the names of what changed (the step's ${withoutNames} + ${nameReads.length} name reads: ${byOperation || 'none'}; the oracle's ${oracle} + ${changedSets} names of what changed, the sets of the changed places; goal ≤ 1.25×)`,
    );
  }
} finally {
  rmSync(workspace, { recursive: true, force: true });
  await emulator.close();
}
