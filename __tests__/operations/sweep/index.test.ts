// The sweep step's pipeline (operations/sweep/index.ts), with the runner's side effects recorded and a
// sweeper of the test's: what is revoked, what a dry run and a refusal say, and the outputs.
import { describe, expect, it } from '@jest/globals';
import type { ConfigOf } from '../../../src/core/inputs/index.js';
import { runKeyOf, type Claim, type RunRef, type RunState } from '../../../src/core/claims/claims.js';
import type { AwsGrant, AwsResolvedIds } from '../../../src/core/types.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats, type GrantDriver } from '../../../src/engine/calls/driver.js';
import type { Sweeper } from '../../../src/engine/run/sweeper.js';
import { runSweep } from '../../../src/operations/sweep/index.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const run = (runId: string): RunRef => ({ repositoryId: '123456789', runId, attempt: '1' });
const ids = (i: number): AwsResolvedIds => ({
  cloud: 'aws',
  principalId: `p${i}`,
  principalType: 'USER',
  roleId: 'ps',
  accountId: '111111111111',
});
const claim = (i: number, runId: string, more: Partial<Claim> = {}): Claim => ({
  ids: ids(i),
  shown: { principal: `USER p${i}`, role: 'ps', target: '111111111111' },
  mark: { run: run(runId), ephemeral: true },
  madeBy: 'arn:aws:sts::123456789012:assumed-role/cloud-access/s',
  madeAt: NOW - 60_000,
  evidence: 'CloudTrail',
  standing: { holds: true },
  ...more,
});

/** A sweeper over fixed claims whose revokes are recorded (and fail for `failing` principals). */
function fakeSweeper(claims: Claim[], removed: string[], failing = new Set<string>()): Sweeper {
  const driver: GrantDriver = {
    cloud: 'aws',
    stats: emptyStats(),
    prepare: async () => {},
    resolve: async (g) => g.resolved!,
    findExisting: async () => ({}),
    create: async () => {
      throw new Error('a sweep never creates');
    },
    remove: async (i) => {
      removed.push(i.principalId);
      return failing.has(i.principalId)
        ? { kind: 'failed', requestId: 'r-fail', failureReason: 'quota' }
        : { kind: 'done', requestId: `r-${i.principalId}`, changed: true };
    },
    findOwnCreate: async () => ({ ownership: 'not-created', why: 'test' }),
  };
  return {
    cloud: 'aws',
    stats: emptyStats(),
    read: async () => ({ claims, notes: ['read'] }),
    revoker: (chosen) => ({
      grants: chosen.map((c): AwsGrant => ({
        cloud: 'aws',
        kind: 'aws-account-assignment',
        written: c.shown,
        principal: { kind: 'id', id: c.ids.principalId },
        accountId: '111111111111',
        permissionSet: { kind: 'arn', arn: 'ps' },
        resolved: c.ids as AwsResolvedIds,
      })),
      claims: [...chosen],
      driver,
    }),
  };
}

const config = (more: { dryRun?: boolean; maxDeletions?: number; failOnStuck?: boolean } = {}) =>
  ({
    cloud: 'aws',
    operation: 'sweep',
    dryRun: more.dryRun ?? false,
    maxConcurrency: 10,
    run: {},
    sweep: {
      createdBy: [],
      githubToken: 'token',
      lookbackSeconds: 7 * 86400,
      maxDeletions: more.maxDeletions ?? 10,
      failOnStuck: more.failOnStuck ?? true,
      scopes: [],
    },
  }) as unknown as ConfigOf<'sweep'>;

async function sweep(
  claims: Claim[],
  runs: [string, RunState][],
  options: Parameters<typeof config>[0] = {},
  failing?: Set<string>,
  eventName = 'schedule',
) {
  const removed: string[] = [];
  const asked: RunRef[][] = [];
  const recorded = recordedRunner();
  await runSweep(
    config(options),
    onEvent(recorded.effects, { eventName, tokenEndpoint: 'https://token.example' }),
    {
      open: async () => ({
        sweeper: fakeSweeper(claims, removed, failing),
        deadline: new Deadline(60),
        readRuns: async (wanted) => {
          asked.push([...wanted]);
          return { states: new Map(runs.map(([id, s]) => [runKeyOf(run(id)), s])), requests: wanted.length };
        },
      }),
    },
    () => NOW,
  );
  return { ...recorded, removed, asked };
}

