// `operation: report` with `last-used: true` and `prune: pull-request` on AWS, through the bundle as
// the runner runs it, against the emulator's AWS and GitHub: one pull request on
// `cloud-access-prune/<date>` removes the manifest row nobody used (the default branch's copy,
// edited), with its evidence; a used row, a row too new to tell and a row of a set tagged
// `cloud-access:never-prune` = `true` stay; an unused row outside the manifest is a candidate in
// the summary. Nothing is written to the cloud; nothing is pruned on incomplete evidence; a
// `pull_request` run writes no branch; a re-run the same day changes nothing; a branch someone
// else pushed is never reused.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsInputs, forgedCommands, runMain, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 20 });
const aws = () => emulator().aws;
const github = () => emulator().github;
const workspace = mkdtempSync(join(tmpdir(), 'aws-report-prune-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const DAY = 86_400_000;
const PATH = 'access.yml';
const MANIFEST = `version: 1
aws:
  manages:
    permission-sets: [ReadOnlyAccess, BreakGlass]
    targets: ['111111111111', '222222222222']
  assignments:
    # the readers
    - principal: [alice, bob]
      role: ReadOnlyAccess
      target: '111111111111'
    - principal: carol
      role: ReadOnlyAccess
      target: '222222222222'
    - principal: dave
      role: BreakGlass
      target: '111111111111'
`;
const branch = () => `cloud-access-prune/${new Date().toISOString().slice(0, 10)}`;

const report = (inputs: Record<string, string> = {}, event = 'schedule') =>
  runMain(
    awsInputs({
      operation: 'report',
      'last-used': 'true',
      prune: 'pull-request',
      manifest: PATH,
      'github-token': github().runs.jobToken,
      ...inputs,
    }),
    {
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: mkdtempSync(join(workspace, 'runner-temp-')),
      GITHUB_EVENT_NAME: event,
      GITHUB_REPOSITORY: 'octo-org/octo-repo',
    },
  );

/** alice used her grant; bob never did; carol's was made 10 days ago; dave's set is never pruned; erin's is in no manifest. */
function stage() {
  writeFileSync(join(workspace, PATH), MANIFEST);
  github().repository.setFile('main', PATH, MANIFEST);
  const breakGlass = aws().addPermissionSet('BreakGlass', { 'cloud-access:never-prune': 'true' });
  const dave = aws().addUser('dave');
  const erin = aws().addUser('erin');
  const readOnly = aws().permissionSetArn('ReadOnlyAccess');
  const user = (principalId: string, accountId: string, permissionSetArn = readOnly) => ({
    accountId,
    permissionSetArn,
    principalType: 'USER' as const,
    principalId,
  });
  aws().addAssignment(user(aws().userId('alice'), '111111111111'));
  aws().addAssignment(user(aws().userId('bob'), '111111111111'));
  aws().createAssignmentAs(
    user(aws().userId('carol'), '222222222222'),
    { principalArn: 'arn:aws:iam::123456789012:user/admin' },
    Date.now() - 10 * DAY,
  );
  aws().addAssignment(user(dave, '111111111111', breakGlass));
  aws().addAssignment(user(erin, '222222222222'));
  aws().signInToPortal({
    user: 'alice',
    accountId: '111111111111',
    permissionSet: 'ReadOnlyAccess',
    at: Date.now() - 2 * DAY,
  });
}

const pulls = () =>
  github()
    .issues.issues()
    .filter((i) => i.pull);
const awsWrites = () => emulator().requests.filter((r) => r.write && r.service !== 'github');
const githubWrites = () => emulator().requests.filter((r) => r.write && r.service === 'github');

describe('a report with prune: pull-request', () => {
  it('opens one pull request removing only the unused manifest row, with its evidence, and writes nothing to the cloud', async () => {
    stage();
    const writesBefore = awsWrites().length;
    const step = await report();
    expect(step.exitCode).toBe(0);
    expect(step.outputs['evidence-complete']).toBe('true');

    const [pull] = pulls();
    expect(pulls()).toHaveLength(1);
    expect(pull!.pull).toEqual({ head: branch(), base: 'main' });
    expect(step.outputs['prune-pull-request']).toMatch(new RegExp(`/pull/${pull!.number}$`));
    const edited = github().repository.fileAt(branch(), PATH)!;
    expect(edited).toContain('principal: alice');
    expect(edited).not.toContain('bob');
    expect(edited).toContain('principal: carol');
    expect(edited).toContain('principal: dave');
    expect(edited).toContain('# the readers');
    expect(github().repository.fileAt('main', PATH)).toBe(MANIFEST);
    // bob's evidence line: none since, the window, the source and the Region.
    expect(pull!.body).toMatch(
      /\| `bob` .*`none since \d{4}-\d\d-\d\dT[\d:]+Z: nobody signed in .*`90d` window.*LookupEvents.*us-east-1`/,
    );
    expect(pull!.body).not.toMatch(/alice|carol|dave|erin/);

    expect(step.summary).toContain('too new to tell');
    expect(step.summary).toContain('tagged <code>cloud-access:never-prune</code>');
    expect(step.summary).toMatch(/candidates for <code>operation: revoke<\/code>[\s\S]*erin/);
    expect(awsWrites()).toHaveLength(writesBefore);
    expect(forgedCommands(step)).toEqual([]);
  });

  it('changes nothing when run again the same day with the same result', async () => {
    stage();
    const first = await report();
    expect(first.exitCode).toBe(0);
    const written = githubWrites().length;
    const again = await report();
    expect(again.exitCode).toBe(0);
    expect(again.outputs['prune-pull-request']).toBe(first.outputs['prune-pull-request']);
    expect(githubWrites()).toHaveLength(written);
    expect(pulls()).toHaveLength(1);
  });

  it('prunes nothing on incomplete evidence: no pull request, a warning that says why, exit 0', async () => {
    stage();
    const step = await report({ 'unused-after': '120d' });
    expect(step.exitCode).toBe(0);
    expect(step.outputs['evidence-complete']).toBe('false');
    expect(step.outputs['prune-pull-request']).toBe('');
    expect(step.stdout).toMatch(/::warning::prune: no pull request: the evidence is incomplete/);
    expect(githubWrites()).toEqual([]);
    expect(pulls()).toEqual([]);
  });

  it('prunes nothing when one Region of the instance could not be read: evidence incomplete, no pull request, exit 0', async () => {
    stage();
    aws().config.replicaRegions = ['eu-west-1'];
    aws().faults.failRequests = [
      {
        operation: 'LookupEvents',
        region: 'eu-west-1',
        status: 400,
        code: 'AccessDeniedException',
        message: 'User is not authorized to perform: cloudtrail:LookupEvents',
      },
    ];
    const step = await report();
    expect(step.exitCode).toBe(0);
    expect(step.outputs['evidence-complete']).toBe('false');
    expect(step.outputs['prune-pull-request']).toBe('');
    expect(step.stdout).toMatch(
      /::warning::last-used: the evidence is incomplete[^\n]*eu-west-1 was not read/,
    );
    expect(step.stdout).toMatch(/::warning::prune: no pull request: the evidence is incomplete/);
    // us-east-1 was read: alice's use is shown all the same.
    expect(step.stdout).toContain('in 2 Region(s) (us-east-1, eu-west-1)');
    expect(githubWrites()).toEqual([]);
    expect(pulls()).toEqual([]);
  });

  // CloudTrail delivers a create about 15 minutes late: a grant made just now shows no create there,
  // as one made before its 90 days does. The creation-status list has no delay.
  it('prunes no grant made minutes ago that CloudTrail has not shown yet: too new to tell, from the creation-status list', async () => {
    stage();
    aws().config.cloudTrailDelayMs = 15 * 60_000;
    const bobs = {
      accountId: '111111111111',
      permissionSetArn: aws().permissionSetArn('ReadOnlyAccess'),
      principalType: 'USER' as const,
      principalId: aws().userId('bob'),
    };
    const admin = { principalArn: 'arn:aws:iam::123456789012:user/admin' };
    aws().deleteAssignmentAs(bobs, admin);
    aws().createAssignmentAs(bobs, admin);
    const step = await report();
    expect(step.exitCode).toBe(0);
    expect(step.outputs['evidence-complete']).toBe('true');
    expect(step.outputs['prune-pull-request']).toBe('');
    expect(step.summary).toMatch(/bob[\s\S]*?too new to tell/);
    expect(pulls()).toEqual([]);
  });

  it('prunes nothing it cannot tell was made before the window: the creation-status list refused, each such row unknown, and the permission named', async () => {
    stage();
    aws().faults.accessDenied = ['ListAccountAssignmentCreationStatus'];
    const step = await report();
    expect(step.exitCode).toBe(0);
    expect(step.outputs['prune-pull-request']).toBe('');
    expect(step.stdout).toContain('sso:ListAccountAssignmentCreationStatus');
    expect(step.summary).toMatch(/bob[\s\S]*?unknown \(not known when it was made\)/);
    expect(pulls()).toEqual([]);
  });

  it('writes no branch on a pull_request run, and says what it would remove', async () => {
    stage();
    const step = await report({}, 'pull_request');
    expect(step.exitCode).toBe(0);
    expect(step.outputs['prune-pull-request']).toBe('');
    expect(step.stdout).toMatch(/prune: would remove 1 manifest row\(s\) unused for `90d`/);
    expect(step.summary).toMatch(/would remove[\s\S]*bob/);
    expect(emulator().requests.filter((r) => r.path.startsWith('/repos/'))).toEqual([]);
  });

  // Anyone with `contents: write` can push today's branch and open a pull request as the same bot.
  it('never reuses an open pull request on its branch that is not exactly its removal, and fails naming it', async () => {
    stage();
    const forgedText = MANIFEST.replace('principal: dave', 'principal: mallory').replace(
      'role: BreakGlass',
      'role: AdministratorAccess',
    );
    github().repository.setFile(branch(), PATH, forgedText);
    const api = github().issues;
    const before = pulls().length;
    // The forged pull request, opened as the job's bot would open it.
    const forged = await fetch(`${emulator().env.GITHUB_API_URL}/repos/octo-org/octo-repo/pulls`, {
      method: 'POST',
      headers: { authorization: `token ${github().runs.jobToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Prune unused access', head: branch(), base: 'main', body: '' }),
    });
    expect(forged.status).toBe(201);
    const { number } = (await forged.json()) as { number: number };
    expect(pulls()).toHaveLength(before + 1);
    const writes = githubWrites().length;

    const step = await report();
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toMatch(
      new RegExp(
        `::error::prune: the open pull request #${number} on \`${branch()}\` is not this report's prune`,
      ),
    );
    expect(step.outputs['prune-pull-request']).toBe('');
    expect(github().repository.fileAt(branch(), PATH)).toBe(forgedText);
    expect(githubWrites()).toHaveLength(writes);
    expect(api.issue(number)!.state).toBe('open');
  });
});
