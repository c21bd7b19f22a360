// A step whose grants end with the job registers its reliance on each grant it finds in place, and
// the engine follows that write as any other: against an in-memory cloud, independent of any SDK.
import { describe, expect, it } from '@jest/globals';
import type { AwsGrant, AwsResolvedIds } from '../../../src/core/types.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats, type GrantDriver, type WriteOutcome } from '../../../src/engine/calls/driver.js';
import type { OwnCreate, RelianceRemake } from '../../../src/engine/calls/ownership-proofs.js';
import { runGrants, type RunGrantsOptions } from '../../../src/engine/run/run-grants.js';
import { markPossiblyApplied } from '../../../src/engine/calls/call-failures.js';
import { remadeRelianceWarning } from '../../../src/operations/assign/assign-report.js';

/** Assignments by account; every write recorded as `create <account>` or `rely <account>`. */
class SharedCloud implements GrantDriver<AwsGrant> {
  readonly cloud = 'aws' as const;
  readonly stats = emptyStats();
  readonly assignments = new Set<string>();
  readonly writes: string[] = [];
  released = 0;
  /** What the reliance's status reads answer once the request is read. */
  relianceEnds: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS' = 'SUCCEEDED';
  /** The driver registers no reliance (a user-set session name). */
  noReliance = false;
  relianceThrows: Error | undefined;
  /** What the driver answers when asked whether a reliance made the grant again (undefined: not asked for). */
  remade: RelianceRemake | Error | undefined;
  readonly remadeAsked: string[] = [];

  async prepare() {}
  async resolve({ written: g }: AwsGrant): Promise<AwsResolvedIds> {
    return { cloud: 'aws', principalId: g.principal, accountId: g.target, roleId: g.role };
  }
  async findExisting(ids: AwsResolvedIds) {
    return this.assignments.has(ids.accountId) ? {} : undefined;
  }
  async create(ids: AwsResolvedIds): Promise<WriteOutcome> {
    this.writes.push(`create ${ids.accountId}`);
    this.assignments.add(ids.accountId);
    return { kind: 'done', changed: true, requestId: `create-${ids.accountId}` };
  }
  async registerReliance(ids: AwsResolvedIds): Promise<WriteOutcome | undefined> {
    if (this.noReliance) return undefined;
    if (this.relianceThrows) throw this.relianceThrows;
    this.writes.push(`rely ${ids.accountId}`);
    return {
      kind: 'pending',
      request: {
        requestId: `rely-${ids.accountId}`,
        poll: async () =>
          this.relianceEnds === 'FAILED'
            ? { status: 'FAILED', failureReason: 'IAM Identity Center is busy' }
            : { status: this.relianceEnds },
        release: () => void this.released++,
      },
    };
  }
  async relianceRemade(
    _ids: AwsResolvedIds,
    requestId: string,
    ended: boolean,
  ): Promise<RelianceRemake | undefined> {
    this.remadeAsked.push(`${requestId}${ended ? '' : ' (not ended)'}`);
    if (this.remade instanceof Error) throw this.remade;
    return this.remade;
  }
  async remove(): Promise<WriteOutcome> {
    throw new Error('no revoke here');
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
  relyOnExisting: true,
  ...o,
});
const grant = (target: string): AwsGrant => ({
  cloud: 'aws',
  kind: 'aws-account-assignment',
  written: { principal: 'alice', target, role: 'Admin' },
  principal: { kind: 'name', name: 'alice' },
  accountId: target,
  permissionSet: { kind: 'name', name: 'Admin' },
});

