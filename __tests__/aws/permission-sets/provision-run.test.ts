// `operation: provision`'s run, against an in-memory IAM Identity Center: the plan, the requests and
// their following, the limits and the deadline, and each request's record, independent of any SDK.
import { describe, expect, it } from '@jest/globals';
import { CloudAccessError } from '../../../src/core/errors.js';
import { ALL_PROVISIONED_ACCOUNTS } from '../../../src/core/inputs/org-targets.js';
import type { PermissionSetRef } from '../../../src/core/types.js';
import type { GrantResult } from '../../../src/core/grant-result.js';
import { Deadline, NotSentError } from '../../../src/engine/limits/deadline.js';
import { emptyStats } from '../../../src/engine/calls/driver.js';
import { markPossiblyApplied } from '../../../src/engine/calls/call-failures.js';
import { AuditTrail } from '../../../src/engine/audit/trail.js';
import type { AuditSink } from '../../../src/engine/audit/sink.js';
import type { StatusSnapshot } from '../../../src/engine/calls/status.js';
import type {
  PermissionSetTarget,
  ProvisionDriver,
  ProvisionRequestSent,
} from '../../../src/aws/permission-sets/provision-driver.js';
import { provisionPermissionSets } from '../../../src/aws/permission-sets/provision-run.js';
import { type ProvisionOptions } from '../../../src/aws/permission-sets/provision-set.js';

const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const D = '444444444444';
const E = '555555555555';
const READ_ONLY: PermissionSetTarget = { arn: 'arn:ps-read', name: 'ReadOnlyAccess' };
const ADMIN: PermissionSetTarget = { arn: 'arn:ps-admin', name: 'AdministratorAccess' };

interface Request {
  permissionSetArn: string;
  account: string | undefined;
  polls: number;
}

class MemoryProvisioning implements ProvisionDriver {
  readonly stats = emptyStats();
  readonly provisionPacing = { key: 'memory:provision', expectedMs: 5 };
  /** Permission set ARN → account → whether its copy is outdated or current. */
  readonly provisioned = new Map<string, Map<string, 'outdated' | 'current'>>();
  readonly requests: Request[] = [];
  /** Status reads a request answers IN_PROGRESS before it ends. */
  runningReads = 1;
  /** Accounts whose provisioning FAILED with this reason (an ALL request leaves them outdated). */
  failFor: Record<string, string> = {};
  /** What sending to an account throws instead of sending. */
  refuseFor: Record<string, Error> = {};
  /** Permission set ARN → what reading its accounts throws. */
  listFailsFor: Record<string, Error> = {};
  inFlight = 0;
  mostInFlight = 0;
  released = 0;

  async prepare() {}

  async permissionSets(asked: PermissionSetRef[] | '*') {
    const all = [READ_ONLY, ADMIN];
    if (asked === '*') return all;
    return asked.map((ref) =>
      all.find((p) => (ref.kind === 'arn' ? p.arn === ref.arn : p.name === ref.name))!,
    );
  }

  provision(permissionSet: PermissionSetTarget, accounts: Record<string, 'outdated' | 'current'>) {
    this.provisioned.set(permissionSet.arn, new Map(Object.entries(accounts)));
  }

  async accountsProvisioned(permissionSetArn: string, state: 'outdated' | 'current') {
    const failure = this.listFailsFor[permissionSetArn];
    if (failure) throw failure;
    const accounts = this.provisioned.get(permissionSetArn) ?? new Map<string, string>();
    return [...accounts].filter(([, s]) => s === state).map(([account]) => account);
  }

  async sendProvision(permissionSetArn: string, account: string | undefined): Promise<ProvisionRequestSent> {
    const refused = account && this.refuseFor[account];
    if (refused) throw refused;
    this.requests.push({ permissionSetArn, account, polls: 0 });
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    let released = false;
    return {
      requestId: `req-${this.requests.length}`,
      answered: { status: 'IN_PROGRESS' },
      release: () => {
        if (released) return;
        released = true;
        this.inFlight--;
        this.released++;
      },
    };
  }

