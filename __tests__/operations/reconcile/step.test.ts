// The reconcile step as a pipeline, without a bundle or an emulator: check → read → plan → apply →
// report, driven through the runner's effects (recorded here) over an in-memory cloud behind the
// Reconciler interface the AWS and Azure adapters implement. What users rely on: nothing opened or
// written before the checks pass, a plan that names who gains and loses what, deletes only within
// `max-deletions`, creates before the deletes that need them, and outputs that say what is left.
import { describe, expect, it } from '@jest/globals';
import type { ConfigOf } from '../../../src/core/inputs/index.js';
import type { RunEvent } from '../../../src/core/check/events.js';
import type { ManifestText } from '../../../src/core/check/manifest.js';
import {
  awsAssignmentKey,
  type AssignmentKeyParts,
  type CurrentAssignment,
  type DesiredAssignment,
} from '../../../src/core/plan/assignment-diff.js';
import { nameFields } from '../../../src/core/shown-names.js';
import type { AwsGrant } from '../../../src/core/types.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats, type GrantDriver } from '../../../src/engine/calls/driver.js';
import { type Reconciler } from '../../../src/engine/run/reconciler.js';
import { changeKey, plannedDriver, type PlannedChange } from '../../../src/engine/run/planned-driver.js';
import { runReconcile, type ReconcileSources } from '../../../src/operations/reconcile/index.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';

const MANIFEST = 'access/manifest.yml';
const MANIFEST_TEXT = `version: 1
aws:
  manages:
    permission-sets: [ReadOnly]
  assignments:
    - principal: alice
      role: ReadOnly
      target: '111111111111'
`;
const PUSH: RunEvent = { eventName: 'push', tokenEndpoint: 'https://token.example' };

/** An assignment of the in-memory cloud: who has which permission set where. */
type Place = { principal: string; account: string };
const NAMES: Record<string, string> = {
  'u-alice': 'alice',
  'u-bob': 'bob',
  'u-carol': 'carol',
  PS: 'ReadOnly',
};

/**
 * IAM Identity Center's assignments of one managed permission set, behind the Reconciler seam: the
 * manifest wants `wanted`, the cloud holds `held`; creates of a principal in `failing` FAIL.
 */
