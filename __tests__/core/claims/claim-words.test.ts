// A claim in words (core/claims/claim-words.ts): whose a grant is, as a reconcile's plan, a report
// and a sweep say it, only as far as GitHub's answer for its run said. How a verdict names its job
// is live.test.ts's.
import { describe, expect, it } from '@jest/globals';
import { claimMadeShown, jobShown, originShown, runShown } from '../../../src/core/claims/claim-words.js';
import type { LiveClaim } from '../../../src/core/claims/live.js';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const run = (runId: string, attempt = '1') => ({ repositoryId: '123', runId, attempt });
const context = { repository: 'octo-org/octo-repo', repositoryId: '123', serverUrl: 'https://github.com' };

describe('a claim’s origin says only what GitHub said', () => {
  it('a request’s claim says who asked and who approved, only as far as GitHub said', () => {
    const requested: LiveClaim = { kind: 'requested', run: run('1'), reason: 'r', until: NOW + 3_600_000 };
    expect(originShown({ ...requested, job: { actor: 'alice', approvers: ['carol', 'dave'] } })).toBe(
      'request by alice, approved by carol, dave',
    );
    expect(originShown({ ...requested, job: { approvers: ['carol'] } })).toBe('request, approved by carol');
    expect(originShown({ ...requested, job: { actor: 'alice', approvers: [] } })).toBe('request by alice');
    expect(originShown(requested)).toBeUndefined();
  });

  it('a job leaves out a part GitHub did not say, and quotes its workflow so no name passes for another part', () => {
    expect(jobShown({ actor: 'octocat' })).toBe('job by octocat');
    expect(jobShown({ workflow: 'say "hi"', runNumber: 7 })).toBe('job "say \\"hi\\"" run 7');
    expect(jobShown({})).toBeUndefined();
  });
});

describe('whose a claim is: its run’s page where its repository is known, else its creator', () => {
  it('links a run of this repository, and names another repository’s by its ID', () => {
    expect(runShown(run('9', '2'), context)).toBe(
      'https://github.com/octo-org/octo-repo/actions/runs/9/attempts/2',
    );
    expect(runShown({ repositoryId: '456', runId: '9', attempt: '1' }, context)).toBe(
      'repository 456 run 9/1',
    );
  });

  it('says a time-bound claim’s creator when no run names it', () => {
    const schedule: LiveClaim = { kind: 'time-bound', until: NOW, by: 'alice@contoso.com', reason: 'r' };
    expect(claimMadeShown(schedule, context)).toBe(
      'time-bound, by alice@contoso.com, until 2026-11-25T10:00:00.000Z',
    );
  });
});