  async readProvisionStatus(requestId: string): Promise<StatusSnapshot> {
    const request = this.requests[Number(requestId.slice('req-'.length)) - 1]!;
    if (++request.polls <= this.runningReads) return { status: 'IN_PROGRESS' };
    const accounts = this.provisioned.get(request.permissionSetArn)!;
    const reached = request.account ? [request.account] : [...accounts.keys()];
    for (const account of reached) if (!this.failFor[account]) accounts.set(account, 'current');
    const reason = request.account && this.failFor[request.account];
    return reason ? { status: 'FAILED', failureReason: reason } : { status: 'SUCCEEDED' };
  }
}

const options = (o: Partial<ProvisionOptions> = {}): ProvisionOptions => ({
  accounts: ALL_PROVISIONED_ACCOUNTS,
  onlyOutdated: true,
  dryRun: false,
  wait: true,
  maxConcurrency: 4,
  deadline: new Deadline(30),
  ...o,
});

async function provisionOne(cloud: MemoryProvisioning, o: Partial<ProvisionOptions> = {}) {
  const [result] = await provisionPermissionSets([READ_ONLY], cloud, options(o));
  return result!;
}

describe('planning', () => {
  it('a dry run names the accounts it would re-provision, and sends nothing', async () => {
    const cloud = new MemoryProvisioning();
    cloud.provision(READ_ONLY, { [A]: 'outdated', [B]: 'current' });
    const result = await provisionOne(cloud, { dryRun: true });
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      changed: false,
      change: 'provision',
      detail: { requestPlan: 'per-account', outdated: [A], alreadyCurrent: [B], wouldProvision: [A] },
    });
    expect(cloud.requests).toEqual([]);
  });

  it('nothing outdated: SUCCEEDED, no change, no request', async () => {
    const cloud = new MemoryProvisioning();
    cloud.provision(READ_ONLY, { [A]: 'current' });
    const result = await provisionOne(cloud);
    expect(result).toMatchObject({ status: 'SUCCEEDED', changed: false, change: 'none' });
    expect(cloud.requests).toEqual([]);
  });

  it('with only-outdated off, every account listed gets a request, current or not', async () => {
    const cloud = new MemoryProvisioning();
    cloud.provision(READ_ONLY, { [A]: 'outdated', [B]: 'current' });
    const result = await provisionOne(cloud, { accounts: [A, B], onlyOutdated: false });
    expect(cloud.requests.map((r) => r.account)).toEqual([A, B]);
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      target: `${A},${B}`,
      detail: { reprovisioned: [A, B] },
    });
  });
});

describe('requests', () => {
  it('sends one request per outdated account and follows each to SUCCEEDED', async () => {
    const cloud = new MemoryProvisioning();
    cloud.runningReads = 2;
    cloud.provision(READ_ONLY, { [A]: 'outdated', [B]: 'outdated', [C]: 'current', [D]: 'current' });
    const result = await provisionOne(cloud);
    expect(result).toMatchObject({
      cloud: 'aws',
      operation: 'provision',
      target: ALL_PROVISIONED_ACCOUNTS,
      role: 'ReadOnlyAccess',
      status: 'SUCCEEDED',
      changed: true,
      requestId: 'req-1',
      resolved: { cloud: 'aws', principalId: '', accountId: ALL_PROVISIONED_ACCOUNTS, roleId: READ_ONLY.arn },
      detail: {
        requestPlan: 'per-account',
        reprovisioned: [A, B],
        failed: [],
        requestIds: ['req-1', 'req-2'],
      },
    });
    expect(cloud.requests.map((r) => r.polls)).toEqual([3, 3]);
    expect(cloud.released).toBe(2);
  });

  it('sends one ALL_PROVISIONED_ACCOUNTS request when most accounts are outdated; those still outdated after it failed', async () => {
    const cloud = new MemoryProvisioning();
    cloud.provision(READ_ONLY, { [A]: 'outdated', [B]: 'outdated', [C]: 'current' });
    cloud.failFor[B] = 'role could not be updated';
    const result = await provisionOne(cloud);
    expect(cloud.requests).toEqual([expect.objectContaining({ account: undefined })]);
    expect(result).toMatchObject({
      status: 'FAILED',
      failureReason: `${B}: still outdated after ALL_PROVISIONED_ACCOUNTS provisioning`,
      detail: { requestPlan: 'all-provisioned-accounts', reprovisioned: [A], failed: [{ account: B }] },
    });
  });

  it('one account failing fails the permission set, naming it, and the others finish', async () => {
    const cloud = new MemoryProvisioning();
    cloud.provision(READ_ONLY, { [A]: 'outdated', [B]: 'outdated', [C]: 'current', [D]: 'current' });
    cloud.failFor[A] = 'quota exceeded';
    cloud.refuseFor[B] = new CloudAccessError('ProvisionPermissionSet was denied', {
      fix: 'allow `sso:ProvisionPermissionSet`',
    });
    const result = await provisionOne(cloud);
    expect(result).toMatchObject({
      status: 'FAILED',
      failureReason: `${A}: quota exceeded; ${B}: ProvisionPermissionSet was denied: allow \`sso:ProvisionPermissionSet\``,
      detail: { reprovisioned: [], requestIds: ['req-1'] },
    });
  });

  it('a permission set whose accounts cannot be read fails alone', async () => {
    const cloud = new MemoryProvisioning();
    cloud.provision(READ_ONLY, { [A]: 'outdated' });
    cloud.provision(ADMIN, { [A]: 'outdated' });
    cloud.listFailsFor[READ_ONLY.arn] = new Error('ListAccountsForProvisionedPermissionSet was denied');
    const results = await provisionPermissionSets([READ_ONLY, ADMIN], cloud, options());
    expect(results.map((r) => [r.role, r.status, r.failureReason])).toEqual([
      ['ReadOnlyAccess', 'FAILED', 'ListAccountsForProvisionedPermissionSet was denied'],
      ['AdministratorAccess', 'SUCCEEDED', undefined],
    ]);
  });
});

