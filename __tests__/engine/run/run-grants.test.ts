// The engine against an in-memory cloud: the behaviour users rely on, independent of any SDK.
import { describe, expect, it } from '@jest/globals';
import { CloudAccessError } from '../../../src/core/errors.js';
import type { AwsGrant, AwsResolvedIds } from '../../../src/core/types.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { markPossiblyApplied } from '../../../src/engine/calls/call-failures.js';
import { emptyStats, type GrantDriver, type WriteOutcome } from '../../../src/engine/calls/driver.js';
import type { OwnCreate } from '../../../src/engine/calls/ownership-proofs.js';
import { BatchProgress } from '../../../src/engine/calls/progress.js';
import { runGrants, type RunGrantsOptions } from '../../../src/engine/run/run-grants.js';

class MemoryCloud implements GrantDriver<AwsGrant> {
  readonly cloud = 'aws' as const;
  readonly stats = emptyStats();
  readonly assignments = new Set<string>();
  writes = 0;
  failWith: Record<string, string> = {};
  completesAfterPolls = 1;
  /** Writes answered as applied (Azure's), whose following holds no place. */
  appliedOnAnswer = false;
  /** Writes and status reads, in order. */
  readonly events: string[] = [];

  async prepare() {}
  async resolve({ written: g }: AwsGrant): Promise<AwsResolvedIds> {
    if (g.role === 'Unknown')
      throw new CloudAccessError('permission set `Unknown` was not found', { input: 'role' });
    return { cloud: 'aws', principalId: g.principal, accountId: g.target, roleId: g.role };
  }
  key(ids: AwsResolvedIds) {
    return `${ids.principalId}|${ids.accountId}|${ids.roleId}`;
  }
  async findExisting(ids: AwsResolvedIds) {
    return this.assignments.has(this.key(ids)) ? {} : undefined;
  }
  private pending(ids: AwsResolvedIds, apply: () => void): WriteOutcome {
    this.writes++;
    let polls = 0;
    const reason = this.failWith[ids.accountId];
    const requestId = `req-${this.writes}`;
    this.events.push(`write ${requestId}`);
    return {
      kind: 'pending',
      request: {
        requestId,
        ...(this.appliedOnAnswer
          ? { appliedOnAnswer: true, pacing: { key: 'read-back', expectedMs: 50 } }
          : {}),
        poll: async () => {
          this.events.push(`read ${requestId}`);
          if (++polls < this.completesAfterPolls) return { status: 'IN_PROGRESS' };
          if (reason) return { status: 'FAILED', failureReason: reason };
          apply();
          return { status: 'SUCCEEDED' };
        },
      },
    };
  }
  async create(ids: AwsResolvedIds) {
    return this.pending(ids, () => this.assignments.add(this.key(ids)));
  }
  async remove(ids: AwsResolvedIds) {
    return this.pending(ids, () => this.assignments.delete(this.key(ids)));
  }
  async findOwnCreate(): Promise<OwnCreate> {
    return { ownership: 'not-created', why: 'no record' };
  }
}

const options = (o: Partial<RunGrantsOptions<AwsGrant>> = {}): RunGrantsOptions<AwsGrant> => ({
  operation: 'assign',
  dryRun: false,
  wait: true,
  maxConcurrency: 4,
  deadline: new Deadline(30),
  ...o,
});
const grant = (target = '111111111111', principal = 'alice', role = 'Admin'): AwsGrant => ({
  cloud: 'aws',
  kind: 'aws-account-assignment',
  written: { principal, target, role },
  principal: { kind: 'name', name: principal },
  accountId: target,
  permissionSet: { kind: 'name', name: role },
});

describe('assign', () => {
  it('creates a missing assignment and follows it to SUCCEEDED', async () => {
    const cloud = new MemoryCloud();
    const [result] = await runGrants([grant()], cloud, options());
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      changed: true,
      before: 'absent',
      after: 'present',
      requestId: 'req-1',
    });
    expect(cloud.assignments.size).toBe(1);
  });

  it('leaves an existing assignment alone: SUCCEEDED, changed=false, no write', async () => {
    const cloud = new MemoryCloud();
    cloud.assignments.add('alice|111111111111|Admin');
    const [result] = await runGrants([grant()], cloud, options());
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      changed: false,
      before: 'present',
      after: 'present',
    });
    expect(cloud.writes).toBe(0);
  });

  it('reports FAILED with the service reason, and tells the state hook it created nothing', async () => {
    const cloud = new MemoryCloud();
    cloud.failWith['222222222222'] = 'IAM role quota reached';
    const phases: string[] = [];
    const [result] = await runGrants(
      [grant('222222222222')],
      cloud,
      options({ onOwnership: (_g, _i, ownership) => phases.push(ownership) }),
    );
    expect(result).toMatchObject({
      status: 'FAILED',
      failureReason: 'IAM role quota reached',
      changed: false,
    });
    expect(phases).toEqual(['unknown', 'accepted', 'not-created']);
  });

  it('reports IN_PROGRESS with the request ID when the deadline passes', async () => {
    const cloud = new MemoryCloud();
    cloud.completesAfterPolls = 1000;
    const [result] = await runGrants([grant()], cloud, options({ deadline: new Deadline(1) }));
    expect(result!.status).toBe('IN_PROGRESS');
    expect(result!.failureReason).toContain('req-1');
  });

  it('does not wait with wait=false', async () => {
    const cloud = new MemoryCloud();
    const [result] = await runGrants([grant()], cloud, options({ wait: false }));
    expect(result).toMatchObject({ status: 'IN_PROGRESS', requestId: 'req-1' });
  });
});