describe('a grant found in place, by a step whose grants end with the job', () => {
  it('gets one reliance, followed to SUCCEEDED; a grant read as absent gets its create and no reliance', async () => {
    const cloud = new SharedCloud();
    cloud.assignments.add('111111111111');
    const ownership: string[] = [];
    const [found, made] = await runGrants([grant('111111111111'), grant('222222222222')], cloud, {
      ...options(),
      onOwnership: (_grant, ids, state) => ownership.push(`${ids.accountId} ${state}`),
    });
    expect(cloud.writes).toEqual(['rely 111111111111', 'create 222222222222']);
    expect(found).toMatchObject({
      status: 'SUCCEEDED',
      changed: false,
      before: 'present',
      after: 'present',
      change: 'none',
      reliance: { status: 'SUCCEEDED', requestId: 'rely-111111111111' },
    });
    // The reliance's request is not the grant's: the results' request ID stays a create's.
    expect(found).not.toHaveProperty('requestId');
    expect(made).not.toHaveProperty('reliance');
    // Never a claim of creation: nothing of it is saved for the post step.
    expect(ownership.every((o) => o.startsWith('222222222222'))).toBe(true);
    expect(cloud.released).toBe(1);
  });

  it('is not registered by a step whose grants stay, nor in a dry run', async () => {
    const cloud = new SharedCloud();
    cloud.assignments.add('111111111111');
    const [kept] = await runGrants([grant('111111111111')], cloud, options({ relyOnExisting: false }));
    const [planned] = await runGrants([grant('111111111111')], cloud, options({ dryRun: true }));
    expect(cloud.writes).toEqual([]);
    expect(kept).not.toHaveProperty('reliance');
    expect(planned).not.toHaveProperty('reliance');
  });

  it('a driver with no reliance to register (a user-set session name) sends nothing', async () => {
    const cloud = new SharedCloud();
    cloud.assignments.add('111111111111');
    cloud.noReliance = true;
    const [result] = await runGrants([grant('111111111111')], cloud, options());
    expect(cloud.writes).toEqual([]);
    expect(result).toMatchObject({ status: 'SUCCEEDED' });
    expect(result).not.toHaveProperty('reliance');
  });
});

describe('a reliance that is not registered fails its grant, saying why, that it made nothing, and what to do', () => {
  it('FAILED by the service', async () => {
    const cloud = new SharedCloud();
    cloud.assignments.add('111111111111');
    cloud.relianceEnds = 'FAILED';
    const [result] = await runGrants([grant('111111111111')], cloud, options());
    expect(result).toMatchObject({
      status: 'FAILED',
      before: 'present',
      failureReason: expect.stringMatching(
        /^its reliance is not registered: IAM Identity Center is busy; this step's reliance made nothing, and the grant stays as it was, so a sweep, or the post step of the run that made it, may end it while this job runs\. .*`concurrency:`/,
      ),
      reliance: {
        status: 'FAILED',
        requestId: 'rely-111111111111',
        failureReason: 'IAM Identity Center is busy',
      },
    });
    expect(cloud.released).toBe(1);
  });

  it('refused before the service answered', async () => {
    const cloud = new SharedCloud();
    cloud.assignments.add('111111111111');
    cloud.relianceThrows = new Error('AccessDeniedException: not allowed');
    const [result] = await runGrants([grant('111111111111')], cloud, options());
    expect(result).toMatchObject({
      status: 'FAILED',
      failureReason: expect.stringMatching(/^its reliance is not registered: .*not allowed.*made nothing/),
      reliance: { status: 'FAILED', failureReason: expect.stringContaining('not allowed') },
    });
  });

  it('sent and its answer lost: it may have registered, and may have made the grant again (the step warns)', async () => {
    const cloud = new SharedCloud();
    cloud.assignments.add('111111111111');
    const lost = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    markPossiblyApplied(lost);
    cloud.relianceThrows = lost;
    const [result] = await runGrants([grant('111111111111')], cloud, options());
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      change: 'none',
      reliance: {
        status: 'IN_PROGRESS',
        failureReason: expect.stringContaining('its answer was lost'),
        remade: {
          byStep: false,
          why: expect.stringContaining('answer to this step’s reliance was lost'.replace('’', "'")),
        },
      },
    });
    expect(remadeRelianceWarning([result!])).toContain('nothing will end it automatically');
  });

  it('sent and not followed (wait: false), or still running at the deadline: IN_PROGRESS with its request', async () => {
    const cloud = new SharedCloud();
    cloud.assignments.add('111111111111');
    const [unfollowed] = await runGrants([grant('111111111111')], cloud, options({ wait: false }));
    expect(unfollowed).toMatchObject({
      status: 'SUCCEEDED',
      reliance: { status: 'IN_PROGRESS', requestId: 'rely-111111111111' },
    });
    cloud.relianceEnds = 'IN_PROGRESS';
    const [late] = await runGrants([grant('111111111111')], cloud, options({ deadline: new Deadline(1) }));
    expect(late).toMatchObject({
      status: 'SUCCEEDED',
      reliance: { status: 'IN_PROGRESS', failureReason: expect.stringMatching(/deadline/) },
    });
    expect(cloud.released).toBe(2);
  });
});

