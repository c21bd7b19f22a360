// Every kind of job summary the action writes, rendered as GitHub renders GITHUB_STEP_SUMMARY:
// GitHub-flavoured Markdown with its raw HTML let through. The summary is HTML, so every line must
// belong to an HTML block (a line that is not would be read as Markdown: `*`, `[…](…)`, a
// backtick in a server's text would become markup); the action's own `code` must show as <code>,
// never as literal backticks (Markdown inside an HTML block is not rendered); and what a server
// sent shows as text.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from '@jest/globals';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import type { StepRun } from '../../harness/action-runner.js';
import { awsAssignment, awsInputs, runMain, runPost, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 20, awsProvisionDelayMs: 20 });
const aws = () => emulator().aws;

/** GitHub's rendering of a job summary: GFM, with the summary's HTML passed through. */
const render = (markdown: string) =>
  micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });

/** What a reader sees of rendered HTML: its text, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/**
 * The checks every summary passes: it renders to itself (each line is in an HTML block, none read
 * as Markdown), the text a reader sees has no backtick, and nothing a server sent became markup.
 */
function expectRendersAsHtml(step: StepRun): string {
  const summary = step.summary;
  expect(summary.trim()).not.toBe('');
  const rendered = render(summary);
  expect(rendered.trim()).toBe(summary.trim());
  expect(visibleText(rendered)).not.toContain('`');
  expect(rendered).not.toMatch(/<img|<em>|<strong>|<a href="https:\/\/evil/);
  return rendered;
}

const workspace = mkdtempSync(join(tmpdir(), 'summary-renders-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const MANIFEST = `version: 1
aws:
  manages:
    permission-sets: [ReadOnlyAccess]
  assignments:
    - {principal: Deployers, principal-type: GROUP, role: ReadOnlyAccess, target: '111111111111'}
`;
const reconcile = (inputs: Record<string, string> = {}) => {
  writeFileSync(join(workspace, 'access.yml'), MANIFEST);
  return runMain(awsInputs({ operation: 'reconcile', manifest: 'access.yml', ...inputs }), {
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: 'push',
  });
};
const handMade = (name: string, account = '111111111111') =>
  aws().addAssignment({
    accountId: account,
    permissionSetArn: aws().permissionSetArn('ReadOnlyAccess'),
    principalType: 'GROUP',
    principalId: aws().groupId(name),
  });

/** Server text that would be markup, were it rendered as HTML or as Markdown. */
const HOSTILE = '<img src=x onerror=alert(1)> *em* **strong** [link](https://evil.example)';

describe('the job summary renders as GitHub renders it', () => {
  it('assign, and a dry run of it', async () => {
    const dry = await runMain(
      awsInputs({ principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess', 'dry-run': 'true' }),
    );
    expect(visibleText(expectRendersAsHtml(dry))).toMatch(
      /Plan of 1 grant: 1 would create\. Dry run: nothing was written\./,
    );
    const applied = await runMain(
      awsInputs({ principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess' }),
    );
    expect(visibleText(expectRendersAsHtml(applied))).toContain('1 grant, status SUCCEEDED');
  });

  it('revoke, and a grant that fails with a reason the server wrote in markup', async () => {
    aws().addAssignment(awsAssignment('111111111111'));
    const revoked = await runMain(
      awsInputs({
        operation: 'revoke',
        principal: 'alice',
        target: '111111111111',
        role: 'ReadOnlyAccess',
      }),
    );
    expect(visibleText(expectRendersAsHtml(revoked))).toContain('deleted');
    aws().faults.failCreations = [{ reason: HOSTILE }];
    const failed = await runMain(
      awsInputs({ principal: 'alice', target: '222222222222', role: 'ReadOnlyAccess' }),
    );
    expect(failed.exitCode).not.toBe(0);
    // Shown as the text it is.
    expect(visibleText(expectRendersAsHtml(failed))).toContain(HOSTILE);
  });

  it('provision, a dry run and a run', async () => {
    aws().addAssignment(awsAssignment('111111111111'));
    aws().markOutdated(aws().permissionSetArn('ReadOnlyAccess'), ['111111111111']);
    const inputs = { operation: 'provision', role: 'ReadOnlyAccess', target: 'ALL_PROVISIONED_ACCOUNTS' };
    const dry = await runMain(awsInputs({ ...inputs, 'dry-run': 'true' }));
    expect(visibleText(expectRendersAsHtml(dry))).toContain('1 would provision');
    const run = await runMain(awsInputs(inputs));
    expect(visibleText(expectRendersAsHtml(run))).toContain('1 permission set, status SUCCEEDED');
  });

  it('a reconcile: its plan, its apply, and its refused plan, deletes first under their heading', async () => {
    handMade('Platform');
    const plan = await reconcile({ 'dry-run': 'true' });
    const planned = expectRendersAsHtml(plan);
    expect(planned.match(/<h4>.*?<\/h4>/g)).toEqual(['<h4>Deletes (1)</h4>', '<h4>Creates (1)</h4>']);
    expect(visibleText(planned)).toContain('Dry run: nothing was written.');
    // Who loses access, by kind and name; how the cloud was read is the log's alone.
    expect(planned).toMatch(/<h4>Deletes \(1\)<\/h4>\n<table>.*<td>group Platform \(/);
    expect(visibleText(planned)).not.toMatch(/call\(s\)|List[A-Z]/);
    expect(plan.stdout).toMatch(/read: .*: \d+ call\(s\)/);

    const refused = await reconcile({ 'max-deletions': '0' });
    expect(refused.exitCode).not.toBe(0);
    const shown = expectRendersAsHtml(refused);
    expect(shown.match(/<table>/g)).toHaveLength(2);
    expect(shown).toContain('<code>max-deletions</code>');
    expect(visibleText(shown)).toMatch(/FAILED: the plan was refused/);

    const applied = await reconcile();
    expect(applied.exitCode).toBe(0);
    const done = expectRendersAsHtml(applied);
    // Deletes, creates, and the sessions the delete left live (ReadOnlyAccess is not opted in).
    expect(done.match(/<table>/g)).toHaveLength(3);
    expect(done).toContain('<h3>Sessions ended</h3>');
    expect(visibleText(done)).toContain('Applied, status SUCCEEDED.');
  });

  it('a post step that may not act, then a sweep, refused and run', async () => {
    const deployInputs = {
      principal: 'alice',
      target: '111111111111',
      role: 'ReadOnlyAccess',
      'revoke-on-exit': 'true',
    };
    const deploy = await runMain(awsInputs(deployInputs), { GITHUB_RUN_ID: '701' });
    expect(deploy.exitCode).toBe(0);
    // Its post step, its `revoke-on-exit` now false, leaves the grant: it fails, under the run's header.
    const post = await runPost(awsInputs({ ...deployInputs, 'revoke-on-exit': 'false' }), deploy.state);
    expect(post.exitCode).not.toBe(0);
    expect(expectRendersAsHtml(post)).toMatch(
      /^<h3>cloud-access: aws revoke on exit failed<\/h3>\n<p><a href="https:\/\/github\.com\/octo-org\/octo-repo\/actions\/runs\/\d+/,
    );
    emulator().github.runs.setRun({
      repository: 'octo-org/octo-repo',
      repositoryId: '123456789',
      runId: '701',
      attempt: '1',
      status: 'completed',
      conclusion: 'failure',
    });
    const sweep = (more: Record<string, string>) =>
      runMain(awsInputs({ operation: 'sweep', 'github-token': emulator().github.runs.jobToken, ...more }), {
        GITHUB_EVENT_NAME: 'schedule',
      });
    const refused = await sweep({ 'max-deletions': '0' });
    expect(refused.exitCode).not.toBe(0);
    expect(expectRendersAsHtml(refused)).toContain('<code>max-deletions</code>');
    const swept = await sweep({});
    expect(swept.exitCode).toBe(0);
    const sweptHtml = expectRendersAsHtml(swept);
    expect(visibleText(sweptHtml)).toContain('Status SUCCEEDED: 1 revoked.');
    expect(sweptHtml).toMatch(
      /^<h3>cloud-access: aws sweep<\/h3>\n<p><a href="https:\/\/github\.com\/.*signs in to AWS /,
    );
  });

  it('a step that fails before any grant names the input as code, under the run header', async () => {
    const step = await runMain(
      awsInputs({ principal: 'alice', target: 'not-an-account', role: 'ReadOnlyAccess' }),
    );
    expect(step.exitCode).not.toBe(0);
    const rendered = expectRendersAsHtml(step);
    expect(rendered).toContain('<code>target</code>');
    // Which step, and which run: a link to it.
    expect(rendered).toMatch(
      /^<h3>cloud-access: aws assign: invalid input<\/h3>\n<p><a href="https:\/\/github\.com\/octo-org\/octo-repo\/actions\/runs\/\d+/,
    );
  });

  it('an OU target, expanded', async () => {
    const step = await runMain(
      awsInputs({ principal: 'alice', target: 'Root/Workloads', role: 'ReadOnlyAccess', 'dry-run': 'true' }),
    );
    expect(visibleText(expectRendersAsHtml(step))).toContain('Targets expanded with AWS Organizations');
  });
});