describe('limits', () => {
  it('never has more than max-concurrency requests of a permission set in flight', async () => {
    const cloud = new MemoryProvisioning();
    cloud.provision(READ_ONLY, { [A]: 'outdated', [B]: 'outdated', [C]: 'outdated', [D]: 'outdated' });
    const result = await provisionOne(cloud, { accounts: [A, B, C, D, E], maxConcurrency: 2 });
    expect(result.status).toBe('SUCCEEDED');
    expect(cloud.requests).toHaveLength(4);
    expect(cloud.mostInFlight).toBe(2);
    expect(cloud.released).toBe(4);
  });

  it('reports each permission set as it ends, and returns them in the order given', async () => {
    const cloud = new MemoryProvisioning();
    cloud.provision(READ_ONLY, { [A]: 'outdated' });
    cloud.provision(ADMIN, { [A]: 'current' });
    const seen: GrantResult[] = [];
    const results = await provisionPermissionSets(
      [READ_ONLY, ADMIN],
      cloud,
      options({ onResult: (r) => seen.push(r) }),
    );
    expect(results.map((r) => r.role)).toEqual(['ReadOnlyAccess', 'AdministratorAccess']);
    expect(seen.map((r) => r.role).sort()).toEqual(['AdministratorAccess', 'ReadOnlyAccess']);
  });
});

describe('waiting and the deadline', () => {
  it('with wait off, reports the accepted requests IN_PROGRESS without reading their status', async () => {
    const cloud = new MemoryProvisioning();
    cloud.provision(READ_ONLY, { [A]: 'outdated', [B]: 'current' });
    const result = await provisionOne(cloud, { wait: false });
    expect(result).toMatchObject({ status: 'IN_PROGRESS', changed: true, detail: { inProgress: [A] } });
    expect(cloud.requests[0]!.polls).toBe(0);
    expect(cloud.released).toBe(1);
  });

  it('requests still running at the deadline leave it IN_PROGRESS, naming them', async () => {
    const cloud = new MemoryProvisioning();
    cloud.runningReads = Infinity;
    cloud.provision(READ_ONLY, { [A]: 'outdated', [B]: 'current' });
    const result = await provisionOne(cloud, { deadline: new Deadline(0.1) });
    expect(result).toMatchObject({
      status: 'IN_PROGRESS',
      failureReason: 'still IN_PROGRESS when the 0.1s deadline passed: req-1',
      detail: { inProgress: [A] },
    });
    expect(cloud.released).toBe(1);
  });

  it('a request whose turn comes after the deadline is never sent, and is IN_PROGRESS, not FAILED', async () => {
    const cloud = new MemoryProvisioning();
    cloud.runningReads = Infinity;
    cloud.provision(READ_ONLY, { [A]: 'outdated', [B]: 'outdated', [C]: 'current', [D]: 'current' });
    const result = await provisionOne(cloud, { deadline: new Deadline(0.1), maxConcurrency: 1 });
    expect(cloud.requests.map((r) => r.account)).toEqual([A]);
    expect(result).toMatchObject({ status: 'IN_PROGRESS', detail: { inProgress: [A, B], failed: [] } });
    expect(cloud.released).toBe(1);
  });

  it('a request never sent for want of a quota slot is IN_PROGRESS, not FAILED', async () => {
    const cloud = new MemoryProvisioning();
    const deadline = new Deadline(30);
    cloud.provision(READ_ONLY, { [A]: 'outdated', [B]: 'current' });
    cloud.refuseFor[A] = new NotSentError('ProvisionPermissionSet', 'a free slot', deadline);
    const result = await provisionOne(cloud, { deadline });
    expect(result).toMatchObject({ status: 'IN_PROGRESS', detail: { inProgress: [A], failed: [] } });
    expect(cloud.requests).toEqual([]);
  });
});

