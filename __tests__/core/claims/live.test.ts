// Whether a claim on a grant is live (core/claims/live.ts): the rule a reconcile leaves a grant in
// place by, and a report classes it by. Each form of claim, live, ended, forged and far in the future.
import { describe, expect, it } from '@jest/globals';
import { runKeyOf, type Claim, type RunState } from '../../../src/core/claims/claims.js';
import {
  claimVerdict,
  runsDecidingClaims,
  scheduleVerdict,
  type LiveClaim,
} from '../../../src/core/claims/live.js';
import { claimShown, jobShown } from '../../../src/core/claims/claim-words.js';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const SECONDS = NOW / 1000;
const DAY = 24 * 3600;
const run = (runId: string, attempt = '1') => ({ repositoryId: '123', runId, attempt });
const claim = (more: Partial<Claim> = {}): Claim => ({
  ids: { cloud: 'aws', principalId: 'p', principalType: 'USER', roleId: 'ps', accountId: '111111111111' },
  shown: { principal: 'USER p', role: 'ps', target: '111111111111' },
  mark: { run: run('1'), ephemeral: true },
  madeBy: 'arn:aws:sts::1:assumed-role/deployer/cloud-access-123-1-1-e',
  madeAt: NOW - 3_600_000,
  evidence: 'CloudTrail',
  standing: { holds: true },
  ...more,
});
const going: RunState = { state: 'going', status: 'in_progress' };
const completed: RunState = { state: 'completed', conclusion: 'success' };
const runs = (...entries: [string, RunState][]) => new Map(entries.map(([id, s]) => [runKeyOf(run(id)), s]));

describe('a run’s ephemeral claim (`-e`, `:e`) is live while its run has not finished', () => {
  it('its run going: live, ephemeral, until its run ends, with its run', () => {
    expect(claimVerdict(claim(), runs(['1', going]), NOW)).toEqual({
      live: {
        kind: 'ephemeral',
        run: run('1'),
        reason: expect.stringMatching(/run 1 attempt 1 is still in_progress/),
      },
    });
  });

  it('its run completed: no claim, saying it has ended, and still the run’s ephemeral grant', () => {
    expect(claimVerdict(claim(), runs(['1', completed]), NOW)).toEqual({
      none: expect.stringMatching(/ended: run 1 attempt 1 has completed \(success\)/),
      made: { kind: 'ephemeral', run: run('1'), reason: expect.stringMatching(/has completed/) },
    });
  });

  it('its run answered 404: no claim, unproven, never guessed live', () => {
    const missing: RunState = { state: 'unreadable', reason: 'GitHub answered 404', notFound: true };
    expect(claimVerdict(claim(), runs(['1', missing]), NOW)).toEqual({
      none: expect.stringMatching(/not proven: .*404/),
    });
  });
});

describe('a job’s claim says which job made it, as GitHub’s answer for its run says: workflow, run number, actor', () => {
  const context = { repository: 'octo-org/octo-repo', repositoryId: '123', serverUrl: 'https://github.com' };
  const seen = { workflow: 'deploy', runNumber: 42, actor: 'octocat' };

  it('its run going: the live claim names the job, its run number and who started it', () => {
    const verdict = claimVerdict(claim(), runs(['1', { ...going, ...seen }]), NOW);
    expect(verdict).toMatchObject({ live: { job: seen } });
    expect(claimShown((verdict as { live: LiveClaim }).live, context)).toBe(
      'ephemeral, job "deploy" run 42 by octocat, https://github.com/octo-org/octo-repo/actions/runs/1/attempts/1, until its run ends',
    );
  });

  it('its run completed: the ended claim still names the job', () => {
    const verdict = claimVerdict(claim(), runs(['1', { ...completed, ...seen }]), NOW);
    expect(verdict).toMatchObject({ made: { job: seen } });
    expect(jobShown(seen)).toBe('job "deploy" run 42 by octocat');
  });

  it('only what GitHub said: a part it did not say is left out, never guessed', () => {
    const verdict = claimVerdict(claim(), runs(['1', going]), NOW);
    expect((verdict as { live: LiveClaim }).live).not.toHaveProperty('job');
  });
});

