// The modes with more than one step, each against the emulator `npm run emulator:start` started:
// a group's time-bound membership, a review campaign opened then decided, a post step's revoke that
// ends sessions, an ephemeral grant and its post step (local-modes.test.ts has the plain modes).
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localAction, shell, startedEmulator } from './local-modes-fixture.js';

const emulatorFolder = startedEmulator();
let dir: string;
beforeAll(() => {
  dir = emulatorFolder();
});

describe('npm run local-action -- .emulator/<mode>.env', () => {
  // Its own test, not among the modes run once: a second run would reuse the membership the first made,
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
});
