// A runner without a way to Microsoft Graph (egress allow-listed to ARM and Entra, a `graph-endpoint`
// that does not resolve, an app without Graph permissions): names that only label rows are given up
// within seconds, the rows show object IDs, and the step says once what failed and the fix. Only a
// principal written by name needs Graph, and then the step fails fast, naming the fix.
//
// The emulator's Entra issues Graph tokens for its Graph's port under any loopback address or
// `*.emulator.test` name: `127.0.0.2` refuses the connection, `graph.emulator.test` does not resolve.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepRun } from '../../harness/action-runner.js';
import {
  azure,
  azureInputs,
  CONTRIBUTOR,
  plannedRetryMs,
  READER,
  resultsOf,
  runMain,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator();
const workspace = mkdtempSync(join(tmpdir(), 'graph-unreachable-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const MARKER = 'cloud-access:octo-org/octo-repo:access.yml';
const rg = () => `${subscription()}/resourceGroups/rg-app`;
const graphPort = () => new URL(azure().graphEndpoint).port;
const graphRequests = () => emulator().requests.filter((r) => r.service === 'graph');
/** Each way Graph fails a runner: the `graph-endpoint` it is given, the emulator set up for it, and the fix the step names. */
const UNREACHABLE = [
  [
    'refuses the connection',
    () => `https://127.0.0.2:${graphPort()}`,
    /connect ECONNREFUSED 127\.0\.0\.2:\d+/,
    /let the runner reach https:\/\/127\.0\.0\.2:\d+ .*or set `graph-endpoint`/,
  ],
  [
    'does not resolve',
    () => `https://graph.emulator.test:${graphPort()}`,
    /getaddrinfo (ENOTFOUND|EAI_AGAIN) graph\.emulator\.test/,
    /let the runner reach https:\/\/graph\.emulator\.test:\d+ .*or set `graph-endpoint`/,
  ],
] as const;
const CASES = [
  ...UNREACHABLE.map(
    ([name, endpoint, said, fix]) => [name, () => ({ 'graph-endpoint': endpoint() }), said, fix] as const,
  ),
  [
    'refuses the app (403, no Graph permission)',
    () => {
      azure().config.graphRoles = [];
      return {};
    },
    /403 Authorization_RequestDenied/,
    /grant the app the Microsoft Graph permissions names need \(User\.Read\.All/,
  ] as const,
];

const lines = (stdout: string, text: string) => stdout.split('\n').filter((l) => l.includes(text));
/**
 * Given up within seconds, not at the 300 s deadline: the waits the step planned before its
 * retries add to less than 20 s, and no deadline ended it (its own waits, not the machine's speed).
 */
function gaveUpWithinSeconds(step: StepRun): void {
  expect(plannedRetryMs(step)).toBeLessThan(20_000);
  expect(step.stdout).not.toContain('(`timeout-seconds`) passed');
}

describe('an Azure reconcile of object IDs whose Graph cannot name them', () => {
  it.each(CASES)(
    'Graph %s: the rows show object IDs, one line says what failed and the fix, and the step finishes within seconds, not at its deadline',
    async (_case, graph, said, fix) => {
      const kept = azure().addPrincipal({ type: 'User', createdAt: 0 });
      const dropped = azure().addPrincipal({ type: 'Group', createdAt: 0 });
      azure().addRoleAssignment({
        scope: rg(),
        roleDefinitionId: CONTRIBUTOR,
        principalId: dropped,
        description: `[${MARKER}]`,
      });
      writeFileSync(
        join(workspace, 'access.yml'),
        `version: 1
azure:
  manages:
    scopes: [${rg()}]
  assignments:
    - {principal: '${kept}', role: Reader, target: ${rg()}}
`,
      );
      const inputs = graph();
      const step = await runMain(
        azureInputs({ operation: 'reconcile', manifest: 'access.yml', 'timeout-seconds': '300', ...inputs }),
        { GITHUB_WORKSPACE: workspace },
      );
      expect(step.errors).toEqual([]);
      expect(step.exitCode).toBe(0);
      gaveUpWithinSeconds(step);
      const said_ = lines(step.stdout, 'Microsoft Graph did not name');
      expect(said_).toHaveLength(1);
      expect(said_[0]).toMatch(said);
      expect(said_[0]).toMatch(fix);
      expect(said_[0]).toContain('they are shown by object ID; to show their names, ');
      expect(step.stdout).toContain(`create: user ${kept} / Reader`);
      expect(step.stdout).toContain(`delete: group ${dropped} / Contributor`);
      expect(azure().findRoleAssignment(rg(), kept, READER)).toBeDefined();
    },
  );
});

describe('an Azure assign of object IDs needs no Graph at all', () => {
  it.each(CASES)(
    'Graph %s: the grant succeeds within seconds, and Graph is asked nothing',
    async (_case, graph, _said, _fix) => {
      const principal = azure().addPrincipal({ type: 'User', createdAt: 0 });
      const step = await runMain(
        azureInputs({
          principal,
          role: READER,
          target: subscription(),
          'timeout-seconds': '300',
          ...graph(),
        }),
      );
      expect(step.exitCode).toBe(0);
      gaveUpWithinSeconds(step);
      expect(resultsOf(step)[0]?.status).toBe('SUCCEEDED');
      expect(graphRequests()).toEqual([]);
    },
  );

  it.each(UNREACHABLE)(
    "Graph %s: an ID ARM does not know, which Graph would check for an application's client ID, is said once to be unchecked, and the refusal takes its course",
    async (_case, endpoint, said, fix) => {
      const { appId } = azure().addApplication({ displayName: 'deploy-bot' }).application;
      const step = await runMain(
        azureInputs({
          principal: appId,
          role: READER,
          target: subscription(),
          'timeout-seconds': '8',
          'graph-endpoint': endpoint(),
        }),
      );
      expect(step.exitCode).toBe(1);
      // Its own deadline (8 s) may end the refusal's course; the waits it planned stay seconds.
      expect(plannedRetryMs(step)).toBeLessThan(20_000);
      const unchecked = lines(step.stdout, 'could not say whether');
      expect(unchecked).toHaveLength(1);
      expect(unchecked[0]).toContain(
        `Microsoft Graph could not say whether ${appId} is an application's client ID (`,
      );
      expect(unchecked[0]).toMatch(said);
      expect(unchecked[0]).toMatch(fix);
      // The refusal's own ending, or (on a loaded machine) the deadline's, which the step names.
      expect(step.errors.join('\n')).toMatch(
        new RegExp(
          `principal ${appId} was still not found in the directory|the 8s deadline \\(\`timeout-seconds\`\\) passed|when the deadline passed`,
        ),
      );
    },
  );
});

describe('a principal written by name needs Graph', () => {
  it.each(UNREACHABLE)(
    'Graph %s: an assign fails within seconds, not at its deadline, naming the name, what failed, `graph-endpoint` and the object ID that needs no Graph',
    async (_case, endpoint, said, _fix) => {
      azure().addGroup({ displayName: 'platform-deployers' });
      const step = await runMain(
        azureInputs({
          principal: 'group:platform-deployers',
          role: READER,
          target: subscription(),
          'timeout-seconds': '300',
          'graph-endpoint': endpoint(),
        }),
      );
      expect(step.exitCode).toBe(1);
      gaveUpWithinSeconds(step);
      const error = step.errors.join('\n');
      expect(error).toContain(
        '`group:platform-deployers` is a name: resolving it needs Microsoft Graph, and https://',
      );
      expect(error).toMatch(said);
      expect(error).toContain('check that the runner reaches https://');
      expect(error).toContain(
        '`graph-endpoint` sets this endpoint; or give the principal by its object ID, which needs no Graph',
      );
      expect(step.errors).toContain('the step failed before its first grant; nothing was granted or revoked');
    },
  );

  it('a reconcile naming principals fails within seconds the same way, once for all its names', async () => {
    azure().addGroup({ displayName: 'app-readers' });
    azure().addGroup({ displayName: 'app-writers' });
    writeFileSync(
      join(workspace, 'access.yml'),
      `version: 1
azure:
  manages:
    scopes: [${rg()}]
  assignments:
    - {principal: 'group:app-readers', role: Reader, target: ${rg()}}
    - {principal: 'group:app-writers', role: Contributor, target: ${rg()}}
`,
    );
    const step = await runMain(
      azureInputs({
        operation: 'reconcile',
        manifest: 'access.yml',
        'timeout-seconds': '300',
        'graph-endpoint': `https://127.0.0.2:${graphPort()}`,
      }),
      { GITHUB_WORKSPACE: workspace },
    );
    expect(step.exitCode).toBe(1);
    gaveUpWithinSeconds(step);
    const error = step.errors.join('\n');
    expect(error).toContain(
      '`group:app-readers`, `group:app-writers` are names: resolving them needs Microsoft Graph, and https://127.0.0.2:',
    );
    expect(error).toContain('or give the principals by their object IDs, which need no Graph');
    expect(emulator().requests.filter((r) => r.write)).toEqual([]);
  });
});
