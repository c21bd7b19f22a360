// Writing a reconcile's plan as one write plan: the creates and updates, the deletes beside them,
// and the old half of a change of role only once its new half SUCCEEDED, each write through its
// own kind's driver; what the section defines around them in the order its kind declares.
import { describe, expect, it } from '@jest/globals';
import { assignmentKey, cloudKind } from '../../../src/core/kinds/index.js';
import type {
  CurrentAssignment,
  DesiredAssignment,
  ReconcilePlan,
} from '../../../src/core/plan/assignment-diff.js';
import { emptyStats, type GrantDriver } from '../../../src/engine/calls/driver.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import type { PlannedWrite, PlannedWrites } from '../../../src/engine/run/planned-writes.js';
import { applyPlan } from '../../../src/operations/reconcile/reconcile-apply.js';
import type { KindWriter, PlannedWriteOf } from '../../../src/engine/calls/write-plan.js';
import {
  plannedSetEntry,
  setChangeRecord,
  type SetChange,
} from '../../../src/aws/permission-sets/set-change-record.js';
import type { SectionPlan } from '../../../src/engine/run/reconciler.js';
import { SET_WORDS } from '../../../src/aws/permission-sets/defined-sets.js';
import type { GrantResult } from '../../../src/core/grant-result.js';
import { AuditTrail } from '../../../src/engine/audit/trail.js';
import type { AuditSink } from '../../../src/engine/audit/sink.js';

const ACCOUNT = '111111111111';
const set = (n: string) => `arn:aws:sso:::permissionSet/ssoins-1/ps-${n}`;

/** A driver that records its writes; a create of a permission set in `failing` FAILED. */
function recording(log: string[], failing: string[] = []): GrantDriver {
  return {
    cloud: 'aws',
    stats: emptyStats(),
    prepare: async () => {},
    resolve: async () => {
      throw new Error('never called: planned grants carry their IDs');
    },
    findExisting: async () => {
      throw new Error('never called: the plan answers');
    },
    create: async (ids) => {
      log.push(`create ${ids.roleId}`);
      if (failing.includes(ids.roleId)) throw new Error('AccessDenied');
      return { kind: 'done', changed: true };
    },
    remove: async (ids) => (log.push(`remove ${ids.roleId}`), { kind: 'done', changed: true }),
    findOwnCreate: async () => ({ ownership: 'not-created', why: 'test' }),
  };
}

const parts = (principalId: string, roleId: string) => ({
  principalId,
  principalType: 'USER',
  roleId,
  targetId: ACCOUNT,
  target: ACCOUNT,
});
const shown = { principal: 'alice', role: 'R', target: ACCOUNT };

function desired(principalId: string, roleId: string): DesiredAssignment<undefined, string> {
  const p = parts(principalId, roleId);
  return {
    ...p,
    kind: 'aws-account-assignment' as const,
    key: assignmentKey('aws-account-assignment', p),
    written: shown,
    line: 3,
    managed: true,
    settings: undefined,
  };
}

function current(principalId: string, roleId: string): CurrentAssignment<string> {
  const p = parts(principalId, roleId);
  return {
    ...p,
    kind: 'aws-account-assignment' as const,
    key: assignmentKey('aws-account-assignment', p),
    managed: true,
    shown,
  };
}

function writeOf(
  change: PlannedWrite['change'],
  a: DesiredAssignment<undefined, string> | CurrentAssignment<string>,
  driver: GrantDriver,
): PlannedWrite {
  return {
    change,
    kind: a.kind,
    grant: {
      cloud: 'aws',
      kind: cloudKind('aws', a.kind),
      written: shown,
      principal: { kind: 'id', id: a.principalId },
      accountId: a.target,
      permissionSet: { kind: 'arn', arn: a.roleId },
      resolved: {
        cloud: 'aws',
        principalId: a.principalId,
        principalType: 'USER',
        roleId: a.roleId,
        accountId: a.target,
      },
    },
    driver,
    existing: change === 'create' ? undefined : {},
  };
}

function planOf(creates: DesiredAssignment<undefined, string>[], deletes: CurrentAssignment<string>[]) {
  const plan: ReconcilePlan<undefined, string> = {
    creates,
    deletes,
    claimed: [],
    unknown: [],
    updates: [],
    unchanged: [],
    unmanaged: [],
    managedNow: 3,
  };
  return plan;
}

const options = {
  wait: true,
  maxConcurrency: 2,
  deadline: new Deadline(30),
  dryRun: false,
  awaitCreate: false,
};

