// A campaign at its due date against the emulated GitHub API and IAM Identity Center in memory: the
// row decided `revoke` is revoked through the engine (its driver's delete), a manifest's row and a
// claimed row are not, and the issue gets its closing comment, then is closed; a row that is no
// grant is not sent and its result says why; nothing signs in when there is nothing to write.
// (Through the bundle, with the audit record: __tests__/e2e/aws-review.test.ts.)
import { fenceFields } from '../../../src/core/permission-sets/session-fence-results.js';
import { describe, expect, it } from '@jest/globals';
import { parseInputs, type ConfigOf } from '../../../src/core/inputs/index.js';
import type { ReviewersFile } from '../../../src/operations/review/model/reviewers-file.js';
import { assignReviewers } from '../../../src/operations/review/model/rows.js';
import type { GrantResult } from '../../../src/core/grant-result.js';
import { readCampaign, writeIssues } from '../../../src/operations/review/campaign-github.js';
import { actAtDueDate, revokeResultOf } from '../../../src/operations/review/due-date.js';
import { planCampaign } from '../../../src/operations/review/issues-plan.js';
import { awsRow } from './model/review-rows.js';
import { emulatedGitHub } from '../../harness/emulated-github.js';
import { identityCenter, READ_ONLY, USERS } from '../../steps/identity-center.js';
import { recordedRunner } from '../../steps/recorded-runner.js';

const alice = { login: 'alice', id: 101, type: 'User' as const };
const github = emulatedGitHub((e) => e.github.issues.setUser(alice));
const emulator = () => github.emulator();

const DAY = 86_400_000;
const file: ReviewersFile = {
  entries: [],
  defaultReviewers: [{ login: 'alice' }],
  due: { iso: 'P14D', ms: 14 * DAY },
  defaultDecision: 'keep',
};
const BOB = '22222222-2222-2222-2222-222222222222';
const base = { principalKind: 'user', roleId: READ_ONLY, targetId: '111111111111' };
const foreign = awsRow({ ...base, principalId: USERS.alice! });
const listed = awsRow({
  ...base,
  principalId: BOB,
  held: 'manifest',
  manifest: 'access.yml',
  manifestLine: 4,
});
const claimed = awsRow({
  ...base,
  principalId: BOB,
  targetId: '222222222222',
  held: 'ephemeral',
  live: true,
});
const notAGrant = awsRow({ ...base, principalId: 'not-an-id' });
const rows = [foreign, listed, claimed, notAGrant];
const at = { campaign: '2026-Q3', cloud: 'aws' as const };

const config = (more: Record<string, string> = {}) =>
  parseInputs(
    (name) =>
      ({
        cloud: 'aws',
        operation: 'review',
        'aws-region': 'us-east-1',
        'role-to-assume': 'arn:aws:iam::123456789012:role/r',
        'github-token': emulator().github.runs.jobToken,
        ...more,
      })[name] ?? '',
    {},
  ) as ConfigOf<'review'>;

/** The campaign opened on July 1st, `decide` commented, then a run that acts on `now`. */
const heldCloud = () =>
  identityCenter([`${USERS.alice}@111111111111`, `${BOB}@111111111111`, `${BOB}@222222222222`]);

async function dueRun(decide: string[], now = '2026-07-16T00:00:00Z', cloud = heldCloud()) {
  const assignment = assignReviewers(rows, file, { accountsUnder: () => undefined });
  const runAt = async (when: string) => {
    emulator().github.issues.setNow(when);
    const api = await github.reviewApi();
    const plan = planCampaign({
      ...at,
      assignment,
      file,
      ...(await readCampaign(api, at, assignment)),
      startedAt: '2026-07-01T00:00:00Z',
      now: new Date(when),
      mayAct: true,
    });
    await writeIssues(api, plan);
    return { api, plan };
  };
  await runAt('2026-07-01T00:00:00Z');
  for (const body of decide) emulator().github.issues.comment(1, alice, body, { at: '2026-07-02T00:00:00Z' });
  const { api, plan } = await runAt(now);
  const { effects } = recordedRunner();
  const closed = await actAtDueDate(plan, {
    config: config(),
    campaign: at.campaign,
    api,
    openGrants: () => cloud.open({ step: 'main' }),
    accountsUnder: () => Promise.resolve(new Map()),
    effects,
    now: () => Date.parse(now),
  });
  return { cloud, closed };
}

