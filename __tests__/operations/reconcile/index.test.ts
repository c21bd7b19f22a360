// The reconcile step as a pipeline, without a bundle or an emulator: check → read → plan → apply →
// report, driven through the runner's effects (recorded here) over an in-memory cloud behind the
// Reconciler interface the AWS and Azure adapters implement (./in-memory-cloud.ts; the events that
// may not write: ./events.test.ts). What users rely on: nothing opened or written before the checks pass, a plan that names who gains and loses what, deletes only within
// `max-deletions`, creates before the deletes that need them, and outputs that say what is left.
import { describe, expect, it } from '@jest/globals';
import { runKeyOf, type Claim, type RunState } from '../../../src/core/claims/claims.js';
import { runReconcile } from '../../../src/operations/reconcile/index.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';
import { alice, bob, carol, config, inMemoryCloud, MANIFEST, PUSH } from './in-memory-cloud.js';

describe('before the cloud: the checks that need none', () => {
  it('a manifest with errors is annotated at its lines, and the cloud is never opened', async () => {
    const cloud = inMemoryCloud([alice], []);
    cloud.sources.readManifest = async (path) => ({ path, text: 'version: 2\n' });
    const runner = recordedRunner();
    await runReconcile(config(), onEvent(runner.effects, PUSH), cloud.sources);
    expect(cloud.opened.count).toBe(0);
    expect(runner.said.errors[0]).toMatchObject({ at: { file: MANIFEST, line: 1 } });
    expect(runner.said.errors[0]!.message).toMatch(/`version` must be `1`/);
    expect(runner.outputs.results).toBe('[]');
  });

  it("a fork's pull request, with no OIDC token, is checked and skipped with a notice, not failed", async () => {
    const cloud = inMemoryCloud([alice], []);
    const runner = recordedRunner();
    await runReconcile(
      config({ dryRun: true }),
      onEvent(runner.effects, {
        eventName: 'pull_request',
        tokenEndpoint: undefined,
      }),
      cloud.sources,
    );
    expect(cloud.opened.count).toBe(0);
    expect(runner.said.notices[0]).toMatch(/the plan against the cloud is skipped/);
    expect(runner.said.failed).toEqual([]);
    // Its summary says so under the run's header, so a reviewer sees why there is no plan.
    expect(runner.said.summary).toMatch(
      /^<h3>cloud-access: aws reconcile \(dry run\): plan skipped<\/h3>\n.*\n<p>no OIDC token on this <code>pull_request<\/code> run .*skipped\.<\/p>/,
    );
  });
});

describe('a dry run is a plan a reviewer can read', () => {
  it('names who gains and who loses access, writes nothing, and says drift remains', async () => {
    const cloud = inMemoryCloud([alice], [bob]);
    const runner = recordedRunner();
    await runReconcile(config({ dryRun: true }), onEvent(runner.effects, PUSH), cloud.sources);
    expect(cloud.writes).toEqual([]);
    expect(runner.said.log).toContain('  create: user alice / ReadOnly / 111111111111 (manifest line 6)');
    expect(runner.said.log).toContain('  delete: user bob (u-bob) / ReadOnly (PS) / 111111111111');
    expect(
      runner.said.groups.every(({ title: g }) => /would (create|delete)/.test(g) && !g.includes('SUCCEEDED')),
    ).toBe(true);
    expect(JSON.parse(runner.outputs.plan!)).toEqual({
      create: 1,
      delete: 1,
      unchanged: 0,
      unmanaged: 0,
      update: 0,
      claimed: 0,
      unknown: 0,
    });
    expect(runner.outputs).toMatchObject({ status: 'SUCCEEDED', drift: 'true', 'drift-remaining': 'true' });
    expect(runner.said.summary).toContain('Dry run: nothing was written.');
    // Who loses access first, then who gains it, each under its heading.
    expect(runner.said.summary.match(/<h4>.*<\/h4>/g)).toEqual([
      '<h4>Deletes (1)</h4>',
      '<h4>Creates (1)</h4>',
    ]);
  });
});