describe('a change of role never leaves the principal with neither assignment', () => {
  const changeOfRole = (failing: string[]) => {
    const log: string[] = [];
    const driver = recording(log, failing);
    const plan = planOf(
      [desired('u1', set('new'))],
      [current('u1', set('old')), current('u2', set('other'))],
    );
    const writes: PlannedWrites = {
      cloud: 'aws',
      stats: emptyStats(),
      creates: plan.creates.map((c) => writeOf('create', c, driver)),
      deletes: plan.deletes.map((d) => writeOf('delete', d, driver)),
      updates: [],
    };
    return { log, run: () => applyPlan(plan, writes, [], options, () => {}) };
  };

  it('deletes the old assignment once the new one SUCCEEDED, and the unrelated delete beside the create', async () => {
    const { log, run } = changeOfRole([]);
    const applied = await run();
    expect(log.indexOf(`remove ${set('old')}`)).toBeGreaterThan(log.indexOf(`create ${set('new')}`));
    expect(log).toContain(`remove ${set('other')}`);
    expect(applied.deleteResults.map((r) => r?.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(applied.held).toBe(0);
  });

  it('holds the old assignment when the new one FAILED', async () => {
    const { log, run } = changeOfRole([set('new')]);
    const applied = await run();
    expect(log).not.toContain(`remove ${set('old')}`);
    expect(applied.deleteResults[0]).toBeUndefined();
    expect(applied.held).toBe(1);
  });
});

describe('each write goes through the driver its entry carries', () => {
  it('a create and a delete written by two drivers reach each its own', async () => {
    const creates: string[] = [];
    const deletes: string[] = [];
    const plan = planOf([desired('u1', set('a'))], [current('u2', set('b'))]);
    const writes: PlannedWrites = {
      cloud: 'aws',
      stats: emptyStats(),
      creates: [writeOf('create', plan.creates[0]!, recording(creates))],
      deletes: [writeOf('delete', plan.deletes[0]!, recording(deletes))],
      updates: [],
    };
    const applied = await applyPlan(plan, writes, [], options, () => {});
    expect(creates).toEqual([`create ${set('a')}`]);
    expect(deletes).toEqual([`remove ${set('b')}`]);
    expect(applied.results.map((r) => [r.operation, r.status])).toEqual([
      ['assign', 'SUCCEEDED'],
      ['revoke', 'SUCCEEDED'],
    ]);
  });
});

/** A fake set change, as a write of a kind's plan: its change and the set's name. */
type SetItem = {
  change: 'create' | 'update' | 'provision' | 'delete';
  name: string;
  arn?: string;
  fails?: boolean;
};

/**
 * A section's definitions over a fake writer that logs `set <change> <name>` as each is written;
 * a create answers its `arn`; `recorded`: what each write tells its audit record.
 */
function definitionsOf(
  log: string[],
  items: SetItem[],
  recorded: (item: SetItem) => SetChange | undefined = () => undefined,
): SectionPlan {
  const row = (item: SetItem, status: 'SUCCEEDED' | 'FAILED') =>
    ({ role: item.name, status }) as unknown as GrantResult;
  return {
    counts: { name: 'permissionSets', counts: {} },
    words: SET_WORDS,
    lines: [],
    deletes: items.filter((i) => i.change === 'delete').length,
    problems: [],
    writes: items.map((item) => ({ kind: 'aws-permission-set', change: item.change, item, key: item.name })),
    writer: (record) =>
      ({
        write: async (_: PlannedWriteOf, item: SetItem) => {
          log.push(`set ${item.change} ${item.name}`);
          const change = recorded(item);
          if (change) record(`${change.change} of ${change.name}`, setChangeRecord(change));
          const status = item.fails ? 'FAILED' : 'SUCCEEDED';
          return {
            status,
            rows: [row(item, status)],
            ...(item.arn && !item.fails ? { answer: item.arn } : {}),
          };
        },
        unsent: (write: PlannedWriteOf<SetItem>) => ({ status: 'FAILED', rows: [row(write.item, 'FAILED')] }),
      }) as KindWriter,
    preview: () => [],
  };
}

const writesOf = (
  plan: ReconcilePlan<undefined, string>,
  driver: GrantDriver,
  needs?: PlannedWrite['needs'],
): PlannedWrites => ({
  cloud: 'aws',
  stats: emptyStats(),
  creates: plan.creates.map((c) => ({ ...writeOf('create', c, driver), ...(needs ? { needs } : {}) })),
  deletes: plan.deletes.map((d) => writeOf('delete', d, driver)),
  updates: [],
});

describe('what the section defines is written around its assignments, in the order its kind declares', () => {
  it('a set’s create and update before the assignment creates, its update before the assignment deletes, its delete after them', async () => {
    const log: string[] = [];
    const driver = recording(log);
    const plan = planOf([desired('u1', set('new'))], [current('u2', set('other'))]);
    const definitions = definitionsOf(log, [
      { change: 'delete', name: 'gone' },
      { change: 'update', name: 'changed' },
      { change: 'create', name: 'new' },
    ]);
    const applied = await applyPlan(plan, writesOf(plan, driver), [definitions], options, () => {});
    const at = (line: string) => {
      expect(log).toContain(line);
      return log.indexOf(line);
    };
    expect(at('set create new')).toBeLessThan(at(`create ${set('new')}`));
    expect(at('set update changed')).toBeLessThan(at(`create ${set('new')}`));
    expect(at('set update changed')).toBeLessThan(at(`remove ${set('other')}`));
    expect(at(`remove ${set('other')}`)).toBeLessThan(at('set delete gone'));
    // The assignments' rows first, as the report reads them.
    expect(applied.results.map((r) => r.role)).toEqual(['R', 'R', 'gone', 'changed', 'new']);
  });

  it('an assignment of a set still to be created is written with the ARN its create answered, and not sent when it FAILED', async () => {
    const made = (fails: boolean) => {
      const log: string[] = [];
      const plan = planOf([desired('u1', 'planned-permission-set:New')], []);
      const driver = recording(log);
      const writes = writesOf(plan, driver, {
        of: [{ kind: 'aws-permission-set', change: 'create', key: 'New' }],
        bind: ([arn]) => writeOf('create', desired('u1', arn!), driver),
        unmet: () => new Error('the permission set `New` was not created'),
      });
      const definitions = definitionsOf(log, [{ change: 'create', name: 'New', arn: set('created'), fails }]);
      return { log, applying: applyPlan(plan, writes, [definitions], options, () => {}) };
    };
    const created = made(false);
    await created.applying;
    expect(created.log).toEqual(['set create New', `create ${set('created')}`]);
    const failed = made(true);
    const applied = await failed.applying;
    expect(failed.log).toEqual(['set create New']);
    expect(applied.results[0]).toMatchObject({
      status: 'FAILED',
      failureReason: expect.stringMatching(/`New` was not created/),
    });
  });
});

describe('with `audit-log`, the step’s first record comes before a set is written', () => {
  it('the first record is written before the first set create', async () => {
    const log: string[] = [];
    const driver = recording(log);
    const plan = planOf([desired('u1', set('new'))], []);
    // The trail's first record; its other calls do nothing here.
    const first = { beforeFirstWrite: async () => void log.push('first record') };
    const audit = new Proxy(first, {
      get: (target, name) => (name in target ? target[name as keyof typeof first] : () => undefined),
    }) as unknown as AuditTrail;
    const definitions = definitionsOf(log, [{ change: 'create', name: 'new' }]);
    await applyPlan(plan, writesOf(plan, driver), [definitions], { ...options, audit }, () => {});
    expect(log.indexOf('first record')).toBeGreaterThanOrEqual(0);
    expect(log.indexOf('first record')).toBeLessThan(log.indexOf('set create new'));
  });
});

describe('with `audit-log`, each change of a defined set has its record', () => {
  it('the first record lists the planned set changes, then each change is recorded naming the set and its accounts', async () => {
    const objects: string[] = [];
    const sink: AuditSink = {
      where: '`s3://bucket/audit`',
      prefix: 'audit',
      permission: '`s3:PutObject`',
      putOnce: async (_key, body) => (objects.push(body), 'written'),
    };
    const audit = new AuditTrail(
      sink,
      { step: 'main', operation: 'reconcile', run: { repositoryId: '1', runId: '2', runAttempt: '1' } },
      () => undefined,
      { deadline: new Deadline(60) },
    );
    const plan = planOf([], []);
    const definitions: SectionPlan = {
      ...definitionsOf(
        [],
        [
          { change: 'create', name: 'ReadOnly' },
          { change: 'provision', name: 'Admin' },
        ],
        (item): SetChange =>
          item.change === 'create'
            ? { change: 'permission-set-create', name: 'ReadOnly', arn: set('ro'), status: 'SUCCEEDED' }
            : {
                change: 'provision',
                name: 'Admin',
                arn: set('admin'),
                accounts: [ACCOUNT, '222222222222'],
                status: 'FAILED',
                failedAccounts: [{ account: '222222222222', reason: 'AccessDenied' }],
              },
      ),
      planned: [
        plannedSetEntry({ change: 'permission-set-create', name: 'ReadOnly' }),
        plannedSetEntry({
          change: 'provision',
          name: 'Admin',
          arn: set('admin'),
          accounts: [ACCOUNT, '222222222222'],
        }),
      ],
    };
    await applyPlan(
      plan,
      { cloud: 'aws', stats: emptyStats(), creates: [], deletes: [], updates: [] },
      [definitions],
      { ...options, audit },
      () => {},
    );
    await audit.settled();
    const records = objects.map((o) => JSON.parse(o) as Record<string, unknown>);
    expect(records[0]).toMatchObject({
      change: 'plan',
      plannedPermissionSets: [
        { change: 'permission-set-create', name: 'ReadOnly' },
        { change: 'provision', name: 'Admin', arn: set('admin'), accounts: [ACCOUNT, '222222222222'] },
      ],
    });
    expect(records.slice(1)).toEqual([
      expect.objectContaining({
        change: 'permission-set-create',
        role: { id: set('ro'), name: 'ReadOnly' },
        status: 'SUCCEEDED',
      }),
      expect.objectContaining({
        change: 'provision',
        role: { id: set('admin'), name: 'Admin' },
        accounts: [ACCOUNT, '222222222222'],
        failedAccounts: [{ account: '222222222222', reason: 'AccessDenied' }],
        status: 'FAILED',
      }),
    ]);
  });
});
