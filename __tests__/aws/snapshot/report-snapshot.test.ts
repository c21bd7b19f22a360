// A report with `snapshot`, on the emulated IAM Identity Center, CloudTrail and S3 through the real
// SDKs: after changes by others, its rows are a complete read's, read from the snapshot and
// CloudTrail's writes since; a report with other filters keeps an object of its own.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createAwsAccessReader } from '../../../src/aws/report.js';
import type { AwsSessionSettings, ConfigOf } from '../../../src/core/inputs/index.js';
import type { AccessRead } from '../../../src/engine/run/access-reader.js';
import {
  ACCOUNT,
  ALICE,
  BOB,
  READ_ONLY,
  awsPlan,
  emulatedDeps,
  emulatedSso,
} from '../../harness/emulated-sso.js';

const sso = emulatedSso();
const OTHER = '222222222222';
const admin = { principalArn: 'arn:aws:iam::123456789012:user/admin' };

const saved = { ...process.env };
beforeEach(() => {
  const { emulator } = sso;
  process.env.AWS_ENDPOINT_URL_S3 = emulator.env.AWS_ENDPOINT_URL_S3;
  process.env.AWS_ACCESS_KEY_ID = emulator.aws.staticCredentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = emulator.aws.staticCredentials.secretAccessKey;
  process.env.GITHUB_EVENT_NAME = 'schedule';
  emulator.aws.config.cloudTrailTps = 100;
  emulator.aws.s3.createBucket('snapshots');
});
afterEach(() => {
  for (const name of [
    'AWS_ENDPOINT_URL_S3',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'GITHUB_EVENT_NAME',
  ])
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
});

/** A report's read, with `snapshot` when given, narrowed by `role` when given. */
async function report(inputs: Record<string, string> = {}): Promise<AccessRead> {
  const config = awsPlan({
    operation: 'report',
    principal: '',
    target: '',
    role: '',
    ...inputs,
  }) as unknown as ConfigOf<'report'>;
  const { deps } = emulatedDeps(sso);
  return createAwsAccessReader(config as unknown as AwsSessionSettings, config.report, deps).read({
    manifests: [],
    onPlan: () => undefined,
  });
}
const rows = (read: AccessRead) =>
  read.held.map((h) => `${h.principal.id}|${h.role.id}|${h.target.id}`).sort();

describe('a report with `snapshot`', () => {
  it('after changes by others, lists the rows a complete read lists, from the snapshot and CloudTrail’s writes since; other filters keep an object of their own', async () => {
    sso.addAssignment(BOB);
    sso.addAssignment(ALICE, READ_ONLY, OTHER);
    const first = await report({ snapshot: 's3://snapshots/report' });
    expect(first.notes).toContainEqual(
      expect.stringMatching(/^snapshot: a complete read, because there is no snapshot/),
    );
    sso.emulator.aws.createAssignmentAs(
      { accountId: ACCOUNT, permissionSetArn: READ_ONLY, principalType: 'USER', principalId: ALICE },
      admin,
    );
    sso.emulator.aws.deleteAssignmentAs(
      { accountId: OTHER, permissionSetArn: READ_ONLY, principalType: 'USER', principalId: ALICE },
      admin,
    );
    const complete = await report();
    const before = sso.count('ListAccountAssignments');
    const fromSnapshot = await report({ snapshot: 's3://snapshots/report' });
    expect(fromSnapshot.notes).toContainEqual(
      expect.stringMatching(/^snapshot: read from s3:\/\/snapshots\/report\//),
    );
    expect(rows(fromSnapshot)).toEqual(rows(complete));
    expect(rows(fromSnapshot)).toEqual(
      [`${ALICE}|${READ_ONLY}|${ACCOUNT}`, `${BOB}|${READ_ONLY}|${ACCOUNT}`].sort(),
    );
    // The two places the writes touched, and none other.
    expect(sso.count('ListAccountAssignments') - before).toBe(2);

    // Other filters, another scope: an object of its own, read completely the first time.
    const narrow = await report({ snapshot: 's3://snapshots/report', role: 'ReadOnlyAccess' });
    expect(narrow.notes).toContainEqual(
      expect.stringMatching(/^snapshot: a complete read, because there is no snapshot/),
    );
    expect(sso.emulator.aws.s3.objects('snapshots')).toHaveLength(2);
  });
});
