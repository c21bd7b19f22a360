// A plan's writes may be of several kinds of access: each goes through its own driver (ownDriver)
// in one write plan, so the step's one `max-concurrency` holds across the kinds.
import { describe, expect, it } from '@jest/globals';
import { parseAzureScope, type AzureScope } from '../../../src/core/azure-scope.js';
import type { KindOfCloud } from '../../../src/core/kinds/index.js';
import type { AzureResolvedIds } from '../../../src/core/types.js';
import { emptyStats, type GrantDriver, type WriteOutcome } from '../../../src/engine/calls/driver.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { ownDriver, type PlannedWrite } from '../../../src/engine/run/planned-writes.js';
import { grantWriter } from '../../../src/engine/run/run-grants.js';
import { runWrites } from '../../../src/engine/run/run-writes.js';
import type { KindWriter } from '../../../src/engine/calls/write-plan.js';

const SCOPE = parseAzureScope('/subscriptions/00000000-0000-0000-0000-000000000001') as AzureScope;
const ROLE =
  '/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7';
const PRINCIPAL = '11111111-1111-1111-1111-111111111111';

/** A driver that records its writes, by its name, and holds each create for a few polls. */
function recording(name: string, log: string[], held = { now: 0, most: 0 }): GrantDriver {
  return {
    cloud: 'azure',
    stats: emptyStats(),
    prepare: async () => {},
    resolve: async () => {
      throw new Error('never called: planned grants carry their IDs');
    },
    findExisting: async () => {
      throw new Error('never called: the plan answers');
    },
    create: async (ids): Promise<WriteOutcome> => {
      log.push(`${name} create ${ids.name ?? ''}`);
      held.now++;
      held.most = Math.max(held.most, held.now);
      let polls = 0;
      return {
        kind: 'pending',
        request: {
          requestId: `r-${name}`,
          poll: async () => ({ status: ++polls >= 3 ? 'SUCCEEDED' : 'IN_PROGRESS' }),
          pacing: { key: `test-${name}`, expectedMs: 1 },
          release: () => held.now--,
        },
      };
    },
    remove: async (ids) => (log.push(`${name} remove ${ids.name ?? ''}`), { kind: 'done', changed: true }),
    update: async (ids) => (log.push(`${name} update ${ids.name ?? ''}`), { kind: 'done', changed: true }),
    findOwnCreate: async () => ({ ownership: 'not-created', why: 'test' }),
  };
}

/** One write of `kind`: the same principal, role and scope whatever the kind. */
function write(
  kind: KindOfCloud<'azure'>,
  change: PlannedWrite['change'],
  name: string,
  driver: GrantDriver,
  principalId = PRINCIPAL,
): PlannedWrite {
  const resolved: AzureResolvedIds = { cloud: 'azure', principalId, scope: SCOPE, roleId: ROLE, name };
  return {
    change,
    kind,
    grant: {
      cloud: 'azure',
      kind,
      written: { principal: principalId, target: SCOPE.scope, role: ROLE },
      principal: { kind: 'object', id: principalId, bare: true },
      scope: SCOPE,
      role: { kind: 'id', id: ROLE },
      resolved,
    },
    driver,
    existing: change === 'create' ? undefined : { name, assignmentId: `${SCOPE.scope}/a/${name}` },
  };
}

/** The writes run as one write plan, each through its own driver: each one's result. */
async function runPlanned(writes: PlannedWrite[], maxConcurrency = 4) {
  const deadline = new Deadline(30);
  const writer = grantWriter(
    writes.map((w) => w.grant),
    { operation: 'assign', dryRun: false, wait: true, deadline },
  );
  const run = await runWrites(
    {
      writes: writes.map((w) => ({
        kind: w.kind,
        change: w.change,
        item: { grant: w.grant, driver: ownDriver(w) },
      })),
    },
    { maxConcurrency, bound: { deadline }, writerOf: () => writer as KindWriter },
  );
  await writer.close();
  return run.ends.map((e) => e!.rows[0]!);
}