const completed: RunState = { state: 'completed', conclusion: 'failure' };
const going: RunState = { state: 'going', status: 'in_progress' };

describe('the sweep step', () => {
  it('revokes the grants of a finished run, leaves those of a running one, and reports both', async () => {
    const step = await sweep(
      [claim(1, 'done'), claim(2, 'done'), claim(3, 'live')],
      [
        ['done', completed],
        ['live', going],
      ],
    );
    expect(step.removed).toEqual(['p1', 'p2']);
    expect(step.asked).toEqual([[run('done'), run('live')]]);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      revoke: 2,
      running: 1,
      unproven: 0,
      permanent: 0,
      gone: 0,
    });
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true', 'request-id': 'r-p1' });
    const results = JSON.parse(step.outputs.results!) as {
      principal: string;
      action: string;
      kind: string;
      reason: string;
    }[];
    expect(results.map((r) => [r.principal, r.kind, r.action])).toEqual([
      ['p1', 'revoke', 'revoked'],
      ['p2', 'revoke', 'revoked'],
      ['p3', 'running', 'leave'],
    ]);
    expect(step.said.failed).toEqual([]);
    expect(step.said.summary).toMatch(/<table>.*revoked.*leave/s);
  });

  it('a dry run says "would revoke" and revokes nothing', async () => {
    const step = await sweep([claim(1, 'done')], [['done', completed]], { dryRun: true });
    expect(step.removed).toEqual([]);
    expect(step.said.log.join('\n')).toMatch(/would revoke \[revoke\] USER p1/);
    expect(step.said.log.join('\n')).not.toMatch(/SUCCEEDED/);
    expect(step.said.summary).toMatch(/Dry run: nothing was revoked/);
  });

  it('more revokes than `max-deletions`: the plan is reported, nothing is revoked, the step fails', async () => {
    const step = await sweep([claim(1, 'done'), claim(2, 'done')], [['done', completed]], {
      maxDeletions: 1,
    });
    expect(step.removed).toEqual([]);
    expect(step.outputs.status).toBe('FAILED');
    expect(step.said.failed.join('\n')).toMatch(/more than `max-deletions` \(1\)/);
    // FAILED everywhere a person or a workflow reads it, each row still saying what it would do.
    expect(step.said.summary).toMatch(
      /<h3>[^<]*plan refused<\/h3>\n<p>.*signs in to AWS Region .*<\/p>\n<p>FAILED: the plan was refused: /,
    );
    expect(step.said.summary).toContain('<code>max-deletions</code>');
    expect(step.said.summary).toMatch(/<td>would revoke<\/td>.*FAILED, not run: the plan was refused/s);
    expect(step.said.log.join('\n')).toMatch(/^would revoke \[revoke\] USER p1 .*FAILED, not run/m);
    const results = JSON.parse(step.outputs.results!) as { action: string; status: string }[];
    expect(results.map((r) => [r.action, r.status])).toEqual([
      ['would revoke', 'FAILED'],
      ['would revoke', 'FAILED'],
    ]);
  });

  it('a revoke that FAILS fails the step, naming it', async () => {
    const step = await sweep([claim(1, 'done')], [['done', completed]], {}, new Set(['p1']));
    expect(step.outputs.status).toBe('FAILED');
    expect(step.said.failed.join('\n')).toMatch(/USER p1.*FAILED \(quota\)/);
  });

  it('on a pull-request event it refuses before reading anything', async () => {
    const step = await sweep([claim(1, 'done')], [['done', completed]], {}, undefined, 'pull_request');
    expect(step.removed).toEqual([]);
    expect(step.asked).toEqual([]);
    expect(step.outputs.status).toBe('FAILED');
    expect(step.said.errors.map((e) => e.message).join('\n')).toMatch(
      /writes are refused on `pull_request` events/,
    );
    expect(step.said.failed).toEqual(['nothing was requested from the cloud']);
    expect(step.said.summary).toMatch(/<h3>cloud-access: aws sweep: refused<\/h3>/);
  });
});