describe('an unknown is never a delete: a proven claim whose run cannot be read now is unknown', () => {
  const rateLimited: RunState = {
    state: 'unreadable',
    reason: 'GitHub’s API rate limit was reached',
    transient: true,
  };

  it('GitHub’s rate limit: unknown, with why and whose claim it is', () => {
    expect(claimVerdict(claim(), runs(['1', rateLimited]), NOW)).toEqual({
      unknown: expect.stringMatching(/run 1 attempt 1 could not be read: GitHub’s API rate limit/),
      made: expect.objectContaining({ kind: 'ephemeral', run: run('1') }),
    });
  });

  it('no token (its run not read): unknown', () => {
    expect(claimVerdict(claim(), new Map(), NOW)).toMatchObject({
      unknown: expect.stringMatching(/was not read/),
    });
  });

  it('GitHub unreachable, or refusing the token (401): unknown, not unproven', () => {
    const unreachable: RunState = { state: 'unreadable', reason: 'unreachable', transient: true };
    const refused: RunState = { state: 'unreadable', reason: 'GitHub refused the token (401)' };
    expect(claimVerdict(claim(), runs(['1', unreachable]), NOW)).toHaveProperty('unknown');
    expect(claimVerdict(claim(), runs(['1', refused]), NOW)).toHaveProperty('unknown');
  });

  it('a relying run going makes it live, whatever the unknown creator', () => {
    const shared = claim({
      reliers: [{ run: run('2'), ephemeral: true, madeBy: 'r', madeAt: NOW, evidence: 'CloudTrail' }],
    });
    expect(claimVerdict(shared, runs(['1', rateLimited], ['2', going]), NOW)).toHaveProperty('live');
  });

  it('a run’s permanent grant whose relying run cannot be read: unknown, and still permanent', () => {
    const relied = claim({
      mark: { run: run('1'), ephemeral: false },
      reliers: [{ run: run('2'), ephemeral: true, madeBy: 'r', madeAt: NOW, evidence: 'CloudTrail' }],
    });
    expect(claimVerdict(relied, runs(['2', rateLimited]), NOW)).toMatchObject({
      unknown: expect.any(String),
      permanent: true,
    });
  });

  it('a forged claim stays unproven, its run never asked: an unknown is only a proven claim’s', () => {
    const forged = claim({ standing: { holds: false, kind: 'unproven', reason: 'forged' } });
    expect(claimVerdict(forged, new Map(), NOW)).toEqual({ none: expect.stringMatching(/forged/) });
  });
});

describe('a `duration` claim (`-e<expiry>`) is live while its run goes and its expiry has not passed', () => {
  it('before the expiry, its run going: live until the expiry', () => {
    const until = SECONDS + 3600;
    const verdict = claimVerdict(
      claim({ mark: { run: run('1'), ephemeral: true, expiresAt: until } }),
      runs(['1', going]),
      NOW,
    );
    expect(verdict).toMatchObject({ live: { kind: 'ephemeral', until: until * 1000 } });
  });

  it('past the expiry, its run still going: no claim', () => {
    const verdict = claimVerdict(
      claim({ mark: { run: run('1'), ephemeral: true, expiresAt: SECONDS - 60 } }),
      runs(['1', going]),
      NOW,
    );
    expect(verdict).toEqual({
      none: expect.stringMatching(/ended: its `duration` ended at/),
      made: expect.objectContaining({ kind: 'ephemeral', until: (SECONDS - 60) * 1000 }),
    });
  });

  it('40 days ahead: not honoured, and said so', () => {
    const verdict = claimVerdict(
      claim({ mark: { run: run('1'), ephemeral: true, expiresAt: SECONDS + 40 * DAY } }),
      runs(['1', going]),
      NOW,
    );
    expect(verdict).toEqual({ none: expect.stringMatching(/more than 35 days from now/) });
  });
});