describe('a campaign at its due date', () => {
  it('revokes the row decided `revoke` through the engine, leaves the claimed row, and keeps the issue open for the rows not carried out', async () => {
    const revokeAll = `/revoke ${rows.map((r) => r.id).join(' ')} no longer needed`;
    const { cloud, closed } = await dueRun([revokeAll]);
    expect(cloud.writes).toEqual([`delete ${USERS.alice}@111111111111`]);
    expect(cloud.assignments.has(`${BOB}@111111111111`)).toBe(true);
    const [issue] = [...closed.values()];
    const outcomes = new Map(issue!.record.outcomes!.map((o) => [o.rowId, o]));
    expect(outcomes.get(foreign.id)).toEqual(
      expect.objectContaining({ outcome: 'revoke', result: expect.objectContaining({ status: 'revoked' }) }),
    );
    expect(outcomes.get(listed.id)!.outcome).toBe('pull-request');
    expect(outcomes.get(claimed.id)).toEqual(expect.objectContaining({ outcome: 'claimed', result: null }));
    expect(outcomes.get(notAGrant.id)!.result).toEqual({
      status: 'failed',
      detail: 'its principal ID is not an Identity Store ID: not revoked',
    });
    // A row that is no grant failed, and the manifest's has no pull request (no manifest on the
    // default branch): the issue stays open, its comment saying so.
    expect(issue!.finished).toBe(false);
    expect(issue!.record.closedAt).toBeNull();
    expect(emulator().github.issues.issue(1)!.state).toBe('open');
    const comment = emulator().github.issues.comments(1).at(-1)!;
    expect(comment.body).toContain('Access review `2026-Q3`: not finished');
    expect(comment.body).toContain('failed 1, left for removal by hand 1');
    expect(issue!.record.closingComment).toContain(`#issuecomment-${comment.id}`);
  });

  it('signs in to no cloud when nothing is to be revoked and nothing recorded, and still closes the issue', async () => {
    const { cloud } = await dueRun([`/keep ${foreign.id}`]);
    expect(cloud.sessions).toEqual([]);
    expect(emulator().github.issues.issue(1)!.state).toBe('closed');
  });

  it('does nothing before the due date', async () => {
    const { cloud, closed } = await dueRun([`/revoke ${foreign.id} unused`], '2026-07-14T23:59:59Z');
    expect(closed.size).toBe(0);
    expect(cloud.writes).toEqual([]);
    expect(emulator().github.issues.issue(1)!.state).toBe('open');
  });
});

describe('the manifest’s rows at the due date', () => {
  const MANIFEST = `version: 1
aws:
  assignments:
    - principal: '${BOB}'
      role: ${READ_ONLY}
      target: '111111111111'
`;

  it('are removed by the pull request the closing comment links', async () => {
    emulator().github.repository.setFile('main', 'access.yml', MANIFEST);
    const { closed } = await dueRun([`/revoke ${listed.id} unused`]);
    const [issue] = [...closed.values()];
    expect(issue!.record.pullRequest).toMatch(/\/pull\/2$/);
    expect(emulator().github.repository.fileAt('cloud-access-review/2026-Q3', 'access.yml')).toContain(
      'assignments: []',
    );
    expect(emulator().github.issues.comments(1).at(-1)!.body).toMatch(
      /removed as `alice` decided by pull request/,
    );
  });

  it('are left for removal by hand, with why, when their pull request cannot be opened; the other rows are revoked and the issue stays open', async () => {
    emulator().github.repository.setFile('main', 'access.yml', MANIFEST);
    emulator().github.repository.setFile('cloud-access-review/2026-Q3', 'access.yml', MANIFEST);
    const cloud = heldCloud();
    const { closed } = await dueRun([`/revoke ${listed.id} ${foreign.id} unused`], undefined, cloud);
    expect(cloud.writes).toEqual([`delete ${USERS.alice}@111111111111`]);
    const [issue] = [...closed.values()];
    expect(issue!.finished).toBe(false);
    expect(issue!.record.outcomes!.find((o) => o.rowId === listed.id)!.result!.detail).toMatch(
      /no pull request: .*exists without an open pull request/,
    );
    expect(emulator().github.issues.issue(1)!.state).toBe('open');
    expect(emulator().github.issues.comments(1).at(-1)!.body).toMatch(
      new RegExp(`\\| \`${listed.id}\` \\|.*left for removal by hand`),
    );
  });
});

describe("a revoke's result as the closing comment says it", () => {
  const result = (over: Partial<GrantResult>): GrantResult =>
    ({ status: 'SUCCEEDED', change: 'delete', changed: true, before: 'present', ...over }) as GrantResult;

  it('says revoked, failed with the reason, in progress, or already absent', () => {
    expect(revokeResultOf(result({}))).toEqual({ status: 'revoked' });
    expect(revokeResultOf(result({ status: 'FAILED', failureReason: 'AccessDenied' }))).toEqual({
      status: 'failed',
      detail: 'AccessDenied',
    });
    expect(revokeResultOf(result({ status: 'IN_PROGRESS' })).status).toBe('in-progress');
    expect(revokeResultOf(result({ changed: false, before: 'absent', change: 'none' }))).toEqual({
      status: 'skipped',
      detail: 'already absent',
    });
  });

  it('keeps until when the sessions stay valid where no fence ended them', () => {
    const warning = 'BreakGlassAccess is not opted in: its sessions stay valid';
    expect(
      revokeResultOf(
        result(fenceFields({ sessionsLiveUntil: '2026-10-16T01:00:00Z', sessionsWarning: warning })),
      ),
    ).toEqual({ status: 'revoked', detail: warning, sessionsLiveUntil: '2026-10-16T01:00:00Z' });
    expect(
      revokeResultOf(
        result({
          status: 'FAILED',
          ...fenceFields({ fenceError: 'AccessDenied', sessionsLiveUntil: '2026-10-16T01:00:00Z' }),
        }),
      ),
    ).toEqual({ status: 'failed', detail: 'AccessDenied', sessionsLiveUntil: '2026-10-16T01:00:00Z' });
  });
});
