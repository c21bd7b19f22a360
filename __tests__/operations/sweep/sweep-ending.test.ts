// The sweep's ending: SUCCEEDED with its revokes counted, FAILED naming each that failed or the
// refusal's reason and fix, and the sessions each revoke's fence ended in its summary.
import { describe, expect, it } from '@jest/globals';
import { fenceFields } from '../../../src/core/permission-sets/session-fence-results.js';
import type { SweepEntry } from '../../../src/core/claims/claims.js';
import { sweepEnding } from '../../../src/operations/sweep/sweep-ending.js';

describe('an applied sweep ends on the worst of its revokes', () => {
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
  const header = { title: 'sweep' };

  it('ends SUCCEEDED with the revokes counted, and FAILED naming each revoke that failed', () => {
    const done = new Map([[revoke, result('SUCCEEDED', true)]]);
    const ok = sweepEnding([revoke, running], done, { header, counts, mode: 'apply', dryRunInput: false });
    expect(ok.failed).toBeUndefined();
    expect(ok.outputs).toEqual(
      expect.arrayContaining([
        ['status', 'SUCCEEDED'],
        ['changed', 'true'],
        ['request-id', 'req-1'],
      ]),
    );
    expect(ok.summaryHtml).toContain('<p>Status SUCCEEDED: 1 revoked.</p>');
    const failed = new Map([[revoke, result('FAILED', false, 'AccessDenied')]]);
    const bad = sweepEnding([revoke], failed, { header, counts, mode: 'apply', dryRunInput: false });
    expect(bad.failed).toBe(
      '1 revoke(s) did not end SUCCEEDED: p1 / ps / 111111111111: FAILED (AccessDenied)',
    );
    expect(bad.outputs).toEqual(expect.arrayContaining([['status', 'FAILED']]));
  });

  it('lists in its job summary the sessions each revoke’s session fence ended', () => {
    const fenced = {
      ...result('SUCCEEDED', true),
      ...fenceFields({
        sessionsEnded: {
          account: '111111111111',
          before: '2026-11-27T14:05:02Z',
          until: '2026-11-27T15:21:00Z',
        },
      }),
    };
    const ok = sweepEnding([revoke], new Map([[revoke, fenced]]), {
      header,
      counts,
      mode: 'apply',
      dryRunInput: false,
    });
    expect(ok.summaryHtml).toMatch(
      /<h3>Sessions ended<\/h3>\n<table>[^]*<td>issued before 2026-11-27T14:05:02Z<\/td>/,
    );
  });

  it('a refused plan fails with its reason and fix, under a header that says the plan was refused', () => {
    const refusal = {
      reason: 'the plan revokes 1, more than `max-deletions` (0)',
      fix: 'raise `max-deletions`',
    };
    const report = sweepEnding([revoke], new Map(), {
      header,
      counts,
      mode: 'refused',
      dryRunInput: false,
      refusal,
    });
    expect(report.failed).toBe(`${refusal.reason}: ${refusal.fix}`);
    expect(report.summaryHtml).toMatch(/^<h3>sweep: plan refused<\/h3>/);
    expect(report.outputs).toEqual(expect.arrayContaining([['failure-reason', refusal.reason]]));
  });
});
