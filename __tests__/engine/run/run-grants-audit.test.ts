// `audit-log` in the engine: no write reaches the cloud before the step's first record is written,
// none at all when it cannot be, and each change is recorded once its grant has ended. The cloud
// and the store are the test's own (the real ones are tested end to end in __tests__/e2e/audit-log*.test.ts).
import { describe, expect, it } from '@jest/globals';
import type { AwsGrant, AwsResolvedIds } from '../../../src/core/types.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import {
  emptyStats,
  type ExistingAssignment,
  type GrantDriver,
  type WriteOutcome,
} from '../../../src/engine/calls/driver.js';
import { AuditTrail } from '../../../src/engine/audit/trail.js';
import { AuditSinkError, type AuditSink } from '../../../src/engine/audit/sink.js';
import { runGrants } from '../../../src/engine/run/run-grants.js';
import { markPossiblyApplied } from '../../../src/engine/calls/call-failures.js';

/** One log of what reached the store and the cloud, in order. */
const events: string[] = [];

class Cloud implements GrantDriver<AwsGrant> {
  readonly cloud = 'aws' as const;
  readonly stats = emptyStats();
  async prepare() {}
  async resolve({ written: g }: AwsGrant): Promise<AwsResolvedIds> {
    return { cloud: 'aws', principalId: g.principal, accountId: g.target, roleId: g.role };
  }
  async findExisting(_ids: AwsResolvedIds): Promise<ExistingAssignment | undefined> {
    return undefined;
  }
  async create({ accountId }: AwsResolvedIds): Promise<WriteOutcome> {
    events.push(`create ${accountId}`);
    if (accountId === REFUSED)
      throw Object.assign(new Error('AuthorizationFailed: the client may not write'), { statusCode: 403 });
    if (accountId === LOST) {
      // Sent, and the connection died before the answer: the create may have been applied.
      const error = new Error('socket hang up');
      markPossiblyApplied(error);
      throw error;
    }
    return { kind: 'done', requestId: `req-${accountId}`, changed: true };
  }
  async remove(): Promise<WriteOutcome> {
    return { kind: 'done', changed: true };
  }
  async findOwnCreate() {
    return { ownership: 'not-created' as const, why: 'no record' };
  }
}

/** The account whose create is sent and never answered. */
const LOST = '333333333333';
/** The account whose create the service refuses (a 403, as ARM's AuthorizationFailed). */
const REFUSED = '666666666666';
const records: Record<string, unknown>[] = [];

const store = (refuse: boolean): AuditSink => ({
  where: '`s3://audit/x`',
  prefix: 'x',
  permission: '`s3:PutObject` on `arn:aws:s3:::audit/x/*`',
  async putOnce(key, body) {
    if (refuse) throw new AuditSinkError('AccessDenied: no', true);
    const record = JSON.parse(body) as { change: string };
    records.push(record);
    events.push(`record ${record.change}`);
    return 'written';
  },
});

const grant = (accountId: string): AwsGrant => ({
  cloud: 'aws',
  kind: 'aws-account-assignment',
  written: { principal: 'alice', target: accountId, role: 'ReadOnlyAccess' },
  principal: { kind: 'name', name: 'alice' },
  accountId,
  permissionSet: { kind: 'name', name: 'ReadOnlyAccess' },
});

/** An assign's batch options, its audit trail writing to the store (which refuses every record with `refuse`). */
const audited = ({ refuse = false, dryRun = false, maxConcurrency = 1 } = {}) => ({
  operation: 'assign' as const,
  dryRun,
  wait: true,
  maxConcurrency,
  deadline: new Deadline(30),
  audit: new AuditTrail(store(refuse), { step: 'main', operation: 'assign', run: {} }, () => undefined, {
    deadline: new Deadline(30),
  }),
});

const run = (refuse: boolean, dryRun = false) =>
  runGrants(
    [grant('111111111111'), grant('222222222222')],
    new Cloud(),
    audited({ refuse, dryRun, maxConcurrency: 2 }),
  );