describe('an access request’s claim (`-t<expiry>`) is live until its expiry, whatever its run', () => {
  const request = (expiresAt: number) =>
    claim({ mark: { run: run('7'), ephemeral: true, expiresAt, timeBound: true } });

  it('before the expiry, its run completed: live, requested, until the expiry', () => {
    expect(claimVerdict(request(SECONDS + 3600), runs(['7', completed]), NOW)).toMatchObject({
      live: { kind: 'requested', until: (SECONDS + 3600) * 1000, run: run('7') },
    });
    expect(runsDecidingClaims([request(SECONDS + 3600)], NOW)).toEqual([]);
  });

  it('after the expiry: no claim', () => {
    expect(claimVerdict(request(SECONDS - 1), new Map(), NOW)).toEqual({
      none: expect.stringMatching(/ended: .*access request ended at/),
      made: expect.objectContaining({ kind: 'requested', run: run('7') }),
    });
  });

  it('40 days ahead: not honoured, and said so', () => {
    expect(claimVerdict(request(SECONDS + 40 * DAY), new Map(), NOW)).toEqual({
      none: expect.stringMatching(/more than 35 days from now/),
    });
  });
});

describe('a claim the evidence does not prove is no claim', () => {
  it('forged (another identity’s create, not the first of the life): no claim, with the evidence’s reason', () => {
    const forged = claim({
      standing: { holds: false, kind: 'unproven', reason: 'it existed before the run: created by alice' },
    });
    expect(claimVerdict(forged, runs(['1', going]), NOW)).toEqual({
      none: expect.stringMatching(/not proven: it existed before the run: created by alice/),
    });
    expect(runsDecidingClaims([forged], NOW)).toEqual([]);
  });

  it('a permanent grant of a run (no `-e`): no claim, and told permanent', () => {
    expect(claimVerdict(claim({ mark: { run: run('1'), ephemeral: false } }), new Map(), NOW)).toEqual({
      none: expect.stringMatching(/permanent/),
      permanent: true,
    });
  });

  it('no cloud-access session name or marker: no claim', () => {
    expect(claimVerdict(claim({ mark: undefined }), new Map(), NOW)).toEqual({
      none: expect.stringMatching(/not a cloud-access run’s/),
    });
  });
});

describe('a reliance (`-r`, `-tr`, `:r`) keeps a grant live while its run needs it', () => {
  it('the creator ended, a relying run going: live, the relier’s', () => {
    const shared = claim({
      reliers: [
        {
          run: run('2'),
          ephemeral: true,
          madeBy: 'arn:aws:sts::1:assumed-role/deployer/cloud-access-123-2-1-r',
          madeAt: NOW - 60_000,
          evidence: 'CloudTrail',
        },
      ],
    });
    expect(runsDecidingClaims([shared], NOW)).toEqual([run('1'), run('2')]);
    expect(claimVerdict(shared, runs(['1', completed], ['2', going]), NOW)).toMatchObject({
      live: { kind: 'ephemeral', run: run('2') },
    });
  });

  it('a request’s reliance (`-tr`) before its expiry: live, requested', () => {
    const shared = claim({
      reliers: [
        {
          run: run('3'),
          ephemeral: true,
          timeBound: true,
          expiresAt: SECONDS + 600,
          madeBy: 'arn:aws:sts::1:assumed-role/requests/cloud-access-123-3-1-tr',
          madeAt: NOW - 60_000,
          evidence: 'CloudTrail',
        },
      ],
    });
    expect(claimVerdict(shared, runs(['1', completed]), NOW)).toMatchObject({
      live: { kind: 'requested', until: (SECONDS + 600) * 1000, run: run('3') },
    });
  });
});

describe('an Azure PIM schedule with an end is a time-bound claim until then', () => {
  const creators = new Set(['aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa']);
  const by = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';

  it('before its end, made by `created-by`: live, time-bound, until its end', () => {
    expect(scheduleVerdict({ endsAt: NOW + 3_600_000, createdBy: by }, creators, NOW)).toEqual({
      live: { kind: 'time-bound', until: NOW + 3_600_000, by, reason: expect.stringMatching(/PIM/) },
    });
  });

  it('past its end, made by another identity, or 40 days ahead: no claim', () => {
    expect(scheduleVerdict({ endsAt: NOW - 1, createdBy: by }, creators, NOW)).toHaveProperty('none');
    expect(
      scheduleVerdict(
        { endsAt: NOW + 3_600_000, createdBy: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' },
        creators,
        NOW,
      ),
    ).toEqual({ none: expect.stringMatching(/not one of `created-by`/) });
    expect(scheduleVerdict({ endsAt: NOW + 40 * DAY * 1000, createdBy: by }, creators, NOW)).toEqual({
      none: expect.stringMatching(/more than 35 days from now/),
    });
  });
});
