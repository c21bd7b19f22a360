// A review acts only from the default branch, as the runner runs it: a run of the review's workflow
// dispatched on another branch comes from a workflow anyone who may push can write (its inputs: a
// `campaign-start` in the past, another `policy`), so it only plans: it opens no issue, revokes
// nothing, and says why in a warning that names the branch and the default one.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsInputs, forgedCommands, REVIEW_WORKFLOW, runReview, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 20 });
const aws = () => emulator().aws;
const github = () => emulator().github;
const workspace = mkdtempSync(join(tmpdir(), 'review-branch-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const alice = { login: 'alice', id: 101, type: 'User' as const };
const onBranch = (branch: string) => ({
  GITHUB_WORKFLOW_REF: `octo-org/octo-repo/.github/workflows/${REVIEW_WORKFLOW}@refs/heads/${branch}`,
  GITHUB_REF: `refs/heads/${branch}`,
});

function stage() {
  github().repository.setFile(
    'main',
    '.github/access-reviewers.yml',
    'version: 1\ndefault-reviewers: alice\ndefault-decision: revoke\n',
  );
  github().issues.setUser(alice);
  aws().addAssignment({
    accountId: '111111111111',
    permissionSetArn: aws().permissionSetArn('ReadOnlyAccess'),
    principalType: 'USER',
    principalId: aws().userId('bob'),
  });
}

// A campaign whose start the branch's workflow puts in the past: due at once, every row revoked by default.
const dueAtOnce = { campaign: 'drill', 'campaign-start': '2000-01-01' };
const deletes = () => emulator().requests.filter((r) => r.operation === 'DeleteAccountAssignment');

describe('a review run off the default branch', () => {
  it('only plans: no issue opened, nothing revoked, a warning naming both branches', async () => {
    stage();
    const step = await runReview(awsInputs(dueAtOnce), workspace, 'workflow_dispatch', onBranch('evil'));
    expect(step.exitCode).toBe(0);
    expect(github().issues.issues()).toEqual([]);
    expect(deletes()).toEqual([]);
    expect(step.stdout).toMatch(
      /::warning::review: this run is on `refs\/heads\/evil`, not the default branch `main`: it only plans/,
    );
  });

  it('keeps a hostile ref inert in its warning', async () => {
    stage();
    const step = await runReview(awsInputs(dueAtOnce), workspace, 'workflow_dispatch', {
      GITHUB_WORKFLOW_REF: '',
      GITHUB_REF: 'refs/heads/x\n::warning::pwned ##[error]forged',
    });
    expect(step.exitCode).toBe(0);
    expect(forgedCommands(step)).toEqual([]);
    expect(github().issues.issues()).toEqual([]);
  });

  it('acts on the default branch with the same inputs: the issue opened, and at the next run the row revoked by default', async () => {
    stage();
    const step = await runReview(awsInputs(dueAtOnce), workspace, 'workflow_dispatch', onBranch('main'));
    expect(step.exitCode).toBe(0);
    expect(github().issues.issues()).toHaveLength(1);
    const next = await runReview(awsInputs(dueAtOnce), workspace, 'workflow_dispatch', onBranch('main'));
    expect(next.exitCode).toBe(0);
    expect(deletes()).toHaveLength(1);
  });
});