describe('a batch with audit-log', () => {
  it('writes its first record before its first create, and a record per change before it ends', async () => {
    events.length = 0;
    const results = await run(false);
    expect(results.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(events[0]).toBe('record plan');
    expect(events.filter((e) => e.startsWith('create'))).toHaveLength(2);
    expect(events.filter((e) => e === 'record grant')).toHaveLength(2);
  });

  it('sends no write when its first record is refused, each grant failing with the fix', async () => {
    events.length = 0;
    const results = await run(true);
    expect(events).toEqual([]);
    expect(results.map((r) => [r.status, r.changed])).toEqual([
      ['FAILED', false],
      ['FAILED', false],
    ]);
    expect(results[0]!.failureReason).toMatch(
      /give the step's identity `s3:PutObject` on `arn:aws:s3:::audit\/x\/\*`/,
    );
  });

  it('records nothing in a dry run', async () => {
    events.length = 0;
    await run(false, true);
    expect(events).toEqual([]);
  });

  it('records a create sent without an answer, which may have been applied, as a change of its own', async () => {
    events.length = 0;
    records.length = 0;
    const results = await runGrants([grant(LOST)], new Cloud(), audited());
    expect(results[0]!.status).toBe('FAILED');
    expect(events).toEqual(['record plan', `create ${LOST}`, 'record grant']);
    expect(records[1]).toMatchObject({
      change: 'grant',
      status: 'FAILED',
      target: { id: LOST },
      failureReason: expect.stringMatching(/socket hang up.*may have been applied/),
    });
  });

  it('records a create the service refused, FAILED with its reason, once', async () => {
    events.length = 0;
    records.length = 0;
    const results = await runGrants([grant(REFUSED)], new Cloud(), audited());
    expect(results[0]).toMatchObject({ status: 'FAILED', change: 'create' });
    expect(events).toEqual(['record plan', `create ${REFUSED}`, 'record grant']);
    expect(records[1]).toMatchObject({
      change: 'grant',
      status: 'FAILED',
      target: { id: REFUSED },
      failureReason: expect.stringMatching(/AuthorizationFailed/),
    });
  });

  it('says the kind of access in each record: an eligibility’s plan, change and write sent without an answer', async () => {
    records.length = 0;
    class Eligibilities extends Cloud {
      readonly assignmentType = 'eligible' as const;
    }
    await runGrants([grant('111111111111'), grant(LOST)], new Eligibilities(), audited());
    expect(records.map((r) => [r.change, r.kind, r.status])).toEqual([
      ['plan', undefined, undefined],
      ['grant', 'eligible', 'SUCCEEDED'],
      ['grant', 'eligible', 'FAILED'],
    ]);
    expect(records[0]!.planned).toEqual([
      { principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess', kind: 'eligible' },
      { principal: 'alice', target: LOST, role: 'ReadOnlyAccess', kind: 'eligible' },
    ]);
  });
});

/** A cloud where the grant of `IN_PLACE` is there already, `UNKNOWN`'s principal is not found, and nothing registers a reliance (Azure PIM). */
const IN_PLACE = '444444444444';
const UNKNOWN = '555555555555';
class RequestCloud extends Cloud {
  override async resolve(grant: AwsGrant): Promise<AwsResolvedIds> {
    if (grant.written.target === UNKNOWN) throw new Error('no such principal');
    return super.resolve(grant);
  }
  override async findExisting({ accountId }: AwsResolvedIds): Promise<ExistingAssignment | undefined> {
    return accountId === IN_PLACE ? { assignmentId: `a-${accountId}` } : undefined;
  }
}

const request = (
  accounts: string[],
  opts: { refuse?: boolean; dryRun?: boolean; warnings?: string[] } = {},
) =>
  runGrants(accounts.map(grant), new RequestCloud(), {
    operation: 'assign',
    dryRun: opts.dryRun ?? false,
    wait: true,
    maxConcurrency: 1,
    deadline: new Deadline(30),
    relyOnExisting: true,
    audit: new AuditTrail(
      store(opts.refuse ?? false),
      {
        step: 'main',
        operation: 'request',
        run: {},
        request: { rule: 'r', justification: 'j', approvers: [] },
      },
      (warning) => opts.warnings?.push(warning),
      { deadline: new Deadline(30) },
    ),
  });

describe("a request's grants with audit-log", () => {
  it('records a grant found in place, where no write is sent, after the plan record, once', async () => {
    events.length = 0;
    const results = await request([IN_PLACE]);
    expect(results.map((r) => [r.status, r.before])).toEqual([['SUCCEEDED', 'present']]);
    expect(events).toEqual(['record plan', 'record request-grant']);
  });

  it('records each grant once, the plan first, whether created or found in place', async () => {
    events.length = 0;
    await request([IN_PLACE, '111111111111']);
    expect(events[0]).toBe('record plan');
    expect(events.filter((e) => e === 'record plan')).toHaveLength(1);
    expect(events.filter((e) => e === 'record request-grant')).toHaveLength(2);
  });

  it('records no grant that failed before anything was written (no record before the plan, none for no change)', async () => {
    events.length = 0;
    const results = await request([UNKNOWN]);
    expect(results[0]!.status).toBe('FAILED');
    expect(events).toEqual([]);
  });

  it('records nothing, and warns of no record, when its first record is refused and nothing is written', async () => {
    events.length = 0;
    const warnings: string[] = [];
    const results = await request(['111111111111'], { refuse: true, warnings });
    expect(results[0]!.status).toBe('FAILED');
    expect(events).toEqual([]);
    expect(warnings.filter((w) => /the change was made/.test(w))).toEqual([]);
  });

  it('records a create sent without an answer once, not again as its failed grant', async () => {
    events.length = 0;
    const results = await request([LOST]);
    expect(results[0]!.status).toBe('FAILED');
    expect(events).toEqual(['record plan', `create ${LOST}`, 'record request-grant']);
  });

  it('records nothing in a dry run', async () => {
    events.length = 0;
    await request([IN_PLACE, '111111111111'], { dryRun: true });
    expect(events).toEqual([]);
  });
});
