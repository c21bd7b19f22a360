// `operation: report` on AWS, through the bundle as the runner runs it: every assignment of the
// instance, each with how it is held (a manifest's entry, a run's ephemeral or permanent grant, a
// grant nobody made through cloud-access, a principal the store no longer has), the users a group
// reaches, narrowing by `target` and `role`, what changed since a previous report, and names that
// stay inert in the log, the summary and both files. A report writes nothing, on any event.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsInputs, csvRowsOf, forgedCommands, runMain, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 50 });
const aws = () => emulator().aws;
const workspace = mkdtempSync(join(tmpdir(), 'aws-report-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

interface Row {
  principalKind: string;
  principalName: string | null;
  principalId: string;
  role: string | null;
  target: string | null;
  targetId: string;
  held: string;
  manifest: string | null;
  manifestLine: number | null;
  run: string | null;
  expiresAt: string | null;
  viaGroup: string | null;
  warning?: string | null;
  live?: boolean | null;
  grantedAt?: string | null;
  grantedBy?: string | null;
}

const place = (
  accountId: string,
  principal: { type: 'USER' | 'GROUP'; id: string },
  set = 'ReadOnlyAccess',
) => ({
  accountId,
  permissionSetArn: aws().permissionSetArn(set),
  principalType: principal.type,
  principalId: principal.id,
});
const user = (name: string) => ({ type: 'USER' as const, id: aws().userId(name) });
const group = (name: string) => ({ type: 'GROUP' as const, id: aws().groupId(name) });

const grant = (runId: string, account: string, more: Record<string, string> = {}) =>
  runMain(awsInputs({ principal: 'alice', target: account, role: 'ReadOnlyAccess', ...more }), {
    GITHUB_RUN_ID: runId,
  });

const report = (inputs: Record<string, string> = {}, env: Record<string, string> = {}) => {
  const temp = mkdtempSync(join(workspace, 'runner-temp-'));
  // The token reads the runs that claim a grant (the emulator's runs endpoint).
  const token = { 'github-token': emulator().github.runs.jobToken };
  return runMain(awsInputs({ operation: 'report', ...token, ...inputs }), {
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: temp,
    GITHUB_EVENT_NAME: 'schedule',
    ...env,
  });
};
const rowsOf = (step: { outputs: Record<string, string> }) =>
  (JSON.parse(readFileSync(step.outputs['report-json']!, 'utf8')) as { rows: Row[] }).rows;
const byAccount = (rows: Row[], accountId: string) => rows.filter((r) => r.targetId === accountId);

const MANIFEST = `version: 1
aws:
  manages:
    permission-sets: [ReadOnlyAccess]
    targets: ['444444444444']
  assignments:
    - principal: Auditors
      principal-type: GROUP
      role: ReadOnlyAccess
      target: '444444444444'
`;

describe('a report of the whole instance', () => {
  it('tells every class apart, expands groups, narrows, and writes nothing', async () => {
    writeFileSync(join(workspace, 'access.yml'), MANIFEST);
    expect((await grant('901', '111111111111', { 'revoke-on-exit': 'true' })).exitCode).toBe(0);
    expect((await grant('902', '222222222222')).exitCode).toBe(0);
    aws().addAssignment(place('333333333333', user('bob'))); // by hand, no cloud-access run
    aws().addAssignment(place('444444444444', group('Auditors')));
    const gone = aws().addUser('dave');
    aws().addAssignment(place('555555555555', { type: 'USER', id: gone }));
    aws().state.users.delete(gone);
    aws().addMembership(aws().groupId('Auditors'), aws().userId('carol'));
    const writesBefore = emulator().requests.filter((r) => r.write).length;
    // Run 901's job still goes: its revoke-on-exit grant is a live claim.
    emulator().github.runs.setRun({
      repository: 'octo-org/octo-repo',
      repositoryId: '123456789',
      runId: '901',
      attempt: '1',
      status: 'in_progress',
    });

    const step = await report({ manifest: 'access.yml', 'expand-groups': 'true' });
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toMatch(/report: reading by .*: about \d+ call\(s\), about [\d.]+ minute\(s\)/);
    const rows = rowsOf(step);
    expect(byAccount(rows, '111111111111')).toEqual([
      expect.objectContaining({
        principalName: 'alice',
        role: 'ReadOnlyAccess',
        // Named by the organization's account list, though no target named an OU.
        target: 'account-111111111111',
        held: 'ephemeral',
        run: 'https://github.com/octo-org/octo-repo/actions/runs/901/attempts/1',
        // Its CloudTrail create, by a cloud-access run: the run.
        grantedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        grantedBy: 'https://github.com/octo-org/octo-repo/actions/runs/901/attempts/1',
      }),
    ]);
    expect(byAccount(rows, '222222222222')).toEqual([
      expect.objectContaining({
        principalName: 'alice',
        held: 'permanent',
        run: expect.stringContaining('/runs/902/'),
      }),
    ]);
    expect(byAccount(rows, '333333333333')).toEqual([
      // Made with no create in the history read: before it starts.
      expect.objectContaining({
        principalName: 'bob',
        held: 'foreign',
        run: null,
        grantedAt: expect.stringMatching(/^before \d{4}-/),
        grantedBy: null,
      }),
    ]);
    expect(step.outputs['report-csv']).toMatch(/access-report-aws-\d{8}T\d{6}Z\.csv$/);
    expect(
      (JSON.parse(readFileSync(step.outputs['report-json']!, 'utf8')) as { windows: unknown }).windows,
    ).toEqual([
      expect.objectContaining({ source: 'IAM Identity Center' }),
      expect.objectContaining({ source: 'CloudTrail LookupEvents', historyFrom: expect.any(String) }),
    ]);
    expect(byAccount(rows, '444444444444')).toEqual([
      expect.objectContaining({
        principalKind: 'group',
        principalName: 'Auditors',
        held: 'manifest',
        manifest: 'access.yml',
        manifestLine: 7,
      }),
      expect.objectContaining({
        principalKind: 'user',
        principalName: 'carol',
        held: 'manifest',
        viaGroup: 'Auditors',
      }),
    ]);
    expect(byAccount(rows, '555555555555')).toEqual([
      // An account the organization does not list keeps its ID alone.
      expect.objectContaining({ principalId: gone, principalName: null, held: 'orphaned', target: null }),
    ]);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      manifest: 2,
      ephemeral: 1,
      requested: 0,
      'time-bound': 0,
      permanent: 1,
      foreign: 1,
      orphaned: 1,
    });
    expect(readFileSync(step.outputs['report-csv']!, 'utf8').split('\r\n')[0]).toMatch(
      /^cloud,principalKind,/,
    );
    expect(step.summary).toMatch(
      /<details><summary><code>group Auditors \([^)]+\)<\/code>: 1 grant\(s\), 1 manifest/,
    );
    // Named principals first, the one the store no longer has last.
    expect(step.summary.indexOf('user alice')).toBeLessThan(step.summary.indexOf(gone));

    // Narrowed to one permission set in one account.
    const narrow = await report({ target: '333333333333', role: 'ReadOnlyAccess' });
    expect(narrow.exitCode).toBe(0);
    expect(rowsOf(narrow).map((r) => r.targetId)).toEqual(['333333333333']);
    const none = await report({ role: 'AdministratorAccess' });
    expect(rowsOf(none)).toEqual([]);

    // Each CSV, kept alone, says what its report read: on every row, and in a row of its own when it found nothing.
    const instance = /instance: arn:aws:sso:::instance\/ssoins-[\w-]+; /;
    const whole = csvRowsOf(step);
    expect(whole).toHaveLength(rows.length);
    expect(new Set(whole.map((r) => r.covered))).toEqual(new Set([expect.stringMatching(instance)]));
    expect(whole[0]!.covered).toMatch(
      /; targets: every account; roles: every role; expand-groups: yes; kinds: active$/,
    );
    expect(csvRowsOf(narrow).map((r) => r.covered)).toEqual([
      expect.stringMatching(
        /; targets: 333333333333; roles: ReadOnlyAccess; expand-groups: no; kinds: active$/,
      ),
    ]);
    expect(csvRowsOf(none)).toEqual([
      expect.objectContaining({
        cloud: 'aws',
        principalId: '',
        roleId: '',
        targetId: '',
        held: 'none',
        kind: '',
        covered: expect.stringMatching(/; targets: every account; roles: AdministratorAccess; /),
      }),
    ]);
    expect(JSON.parse(none.outputs.plan!)).toEqual(expect.objectContaining({ foreign: 0, manifest: 0 }));

    // Read-only on a pull request too.
    const pr = await report({}, { GITHUB_EVENT_NAME: 'pull_request' });
    expect(pr.exitCode).toBe(0);
    expect(rowsOf(pr)).toHaveLength(5);
    expect(emulator().requests.filter((r) => r.write)).toHaveLength(writesBefore);
  }, 120_000);
});