describe('an unknown is never a delete', () => {
  it('a running job’s proven grant whose run GitHub’s rate limit keeps from being read: left in place, warned, counted `unknown`', async () => {
    const cloud = inMemoryCloud([alice], [alice, bob]);
    const open = cloud.sources.openReconciler;
    const jobRun = { repositoryId: '1', runId: '9', attempt: '1' };
    cloud.sources.openReconciler = async (...args) => {
      const opened = await open(...args);
      const claimOf = (key: string): Claim => ({
        ids: {
          cloud: 'aws',
          principalId: 'u-bob',
          principalType: 'USER',
          roleId: 'PS',
          accountId: '111111111111',
        },
        shown: { principal: 'u-bob', role: 'PS', target: '111111111111' },
        mark: { run: jobRun, ephemeral: true },
        madeBy: `arn:aws:sts::1:assumed-role/deployer/cloud-access-1-9-1-e (${key})`,
        madeAt: Date.now() - 60_000,
        evidence: 'CloudTrail',
        standing: { holds: true },
      });
      opened.reconciler.readClaims = async (deletes) => ({
        claims: new Map(deletes.map((d) => [d.key, claimOf(d.key)])),
        decided: new Map(),
        notes: [],
      });
      return {
        ...opened,
        readRuns: async (runs) => ({
          states: new Map(
            runs.map((r) => [
              runKeyOf(r),
              { state: 'unreadable', reason: 'GitHub’s API rate limit was reached', transient: true },
            ]),
          ),
          requests: 1,
          rateLimited: 'GitHub’s API rate limit was reached',
        }),
      };
    };
    const runner = recordedRunner();
    await runReconcile(config(), onEvent(runner.effects, PUSH), cloud.sources);
    expect(cloud.writes).toEqual([]);
    expect(cloud.store.has('u-bob@111111111111')).toBe(true);
    expect(JSON.parse(runner.outputs.plan!)).toMatchObject({ delete: 0, unknown: 1 });
    expect(runner.said.log).toContainEqual(
      expect.stringMatching(
        /^ {2}unknown \(left in place\): user bob \(u-bob\) \/ ReadOnly \(PS\) \/ 111111111111: ephemeral, .*could not be read: GitHub’s API rate limit/,
      ),
    );
    expect(runner.said.warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/^left in place, unknown: user bob \(u-bob\) .*rate limit/),
    );
    expect(runner.outputs).toMatchObject({ status: 'SUCCEEDED' });
  });
});

describe('what a delete’s claim line says', () => {
  /** The in-memory cloud, with bob's grant claimed by `mark` and its run `state`. */
  function claimedBy(mark: Claim['mark'], state: RunState) {
    const cloud = inMemoryCloud([alice], [alice, bob]);
    const open = cloud.sources.openReconciler;
    cloud.sources.openReconciler = async (...args) => {
      const opened = await open(...args);
      opened.reconciler.readClaims = async (deletes) => ({
        claims: new Map(
          deletes.map((d): [string, Claim] => [
            d.key,
            {
              ids: { cloud: 'aws', principalId: 'u-bob', roleId: 'PS', accountId: '111111111111' },
              shown: { principal: 'u-bob', role: 'PS', target: '111111111111' },
              mark,
              madeBy: 'arn:aws:sts::1:assumed-role/access-apply/cloud-access-1-9-1',
              madeAt: Date.now() - 60_000,
              evidence: 'CloudTrail',
              standing: { holds: true },
            },
          ]),
        ),
        decided: new Map(),
        notes: [],
      });
      return {
        ...opened,
        readRuns: async (runs) => ({ states: new Map(runs.map((r) => [runKeyOf(r), state])), requests: 1 }),
      };
    };
    return cloud;
  }
  const jobRun = { repositoryId: '1', runId: '9', attempt: '1' };

  it('an ended claim is said beside its delete, by names, not IDs', async () => {
    const cloud = claimedBy({ run: jobRun, ephemeral: true }, { state: 'completed', conclusion: 'success' });
    const runner = recordedRunner();
    await runReconcile(config({ dryRun: true }), onEvent(runner.effects, PUSH), cloud.sources);
    expect(runner.said.log).toContain(
      '  delete: user bob (u-bob) / ReadOnly (PS) / 111111111111: claim not honoured: its claim has ended: run 9 attempt 1 has completed (success)',
    );
    expect(runner.said.log.join('\n')).not.toMatch(/claim not honoured.*u-bob \/ PS/);
  });

  it('the manifest’s own grants (a permanent session’s) get no claim line', async () => {
    const cloud = claimedBy({ run: jobRun, ephemeral: false }, { state: 'going', status: 'in_progress' });
    const runner = recordedRunner();
    await runReconcile(config({ dryRun: true }), onEvent(runner.effects, PUSH), cloud.sources);
    expect(runner.said.log).toContain('  delete: user bob (u-bob) / ReadOnly (PS) / 111111111111');
    expect(runner.said.log.join('\n')).not.toMatch(/claim/);
  });
});