describe('revoke', () => {
  it('deletes an existing assignment', async () => {
    const cloud = new MemoryCloud();
    cloud.assignments.add('alice|111111111111|Admin');
    const [result] = await runGrants([grant()], cloud, options({ operation: 'revoke' }));
    expect(result).toMatchObject({ status: 'SUCCEEDED', changed: true, before: 'present', after: 'absent' });
    expect(cloud.assignments.size).toBe(0);
  });

  it('treats an absent assignment as done, without a write: it did not exist before', async () => {
    const cloud = new MemoryCloud();
    const [result] = await runGrants([grant()], cloud, options({ operation: 'revoke' }));
    expect(result).toMatchObject({ status: 'SUCCEEDED', changed: false, before: 'absent', after: 'absent' });
    expect(cloud.writes).toBe(0);
  });

  it('a delete answered "not found" (the read lagged) shows the assignment was already absent', async () => {
    const cloud = new MemoryCloud();
    cloud.assignments.add('alice|111111111111|Admin');
    cloud.remove = async () => ({ kind: 'done', changed: false });
    const [result] = await runGrants([grant()], cloud, options({ operation: 'revoke' }));
    expect(result).toMatchObject({ status: 'SUCCEEDED', changed: false, before: 'absent', after: 'absent' });
  });

  it('with deleteWhenAbsent, deletes an assignment the read did not show yet (a create still in flight)', async () => {
    const cloud = new MemoryCloud();
    // The read lists nothing, as ListAccountAssignments does while a create is IN_PROGRESS;
    // the create lands before the delete does.
    cloud.findExisting = async () => {
      cloud.assignments.add('alice|111111111111|Admin');
      return undefined;
    };
    const [result] = await runGrants(
      [grant()],
      cloud,
      options({ operation: 'revoke', deleteWhenAbsent: true }),
    );
    expect(cloud.writes).toBe(1);
    expect(cloud.assignments.size).toBe(0);
    // The delete that SUCCEEDED removed something: it was there, whatever the read showed.
    expect(result).toMatchObject({ status: 'SUCCEEDED', changed: true, before: 'present', after: 'absent' });
  });
});