describe('what no sweep will end is said where people look', () => {
  const DAY = 24 * 3_600_000;
  /** Run `done` created it; run `forged` relied on it with an expiry no step writes. */
  const pinned = (createdAgo: number) =>
    claim(1, 'done', {
      madeAt: NOW - createdAgo,
      reliers: [
        {
          run: run('forged'),
          ephemeral: true,
          expiresAt: 99_999_999_999,
          madeBy:
            'arn:aws:sts::123456789012:assumed-role/cloud-access/cloud-access-123456789-forged-1-r99999999999',
          madeAt: NOW - createdAgo + 60_000,
          evidence: 'CloudTrail',
        },
      ],
    });
  const ended = (ago: number): RunState => ({
    state: 'completed',
    conclusion: 'success',
    endedAt: NOW - ago,
  });

  it('a grant stuck for two days: a warning naming it, the claim at fault and the command, and the step fails', async () => {
    const step = await sweep([pinned(3 * DAY)], [['done', ended(2 * DAY)]]);
    expect(step.removed).toEqual([]);
    // The creator's run is read, so the fault is the relier's expiry, not an unread creator.
    expect(step.asked).toEqual([[run('done')]]);
    const [warning, ...more] = step.said.warnings.map((w) => w.message);
    expect(more).toEqual([]);
    expect(warning).toMatch(/^no sweep will end USER p1 \/ ps \/ 111111111111: stuck since /);
    expect(warning).toMatch(/its claim: .*forged-1-r99999999999.*more than 35 days from now/);
    expect(warning).toContain(
      "aws sso-admin delete-account-assignment --instance-arn '<instance ARN>' --target-type AWS_ACCOUNT --target-id 111111111111 --permission-set-arn ps --principal-type USER --principal-id p1",
    );
    expect(step.said.failed.join('\n')).toMatch(
      /1 grant\(s\) no sweep will end have been stuck for more than a day: USER p1 .*`fail-on-stuck: false` only warns/,
    );
    const [result] = JSON.parse(step.outputs.results!) as { kind: string; stuckSince?: string }[];
    expect(result).toMatchObject({ kind: 'unproven', stuckSince: expect.any(String) });
  });

  it('with `fail-on-stuck: false`, or stuck for less than a day: the warning only', async () => {
    const off = await sweep([pinned(3 * DAY)], [['done', ended(2 * DAY)]], { failOnStuck: false });
    expect(off.said.warnings).toHaveLength(1);
    expect(off.said.failed).toEqual([]);
    const young = await sweep([pinned(3 * DAY)], [['done', ended(DAY / 2)]]);
    expect(young.said.warnings).toHaveLength(1);
    expect(young.said.failed).toEqual([]);
  });

  it('while the creator’s run still goes it is not stuck: no warning, no failure', async () => {
    const step = await sweep([pinned(3 * DAY)], [['done', going]]);
    expect(step.said.warnings).toEqual([]);
    expect(step.said.failed).toEqual([]);
  });

  it('a run GitHub does not have, created three days ago: stuck since its create, the step fails', async () => {
    const step = await sweep(
      [claim(1, 'missing', { madeAt: NOW - 3 * DAY })],
      [['missing', { state: 'unreadable', reason: 'GitHub answered 404' }]],
    );
    expect(step.said.warnings[0]?.message).toMatch(/404/);
    expect(step.said.failed).toHaveLength(1);
  });

  it('a run not read this time (GitHub’s rate limit) is no fault: unproven, but not stuck', async () => {
    const limited: RunState = { state: 'unreadable', reason: 'GitHub’s rate limit', transient: true };
    const step = await sweep([claim(1, 'done', { madeAt: NOW - 3 * DAY })], [['done', limited]]);
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ unproven: 1 });
    expect(step.said.warnings.map((w) => w.message).join('\n')).not.toMatch(/no sweep will end/);
    expect(step.said.failed).toEqual([]);
  });
});
