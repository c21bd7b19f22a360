// A reconcile's plan over grants the manifest does not list, at a place it manages, on the
// emulated IAM Identity Center and CloudTrail through the real SDKs: a live, proven claim leaves
// the grant in place (`claimed`), anything else is drift to delete, as before.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRunStates } from '../../../src/github/runs.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { createAwsReconciler } from '../../../src/aws/reconcile.js';
import { runKeyOf, type ReadRuns, type RunRef, type RunState } from '../../../src/core/claims/claims.js';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import { readForPlan, type ReadForPlan } from '../../../src/operations/reconcile/reconcile-read.js';
import {
  ACCOUNT,
  ALICE,
  BOB,
  READ_ONLY,
  awsPlan,
  emulatedDeps,
  emulatedSso,
} from '../../harness/emulated-sso.js';

const sso = emulatedSso();

const REPOSITORY_ID = '4242';
const DEPLOYER = 'arn:aws:iam::123456789012:role/deployer';
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/someone-else';
const MINUTE = 60_000;

/** Who made a write: a session of `role` named `name`. */
const session = (role: string, name: string) => ({
  principalArn: `${role.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/${name}`,
  sessionName: name,
});

/** Alice's ReadOnlyAccess in the account, made by `caller` `minutesAgo` minutes ago. */
function aliceMadeBy(caller: ReturnType<typeof session> | { principalArn: string }, minutesAgo: number) {
  sso.emulator.aws.createAssignmentAs(
    { accountId: ACCOUNT, permissionSetArn: READ_ONLY, principalType: 'USER', principalId: ALICE },
    caller,
    Date.now() - minutesAgo * MINUTE,
  );
}

/** The plan of a manifest that manages ReadOnlyAccess and lists only bob's, with these runs' states, as of `now`. */
async function planWith(
  states: [RunRef, RunState][] = [],
  now = Date.now(),
  github?: ReadRuns,
): Promise<ReadForPlan> {
  const text = [
    'version: 1',
    'aws:',
    '  manages:',
    '    permission-sets: [ReadOnlyAccess]',
    '  assignments:',
    `    - {principal: '${BOB}', role: ReadOnlyAccess, target: '${ACCOUNT}'}`,
  ].join('\n');
  const parsed = parseManifest('access.yml', text);
  if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
  const { deps, seams } = emulatedDeps(sso);
  const reconciler = createAwsReconciler(
    awsPlan({ 'instance-arn': '' }),
    parsed.manifest.aws!,
    deps,
    { createdBy: [DEPLOYER], lookbackSeconds: 35 * 24 * 3600 },
    seams,
  );
  const known = new Map(states.map(([run, state]) => [runKeyOf(run), state]));
  const readRuns: ReadRuns = async (runs) => ({
    states: new Map(
      runs.map((r) => [
        runKeyOf(r),
        known.get(runKeyOf(r)) ?? { state: 'unreadable', reason: 'no such run' },
      ]),
    ),
    requests: runs.length,
  });
  const read = await readForPlan(reconciler, { cloud: 'aws', line: 2 }, () => now, github ?? readRuns);
  if ('stoppedAt' in read) throw new Error(JSON.stringify(read.problems));
  return read;
}

const run = (runId: string, attempt = '1'): RunRef => ({ repositoryId: REPOSITORY_ID, runId, attempt });
const going: RunState = { state: 'going', status: 'in_progress' };