describe('batches', () => {
  it('one failing grant does not stop the others; each has its result', async () => {
    const cloud = new MemoryCloud();
    const results = await runGrants(
      [grant('111111111111'), grant('111111111111', 'alice', 'Unknown'), grant('333333333333')],
      cloud,
      options(),
    );
    expect(results.map((r) => r.status)).toEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED']);
    expect(results[1]!.failureReason).toContain('permission set `Unknown` was not found');
  });

  it('a write applied on its answer gives its place to the next grant while it is read back', async () => {
    const cloud = new MemoryCloud();
    cloud.appliedOnAnswer = true;
    const grants = [grant('111111111111'), grant('222222222222'), grant('333333333333')];
    const results = await runGrants(grants, cloud, options({ maxConcurrency: 1 }));
    expect(results.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    // One place, yet every write went before the first read-back.
    expect(cloud.events.slice(0, 3)).toEqual(['write req-1', 'write req-2', 'write req-3']);
  });

  it('a write the service still works on holds its place until it ends', async () => {
    const cloud = new MemoryCloud();
    const grants = [grant('111111111111'), grant('222222222222')];
    await runGrants(grants, cloud, options({ maxConcurrency: 1 }));
    expect(cloud.events).toEqual(['write req-1', 'read req-1', 'write req-2', 'read req-2']);
  });

  it('dry run reads and plans but writes nothing', async () => {
    const cloud = new MemoryCloud();
    cloud.assignments.add('alice|111111111111|Admin');
    const results = await runGrants(
      [grant('111111111111'), grant('222222222222')],
      cloud,
      options({ dryRun: true }),
    );
    expect(results.map((r) => r.change)).toEqual(['none', 'create']);
    expect(cloud.writes).toBe(0);
  });
});

describe("ownership: a grant is the step's only when the service says this step created it", () => {
  const track = () => {
    const seen: string[] = [];
    return {
      seen,
      onOwnership: (_g: AwsGrant, _i: AwsResolvedIds, o: string, id?: string) =>
        seen.push(id ? `${o} ${id}` : o),
    };
  };

  it("an accepted create is the step's once it ends SUCCEEDED", async () => {
    const { seen, onOwnership } = track();
    await runGrants([grant()], new MemoryCloud(), options({ onOwnership }));
    expect(seen).toEqual(['unknown', 'accepted req-1', 'created req-1']);
  });

  it('a create answered "it was there already" (Azure 200) is not the step\'s', async () => {
    const cloud = new MemoryCloud();
    cloud.create = async () => ({
      kind: 'done',
      changed: false,
      note: 'ARM answered 200',
    });
    const { seen, onOwnership } = track();
    const [result] = await runGrants([grant()], cloud, options({ onOwnership }));
    expect(seen).toEqual(['unknown', 'not-created']);
    // The read had not shown it, but the answer says it existed before the step.
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      changed: false,
      before: 'present',
      after: 'present',
      note: 'ARM answered 200',
    });
  });

  it("a create refused until the deadline (throttled, conflict) is not the step's", async () => {
    const cloud = new MemoryCloud();
    cloud.create = async () => {
      throw new CloudAccessError('CreateAccountAssignment was still being retried (ConflictException)');
    };
    const { seen, onOwnership } = track();
    await runGrants([grant()], cloud, options({ onOwnership }));
    expect(seen).toEqual(['unknown', 'not-created']);
  });

  it('a create whose answer was lost stays unknown, for the post step to resolve', async () => {
    const cloud = new MemoryCloud();
    cloud.create = async () => {
      const error = new Error('socket hang up');
      markPossiblyApplied(error);
      throw error;
    };
    const { seen, onOwnership } = track();
    const [result] = await runGrants([grant()], cloud, options({ onOwnership }));
    expect(seen).toEqual(['unknown', 'unknown']);
    expect(result!.note).toContain('may have been applied');
  });
});

describe('the deadline bounds the whole queue', () => {
  it('grants whose turn comes after the deadline are reported IN_PROGRESS, not started, and write nothing', async () => {
    const cloud = new MemoryCloud();
    cloud.completesAfterPolls = 1000;
    const grants = Array.from({ length: 6 }, (_, i) => grant(String(100000000000 + i)));
    const results = await runGrants(
      grants,
      cloud,
      // 1 s, not less: the first two must have started before it passes, on a loaded machine too.
      options({ maxConcurrency: 2, deadline: new Deadline(1) }),
    );
    expect(cloud.writes).toBe(2);
    expect(results.map((r) => r.status)).toEqual(Array(6).fill('IN_PROGRESS'));
    for (const r of results.slice(2)) expect(r.failureReason).toContain('not started');
  });

  it('says what to change: more time, or not waiting', async () => {
    const cloud = new MemoryCloud();
    cloud.completesAfterPolls = 1000;
    const grants = Array.from({ length: 3 }, (_, i) => grant(String(100000000000 + i)));
    const results = await runGrants(
      grants,
      cloud,
      options({ maxConcurrency: 1, deadline: new Deadline(0.3) }),
    );
    const advice =
      'raise `timeout-seconds`, or set `wait: false` to end the step once the requests are accepted';
    // The one still running, and the ones that never started.
    expect(results[0]!.failureReason).toMatch(/^still IN_PROGRESS when the 0\.3s deadline/);
    for (const r of results) expect(r.failureReason).toContain(advice);
    // The post step's budget has its own input, and nothing to wait less for.
    expect(new Deadline(1, Date.now, 'post-timeout-seconds').advice).toBe('raise `post-timeout-seconds`');
  });
});

describe('progress', () => {
  it('each grant is queued, then in flight for its turn, then done; a batch over leaves nothing counted', async () => {
    const seen: { inFlight: number; queued: number }[] = [];
    const progress = new BatchProgress(() => undefined, 'grants');
    const cloud = new MemoryCloud();
    const create = cloud.create.bind(cloud);
    cloud.create = async (ids) => {
      seen.push(progress.counts());
      return create(ids);
    };
    await runGrants(
      ['111111111111', '222222222222', '333333333333'].map((t) => grant(t)),
      cloud,
      options({ maxConcurrency: 2, progress }),
    );
    // At most two at once: the third waits its turn, queued.
    expect(seen[0]).toMatchObject({ inFlight: 2, queued: 1 });
    expect(progress.counts()).toMatchObject({ done: 3, inFlight: 0, queued: 0 });
  });
});
