// What the sweep says of each entry, in the log, its results and its job summary: a dry run what it
// would revoke, a refused plan each revoke FAILED and not run.
import { describe, expect, it } from '@jest/globals';
import {
  countsLine,
  sweepLine,
  sweepResults,
  sweepSummaryHtml,
} from '../../../src/operations/sweep/sweep-report.js';
import type { SweepEntry } from '../../../src/core/claims/claims.js';

describe('a sweep’s plan and refusal', () => {
  const entry: SweepEntry = {
    claim: {
      ids: {
        cloud: 'aws',
        principalId: 'p1',
        principalType: 'USER',
        roleId: 'ps',
        accountId: '111111111111',
      },
      shown: { principal: 'USER p1', role: 'ps', target: '111111111111' },
      mark: { run: { repositoryId: '1', runId: '7', attempt: '1' }, ephemeral: true },
      madeBy: 'role',
      madeAt: 0,
      evidence: 'CloudTrail',
      standing: { holds: true },
    },
    kind: 'revoke',
    reason: 'run 7 has completed',
  };
  const none = new Map();
  const counts = { revoke: 1, running: 0, unproven: 0, permanent: 0, gone: 0 };

  it('a dry run says `would revoke`, and its entries carry no status', () => {
    expect(sweepLine(entry, undefined, 'dry-run')).toBe(
      'would revoke [revoke] USER p1 / ps / 111111111111 (repository 1 run 7/1): run 7 has completed',
    );
    expect(sweepResults([entry], none, 'dry-run')[0]).not.toHaveProperty('status');
  });

  it('refused: each revoke FAILED, not run, still saying it would revoke', () => {
    expect(sweepLine(entry, undefined, 'refused')).toMatch(
      /^would revoke \[revoke\] .*: run 7 has completed: FAILED, not run: the plan was refused$/,
    );
    expect(sweepResults([entry], none, 'refused')[0]).toMatchObject({
      action: 'would revoke',
      status: 'FAILED',
      changed: false,
      failureReason: 'not run: the plan was refused',
    });
    const html = sweepSummaryHtml([entry], none, {
      header: { title: 'sweep: plan refused' },
      counts,
      outcome: 'FAILED: the plan was refused: more than `max-deletions` (0).',
      mode: 'refused',
    });
    expect(html).toMatch(/^<h3>sweep: plan refused<\/h3>\n<p>FAILED: .*<code>max-deletions<\/code>/);
    expect(html).toContain('<td>run 7 has completed: FAILED, not run: the plan was refused</td>');
  });
});

describe('an applied sweep says what became of each entry, and its step ends on the worst', () => {
  const claim: SweepEntry['claim'] = {
    ids: { cloud: 'aws', principalId: 'p1', principalType: 'USER', roleId: 'ps', accountId: '111111111111' },
    shown: { principal: 'USER p1', role: 'ps', target: '111111111111' },
    mark: { run: { repositoryId: '1', runId: '7', attempt: '1' }, ephemeral: true },
    madeBy: 'role',
    madeAt: 0,
    evidence: 'CloudTrail',
    standing: { holds: true },
  };
  const revoke: SweepEntry = { claim, kind: 'revoke', reason: 'run 7 has completed' };
  const running: SweepEntry = { claim, kind: 'running', reason: 'run 8 is still going' };
  const result = (status: 'SUCCEEDED' | 'FAILED', changed: boolean, failureReason?: string) => ({
    cloud: 'aws' as const,
    operation: 'revoke' as const,
    principal: 'p1',
    target: '111111111111',
    role: 'ps',
    status,
    changed,
    before: 'present' as const,
    after: changed ? ('absent' as const) : ('present' as const),
    change: 'delete' as const,
    durationMs: 10,
    requestId: 'req-1',
    ...(failureReason ? { failureReason } : {}),
  });
  const counts = { revoke: 1, running: 1, unproven: 0, permanent: 0, gone: 0 };

  it('a revoke that deleted is `revoked`, one already gone says so, a failed one its status and why', () => {
    expect(sweepLine(revoke, result('SUCCEEDED', true), 'apply')).toMatch(/^revoked \[revoke\] /);
    expect(sweepLine(revoke, result('SUCCEEDED', false), 'apply')).toMatch(
      /^revoke: already gone \[revoke\] /,
    );
    expect(sweepLine(revoke, result('FAILED', false, 'AccessDenied'), 'apply')).toMatch(
      /^revoke FAILED \[revoke\] .*: run 7 has completed: AccessDenied$/,
    );
  });

  it('an entry it does not revoke is left, whatever the mode', () => {
    for (const mode of ['dry-run', 'refused', 'apply'] as const)
      expect(sweepLine(running, undefined, mode)).toMatch(/^leave \[running\] /);
  });

  it('counts the plan by kind in one line', () => {
    expect(countsLine(counts)).toBe(
      'plan: 1 to revoke, 1 of runs still going, 0 unproven, 0 permanent, 0 gone',
    );
  });
});
