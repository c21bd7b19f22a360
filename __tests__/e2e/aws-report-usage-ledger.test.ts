// `operation: report` with `last-used: true` and `snapshot`, through the bundle as the runner runs
// it, across runs: the first run reads the window and keeps a usage ledger in the snapshot object;
// the next reads only the sign-ins since its watermark (one LookupEvents page per 50 new events and
// one per Region, P19), and still shows the uses only the first run read. A ledger tampered with is
// not continued (the window is read again, and said); a run on a pull request keeps nothing; a
// window longer than the ledger has covered is incomplete evidence; a set deleted and made again
// under its name does not inherit the old set's sign-ins.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { newObject } from '../../emulator/aws/s3/s3-state.js';
import { awsInputs, runMain, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 50 });
const aws = () => emulator().aws;
const workspace = mkdtempSync(join(tmpdir(), 'aws-report-usage-ledger-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const DAY = 86_400_000;
const ALICE_ACCOUNT = '111111111111';
const BOB_ACCOUNT = '333333333333';
const CAROL_ACCOUNT = '444444444444';
interface Row {
  targetId: string;
  roleId: string;
  viaGroup: string | null;
  lastUsed?: string;
  lastUsedEvent?: string | null;
}

const report = (inputs: Record<string, string> = {}, event = 'schedule') =>
  runMain(
    awsInputs({ operation: 'report', 'last-used': 'true', snapshot: 's3://snapshots/report', ...inputs }),
    {
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: mkdtempSync(join(workspace, 'runner-temp-')),
      GITHUB_EVENT_NAME: event,
    },
  );
const rowsOf = (step: { outputs: Record<string, string> }) =>
  (JSON.parse(readFileSync(step.outputs['report-json']!, 'utf8')) as { rows: Row[] }).rows;
const rowIn = (rows: Row[], accountId: string) => rows.find((r) => r.targetId === accountId && !r.viaGroup)!;

/** The LookupEvents pages asked for GetRoleCredentials since request `from`. */
const signInPages = (from: number) =>
  emulator()
    .requests.slice(from)
    .filter(
      (r) =>
        r.operation === 'LookupEvents' &&
        JSON.stringify(r.input?.LookupAttributes ?? []).includes('GetRoleCredentials'),
    ).length;

function holdEach() {
  const ro = aws().permissionSetArn('ReadOnlyAccess');
  for (const [accountId, user] of [
    [ALICE_ACCOUNT, 'alice'],
    [BOB_ACCOUNT, 'bob'],
    [CAROL_ACCOUNT, 'carol'],
  ] as const)
    aws().addAssignment({
      accountId,
      permissionSetArn: ro,
      principalType: 'USER',
      principalId: aws().userId(user),
    });
}

/** `count` sign-ins of `user` to `accountId`, the newest at `newest`, a second apart. */
function signIns(user: string, accountId: string, count: number, newest: number) {
  let last;
  for (let i = count - 1; i >= 0; i--)
    last = aws().addRoleCredentialsEvent({
      userId: aws().userId(user),
      accountId,
      roleName: 'ReadOnlyAccess',
      at: newest - i * 1000,
    });
  return last!;
}

/** The stored snapshot's usage ledger, changed by `edit`, put back as someone who can write the bucket would. */
function tamperLedger(edit: (ledger: { regions: Record<string, { until: string }> }) => void) {
  const [key, object] = aws().s3.objects('snapshots')[0]!;
  const snapshot = JSON.parse(gunzipSync(object.bytes).toString('utf8')) as {
    usage: Parameters<typeof edit>[0];
  };
  edit(snapshot.usage);
  aws()
    .s3.buckets.get('snapshots')!
    .set(key, newObject(gzipSync(JSON.stringify(snapshot)), 'application/gzip'));
}

describe('a report with last-used: true and snapshot keeps a usage ledger', () => {
  it('reads only the sign-ins since its watermark on the next run, and keeps the uses it read before', async () => {
    aws().config.cloudTrailTps = 50;
    aws().s3.createBucket('snapshots');
    holdEach();
    const alice = signIns('alice', ALICE_ACCOUNT, 300, Date.now() - 2 * DAY);

    const first = await report();
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(
      /usage: the ledger in s3:\/\/snapshots\/report\/.* is not continued, because there is no snapshot yet/,
    );
    expect(first.stdout).toMatch(/snapshot: written to s3:\/\/snapshots\/report\//);
    expect(first.outputs['evidence-complete']).toBe('true');
    const firstRows = rowsOf(first);
    expect(rowIn(firstRows, ALICE_ACCOUNT).lastUsedEvent).toBe(alice.eventId);
    const noneSince = rowIn(firstRows, CAROL_ACCOUNT).lastUsed;
    expect(noneSince).toMatch(/^none since \d{4}-/);

    // 60 new sign-ins, by bob, after the first run.
    const bob = signIns('bob', BOB_ACCOUNT, 60, Date.now());
    const before = emulator().requests.length;
    const second = await report();
    expect(second.exitCode).toBe(0);
    const pages = signInPages(before);
    // P19: at most 1.1 × ⌈new events / 50⌉ pages, and one per Region (a read of the window: 8).
    expect(pages).toBeLessThanOrEqual(Math.floor(1.1 * Math.ceil(60 / 50)) + 1);
    expect(second.stdout).toMatch(
      /since .* in us-east-1 \(the ledger's watermark less the delivery overlap\)/,
    );
    const rows = rowsOf(second);
    expect(rowIn(rows, BOB_ACCOUNT).lastUsedEvent).toBe(bob.eventId);
    // Alice's use was read by the first run only: the ledger kept it.
    expect(rowIn(rows, ALICE_ACCOUNT).lastUsedEvent).toBe(alice.eventId);
    // None since the ledger's first read, not since this run's.
    expect(rowIn(rows, CAROL_ACCOUNT).lastUsed).toBe(noneSince);
    expect(second.outputs['evidence-complete']).toBe('true');
  });

  it('does not continue a ledger tampered with: the window is read again, and said', async () => {
    aws().config.cloudTrailTps = 50;
    aws().s3.createBucket('snapshots');
    holdEach();
    const alice = signIns('alice', ALICE_ACCOUNT, 1, Date.now() - 2 * DAY);
    expect((await report()).exitCode).toBe(0);
    // A watermark moved ahead would skip every sign-in until then.
    tamperLedger((ledger) => {
      for (const cover of Object.values(ledger.regions))
        cover.until = new Date(Date.now() + 30 * DAY).toISOString();
    });
    const step = await report();
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toMatch(
      /usage: the ledger in .* is not continued, because its watermark in us-east-1 is ahead of now/,
    );
    expect(rowIn(rowsOf(step), ALICE_ACCOUNT).lastUsedEvent).toBe(alice.eventId);
    expect(step.outputs['evidence-complete']).toBe('true');
  });

  it('a run on a pull request reads the ledger and keeps nothing', async () => {
    aws().s3.createBucket('snapshots');
    holdEach();
    expect((await report()).exitCode).toBe(0);
    const [, kept] = aws().s3.objects('snapshots')[0]!;
    const step = await report({}, 'pull_request');
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toMatch(/snapshot: not written/);
    expect(aws().s3.objects('snapshots')[0]![1].bytes).toEqual(kept.bytes);
  });

  it("a set deleted and made again under its name does not inherit the old set's sign-ins", async () => {
    aws().s3.createBucket('snapshots');
    const old = aws().addPermissionSet('Auditing');
    const alice = { principalType: 'USER' as const, principalId: aws().userId('alice') };
    aws().addAssignment({ accountId: ALICE_ACCOUNT, permissionSetArn: old, ...alice });
    const used = aws().addRoleCredentialsEvent({
      userId: alice.principalId,
      accountId: ALICE_ACCOUNT,
      roleName: 'Auditing',
      at: Date.now() - 2 * DAY,
    });
    const first = await report();
    expect(first.exitCode).toBe(0);
    expect(rowsOf(first).find((r) => r.roleId === old)!.lastUsedEvent).toBe(used.eventId);

    // Auditing is deleted (its assignment first), and a new set is made under its name.
    aws().state.removeAssignment({ accountId: ALICE_ACCOUNT, permissionSetArn: old, ...alice });
    aws().state.deletePermissionSet(old);
    const again = aws().addPermissionSet('Auditing');
    expect(again).not.toBe(old);
    aws().addAssignment({ accountId: ALICE_ACCOUNT, permissionSetArn: again, ...alice });
    const second = await report();
    expect(second.exitCode).toBe(0);
    const rows = rowsOf(second);
    expect(rows.some((r) => r.roleId === old)).toBe(false);
    expect(rows.find((r) => r.roleId === again)).toMatchObject({
      lastUsed: expect.stringMatching(/^none since /),
      lastUsedEvent: null,
    });
    expect(second.outputs['evidence-complete']).toBe('true');
  });

  it('a window longer than the ledger has covered is incomplete evidence, said with when it will be covered', async () => {
    aws().s3.createBucket('snapshots');
    holdEach();
    const step = await report({ 'unused-after': '120d' });
    expect(step.exitCode).toBe(0);
    expect(step.outputs['evidence-complete']).toBe('false');
    expect(step.stdout).toMatch(
      /::warning.*evidence is incomplete.*the ledger's evidence starts .* the window starts/,
    );
  });
});