describe('a plan holds writes of several kinds, each through its own kind’s driver', () => {
  it('two kinds of one principal, role and scope are two writes: neither is taken for the other', async () => {
    const log: string[] = [];
    const active = write('azure-role-assignment', 'create', 'a1', recording('active', log));
    const timeBound = write('azure-pim-active', 'create', 'p1', recording('pim', log));
    const results = await runPlanned([active, timeBound]);
    expect(results.map((r) => [r.status, r.change, r.before])).toEqual([
      ['SUCCEEDED', 'create', 'absent'],
      ['SUCCEEDED', 'create', 'absent'],
    ]);
    expect(log.sort()).toEqual(['active create a1', 'pim create p1']);
  });

  it('says in each result its own write’s kind: an eligibility beside a role assignment of one place', async () => {
    const log: string[] = [];
    const active = write('azure-role-assignment', 'create', 'a1', recording('active', log));
    const eligible = write('azure-pim-eligible', 'create', 'e1', recording('eligible', log));
    const results = await runPlanned([active, eligible]);
    expect(results.map((r) => [r.status, r.assignmentType])).toEqual([
      ['SUCCEEDED', undefined],
      ['SUCCEEDED', 'eligible'],
    ]);
  });

  it('answers the reads from each write’s own entry: a delete of one kind beside a create of another', async () => {
    const log: string[] = [];
    const created = write('azure-pim-active', 'create', 'p1', recording('pim', log));
    const deleted = write('azure-role-assignment', 'delete', 'a1', recording('active', log));
    const [assigned, revoked] = await runPlanned([created, deleted]);
    expect(assigned).toMatchObject({ status: 'SUCCEEDED', before: 'absent', after: 'present' });
    expect(revoked).toMatchObject({ status: 'SUCCEEDED', before: 'present', after: 'absent' });
    expect(log).toEqual(['pim create p1', 'active remove a1']);
  });

  it('sends an update to its kind’s driver, with the assignment as read', async () => {
    const log: string[] = [];
    const updated = write('azure-role-assignment', 'update', 'a1', recording('active', log));
    const outdated = { ...updated, existing: { ...updated.existing, outdated: 'condition: none → `x`' } };
    const [result] = await runPlanned([outdated]);
    expect(result).toMatchObject({ status: 'SUCCEEDED', change: 'update', before: 'present' });
    expect(log).toEqual(['active update a1']);
  });

  it('holds the step’s one max-concurrency across the kinds', async () => {
    const log: string[] = [];
    const held = { now: 0, most: 0 };
    const kinds: KindOfCloud<'azure'>[] = ['azure-role-assignment', 'azure-pim-active'];
    const writes = Array.from({ length: 12 }, (_, i) =>
      write(
        kinds[i % 2]!,
        'create',
        `n${i}`,
        recording(kinds[i % 2]!, log, held),
        `11111111-1111-1111-1111-1111111111${String(i).padStart(2, '0')}`,
      ),
    );
    const results = await runPlanned(writes, 3);
    expect(results.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    expect(held.most).toBeLessThanOrEqual(3);
    expect(log).toHaveLength(12);
  });

  it('a create and a delete of one kind at one place are two writes: each is answered from its own entry', async () => {
    // One place, two assignments the plan tells apart (a delete of what the reads listed under a
    // scope written otherwise, beside a create of the file's): the create is made, and the delete
    // removes the assignment as read, never the other's.
    const log: string[] = [];
    const created = write('azure-role-assignment', 'create', 'c1', recording('create', log));
    const deleted = write('azure-role-assignment', 'delete', 'd1', recording('delete', log));
    const [assigned, revoked] = await runPlanned([created, deleted]);
    expect(assigned).toMatchObject({ status: 'SUCCEEDED', change: 'create', before: 'absent' });
    expect(revoked).toMatchObject({ status: 'SUCCEEDED', before: 'present', after: 'absent' });
    expect(log).toEqual(['create create c1', 'delete remove d1']);
  });
});