describe('a running job’s revoke-on-exit grant (`-e`) at a managed place', () => {
  it('is claimed while its run goes: left in place, listed with its run, not drift', async () => {
    sso.addAssignment(BOB);
    aliceMadeBy(session(DEPLOYER, `cloud-access-${REPOSITORY_ID}-77-1-e`), 10);
    const { plan } = await planWith([[run('77'), going]]);
    expect(plan.deletes).toEqual([]);
    expect(plan.claimed).toEqual([
      expect.objectContaining({
        principalId: ALICE,
        claim: expect.objectContaining({ kind: 'ephemeral', run: run('77') }),
      }),
    ]);
  });

  it('is deleted once its run has completed', async () => {
    sso.addAssignment(BOB);
    aliceMadeBy(session(DEPLOYER, `cloud-access-${REPOSITORY_ID}-77-1-e`), 10);
    const { plan } = await planWith([[run('77'), { state: 'completed', conclusion: 'success' }]]);
    expect(plan.claimed).toEqual([]);
    expect(plan.deletes.map((d) => d.principalId)).toEqual([ALICE]);
    expect(plan.deletes.map((d) => d.claimNote)).toContainEqual(
      expect.stringMatching(/claim not honoured: .*its claim has ended: run 77 attempt 1 has completed/),
    );
  });

  it('that is not the first create of the assignment’s life is drift: it existed before the run', async () => {
    sso.addAssignment(BOB);
    aliceMadeBy({ principalArn: 'arn:aws:iam::123456789012:user/admin' }, 30);
    aliceMadeBy(session(DEPLOYER, `cloud-access-${REPOSITORY_ID}-77-1-e`), 10);
    const { plan } = await planWith([[run('77'), going]]);
    expect(plan.claimed).toEqual([]);
    expect(plan.deletes.map((d) => d.principalId)).toEqual([ALICE]);
    expect(plan.deletes.map((d) => d.claimNote)).toContainEqual(
      expect.stringMatching(/not proven: .*created by arn:aws:iam::123456789012:user\/admin/),
    );
  });
});

describe('a running job’s reliance (`-r`) on a grant it found in place', () => {
  it('keeps the grant while its run goes, though a person made it, and not once its run has finished', async () => {
    sso.addAssignment(BOB);
    aliceMadeBy({ principalArn: 'arn:aws:iam::123456789012:user/admin' }, 30);
    aliceMadeBy(session(DEPLOYER, `cloud-access-${REPOSITORY_ID}-78-1-r`), 10);
    const live = await planWith([[run('78'), going]]);
    expect(live.plan.deletes).toEqual([]);
    expect(live.plan.claimed).toEqual([
      expect.objectContaining({ claim: expect.objectContaining({ kind: 'ephemeral', run: run('78') }) }),
    ]);
    const ended = await planWith([[run('78'), { state: 'completed', conclusion: 'success' }]]);
    expect(ended.plan.claimed).toEqual([]);
    expect(ended.plan.deletes.map((d) => d.principalId)).toEqual([ALICE]);
  });
});

describe('a running job’s reliance (`-r`) on a permanent grant another run made', () => {
  it('keeps the grant while the relying run goes, and not once it has finished', async () => {
    sso.addAssignment(BOB);
    aliceMadeBy(session(DEPLOYER, `cloud-access-${REPOSITORY_ID}-76-1`), 30);
    aliceMadeBy(session(DEPLOYER, `cloud-access-${REPOSITORY_ID}-78-1-r`), 10);
    const live = await planWith([[run('78'), going]]);
    expect(live.plan.deletes).toEqual([]);
    expect(live.plan.claimed).toEqual([
      expect.objectContaining({ claim: expect.objectContaining({ kind: 'ephemeral', run: run('78') }) }),
    ]);
    const ended = await planWith([[run('78'), { state: 'completed', conclusion: 'success' }]]);
    expect(ended.plan.claimed).toEqual([]);
    expect(ended.plan.deletes.map((d) => d.principalId)).toEqual([ALICE]);
  });
});

