// A create the service answers "there already" for (ARM's 409 RoleAssignmentExists), whose reads
// do not show that assignment yet, is no error by itself: the engine reads it again, within the
// deadline and counted in flight by the progress lines, and then decides. Never the step's own.
import { describe, expect, it } from '@jest/globals';
import type { AwsGrant, AwsResolvedIds } from '../../../src/core/types.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats, type GrantDriver, type WriteOutcome } from '../../../src/engine/calls/driver.js';
import type { OwnCreate, Ownership } from '../../../src/engine/calls/ownership-proofs.js';
import type { StatusSnapshot } from '../../../src/engine/calls/status.js';
import { BatchProgress, type ProgressCounts } from '../../../src/engine/calls/progress.js';
import { runGrants, type RunGrantsOptions } from '../../../src/engine/run/run-grants.js';

/** A cloud whose creates all answer "held already", and whose reads show it from the `shownAt`-th on. */
class HeldCloud implements GrantDriver<AwsGrant> {
  readonly cloud = 'aws' as const;
  readonly stats = emptyStats();
  reads = 0;
  creates = 0;
  registerReliance?: GrantDriver<AwsGrant>['registerReliance'];
  constructor(
    private readonly shownAt: number,
    private readonly shown: StatusSnapshot,
    private readonly duringRead: () => void = () => undefined,
  ) {}

  async prepare() {}
  async resolve({ written: g }: AwsGrant): Promise<AwsResolvedIds> {
    return { cloud: 'aws', principalId: g.principal, accountId: g.target, roleId: g.role };
  }
  async findExisting() {
    return undefined;
  }
  async create(): Promise<WriteOutcome> {
    this.creates++;
    return {
      kind: 'held',
      check: {
        requestId: 'req-409',
        pacing: { key: 'held', expectedMs: 20 },
        unread: 'the service answered that it is there, but no read showed it',
        poll: async () => {
          this.duringRead();
          return ++this.reads >= this.shownAt ? this.shown : { status: 'IN_PROGRESS' };
        },
      },
    };
  }
  async remove(): Promise<WriteOutcome> {
    throw new Error('no removes here');
  }
  async findOwnCreate(): Promise<OwnCreate> {
    return { ownership: 'not-created', why: 'no record' };
  }
}

const grant = (target = '111111111111'): AwsGrant => ({
  cloud: 'aws',
  kind: 'aws-account-assignment',
  written: { principal: 'alice', target, role: 'Admin' },
  principal: { kind: 'name', name: 'alice' },
  accountId: target,
  permissionSet: { kind: 'name', name: 'Admin' },
});

function run(cloud: HeldCloud, o: Partial<RunGrantsOptions<AwsGrant>> = {}) {
  const ownership: Ownership[] = [];
  const results = runGrants([grant()], cloud, {
    operation: 'assign',
    dryRun: false,
    wait: true,
    maxConcurrency: 4,
    deadline: new Deadline(30),
    onOwnership: (_g, _ids, o) => ownership.push(o),
    ...o,
  });
  return { results, ownership };
}

describe('a create answered "there already" while reads do not show it yet', () => {
  it('is read again until a read shows the grant asked: SUCCEEDED, unchanged, never the step’s own', async () => {
    const cloud = new HeldCloud(4, { status: 'SUCCEEDED', changed: false, assignmentId: 'held-1' });
    const { results, ownership } = run(cloud);
    expect(await results).toEqual([
      expect.objectContaining({
        status: 'SUCCEEDED',
        changed: false,
        before: 'present',
        after: 'present',
        requestId: 'req-409',
        assignmentId: 'held-1',
      }),
    ]);
    expect(cloud.reads).toBe(4);
    expect(ownership).toEqual(['unknown', 'not-created']);
  });

  it('is read again even with `wait: false`: the step cannot end before it knows what is held', async () => {
    const cloud = new HeldCloud(3, { status: 'SUCCEEDED', changed: false });
    const { results } = run(cloud, { wait: false });
    expect(await results).toEqual([expect.objectContaining({ status: 'SUCCEEDED', changed: false })]);
    expect(cloud.reads).toBe(3);
  });

  it('fails with the reason the read gives once it shows another assignment', async () => {
    const cloud = new HeldCloud(2, { status: 'FAILED', failureReason: 'it holds another condition' });
    const { results, ownership } = run(cloud);
    expect(await results).toEqual([
      expect.objectContaining({
        status: 'FAILED',
        failureReason: 'it holds another condition',
        requestId: 'req-409',
      }),
    ]);
    expect(ownership).toEqual(['unknown', 'not-created']);
  });

  it('fails at the deadline when no read showed it, saying it was still unread then', async () => {
    const cloud = new HeldCloud(Infinity, { status: 'SUCCEEDED' });
    const deadline = new Deadline(1);
    const started = Date.now();
    const { results, ownership } = run(cloud, { deadline });
    const [result] = await results;
    expect(result).toMatchObject({
      status: 'FAILED',
      failureReason:
        "the service answered that it is there, but no read showed it; still unread when the 1s deadline (`timeout-seconds`) passed: raise `timeout-seconds` to wait longer for the service's reads",
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    // Read more than once, fewer than one every 20 ms: the follower's pace, growing apart.
    expect(cloud.reads).toBeGreaterThan(3);
    expect(cloud.reads).toBeLessThan(25);
    expect(ownership).toEqual(['unknown', 'not-created']);
  });

  it('counts the grant in flight in the progress lines while it is read again', async () => {
    const seen: ProgressCounts[] = [];
    const progress = new BatchProgress(() => undefined, 'grants');
    const cloud = new HeldCloud(3, { status: 'SUCCEEDED', changed: false }, () =>
      seen.push(progress.counts()),
    );
    await run(cloud, { progress }).results;
    expect(seen).toHaveLength(3);
    expect(seen.every((c) => c.inFlight === 1 && c.done === 0)).toBe(true);
    expect(progress.counts()).toMatchObject({ done: 1, inFlight: 0 });
  });

  it('registers a reliance on it, as on one a read found, when the step’s grants end with the job', async () => {
    const cloud = new HeldCloud(2, { status: 'SUCCEEDED', changed: false, assignmentId: 'held-1' });
    const relied: string[] = [];
    cloud.registerReliance = async (_ids, existing) => {
      relied.push(existing.assignmentId ?? '');
      return { kind: 'done', changed: false, requestId: 'req-rely' };
    };
    const [result] = await run(cloud, { relyOnExisting: true }).results;
    expect(result).toMatchObject({ status: 'SUCCEEDED', changed: false });
    expect(relied).toEqual(['held-1']);
  });
});