describe('with audit-log', () => {
  it('writes the plan first, then one record for each request sent, its IDs named as a grant’s are', async () => {
    const cloud = new MemoryProvisioning();
    cloud.provision(READ_ONLY, { [A]: 'outdated', [B]: 'current' });
    const bodies: string[] = [];
    const sink: AuditSink = {
      where: '`s3://audit/x`',
      prefix: 'x',
      permission: '`s3:PutObject` on `arn:aws:s3:::audit/x/*`',
      async putOnce(_key, body) {
        bodies.push(body);
        return 'written';
      },
    };
    const run = { repositoryId: '1', runId: '2', runAttempt: '1' };
    const audit = new AuditTrail(
      sink,
      { step: 'main', operation: 'provision', run },
      () => undefined,
      { deadline: new Deadline(60) },
      1,
      () => 0,
    );
    audit.nameWith({ namesOf: async () => ({ role: 'ReadOnlyAccess', target: 'Production' }) });
    const result = await provisionOne(cloud, { accounts: [A, B], audit });
    expect(result.status).toBe('SUCCEEDED');
    expect(bodies.map((b) => (JSON.parse(b) as { change: string }).change)).toEqual(['plan', 'provision']);
    // The record's fields, in their order: the line a reader of the log gets.
    expect(bodies[1]).toBe(
      `${JSON.stringify({
        version: 1,
        n: 2,
        time: '1970-01-01T00:00:00.000Z',
        step: 'main',
        operation: 'provision',
        run,
        change: 'provision',
        cloud: 'aws',
        role: { id: READ_ONLY.arn, name: 'ReadOnlyAccess' },
        target: { id: A, name: 'Production' },
        requestId: 'req-1',
        status: 'SUCCEEDED',
      })}\n`,
    );
  });

  it('records a request sent without an answer, which may have been applied', async () => {
    const cloud = new MemoryProvisioning();
    cloud.provision(READ_ONLY, { [A]: 'outdated' });
    const lost = new Error('socket hang up');
    markPossiblyApplied(lost);
    cloud.refuseFor[A] = lost;
    const records: { change: string; status?: string; target?: { id?: string }; failureReason?: string }[] =
      [];
    const sink: AuditSink = {
      where: '`s3://audit/x`',
      prefix: 'x',
      permission: '`s3:PutObject` on `arn:aws:s3:::audit/x/*`',
      async putOnce(_key, body) {
        records.push(JSON.parse(body) as (typeof records)[number]);
        return 'written';
      },
    };
    const audit = new AuditTrail(sink, { step: 'main', operation: 'provision', run: {} }, () => undefined, {
      deadline: new Deadline(60),
    });
    const result = await provisionOne(cloud, { accounts: [A], audit });
    expect(result.status).toBe('FAILED');
    expect(records.map((r) => r.change)).toEqual(['plan', 'provision']);
    expect(records[1]).toMatchObject({
      status: 'FAILED',
      target: { id: A },
      failureReason: expect.stringMatching(/socket hang up.*may have been applied/),
    });
  });
});
