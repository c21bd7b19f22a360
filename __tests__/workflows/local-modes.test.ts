// Every mode of the action runs locally in one command: `npm run local-action -- <mode>.env`
// against the emulator `npm run emulator:start` started, with the .env files it wrote, and the
// command's exit code is the action's outcome (@github/local-action's own is always 0).
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listedPath, localAction, shell, startedEmulator } from './local-modes-fixture.js';

const emulatorFolder = startedEmulator();
let dir: string;
beforeAll(() => {
  dir = emulatorFolder();
});

describe('npm run local-action -- .emulator/<mode>.env', () => {
  it.each([
    ['aws-assign', /✓ assign group Deployers → 111111111111 \/ AdministratorAccess: SUCCEEDED/],
    ['aws-provision', /ReadOnlyAccess/],
    [
      'azure-assign',
      // An object ID is not looked up: its `principal-type` is no kind the row could vouch for.
      /✓ assign 6d0a2f5e-3b8c-4e71-9a4d-c2e5f8b1a7d3 → .*rg-app \/ Contributor: SUCCEEDED/,
    ],
    ['reconcile-aws', /plan: 8 to create, 0 to delete/],
    // Defines its permission sets: each created before the assignments that provision it.
    [
      'reconcile-sets',
      /\+ create permission set ReadOnly[^]*\+ create permission set Deployer[^]*✓ assign group Engineers/,
    ],
    ['reconcile-azure', /plan: 2 to create, 0 to delete/],
    ['sweep', /sweep/i],
    ['report-aws', /report: \d+ row\(s\)/],
    ['report-azure', /report: \d+ row\(s\)/],
  ])(
    '%s runs in one command, exits 0 and writes its job summary',
    (mode, expected) => {
      const run = localAction(join(dir, `${mode}.env`));
      expect({
        status: run.status,
        stderr: run.stderr.split('\n').filter((l) => l.startsWith('local-action:')),
      }).toEqual({
        status: 0,
        stderr: [],
      });
      expect(run.stdout).toMatch(expected);
      const summary = join(dir, 'out', `${mode}.summary.md`);
      expect(run.stdout).toContain(
        `local-action: job summary in ${listedPath(summary)}; outputs in the Action Outputs table above`,
      );
      expect(readFileSync(summary, 'utf8')).toContain('<h3>cloud-access');
    },
    120_000,
  );

  // Its own test, not among those above: a second run would reuse the membership the first made,
  // and report that one's end.
  it('azure-group makes a time-bound membership of a group PIM manages already, onboarding nothing: its `expires-at` two hours on', () => {
    const before = Date.now();
    const run = localAction(join(dir, 'azure-group.env'));
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/not managed by PIM yet|was onboarded/);
    expect(run.stdout).toMatch(
      /✓ assign Carol Example \(carol@contoso\.com\) → group: Platform \(group:Platform\) \/ member: SUCCEEDED \(created/,
    );
    expect(readFileSync(join(dir, 'out', 'azure-group.summary.md'), 'utf8')).toContain('<h3>cloud-access');
    const expiresAt = /::set-output name=expires-at::(\S+)/.exec(run.stdout)?.[1];
    expect(Date.parse(expiresAt ?? '')).toBeGreaterThanOrEqual(before - 60_000 + 2 * 3_600_000);
    expect(Date.parse(expiresAt ?? '')).toBeLessThanOrEqual(Date.now() + 60_000 + 2 * 3_600_000);
  }, 120_000);

  it('aws-review opens the campaign issue; after the decision and the due date its file stages, a second run revokes the row and closes the issue', () => {
    const file = join(dir, 'aws-review.env');
    const text = readFileSync(file, 'utf8');
    const first = /^# First: (curl .*)$/m.exec(text)![1]!;
    const curl = (command: string) =>
      JSON.parse(shell(`${command} --silent --show-error --fail`)) as {
        issues: { number: number; rows: string[] }[];
      };
    expect(curl(first).issues).toEqual([]);
    const opened = localAction(file);
    expect(opened.status).toBe(0);
    const number = /review: opened #(\d+)/.exec(opened.stdout)?.[1];
    expect(number).toBeDefined();
    const [issue] = curl(first).issues;
    expect(issue!.number).toBe(Number(number));
    const row = issue!.rows[0]!;
    const next = [...text.matchAll(/^# {3}(curl .*?) {3}# /gm)].map((m) => m[1]!);
    expect(next).toHaveLength(2);
    curl(next[0]!.replace('ROW_ID', row));
    curl(next[1]!);
    const closed = localAction(file);
    expect(closed.status).toBe(0);
    expect(closed.stdout).toContain('review: revoking 1 row(s) decided `revoke` on aws');
    expect(closed.stdout).toContain(`review: closed #${number}`);
    expect(curl(first).issues).toEqual([]);
  }, 240_000);

  it("aws-end-sessions: the post step's revoke writes a session fence into the opted-in set, provisioned, and takes out the earlier run's expired one", () => {
    const file = join(dir, 'aws-end-sessions.env');
    const text = readFileSync(file, 'utf8');
    const first = /^# First: (curl .*)$/m.exec(text)![1]!;
    const read = /^# Then read what it wrote: (curl .*)$/m.exec(text)![1]!;
    type Set = {
      tags: Record<string, string>;
      inlinePolicy: { Statement: { Sid: string; Condition?: Record<string, Record<string, unknown>> }[] };
      provisionedTo: string[];
    };
    const policy = () => (JSON.parse(shell(`${read} --silent --show-error --fail`)) as Set[])[0]!;
    const before = policy();
    expect(before.tags).toEqual({ 'cloud-access:end-sessions': 'true' });
    expect(before.inlinePolicy.Statement.map((s) => s.Sid)).toEqual([
      'NoBilling',
      'CloudAccessFence202501011115b1a2670a',
    ]);
    shell(`${first} --silent --show-error --fail`);

    const run = localAction(file);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /✓ assign user alice .*→ 111111111111 \/ BreakGlassAccess: SUCCEEDED \(created/,
    );
    const ended =
      /✓ revoke user alice .*→ 111111111111 \/ BreakGlassAccess: SUCCEEDED \(deleted[^\n]*; live sessions ended \(issued before (\d\d:\d\d:\d\dZ)\)/.exec(
        run.stdout,
      );
    expect(ended).not.toBeNull();
    expect(readFileSync(join(dir, 'out', 'aws-end-sessions.summary.md'), 'utf8')).toContain('Sessions ended');

    // The fence written (alice's sessions before the revoke, in 111111111111), the expired one gone,
    // the other writer's statement kept; the set provisioned where carol still holds it.
    const after = policy();
    const [kept, fence, ...more] = after.inlinePolicy.Statement;
    expect(more).toEqual([]);
    expect(kept!.Sid).toBe('NoBilling');
    expect(fence!.Sid).toMatch(/^CloudAccessFence\d{12}[0-9a-f]{8}$/);
    expect(fence!.Sid).not.toBe('CloudAccessFence202501011115b1a2670a');
    expect(fence!.Condition).toEqual({
      StringEquals: { 'aws:PrincipalAccount': '111111111111', 'identitystore:UserId': [expect.any(String)] },
      DateLessThan: { 'aws:TokenIssueTime': expect.stringMatching(new RegExp(`T${ended![1]}$`)) },
    });
    expect(after.provisionedTo).toEqual(['111111111111']);
  }, 120_000);

  it('aws-ephemeral grants, then runs the post step, which revokes what it created', () => {
    const run = localAction(join(dir, 'aws-ephemeral.env'));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      'The post step (revoke-on-exit), as the runner runs it at the end of the job:',
    );
    expect(run.stdout).toContain('revoke-on-exit: 1 revoked, 0 already absent, 0 failed, 0 left in place');
    expect(run.stdout).toContain('local-action: the main step succeeded, and the post step');
    expect(run.stdout).toMatch(/✓ revoke .* → 222222222222 \/ DeployAccess: SUCCEEDED \(deleted/);
  }, 120_000);

  it('reconcile-snapshot, run twice: a complete read keeps the snapshot in the emulator’s S3, the next run reads from it', () => {
    const file = join(dir, 'reconcile-snapshot.env');
    expect(readFileSync(file, 'utf8')).toMatch(/^INPUT_SNAPSHOT=s3:\/\/cloud-access-snapshots\/reconcile$/m);
    const first = localAction(file);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(
      /::notice::snapshot: a complete read, because there is no snapshot at s3:\/\/cloud-access-snapshots\/reconcile\//,
    );
    expect(first.stdout).toMatch(/::notice::snapshot: written to s3:\/\/cloud-access-snapshots\/reconcile\//);
    const second = localAction(file);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(
      /::notice::snapshot: read from s3:\/\/cloud-access-snapshots\/reconcile\/.* and CloudTrail's writes since/,
    );
  }, 240_000);

  it("exits 1 when the action fails, and ends with the action's errors, not local-action's stack trace", () => {
    const bad = join(dir, 'bad.env');
    writeFileSync(
      bad,
      readFileSync(join(dir, 'aws-assign.env'), 'utf8').replace(/^INPUT_ROLE=.*$/m, 'INPUT_ROLE=NoSuchSet'),
    );
    const run = localAction(bad);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error::assign Deployers → 111111111111 / NoSuchSet FAILED');
    for (const output of [run.stdout, run.stderr]) {
      expect(output).not.toContain('Error: Command failed');
      expect(output).not.toMatch(/^\s+at /m);
    }
    expect(run.stderr.trimEnd().split('\n').slice(-3)).toEqual([
      'local-action: the main step failed; the action said:',
      expect.stringMatching(
        /^local-action: error: assign Deployers → 111111111111 \/ NoSuchSet FAILED: permission set `NoSuchSet` was not found/,
      ),
      'local-action: error: 1 of 1 grant did not succeed',
    ]);
  }, 120_000);

  it('exits 1 when the .env file does not exist, saying how to make one', () => {
    const run = localAction(join(dir, 'nope.env'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('npm run emulator:start writes one per mode (.emulator/<mode>.env)');
  });
});
