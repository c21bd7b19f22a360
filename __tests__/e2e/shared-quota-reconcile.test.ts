// Two reconciles at once against one IAM Identity Center instance (two workflows, each with a
// manifest of its own): they share its 20 TPS and 15 outstanding creates. Each step adapts when
// refused, so both make their instance match their file, with no change failed, and the instance
// never holds more than 15 creates at once. Their wall time against the joint bound is `npm run
// bench`'s figure for two jobs (scripts/bench/quota-batches.ts), not a timed test's.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accounts, awsInputs, resultsOf, runMain, useEmulator } from './fixture.js';

// Writes take 0.5 s here: the 300 creates still fill the 15 slots many times over.
// Two reconciles at once: each in a process of its own.
const emulator = useEmulator({ awsWriteDelayMs: 500, steps: 'processes' });
const workspaces: string[] = [];
afterAll(() => workspaces.forEach((w) => rmSync(w, { recursive: true, force: true })));

const GROUPS = 5;
const ACCOUNTS = 30;
const STALE = 10;

/**
 * One workflow's reconcile: its manifest manages one permission set, and wants 5 groups × 30
 * accounts of it (150 creates); 10 assignments of it that the file does not list were added by hand
 * (10 deletes, the default `max-deletions`).
 */
function reconcile(n: number, permissionSet: string) {
  const aws = emulator().aws;
  const groups = Array.from({ length: GROUPS }, (_, i) => `job-${n}-team-${i}`);
  for (const name of [...groups, `job-${n}-stale`]) aws.addGroup(name);
  const targets = accounts(ACCOUNTS, n * 100);
  for (const accountId of accounts(STALE, n * 100))
    aws.addAssignment({
      accountId,
      permissionSetArn: aws.permissionSetArn(permissionSet),
      principalType: 'GROUP',
      principalId: aws.groupId(`job-${n}-stale`),
    });
  const workspace = mkdtempSync(join(tmpdir(), 'reconcile-shared-'));
  workspaces.push(workspace);
  writeFileSync(
    join(workspace, 'access.yml'),
    `version: 1
aws:
  manages:
    permission-sets: [${permissionSet}]
  assignments:
    - principal: [${groups.join(', ')}]
      principal-type: GROUP
      role: ${permissionSet}
      target: [${targets.map((t) => `'${t}'`).join(', ')}]
`,
  );
  return runMain(
    awsInputs({
      operation: 'reconcile',
      manifest: 'access.yml',
      'max-concurrency': '100',
      'timeout-seconds': '600',
    }),
    { GITHUB_WORKSPACE: workspace, GITHUB_JOB: `reconcile-${n}` },
  );
}

describe('two reconciles at once share the instance’s quota', () => {
  it('both make the instance match their manifest, no change failed, and the instance never held more than 15 outstanding creates', async () => {
    const [first, second] = await Promise.all([
      reconcile(1, 'ReadOnlyAccess'),
      reconcile(2, 'ViewOnlyAccess'),
    ]);
    for (const step of [first!, second!]) {
      expect(step.errors).toEqual([]);
      expect(step.exitCode).toBe(0);
      expect(JSON.parse(step.outputs.plan!)).toEqual({
        create: GROUPS * ACCOUNTS,
        delete: STALE,
        unchanged: 0,
        unmanaged: 0,
        update: 0,
        claimed: 0,
        unknown: 0,
      });
      const results = resultsOf(step);
      expect(results).toHaveLength(GROUPS * ACCOUNTS + STALE);
      expect(results.filter((r) => r.status !== 'SUCCEEDED')).toEqual([]);
    }
    // Each file's groups hold exactly what it lists; the hand-added ones are gone.
    const held = (permissionSet: string) =>
      emulator()
        .aws.assignments()
        .filter((a) => a.permissionSetArn === emulator().aws.permissionSetArn(permissionSet));
    expect(held('ReadOnlyAccess')).toHaveLength(GROUPS * ACCOUNTS);
    expect(held('ViewOnlyAccess')).toHaveLength(GROUPS * ACCOUNTS);

    // What the emulator saw, through its control API: the quota was shared, never exceeded.
    const state = (await (await fetch(`${emulator().endpoints.github}/_emulator/state`)).json()) as {
      stats: { maxOutstandingCreates: number };
    };
    expect(state.stats.maxOutstandingCreates).toBeGreaterThan(0);
    expect(state.stats.maxOutstandingCreates).toBeLessThanOrEqual(15);
  }, 240_000);
});