describe('an approved request’s grant (`-t<expiry>`) at a managed place', () => {
  const expiry = () => Math.floor(Date.now() / 1000) + 3600;

  it('is claimed until its expiry, whatever its run', async () => {
    sso.addAssignment(BOB);
    const until = expiry();
    aliceMadeBy(session(DEPLOYER, `cloud-access-${REPOSITORY_ID}-90-1-t${until}`), 5);
    const { plan } = await planWith([[run('90'), { state: 'completed', conclusion: 'success' }]]);
    expect(plan.deletes).toEqual([]);
    expect(plan.claimed).toEqual([
      expect.objectContaining({ claim: expect.objectContaining({ kind: 'requested', until: until * 1000 }) }),
    ]);
  });

  it('is deleted after its expiry', async () => {
    sso.addAssignment(BOB);
    const until = expiry();
    aliceMadeBy(session(DEPLOYER, `cloud-access-${REPOSITORY_ID}-90-1-t${until}`), 5);
    const { plan } = await planWith([], until * 1000 + MINUTE);
    expect(plan.claimed).toEqual([]);
    expect(plan.deletes.map((d) => d.principalId)).toEqual([ALICE]);
  });

  it('forged by a role not in `created-by` is no claim: drift, deleted', async () => {
    sso.addAssignment(BOB);
    aliceMadeBy(session(OTHER_ROLE, `cloud-access-${REPOSITORY_ID}-90-1-t${expiry()}`), 5);
    const { plan } = await planWith();
    expect(plan.claimed).toEqual([]);
    expect(plan.deletes.map((d) => d.principalId)).toEqual([ALICE]);
  });

  it('made by a request session of a role `created-by` does not name: deleted, saying whose and what to add', async () => {
    const REQUESTS = 'arn:aws:iam::123456789012:role/access-requests';
    sso.addAssignment(BOB);
    aliceMadeBy(session(REQUESTS, `cloud-access-${REPOSITORY_ID}-78-1-t${expiry()}`), 1);
    const { plan } = await planWith([], Date.now());
    expect(plan.deletes.map((d) => d.claimNote)).toEqual([
      `made by a request session of role ${REQUESTS}, which \`created-by\` does not trust: add ${REQUESTS} to keep such grants while their claims live`,
    ]);
  });

  it('made by a person, or a permanent session of another role: nothing said beside the delete', async () => {
    sso.addAssignment(BOB);
    aliceMadeBy(session(OTHER_ROLE, `cloud-access-${REPOSITORY_ID}-79-1`), 1);
    const { plan } = await planWith([], Date.now());
    expect(plan.deletes.map((d) => d.claimNote)).toEqual([undefined]);
  });

  it('40 days ahead is not honoured, and the plan says so', async () => {
    sso.addAssignment(BOB);
    const far = Math.floor(Date.now() / 1000) + 40 * 24 * 3600;
    aliceMadeBy(session(DEPLOYER, `cloud-access-${REPOSITORY_ID}-90-1-t${far}`), 5);
    const { plan } = await planWith();
    expect(plan.deletes.map((d) => d.principalId)).toEqual([ALICE]);
    expect(plan.deletes.map((d) => d.claimNote)).toContainEqual(
      expect.stringMatching(/claim not honoured: .*more than 35 days from now/),
    );
  });
});

