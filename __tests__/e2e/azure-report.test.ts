// `operation: report` on Azure, through the bundle as the runner runs it: every role assignment at
// or under the scopes, each with how it is held (a manifest's marker, a run's ephemeral marker, a
// cloud-access step's default description, a PIM end, anyone else's, a principal the directory no
// longer has), the users a group reaches through Microsoft Graph, narrowing by `role`, what changed
// since a previous report, and names inert in every output. A report writes nothing, on any event.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  azure,
  azureInputs,
  CONTRIBUTOR,
  csvRowsOf,
  forgedCommands,
  READER,
  runMain,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator();
const workspace = mkdtempSync(join(tmpdir(), 'azure-report-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));
const scope = () => `${subscription()}/resourceGroups/rg-report`;
const OTHER = '99999999-9999-4999-8999-999999999999';

interface Row {
  principalKind: string;
  principalName: string | null;
  principalId: string;
  targetId: string;
  target: string | null;
  inherited: string | null;
  grantedAt: string | null;
  grantedBy: string | null;
  role: string | null;
  held: string;
  manifest: string | null;
  manifestLine: number | null;
  run: string | null;
  expiresAt: string | null;
  viaGroup: string | null;
}

const user = (name: string) => azure().addUser({ userPrincipalName: `${name}@contoso.com` }).id;
const grant = (principal: string, runId: string, more: Record<string, string> = {}) =>
  runMain(azureInputs({ principal, target: scope(), role: READER, ...more }), { GITHUB_RUN_ID: runId });
const report = (inputs: Record<string, string> = {}, env: Record<string, string> = {}) =>
  // The token reads the runs that claim a grant (the emulator's runs endpoint).
  runMain(
    azureInputs({
      operation: 'report',
      target: scope(),
      'github-token': emulator().github.runs.jobToken,
      ...inputs,
    }),
    {
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: mkdtempSync(join(workspace, 'runner-temp-')),
      GITHUB_EVENT_NAME: 'schedule',
      ...env,
    },
  );
const rowsOf = (step: { outputs: Record<string, string> }) =>
  (JSON.parse(readFileSync(step.outputs['report-json']!, 'utf8')) as { rows: Row[] }).rows;
const rowOf = (rows: Row[], principalId: string) => rows.filter((r) => r.principalId === principalId);

describe('a report of a scope', () => {
  it('tells every class apart, expands groups, narrows by role, and writes nothing', async () => {
    const ephemeral = user('eve');
    const permanent = user('pat');
    const timeBound = user('tim');
    expect((await grant(ephemeral, '801', { 'revoke-on-exit': 'true' })).exitCode).toBe(0);
    expect((await grant(permanent, '802')).exitCode).toBe(0);
    expect((await grant(timeBound, '803', { duration: '2h' })).exitCode).toBe(0);
    // Run 801's job still goes: its revoke-on-exit grant is a live claim.
    emulator().github.runs.setRun({
      repository: 'octo-org/octo-repo',
      runId: '801',
      attempt: '1',
      status: 'in_progress',
    });
    const managed = user('max');
    azure().addRoleAssignment({
      scope: scope(),
      roleDefinitionId: READER,
      principalId: managed,
      description: 'Platform team [cloud-access:octo-org/octo-repo:access/azure.yml]',
      createdBy: azure().objectId,
    });
    // Written by names in the manifest: its line is found as a reconcile resolves them.
    const byName = user('nia');
    azure().addRoleAssignment({
      scope: scope(),
      roleDefinitionId: CONTRIBUTOR,
      principalId: byName,
      description: '[cloud-access:octo-org/octo-repo:access/azure.yml]',
      createdBy: azure().objectId,
    });
    const foreign = user('fay');
    azure().addRoleAssignment({
      scope: scope(),
      roleDefinitionId: CONTRIBUTOR,
      principalId: foreign,
      createdBy: OTHER,
    });
    const gone = azure().addPrincipal({ type: 'User', createdAt: 0 });
    azure().addRoleAssignment({
      scope: scope(),
      roleDefinitionId: READER,
      principalId: gone,
      createdBy: OTHER,
    });
    const team = azure().addGroup({ displayName: 'Readers' }).id;
    const nested = azure().addGroup({ displayName: 'Interns' }).id;
    const member = user('gus');
    const intern = user('ida');
    azure().state.directory.addMember(team, member);
    azure().state.directory.addMember(team, nested);
    azure().state.directory.addMember(nested, intern);
    azure().addRoleAssignment({
      scope: scope(),
      roleDefinitionId: READER,
      principalId: team,
      principalType: 'Group',
      createdBy: OTHER,
    });
    mkdirSync(join(workspace, 'access'), { recursive: true });
    writeFileSync(
      join(workspace, 'access', 'azure.yml'),
      `version: 1\nazure:\n  manages:\n    scopes: [${scope()}]\n  assignments:\n    - principal: ${managed}\n      role: ${READER}\n      target: ${scope()}\n    - principal: user:nia@contoso.com\n      role: Contributor\n      target: ${scope()}\n    - principal: user:nobody@contoso.com\n      role: Reader\n      target: ${scope()}\n`,
    );
    const writesBefore = emulator().requests.filter((r) => r.write).length;

    const step = await report({ 'expand-groups': 'true', manifest: 'access/azure.yml' });
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toMatch(/report: reading by .*: about 3 call\(s\)/);
    const rows = rowsOf(step);
    expect(rowOf(rows, ephemeral)).toEqual([
      expect.objectContaining({
        principalName: 'eve@contoso.com',
        role: 'Reader',
        held: 'ephemeral',
        run: 'https://github.com/octo-org/octo-repo/actions/runs/801/attempts/1',
      }),
    ]);
    expect(rowOf(rows, permanent)).toEqual([
      expect.objectContaining({ held: 'permanent', run: expect.stringContaining('/runs/802/') }),
    ]);
    expect(rowOf(rows, timeBound)).toEqual([
      expect.objectContaining({ held: 'time-bound', expiresAt: expect.stringMatching(/^\d{4}-/) }),
    ]);
    expect(rowOf(rows, managed)).toEqual([
      expect.objectContaining({ held: 'manifest', manifest: 'access/azure.yml', manifestLine: 6 }),
    ]);
    expect(rowOf(rows, byName)).toEqual([
      expect.objectContaining({
        held: 'manifest',
        role: 'Contributor',
        manifest: 'access/azure.yml',
        manifestLine: 9,
      }),
    ]);
    // An entry whose name resolves to nobody is said at its line; the rest still show theirs.
    expect(step.warnings.join('\n')).toMatch(/access\/azure\.yml:12: .*nobody@contoso\.com/);
    expect(rowOf(rows, foreign)).toEqual([expect.objectContaining({ held: 'foreign', role: 'Contributor' })]);
    expect(rowOf(rows, gone)).toEqual([expect.objectContaining({ held: 'orphaned', principalName: null })]);
    expect(rowOf(rows, team)).toEqual([
      expect.objectContaining({ principalKind: 'group', principalName: 'Readers', held: 'foreign' }),
    ]);
    expect(rowOf(rows, member)).toEqual([
      expect.objectContaining({ principalKind: 'user', viaGroup: 'Readers' }),
    ]);
    expect(rowOf(rows, intern)).toEqual([
      expect.objectContaining({ principalName: 'ida@contoso.com', viaGroup: 'Readers' }),
    ]);
    expect(JSON.parse(step.outputs.plan!)).toEqual({
      manifest: 2,
      ephemeral: 1,
      requested: 0,
      'time-bound': 1,
      permanent: 1,
      // The seed's two assignments above the scope, each shown as inherited from where it is.
      foreign: 6,
      orphaned: 1,
    });
    const inherited = rows.filter((r) => r.inherited !== null);
    expect(inherited).toHaveLength(2);
    for (const r of inherited)
      expect(r).toMatchObject({ targetId: scope(), inherited: expect.stringMatching(/^inherited from \//) });
    expect(inherited.map((r) => r.inherited).join()).toContain('managementGroups/');
    expect(rowOf(rows, foreign)[0]).toMatchObject({
      grantedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      grantedBy: expect.stringContaining(OTHER),
    });
    expect(step.outputs['report-csv']).toMatch(/access-report-azure-\d{8}T\d{6}Z\.csv$/);
    expect(JSON.parse(readFileSync(step.outputs['report-json']!, 'utf8')).windows).toEqual([
      expect.objectContaining({ source: expect.stringContaining('ARM'), start: expect.any(String) }),
    ]);

    const readers = await report({ role: 'Contributor' });
    expect(
      rowsOf(readers)
        .map((r) => r.principalId)
        .sort(),
    ).toEqual([byName, foreign].sort());
    const pr = await report({}, { GITHUB_EVENT_NAME: 'pull_request' });
    expect(pr.exitCode).toBe(0);
    expect(rowsOf(pr)).toHaveLength(10);

    // Each CSV, kept alone, says what its report read: on every row, and in a row of its own when it found nothing.
    const whole = csvRowsOf(step);
    expect(whole).toHaveLength(rows.length);
    // And when: on every row, the time its name says, the end of the read of the assignments.
    const readAt = (
      JSON.parse(readFileSync(step.outputs['report-json']!, 'utf8')) as { windows: { end: string }[] }
    ).windows[0]!.end;
    expect(new Set(whole.map((r) => r.readAt))).toEqual(new Set([readAt]));
    expect(step.outputs['report-csv']).toContain(readAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z'));
    expect(new Set(whole.map((r) => r.covered))).toEqual(
      new Set([`targets: ${scope()}; roles: every role; expand-groups: yes; kinds: active, eligible`]),
    );
    expect(new Set(csvRowsOf(readers).map((r) => r.covered))).toEqual(
      new Set([`targets: ${scope()}; roles: Contributor; expand-groups: no; kinds: active, eligible`]),
    );
    const none = await report({ role: 'Owner' });
    expect(rowsOf(none)).toEqual([]);
    expect(csvRowsOf(none)).toEqual([
      expect.objectContaining({
        cloud: 'azure',
        principalId: '',
        targetId: '',
        held: 'none',
        kind: '',
        readAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        covered: `targets: ${scope()}; roles: Owner; expand-groups: no; kinds: active, eligible`,
      }),
    ]);
    expect(emulator().requests.filter((r) => r.write)).toHaveLength(writesBefore);
  }, 120_000);
});

describe('a report compared with the last one', () => {
  it('says who gained and lost what, with hostile names inert in every output', async () => {
    const kept = user('kim');
    const lost = user('lou');
    azure().addRoleAssignment({ scope: scope(), roleDefinitionId: READER, principalId: kept });
    const dropped = azure().addRoleAssignment({
      scope: scope(),
      roleDefinitionId: READER,
      principalId: lost,
    });
    const first = await report();
    writeFileSync(join(workspace, 'previous.json'), readFileSync(first.outputs['report-json']!));

    azure().state.assignments.splice(
      azure().state.assignments.findIndex((a) => a.name === dropped.name),
      1,
    );
    const hostile = azure().addGroup({ displayName: '=HYPERLINK("http://x")\n::warning::pwned<script>' }).id;
    azure().addRoleAssignment({
      scope: scope(),
      roleDefinitionId: READER,
      principalId: hostile,
      principalType: 'Group',
    });

    const step = await report({ 'compare-to': 'previous.json' });
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.changes!)).toEqual({ gained: 1, lost: 1 });
    expect(step.summary).toMatch(/Gained:<\/p><ul><li><code>group &quot;=HYPERLINK/);
    expect(step.summary).not.toMatch(/<script>/);
    expect(forgedCommands(step)).toEqual([]);
    const csv = readFileSync(step.outputs['report-csv']!, 'utf8');
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")%0A::warning::pwned<script>"`);
    const json = readFileSync(step.outputs['report-json']!, 'utf8');
    expect(json.split('\n').some((line) => line.trimStart().startsWith('::'))).toBe(false);
  }, 120_000);
});

describe("a report of a subscription, named by the subscription's display name", () => {
  it('names the target in the JSON, the CSV and the summary, with a hostile display name inert in each and in the log', async () => {
    const hostile = '=cmd|"/c calc"!A1\n::warning::pwned\r\n##[error]forged<script>';
    azure().addSubscription(azure().subscriptionId, { managementGroup: 'platform', displayName: hostile });
    const held = user('sam');
    azure().addRoleAssignment({ scope: subscription(), roleDefinitionId: READER, principalId: held });

    const step = await report({ target: subscription() });
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toMatch(/report: reading by .*: about 4 call\(s\)/);
    expect(step.stdout).toMatch(/read: .*one subscription read per subscription target: 4 call\(s\)/);
    const json = readFileSync(step.outputs['report-json']!, 'utf8');
    const [row] = rowOf(rowsOf(step), held);
    expect(row).toMatchObject({
      targetId: subscription(),
      target: expect.stringMatching(/^subscription =cmd/),
    });
    expect(json.split('\n').some((line) => /^\s*(::|##\[)/.test(line))).toBe(false);
    const csv = readFileSync(step.outputs['report-csv']!, 'utf8');
    const cell = csv.split('\n').find((line) => line.includes(held))!;
    expect(cell).toContain('"subscription =cmd|""/c calc""!A1%0A::warning::pwned');
    expect(csv.split('\n').some((line) => /^\s*(=|::|##\[)/.test(line))).toBe(false);
    expect(step.summary).toContain(
      '<code>&quot;subscription =cmd|\\&quot;/c calc\\&quot;!A1%0A::warning::pwned%0D%0A%23%23[error]forged&lt;script&gt;&quot; (/subscriptions/',
    );
    expect(step.summary).not.toMatch(/<script>/);
    expect(forgedCommands(step)).toEqual([]);
  }, 120_000);
});
