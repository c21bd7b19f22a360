// The driver a reconcile's writes go through: each change to the driver that holds its settings,
// and runGrants' reads answered from the plan. The create slots those drivers share are their
// session's (__tests__/aws/assignments.test.ts).
import { describe, expect, it } from '@jest/globals';
import type { AwsGrant, AwsResolvedIds } from '../../../src/core/types.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats, type GrantDriver, type WriteOutcome } from '../../../src/engine/calls/driver.js';
import { keyOfIds } from '../../../src/core/kinds/index.js';
import { plannedDriver, type PlannedChange } from '../../../src/engine/run/planned-driver.js';
import { runGrants } from '../../../src/engine/run/run-grants.js';

/** A driver whose creates stay IN_PROGRESS for a few polls; counts what it holds at once. */
function slowDriver(name: string, held: { now: number; most: number; by: string[] }): GrantDriver {
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
    create: async (): Promise<WriteOutcome> => {
      held.now++;
      held.most = Math.max(held.most, held.now);
      held.by.push(name);
      let polls = 0;
      return {
        kind: 'pending',
        request: {
          requestId: `r${held.by.length}`,
          poll: async () => ({ status: ++polls >= 3 ? 'SUCCEEDED' : 'IN_PROGRESS' }),
          pacing: { key: 'test', expectedMs: 1 },
          release: () => held.now--,
        },
      };
    },
    remove: async () => ({ kind: 'done', changed: true }),
    findOwnCreate: async () => ({ ownership: 'not-created', why: 'test' }),
  };
}

const grant = (i: number): AwsGrant => {
  const resolved: AwsResolvedIds = {
    cloud: 'aws',
    principalId: `p${i}`,
    accountId: '111111111111',
    roleId: 'R',
  };
  return {
    cloud: 'aws',
    kind: 'aws-account-assignment',
    written: { principal: `p${i}`, target: '111111111111', role: 'R' },
    principal: { kind: 'id', id: `p${i}` },
    accountId: '111111111111',
    permissionSet: { kind: 'arn', arn: 'R' },
    resolved,
  };
};

describe('a reconcile writes through one planned driver', () => {
  it('routes each create to its own driver', async () => {
    const held = { now: 0, most: 0, by: [] as string[] };
    const users = slowDriver('USER', held);
    const groups = slowDriver('GROUP', held);
    const grants = Array.from({ length: 40 }, (_, i) => grant(i));
    const changes = new Map<string, PlannedChange>(
      grants.map((g, i) => [
        keyOfIds('aws-account-assignment', g.resolved!),
        { driver: i % 2 ? groups : users, existing: undefined },
      ]),
    );
    const deadline = new Deadline(30);
    const driver = plannedDriver('aws-account-assignment', emptyStats(), changes);
    const results = await runGrants(grants, driver, {
      operation: 'assign',
      dryRun: false,
      wait: true,
      maxConcurrency: 40,
      deadline,
    });
    expect(results.every((r) => r.status === 'SUCCEEDED' && r.changed)).toBe(true);
    expect(held.by.filter((d) => d === 'GROUP')).toHaveLength(20);
  });

  it('answers the reads from the plan: a planned delete is present, a planned create absent', async () => {
    const held = { now: 0, most: 0, by: [] as string[] };
    const removed: string[] = [];
    const inner = {
      ...slowDriver('X', held),
      remove: async (ids: AwsResolvedIds) => (
        removed.push(ids.principalId),
        { kind: 'done' as const, changed: true }
      ),
    };
    const g = grant(1);
    const driver = plannedDriver(
      'aws-account-assignment',
      emptyStats(),
      new Map([
        [keyOfIds('aws-account-assignment', g.resolved!), { driver: inner as GrantDriver, existing: {} }],
      ]),
    );
    const [result] = await runGrants([g], driver, {
      operation: 'revoke',
      dryRun: false,
      wait: true,
      maxConcurrency: 1,
      deadline: new Deadline(30),
    });
    expect(result).toMatchObject({ status: 'SUCCEEDED', before: 'present', after: 'absent' });
    expect(removed).toEqual(['p1']);
  });
});

describe('a change is found by a key that carries the AWS principal type', () => {
  it('a USER and a GROUP of one ID are two changes: the delete’s entry never answers for the create', () => {
    const ids = grant(1).resolved!;
    const asUser = keyOfIds('aws-account-assignment', { ...ids, principalType: 'USER' });
    const asGroup = keyOfIds('aws-account-assignment', { ...ids, principalType: 'GROUP' });
    expect(asUser).not.toBe(asGroup);
    expect(asUser).toContain('USER');
  });
});

describe('an assignment the plan finds `outdated` is updated in place: never created or left as it is', () => {
  const updating = (outcome: WriteOutcome | Error) => {
    const calls: string[] = [];
    const held = { now: 0, most: 0, by: [] as string[] };
    const inner: GrantDriver = {
      ...slowDriver('X', held),
      create: async () => (calls.push('create'), { kind: 'done', changed: true }),
      update: async (_ids, existing) => {
        calls.push(`update ${existing.name ?? ''}`);
        if (outcome instanceof Error) throw outcome;
        return outcome;
      },
    };
    const g = grant(1);
    const existing = { name: 'n1', assignmentId: 'a1', outdated: 'condition: none → `x`' };
    const driver = plannedDriver(
      'aws-account-assignment',
      emptyStats(),
      new Map([[keyOfIds('aws-account-assignment', g.resolved!), { driver: inner, existing }]]),
    );
    const run = (dryRun: boolean) =>
      runGrants([g], driver, {
        operation: 'assign',
        dryRun,
        wait: true,
        maxConcurrency: 1,
        deadline: new Deadline(30),
      });
    return { calls, run };
  };

  it('sends the update to the assignment as read, and reports it updated, present before and after', async () => {
    const { calls, run } = updating({ kind: 'done', changed: true, assignmentId: 'a1' });
    const [result] = await run(false);
    expect(calls).toEqual(['update n1']);
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      change: 'update',
      changed: true,
      before: 'present',
      after: 'present',
    });
  });

  it('follows an accepted update to SUCCEEDED, still present before', async () => {
    let polls = 0;
    const { run } = updating({
      kind: 'pending',
      request: {
        requestId: 'r1',
        createdOnAcceptance: true,
        poll: async () => ({ status: ++polls >= 2 ? 'SUCCEEDED' : 'IN_PROGRESS' }),
        pacing: { key: 'test-update', expectedMs: 1 },
      },
    });
    const [result] = await run(false);
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      change: 'update',
      before: 'present',
      after: 'present',
    });
  });

  it('a dry run plans it and sends nothing', async () => {
    const { calls, run } = updating({ kind: 'done', changed: true });
    const [result] = await run(true);
    expect(calls).toEqual([]);
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      change: 'update',
      before: 'present',
      after: 'present',
    });
  });

  it('a failed update is FAILED with the driver’s reason, the assignment still there, and no lost-create note', async () => {
    const { run } = updating({ kind: 'failed', failureReason: 'refused; it still has condition: none' });
    const [result] = await run(false);
    expect(result).toMatchObject({ status: 'FAILED', change: 'update', after: 'present' });
    expect(result!.failureReason).toBe('refused; it still has condition: none');
    const thrown = await updating(new Error('boom')).run(false);
    expect(thrown[0]).toMatchObject({ status: 'FAILED', failureReason: 'boom' });
    expect(thrown[0]!.note).toBeUndefined();
  });
});