describe('an apply', () => {
  it('creates and deletes what the plan says, and no drift remains', async () => {
    const cloud = inMemoryCloud([alice, carol], [bob, carol]);
    const runner = recordedRunner();
    await runReconcile(config(), onEvent(runner.effects, PUSH), cloud.sources);
    expect(cloud.writes.sort()).toEqual(['create u-alice@111111111111', 'delete u-bob@111111111111']);
    expect([...cloud.store.keys()].sort()).toEqual(['u-alice@111111111111', 'u-carol@222222222222']);
    expect(runner.outputs).toMatchObject({ status: 'SUCCEEDED', drift: 'true', 'drift-remaining': 'false' });
    expect(JSON.parse(runner.outputs.plan!)).toMatchObject({ unchanged: 1 });
    expect(runner.said.summary).toContain('Applied, status SUCCEEDED.');
    expect(runner.said.failed).toEqual([]);
  });

  it('a create that FAILS fails the step naming it, and drift remains', async () => {
    const cloud = inMemoryCloud([alice, bob], [bob], ['u-alice']);
    const runner = recordedRunner();
    await runReconcile(config(), onEvent(runner.effects, PUSH), cloud.sources);
    expect(runner.outputs).toMatchObject({ status: 'FAILED', 'drift-remaining': 'true' });
    expect(runner.said.errors.map((e) => e.message)).toContainEqual(
      expect.stringMatching(
        /^assign user alice \(u-alice\) → 111111111111 \/ ReadOnly \(PS\) FAILED: ConflictException/,
      ),
    );
    expect(runner.said.failed.join('\n')).toMatch(/1 of 1 grant did not succeed/);
  });

  it('deletes that would empty the section wait for a create that SUCCEEDED, and none run when it FAILS', async () => {
    const cloud = inMemoryCloud([alice], [bob], ['u-alice']);
    const runner = recordedRunner();
    await runReconcile(config(), onEvent(runner.effects, PUSH), cloud.sources);
    expect(cloud.writes).toEqual(['create u-alice@111111111111']);
    expect(cloud.store.has('u-bob@111111111111')).toBe(true);
    expect(runner.said.errors.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/1 delete\(s\) did not run: no create succeeded/),
    );
  });
});

describe('`max-deletions`', () => {
  it('more deletes than it allows: the plan is reported, nothing is written, and the step is FAILED everywhere', async () => {
    const cloud = inMemoryCloud([alice], [alice, bob, carol]);
    const runner = recordedRunner();
    await runReconcile(config({ maxDeletions: 1 }), onEvent(runner.effects, PUSH), cloud.sources);
    expect(cloud.writes).toEqual([]);
    expect(runner.outputs).toMatchObject({ status: 'FAILED', drift: 'true', 'drift-remaining': 'true' });
    expect(runner.outputs['failure-reason']).toMatch(/more than `max-deletions` \(1\)/);
    expect(runner.said.groups.every(({ title: g }) => g.includes('not run: the plan was refused'))).toBe(
      true,
    );
    expect(runner.said.summary).toContain('FAILED: the plan was refused');
    expect(runner.said.failed.join('\n')).toMatch(/raise `max-deletions` to 2/);
  });
});