function inMemoryCloud(wanted: Place[], held: Place[], failing: string[] = []) {
  const store = new Map(held.map((p) => [`${p.principal}@${p.account}`, p]));
  const writes: string[] = [];
  const parts = (p: Place): AssignmentKeyParts & { target: string } => ({
    principalId: p.principal,
    principalType: 'USER',
    roleId: 'PS',
    targetId: p.account,
    target: p.account,
  });
  const writer: GrantDriver = {
    cloud: 'aws',
    stats: emptyStats(),
    prepare: async () => {},
    resolve: async () => {
      throw new Error('planned grants carry their IDs');
    },
    findExisting: async () => undefined,
    create: async (ids) => {
      const id = ids as { principalId: string; accountId: string };
      writes.push(`create ${id.principalId}@${id.accountId}`);
      if (failing.includes(id.principalId)) return { kind: 'failed', failureReason: 'ConflictException' };
      store.set(`${id.principalId}@${id.accountId}`, { principal: id.principalId, account: id.accountId });
      return { kind: 'done', changed: true, requestId: `req-${writes.length}` };
    },
    remove: async (ids) => {
      const id = ids as { principalId: string; accountId: string };
      writes.push(`delete ${id.principalId}@${id.accountId}`);
      store.delete(`${id.principalId}@${id.accountId}`);
      return { kind: 'done', changed: true, requestId: `req-${writes.length}` };
    },
    findOwnCreate: async () => ({ ownership: 'not-created', why: 'in memory' }),
  };
  const opened = { count: 0 };
  const reconciler: Reconciler<undefined, string> = {
    cloud: 'aws',
    stats: emptyStats(),
    prepare: async () => {},
    expand: async () => ({
      desired: wanted.map((p): DesiredAssignment<undefined, string> => ({
        ...parts(p),
        key: awsAssignmentKey(parts(p)),
        written: { principal: NAMES[p.principal]!, role: 'ReadOnly', target: p.account },
        line: 6,
        managed: true,
        settings: undefined,
      })),
      problems: [],
      notes: [],
    }),
    readCurrent: async () => ({
      current: [...store.values()].map((p): CurrentAssignment<string> => ({
        ...parts(p),
        key: awsAssignmentKey(parts(p)),
        managed: true,
        shown: { principal: p.principal, role: 'PS', target: p.account },
      })),
      read: { strategy: 'in memory', calls: 1, alternatives: [] },
    }),
    names: async () => ({
      nameOf: (p) => ({ principal: NAMES[p.principalId], role: NAMES[p.roleId] }),
      notes: [],
    }),
    writes: (creates, deletes) => {
      const changes = new Map<string, PlannedChange>();
      // As the adapters do: the grant is written as the plan shows it, with the names the plan read.
      const grantOf = (
        a: DesiredAssignment<undefined, string> | CurrentAssignment<string>,
        existing: object | undefined,
      ): AwsGrant => {
        const resolved = {
          cloud: 'aws' as const,
          principalId: a.principalId,
          principalType: 'USER' as const,
          roleId: a.roleId,
          accountId: a.target,
        };
        changes.set(changeKey(resolved), { driver: writer, existing });
        return {
          cloud: 'aws',
          written: { principal: a.principalId, target: a.target, role: a.roleId, ...nameFields(a.names) },
          principal: { kind: 'id', id: a.principalId },
          accountId: a.target,
          permissionSet: { kind: 'arn', arn: a.roleId },
          resolved,
        };
      };
      return {
        creates: creates.map((c) => grantOf(c, undefined)),
        deletes: deletes.map((d) => grantOf(d, {})),
        driver: plannedDriver('aws', emptyStats(), changes),
      };
    },
  };
  const read: string[] = [];
  const sources: ReconcileSources = {
    readManifest: async (path): Promise<ManifestText> => {
      read.push(path);
      return { path, text: MANIFEST_TEXT };
    },
    openReconciler: async () => {
      opened.count++;
      return { reconciler: reconciler as Reconciler, deadline: new Deadline(30) };
    },
  };
  return { sources, writes, store, opened, read };
}

/** The runner's effects, recorded: the log, annotations, groups, outputs, the summary, the failure. */
const config = (more: { dryRun?: boolean; maxDeletions?: number } = {}) =>
  ({
    cloud: 'aws',
    operation: 'reconcile',
    dryRun: more.dryRun ?? false,
    maxConcurrency: 10,
    roleToAssume: 'arn:aws:iam::123456789012:role/access-apply',
    instanceArn: undefined,
    run: { repository: 'octo-org/octo-repo' },
    reconcile: { manifest: MANIFEST, maxDeletions: more.maxDeletions ?? 10 },
  }) as unknown as ConfigOf<'reconcile'>;

const alice = { principal: 'u-alice', account: '111111111111' };
const bob = { principal: 'u-bob', account: '111111111111' };
const carol = { principal: 'u-carol', account: '222222222222' };

describe('before the cloud: the checks that need none', () => {
  it('an event that may not write stops before the manifest is read or the cloud opened', async () => {
    const cloud = inMemoryCloud([alice], [bob]);
    const runner = recordedRunner();
    await runReconcile(
      config(),
      onEvent(runner.effects, {
        eventName: 'pull_request_review',
        tokenEndpoint: 'x',
      }),
      cloud.sources,
    );
    expect(cloud.read).toEqual([]);
    expect(cloud.opened.count).toBe(0);
    expect(runner.outputs.status).toBe('FAILED');
    expect(runner.said.failed.join('\n')).toMatch(/nothing was requested from the cloud/);
  });

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
