// Ephemeral access, batches and dry runs on AWS, end to end through the bundled main and post steps.
import { describe, expect, it } from '@jest/globals';
import { awsAssignment, awsInputs, runMain, runPost, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 200 });

const main = (inputs: Record<string, string>) => runMain(awsInputs(inputs));
const post = (inputs: Record<string, string>, state: Record<string, string>) =>
  runPost(awsInputs(inputs), state);
const writes = () => emulator().requests.filter((r) => r.write);
/** The `::notice::` annotations a step wrote. */
const notices = (step: { log: string[] }) =>
  step.log.filter((l) => l.startsWith('::notice::')).map((l) => l.slice('::notice::'.length));

describe('revoke-on-exit', () => {
  const inputs = {
    principal: 'alice',
    target: '111111111111',
    role: 'ReadOnlyAccess',
    'revoke-on-exit': 'true',
  };

  it('grants in the main step and revokes in the post step', async () => {
    const granted = await main(inputs);
    expect(granted.exitCode).toBe(0);
    expect(emulator().aws.hasAssignment(awsAssignment('111111111111'))).toBe(true);
    const revoked = await post(inputs, granted.state);
    expect(revoked.exitCode).toBe(0);
    expect(emulator().aws.hasAssignment(awsAssignment('111111111111'))).toBe(false);
    // The post step's summary: its header (the run, linked; whom it signs in as), each row with the principal's kind.
    expect(revoked.summary).toMatch(
      /^<h3>cloud-access: aws revoke on exit<\/h3>\n<p><a href="https:\/\/github\.com\/octo-org\/octo-repo\/actions\/runs\/.*signs in to AWS Region us-east-1 as arn:aws:sts::123456789012:assumed-role\/cloud-access\//,
    );
    expect(revoked.summary).toContain('<tr><td>user alice');
    expect(revoked.stdout).toContain(
      'revoking what the main step created (1 grant(s) saved), with a fresh GitHub OIDC token',
    );
    // Quiet on success: one notice for the revokes, no warning.
    expect(notices(revoked)).toEqual([
      'revoke-on-exit: 1 revoked, 0 already absent, 0 failed, 0 left in place',
    ]);
    // ReadOnlyAccess is neither owned nor opted in: the one warning says its sessions stay live.
    expect(revoked.warnings).toEqual([
      expect.stringMatching(
        /^end-sessions: sessions of the permission set ReadOnlyAccess issued before \S+Z stay valid until \S+Z: .*tag it `cloud-access:end-sessions` = `true`/,
      ),
    ]);
    // The post step authenticated afresh: two OIDC tokens, two AssumeRoleWithWebIdentity calls.
    expect(emulator().requests.filter((r) => r.service === 'sts')).toHaveLength(2);
  });

  it('never revokes a grant that existed before the step, and says why', async () => {
    emulator().aws.addAssignment(awsAssignment('111111111111'));
    const granted = await main({ ...inputs, target: '111111111111, 222222222222' });
    expect(granted.exitCode).toBe(0);
    const revoked = await post({ ...inputs, target: '111111111111, 222222222222' }, granted.state);
    expect(revoked.exitCode).toBe(0);
    expect(emulator().aws.hasAssignment(awsAssignment('111111111111'))).toBe(true);
    expect(emulator().aws.hasAssignment(awsAssignment('222222222222'))).toBe(false);
    // The main step says so where it logs the grant; the post step gives the count.
    expect(granted.stdout).toContain('already in place; reliance registered for the sweep (request ');
    expect(granted.stdout).toContain('revoke-on-exit leaves it in place, and a sweep waits for this run too');
    expect(notices(revoked)).toEqual([
      'revoke-on-exit: 1 revoked, 0 already absent, 0 failed, 1 left in place (1 existed before the main step)',
    ]);
  });

  it('says a grant someone else removed first was already absent, and warns about nothing', async () => {
    const targets = { ...inputs, target: '111111111111, 222222222222' };
    const granted = await main(targets);
    expect(granted.exitCode).toBe(0);
    // Another workflow revokes both before this job ends.
    const other = await main({ ...targets, operation: 'revoke', 'revoke-on-exit': 'false' });
    expect(other.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    const revoked = await post(targets, granted.state);
    expect(revoked.exitCode).toBe(0);
    expect(notices(revoked)).toEqual([
      'revoke-on-exit: 0 revoked, 2 already absent, 0 failed, 0 left in place',
    ]);
    // Nothing it removed could be another job's: no warning, one per grant or otherwise.
    expect(revoked.warnings).toEqual([]);
    expect(JSON.parse(revoked.outputs.results!)).toMatchObject([
      { existed: false, changed: false },
      { existed: false, changed: false },
    ]);
  });

  it('revokes after a main step that failed part-way', async () => {
    emulator().aws.faults.failCreations = [{ reason: 'IAM role quota reached', accountId: '333333333333' }];
    const granted = await main({ ...inputs, target: '111111111111, 333333333333' });
    expect(granted.exitCode).toBe(1);
    emulator().aws.faults.failCreations = [];
    const revoked = await post({ ...inputs, target: '111111111111, 333333333333' }, granted.state);
    expect(revoked.exitCode).toBe(0);
    expect(emulator().aws.hasAssignment(awsAssignment('111111111111'))).toBe(false);
    // The failed grant was never recorded, so the post step sent no delete for it.
    expect(writes().filter((w) => w.operation === 'DeleteAccountAssignment')).toHaveLength(1);
  });

  it('does nothing in the post step when the main step saved no state', async () => {
    const revoked = await post(inputs, {});
    expect(revoked.exitCode).toBe(0);
    expect(revoked.stdout).toContain('nothing to revoke');
    expect(emulator().requests).toEqual([]);
  });

  it('writes no credential or token to state', async () => {
    const granted = await main(inputs);
    const state = JSON.stringify(granted.state);
    for (const token of emulator().github.issuedTokens) expect(state).not.toContain(token);
    expect(state).not.toMatch(/ASIA[A-Z0-9]{12,}/);
  });
});

describe('batches', () => {
  it('runs 60 grants within the quotas and every one SUCCEEDS', async () => {
    const accounts = Array.from({ length: 20 }, (_, i) => String(100000000000 + i));
    const step = await main({
      principal: 'alice, bob, carol',
      target: accounts.join('\n'),
      role: 'ReadOnlyAccess',
      'max-concurrency': '20',
    });
    expect(step.exitCode).toBe(0);
    const results = JSON.parse(step.outputs.results!) as { status: string }[];
    expect(results).toHaveLength(60);
    expect(results.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    expect(emulator().aws.assignments()).toHaveLength(60);
    // Throttling is the exception, not the steady state: on a loaded machine a request or two may
    // arrive bunched and be throttled (then retried), never a stream of them.
    expect(
      emulator().requests.filter((r) => r.errorCode === 'ThrottlingException').length,
    ).toBeLessThanOrEqual(2);
    // Each assignment was created by exactly one create request.
    expect(
      writes().filter((w) => w.operation === 'CreateAccountAssignment' && w.status === 200),
    ).toHaveLength(60);
  }, 120_000);

  it('reports a partial failure per grant, and status is the worst', async () => {
    emulator().aws.faults.failCreations = [{ reason: 'account is suspended', accountId: '222222222222' }];
    const step = await main({
      principal: 'alice',
      target: '111111111111, 222222222222, 333333333333',
      role: 'ReadOnlyAccess',
    });
    expect(step.exitCode).toBe(1);
    expect(step.outputs.status).toBe('FAILED');
    const results = JSON.parse(step.outputs.results!) as {
      target: string;
      status: string;
      failureReason: string | null;
    }[];
    expect(results.map((r) => [r.target, r.status])).toEqual([
      ['111111111111', 'SUCCEEDED'],
      ['222222222222', 'FAILED'],
      ['333333333333', 'SUCCEEDED'],
    ]);
    expect(results[1]!.failureReason).toBe('account is suspended');
    expect(step.errors).toHaveLength(2); // the failed grant, and the step's summary
  });

  it('shares reads: one ListAccountAssignments per account and permission set', async () => {
    await main({
      principal: 'alice, bob, carol',
      target: '111111111111, 222222222222',
      role: 'ReadOnlyAccess',
    });
    expect(emulator().requests.filter((r) => r.operation === 'ListAccountAssignments')).toHaveLength(2);
  });

  it('few principals over many accounts: one ListAccountAssignmentsForPrincipal per principal, and an existing grant left as it is', async () => {
    emulator().aws.addAssignment(awsAssignment('222222222222', 'bob'));
    const step = await main({
      principal: 'alice, bob',
      target: '111111111111, 222222222222, 333333333333',
      role: 'ReadOnlyAccess',
    });
    expect(step.exitCode).toBe(0);
    const operations = emulator().requests.map((r) => r.operation);
    expect(operations.filter((o) => o === 'ListAccountAssignmentsForPrincipal')).toHaveLength(2);
    expect(operations).not.toContain('ListAccountAssignments');
    const results = JSON.parse(step.outputs.results!) as {
      principal: string;
      target: string;
      action: string;
    }[];
    expect(results.filter((r) => r.action === 'create')).toHaveLength(5);
    expect(results.filter((r) => r.action === 'none').map((r) => [r.principal, r.target])).toEqual([
      ['bob', '222222222222'],
    ]);
  });
});

describe('dry-run', () => {
  it('resolves, reads, reports the plan and writes nothing', async () => {
    emulator().aws.addAssignment(awsAssignment('111111111111'));
    const step = await main({
      principal: 'alice',
      target: '111111111111, 222222222222',
      role: 'ReadOnlyAccess',
      'dry-run': 'true',
    });
    expect(step.exitCode).toBe(0);
    expect(writes()).toEqual([]);
    const results = JSON.parse(step.outputs.results!) as { action: string }[];
    expect(results.map((r) => r.action)).toEqual(['none', 'create']);
    expect(step.summary).toContain('would create');
    expect(step.summary).toContain('Dry run: nothing was written.');
    expect(step.summary).not.toContain('SUCCEEDED');
    expect(step.outputs.changed).toBe('false');
  });
});