describe('a reliance that made the grant again (deleted since the step read it)', () => {
  const run = async (
    remade: RelianceRemake | Error | undefined,
    o: Partial<RunGrantsOptions<AwsGrant>> = {},
  ) => {
    const cloud = new SharedCloud();
    cloud.assignments.add('111111111111');
    cloud.remade = remade;
    const ownership: string[] = [];
    const [result] = await runGrants([grant('111111111111')], cloud, {
      ...options(),
      onOwnership: (_grant, ids, state, requestId) =>
        ownership.push(`${ids.accountId} ${state} ${requestId}`),
      ...o,
    });
    return { cloud, result: result!, ownership };
  };

  it('shown to be the step’s: saved as its own create, and the result says it made it', async () => {
    const why =
      "it was deleted (request d, SUCCEEDED) after this step read it in place, and this step's reliance (request rely-111111111111) made it again";
    const { cloud, result, ownership } = await run({ byStep: true, why });
    expect(cloud.remadeAsked).toEqual(['rely-111111111111']);
    expect(ownership).toEqual(['111111111111 created rely-111111111111']);
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      before: 'present',
      after: 'present',
      changed: true,
      change: 'create',
      reliance: { status: 'SUCCEEDED', requestId: 'rely-111111111111', remade: { byStep: true, why } },
    });
  });

  it('not shown to be: nothing saved, and the result says why (the step warns)', async () => {
    const why = 'either may have made it';
    const { result, ownership } = await run({ byStep: false, why });
    expect(ownership).toEqual([]);
    expect(result).toMatchObject({
      changed: false,
      change: 'none',
      reliance: { remade: { byStep: false, why } },
    });
  });

  it('whether it did cannot be read: not taken for the step’s, and said', async () => {
    const { result, ownership } = await run(new Error('ThrottlingException: slow down'));
    expect(ownership).toEqual([]);
    expect(result.reliance).toMatchObject({
      status: 'SUCCEEDED',
      remade: {
        byStep: false,
        why: expect.stringContaining('could not be read: ThrottlingException: slow down'),
      },
    });
  });

  it('a step that saves nothing for a post step never takes it for its own', async () => {
    const { result } = await run({ byStep: true, why: 'made it again' }, { onOwnership: undefined });
    expect(result).toMatchObject({ changed: false, reliance: { remade: { byStep: false } } });
  });

  it('nothing deleted it: the reliance is a duplicate, and the result as before', async () => {
    const { cloud, result, ownership } = await run(undefined);
    expect(cloud.remadeAsked).toEqual(['rely-111111111111']);
    expect(ownership).toEqual([]);
    expect(result.reliance).toEqual({ status: 'SUCCEEDED', requestId: 'rely-111111111111' });
  });

  it('one not followed to its end is asked too, never taken for the step’s; a FAILED one is not asked', async () => {
    const { cloud, result, ownership } = await run(
      { byStep: true, why: 'may make it again' },
      { wait: false },
    );
    expect(cloud.remadeAsked).toEqual(['rely-111111111111 (not ended)']);
    expect(ownership).toEqual([]);
    expect(result).toMatchObject({
      changed: false,
      reliance: { status: 'IN_PROGRESS', remade: { byStep: false, why: 'may make it again' } },
    });

    const failing = new SharedCloud();
    failing.assignments.add('111111111111');
    failing.relianceEnds = 'FAILED';
    failing.remade = { byStep: true, why: 'made it again' };
    await runGrants([grant('111111111111')], failing, options({ onOwnership: () => {} }));
    expect(failing.remadeAsked).toEqual([]);
  });
});