describe('an unknown is never a delete: a running job’s proven grant whose run GitHub cannot tell now', () => {
  // The emulated GitHub REST API, as the step reads it (github/runs.ts): its seeded repository.
  const SEEDED = { repository: 'octo-org/octo-repo', repositoryId: '123456789' };
  const github: ReadRuns = (runs, wants) =>
    readRunStates(runs, {
      token: sso.emulator.github.runs.jobToken,
      own: SEEDED,
      deadline: new Deadline(60),
      ...wants,
    });
  const saved = process.env.GITHUB_API_URL;
  beforeEach(() => {
    process.env.GITHUB_API_URL = sso.emulator.env.GITHUB_API_URL;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.GITHUB_API_URL;
    else process.env.GITHUB_API_URL = saved;
  });

  it('GitHub’s rate limit reached: left in place, listed unknown with why, never deleted', async () => {
    sso.addAssignment(BOB);
    aliceMadeBy(session(DEPLOYER, `cloud-access-${SEEDED.repositoryId}-88-1-e`), 10);
    sso.emulator.github.runs.setRun({ ...SEEDED, runId: '88', status: 'in_progress' });
    sso.emulator.github.runs.rateLimit = 0;
    const { plan } = await planWith([], Date.now(), github);
    expect(plan.deletes).toEqual([]);
    expect(plan.unknown).toEqual([
      expect.objectContaining({
        principalId: ALICE,
        unknown: {
          reason: expect.stringMatching(/run 88 attempt 1 could not be read: GitHub’s API rate limit/),
          made: expect.objectContaining({ kind: 'ephemeral' }),
        },
      }),
    ]);
    expect(plan.deletes).toEqual([]);
  });

  it('a running job’s grant is claimed naming its job as GitHub answers: workflow, run number, who started it', async () => {
    sso.addAssignment(BOB);
    aliceMadeBy(session(DEPLOYER, `cloud-access-${SEEDED.repositoryId}-86-1-e`), 10);
    sso.emulator.github.runs.setRun({ ...SEEDED, runId: '86', status: 'in_progress', name: 'nightly' });
    const { plan } = await planWith([], Date.now(), github);
    expect(plan.claimed.map((c) => c.claim.job)).toEqual([
      { workflow: 'nightly', runNumber: 42, actor: 'octocat' },
    ]);
  });

  it('a proxy’s HTML 404 in front of GitHub: the running job’s grant is unknown, left, never deleted as drift', async () => {
    sso.addAssignment(BOB);
    aliceMadeBy(session(DEPLOYER, `cloud-access-${SEEDED.repositoryId}-85-1-e`), 10);
    const proxy = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html><body>404 Not Found</body></html>');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    process.env.GITHUB_API_URL = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const { plan } = await planWith([], Date.now(), github);
      expect(plan.deletes).toEqual([]);
      expect(plan.unknown.map((u) => u.unknown.reason)).toEqual([
        expect.stringMatching(/run 85 attempt 1 could not be read: .* not GitHub's/),
      ]);
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });

  it('an ended job’s grant is deleted, its note naming the job that made it', async () => {
    sso.addAssignment(BOB);
    aliceMadeBy(session(DEPLOYER, `cloud-access-${SEEDED.repositoryId}-87-1-e`), 10);
    sso.emulator.github.runs.setRun({ ...SEEDED, runId: '87', status: 'completed', name: 'nightly' });
    const { plan } = await planWith([], Date.now(), github);
    expect(plan.deletes.map((d) => d.claimNote)).toEqual([
      expect.stringMatching(
        /^claim not honoured: its claim has ended: .*; made by job "nightly" run 42 by octocat$/,
      ),
    ]);
  });

  it('an approved request’s grant is claimed naming who asked and who approved, as GitHub’s run and its review history say', async () => {
    sso.addAssignment(BOB);
    const until = Math.floor(Date.now() / 1000) + 3600;
    aliceMadeBy(session(DEPLOYER, `cloud-access-${SEEDED.repositoryId}-84-1-t${until}`), 5);
    sso.emulator.github.runs.setRun({
      ...SEEDED,
      runId: '84',
      status: 'completed',
      actor: { login: 'alice', id: 2 },
    });
    sso.emulator.github.repository.setApprovals('84', [
      { environment: 'production-access', state: 'approved', login: 'carol', userId: 3 },
      { environment: 'production-access', state: 'rejected', login: 'mallory', userId: 4 },
    ]);
    const { plan } = await planWith([], Date.now(), github);
    expect(plan.claimed.map((c) => c.claim.job)).toEqual([
      { workflow: 'deploy', runNumber: 42, actor: 'alice', approvers: ['carol'] },
    ]);
  });

  it('a login not in GitHub’s shape names no approver or requester: nothing GitHub did not say is shown', async () => {
    sso.addAssignment(BOB);
    const until = Math.floor(Date.now() / 1000) + 3600;
    aliceMadeBy(session(DEPLOYER, `cloud-access-${SEEDED.repositoryId}-83-1-t${until}`), 5);
    sso.emulator.github.runs.setRun({
      ...SEEDED,
      runId: '83',
      status: 'completed',
      actor: { login: 'alice\n::error::forged', id: 2 },
    });
    sso.emulator.github.repository.setApprovals('83', [
      { environment: 'production-access', state: 'approved', login: 'carol approved by root', userId: 3 },
    ]);
    const { plan } = await planWith([], Date.now(), github);
    expect(plan.claimed.map((c) => c.claim.job)).toEqual([
      { workflow: 'deploy', runNumber: 42, approvers: [] },
    ]);
  });

  it('a run GitHub answers 404 for: the claim is unproven, deleted as drift', async () => {
    sso.addAssignment(BOB);
    aliceMadeBy(session(DEPLOYER, `cloud-access-${SEEDED.repositoryId}-89-1-e`), 10);
    const { plan } = await planWith([], Date.now(), github);
    expect(plan.unknown).toEqual([]);
    expect(plan.deletes.map((d) => d.principalId)).toEqual([ALICE]);
    expect(plan.deletes.map((d) => d.claimNote)).toContainEqual(
      expect.stringMatching(/^claim not honoured: .*not proven: .*404/),
    );
  });
});

describe('what it costs', () => {
  it('reads no CloudTrail page when the plan deletes nothing', async () => {
    sso.addAssignment(BOB);
    const before = sso.emulator.requests.filter((r) => r.service === 'cloudtrail').length;
    const { plan } = await planWith();
    expect(plan.deletes).toEqual([]);
    expect(sso.emulator.requests.filter((r) => r.service === 'cloudtrail').length).toBe(before);
  });
});