describe('a person’s grant older than the history, that a job relied on', () => {
  // A job that finds a grant in place relies on it (`-r`): a reliance says the run needed it, never
  // that the run made it, so the row stays the person's (`foreign`), whether the run goes or ended.
  const RELIER = {
    repository: 'octo-org/octo-repo',
    repositoryId: '123456789',
    runId: '903',
    attempt: '1',
  };
  const relied = (rows: Row[]) => byAccount(rows, '333333333333');

  it('is foreign, relied on by the run, never the run’s ephemeral grant', async () => {
    aws().addAssignment(place('333333333333', user('alice'))); // by hand, before the history
    const job = await grant('903', '333333333333', { 'revoke-on-exit': 'true' });
    expect(job.exitCode).toBe(0);
    expect(aws().sessions.at(-1)?.sessionName).toMatch(/-903-1-r$/);

    emulator().github.runs.setRun({ ...RELIER, status: 'in_progress' });
    const going = await report();
    expect(going.exitCode).toBe(0);
    expect(relied(rowsOf(going))).toEqual([
      expect.objectContaining({
        principalName: 'alice',
        held: 'foreign',
        run: null,
        expiresAt: null,
        live: null,
        grantedAt: expect.stringMatching(/^before \d{4}-/),
        grantedBy: null,
        warning: expect.stringMatching(
          /^relied on by run https:\/\/github\.com\/octo-org\/octo-repo\/actions\/runs\/903\/attempts\/1\b/,
        ),
      }),
    ]);
    expect(JSON.parse(going.outputs.plan!)).toEqual(expect.objectContaining({ foreign: 1, ephemeral: 0 }));

    emulator().github.runs.setRun({ ...RELIER, status: 'completed', conclusion: 'success' });
    const ended = await report();
    const [row] = relied(rowsOf(ended));
    expect(row).toMatchObject({ held: 'foreign', run: null, live: null });
    // The sweep never ends a grant for a reliance: the row does not say it would.
    expect(row!.warning).toMatch(/^relied on by run .*\/runs\/903\//);
    expect(row!.warning).not.toMatch(/the sweep ends it/);
  }, 120_000);
});

describe('a report compared with the last one', () => {
  it('says who gained and lost what, with hostile names inert in every output', async () => {
    aws().addAssignment(place('111111111111', user('bob')));
    aws().addAssignment(place('222222222222', user('carol')));
    const first = await report();
    expect(first.exitCode).toBe(0);
    writeFileSync(join(workspace, 'previous.json'), readFileSync(first.outputs['report-json']!));

    const hostile = aws().addGroup('=HYPERLINK("http://x")::warning::pwned<script>');
    aws().addAssignment(place('333333333333', { type: 'GROUP', id: hostile }));
    aws().state.assignments.clear();
    aws().addAssignment(place('111111111111', user('bob')));
    aws().addAssignment(place('333333333333', { type: 'GROUP', id: hostile }));

    const step = await report({ 'compare-to': 'previous.json' });
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.changes!)).toEqual({ gained: 1, lost: 1 });
    expect(step.summary).toMatch(/1 gained, 1 lost/);
    expect(step.summary).toMatch(/Lost:<\/p><ul><li><code>user carol/);
    expect(step.summary).not.toMatch(/<script>/);
    expect(forgedCommands(step)).toEqual([]);
    const csv = readFileSync(step.outputs['report-csv']!, 'utf8');
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")::warning::pwned<script>"`);
    expect(csv.split('\r\n').some((line) => line.startsWith('='))).toBe(false);
    const json = readFileSync(step.outputs['report-json']!, 'utf8');
    expect(json.split('\n').some((line) => line.trimStart().startsWith('::'))).toBe(false);
    expect(rowsOf(step).find((r) => r.principalKind === 'group')?.principalName).toBe(
      '=HYPERLINK("http://x")::warning::pwned<script>',
    );

    const asked = emulator().requests.length;
    const missing = await report({ 'compare-to': 'nowhere.json' });
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stdout).toMatch(/compare-to.*nowhere\.json.*was not found/);
    expect(emulator().requests.length).toBe(asked);
  }, 120_000);
});

describe('a report of an instance a reconcile reads by principal', () => {
  it('reads by place, so the assignment of a deleted user is listed as orphaned', async () => {
    // Many places, few principals: the store's listing and a call per principal cost less here.
    const accounts = Array.from({ length: 30 }, (_, i) => String(700000000000 + i));
    for (const account of accounts) aws().addAssignment(place(account, group('Auditors')));
    const gone = aws().addUser('erin');
    aws().addAssignment(place(accounts[7]!, { type: 'USER', id: gone }));
    aws().state.users.delete(gone);

    writeFileSync(
      join(workspace, 'read-only.yml'),
      `version: 1
aws:
  manages: {permission-sets: [ReadOnlyAccess]}
  assignments:
    - {principal: Auditors, principal-type: GROUP, role: ReadOnlyAccess, target: '${accounts[0]}'}
`,
    );
    const reconcile = await runMain(
      awsInputs({
        operation: 'reconcile',
        manifest: 'read-only.yml',
        'dry-run': 'true',
        'max-deletions': '100',
      }),
      { GITHUB_WORKSPACE: workspace },
    );
    expect(reconcile.exitCode).toBe(0);
    expect(reconcile.stdout).toMatch(/read: ListAccountAssignmentsForPrincipal per user and group/);

    const byPrincipal = () =>
      emulator().requests.filter((r) => r.operation === 'ListAccountAssignmentsForPrincipal').length;
    const byPrincipalBefore = byPrincipal();
    const step = await report();
    expect(step.exitCode).toBe(0);
    // Each permission set's accounts first, then one list per place: the estimate is the places.
    // An estimate: the sets it has sized when it is told depend on the order their first pages came
    // back (a throttled one comes later), so it may be off by a page or a place per set.
    const sets = aws().state.permissionSets.size;
    const places = [...aws().state.provisioned.values()].reduce((n, accounts) => n + accounts.size, 0);
    const estimate =
      /report: reading by ListAccountAssignments per account × permission set: about (\d+) call\(s\)/.exec(
        step.stdout,
      );
    expect(Math.abs(Number(estimate?.[1]) - (sets + places))).toBeLessThanOrEqual(sets);
    expect(step.stdout).toMatch(/read: ListAccountsForProvisionedPermissionSet per managed permission set/);
    const rows = rowsOf(step);
    expect(rows).toHaveLength(31);
    expect(byAccount(rows, accounts[7]!)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ principalId: gone, principalName: null, held: 'orphaned' }),
        expect.objectContaining({ principalName: 'Auditors', held: 'foreign' }),
      ]),
    );
    expect(JSON.parse(step.outputs.plan!)).toMatchObject({ foreign: 30, orphaned: 1 });
    expect(byPrincipal()).toBe(byPrincipalBefore);
  }, 120_000);
});

describe("a report's account names", () => {
  it('come from the organization, inert; refused, the rows keep account IDs and the report says why', async () => {
    aws().organization.seed({
      accounts: [{ id: '111111111111', name: '::warning::pwned <b>x</b>' }, '222222222222'],
    });
    aws().addAssignment(place('111111111111', user('bob')));
    aws().addAssignment(place('222222222222', user('bob')));

    const named = await report();
    expect(named.exitCode).toBe(0);
    // Inert wherever it is shown: the output keeps the text, with the command's start escaped.
    expect(byAccount(rowsOf(named), '111111111111')[0]!.target).toMatch(/:warning::pwned <b>x<\/b>$/);
    expect(byAccount(rowsOf(named), '222222222222')[0]!.target).toBe('account-222222222222');
    expect(forgedCommands(named)).toEqual([]);
    expect(named.summary).not.toContain('<b>x</b>');

    aws().faults.accessDenied = ['ListAccounts'];
    const refused = await report();
    expect(refused.exitCode).toBe(0);
    expect(rowsOf(refused).map((r) => r.target)).toEqual([null, null]);
    expect(refused.stdout).toMatch(
      /account names not read, rows show account IDs: .*not authorized.*`organizations:ListAccounts`/,
    );
  }, 60_000);
});
