// `operation: report` as a pipeline, over a recorded runner and an in-memory reader: the plan said
// before the read, the rows classed and written to the files, the outputs and summary; a manifest
// that does not parse or a previous report that is not one stops the step before any sign-in.
import { runKeyOf, type RunRef } from '../../../src/core/claims/claims.js';
import { describe, expect, it } from '@jest/globals';
import { parseInputs, type ConfigOf } from '../../../src/core/inputs/index.js';
import type { AccessReader } from '../../../src/engine/run/access-reader.js';
import { emptyStats } from '../../../src/engine/calls/driver.js';
import { runReport, type ReportSources } from '../../../src/operations/report/index.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';

const RUN = {
  repository: 'octo-org/octo-repo',
  repositoryId: '42',
  runId: '7',
  runAttempt: '1',
  serverUrl: 'https://github.com',
};
const PUSH = { eventName: 'push', tokenEndpoint: 'https://token.example' };
const config = (inputs: Record<string, string> = {}) =>
  parseInputs(
    (name) =>
      ({
        cloud: 'aws',
        operation: 'report',
        'aws-region': 'us-east-1',
        'role-to-assume': 'arn:aws:iam::123456789012:role/r',
        ...inputs,
      })[name] ?? '',
    {},
    RUN,
  ) as ConfigOf<'report'>;

type Read = Awaited<ReturnType<AccessReader['read']>>;

function sources(
  files: Record<string, string> = {},
  more: Partial<Read> = {},
): ReportSources & { written: { json: string; csv: string }[]; opened: number } {
  const written: { json: string; csv: string }[] = [];
  const reader: AccessReader = {
    cloud: 'aws',
    stats: emptyStats(),
    read: async ({ onPlan }) => {
      onPlan({ strategy: 'by principal', calls: 3, minutes: 0.1 });
      return {
        ...more,
        held: [
          {
            kind: 'aws-account-assignment',
            principal: { id: 'u-1', name: 'alice', kind: 'user' },
            role: { id: 'ps-1', name: 'ReadOnly' },
            target: { id: '111111111111' },
            mark: { run: { repositoryId: '42', runId: '5', attempt: '1' }, ephemeral: true },
            // A running job's claim, as the evidence proved it: its run is asked about below.
            runClaim: {
              ids: { cloud: 'aws', principalId: 'u-1', roleId: 'ps-1', accountId: '111111111111' },
              shown: { principal: 'u-1', role: 'ps-1', target: '111111111111' },
              mark: { run: { repositoryId: '42', runId: '5', attempt: '1' }, ephemeral: true },
              madeBy: 'arn:aws:sts::1:assumed-role/deployer/cloud-access-42-5-1-e',
              madeAt: 0,
              evidence: 'CloudTrail',
              standing: { holds: true },
            },
          },
          {
            kind: 'aws-account-assignment',
            principal: { id: 'u-2', kind: 'user', gone: true },
            role: { id: 'ps-1' },
            target: { id: '222222222222' },
          },
        ],
        notes: ['a note'],
        warnings: [],
        read: { strategy: 'by principal', calls: 3, alternatives: [] },
        readMs: 12,
        scope: 'everything',
        ...more,
      };
    },
  };
  const self = {
    written,
    opened: 0,
    readManifest: async (path: string) =>
      path in files ? { path, text: files[path]! } : { path, unreadable: 'was not found' },
    readPrevious: async (path: string) =>
      path in files ? { path, text: files[path]! } : { path, unreadable: 'was not found' },
    openReader: async () => {
      self.opened++;
      return {
        reader,
        // Every run asked about is still going.
        readRuns: async (runs: readonly RunRef[]) => ({
          states: new Map(runs.map((r) => [runKeyOf(r), { state: 'going' as const, status: 'in_progress' }])),
          requests: runs.length,
        }),
      };
    },
    writeFiles: async (json: string, csv: string) => {
      written.push({ json, csv });
      return { json: '/tmp/r.json', csv: '/tmp/r.csv' };
    },
    openPulls: () => Promise.reject(new Error('a report without `prune` opens no pull request')),
  };
  return self;
}

describe('a report step', () => {
  it("on a fork's pull request, without an OIDC token, says so and signs in to nothing", async () => {
    const { effects, said } = recordedRunner();
    const from = sources();
    await runReport(
      config(),
      onEvent(effects, { eventName: 'pull_request', tokenEndpoint: undefined }),
      from,
      Date.now,
    );
    expect(from.opened).toBe(0);
    expect(said.failed).toEqual([]);
    expect(said.notices).toEqual([
      expect.stringMatching(/no OIDC token on this `pull_request` run.*the report is skipped/),
    ]);
  });

  it('says its plan before reading, classes each row, writes both files and sets its outputs', async () => {
    const { effects, said, outputs } = recordedRunner();
    const from = sources();
    await runReport(config(), onEvent(effects, PUSH), from, () => 0);
    expect(said.log).toContain(
      "report: reading by by principal: about 3 call(s), about 0.1 minute(s) at the service's pace",
    );
    expect(said.log.indexOf('a note')).toBeGreaterThan(
      said.log.findIndex((l) => l.startsWith('report: reading')),
    );
    expect(JSON.parse(outputs.plan!)).toMatchObject({ ephemeral: 1, orphaned: 1 });
    expect(outputs).toMatchObject({
      status: 'SUCCEEDED',
      changed: 'false',
      'report-json': '/tmp/r.json',
      'report-csv': '/tmp/r.csv',
    });
    expect(JSON.parse(from.written[0]!.json).rows).toHaveLength(2);
    expect(said.summary).toMatch(/user alice \(u-1\)/);
    expect(said.failed).toEqual([]);
  });

  it("says in its CSV's every row what it read: the instance, the targets as asked, the roles, groups and kinds", async () => {
    const { effects } = recordedRunner();
    const from = sources({}, { instance: 'arn:aws:sso:::instance/ssoins-1' });
    await runReport(
      config({ target: 'ou-ab12-cdef3456', role: 'ReadOnly', 'expand-groups': 'true' }),
      onEvent(effects, PUSH),
      from,
      () => 0,
    );
    const lines = from.written[0]!.csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/,kind,covered,readAt,live$/);
    const covered =
      '"instance: arn:aws:sso:::instance/ssoins-1; targets: ou-ab12-cdef3456; roles: ReadOnly; expand-groups: yes; kinds: active"';
    // When it was read: a reader that says no window read at the report's own time.
    expect(
      lines
        .slice(1)
        .map(
          (l) => /,"1970-01-01T00:00:00.000Z",(?:"(?:true|false)")?$/.test(l) && l.includes(`,${covered},`),
        ),
    ).toEqual([true, true]);
  });

  it('of nothing held, writes a CSV row that says what it read and found nothing, and counts no grant', async () => {
    const { effects, said, outputs } = recordedRunner();
    const from = sources({}, { held: [], instance: 'arn:aws:sso:::instance/ssoins-1' });
    await runReport(config({ role: 'AdministratorAccess' }), onEvent(effects, PUSH), from, () => 0);
    const lines = from.written[0]!.csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^"aws",,,,,,,,"none",.*,"instance: .*; roles: AdministratorAccess; [^"]*","1970-01-01T00:00:00\.000Z",$/,
    );
    expect(JSON.parse(from.written[0]!.json)).toMatchObject({ rows: [] });
    expect(Object.values(JSON.parse(outputs.plan!) as Record<string, number>)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(JSON.parse(outputs.results!)).toEqual([]);
    expect(said.summary).not.toMatch(/none/);
    expect(said.failed).toEqual([]);
  });

  it('compares with a previous report: changes counts who gained and who lost', async () => {
    const { effects, outputs } = recordedRunner();
    const previous = JSON.stringify({
      version: 1,
      cloud: 'aws',
      rows: [{ principalId: 'u-9', roleId: 'ps-1', targetId: '111111111111' }],
    });
    await runReport(
      config({ 'compare-to': 'prev.json' }),
      onEvent(effects, PUSH),
      sources({ 'prev.json': previous }),
      Date.now,
    );
    expect(JSON.parse(outputs.changes!)).toEqual({ gained: 2, lost: 1 });
  });

  it('with expand-groups, says of each group with no user member that no row shows anyone through it', async () => {
    const group = (id: string, name: string) => ({
      kind: 'aws-account-assignment' as const,
      principal: { id, name, kind: 'group' as const },
      role: { id: 'ps-1', name: 'ReadOnly' },
      target: { id: '111111111111' },
    });
    const { effects, said } = recordedRunner();
    await runReport(
      config({ 'expand-groups': 'true' }),
      onEvent(effects, PUSH),
      sources(
        {},
        {
          held: [group('g-1', 'Deployers'), group('g-2', 'Auditors'), group('g-3', 'Unlisted')],
          members: new Map([
            ['g-1', []],
            ['g-2', [{ id: 'u-1', name: 'alice', kind: 'user' as const }]],
          ]),
        },
      ),
      Date.now,
    );
    const line =
      'expand-groups: group Deployers (g-1) has no user members: no row shows anyone holding its grants through it';
    expect(said.log.filter((l) => l.startsWith('expand-groups:'))).toEqual([line]);
    expect(said.summary).toContain(`<p>${line}</p>`);
  });

  it('stops before any sign-in on a manifest that does not parse, or a previous report that is not one', async () => {
    for (const [inputs, files] of [
      [{ manifest: 'access.yml' }, { 'access.yml': 'version: 2\n' }],
      [{ 'compare-to': 'prev.json' }, { 'prev.json': '{"version":1,"cloud":"azure","rows":[]}' }],
    ] as const) {
      const { effects, said } = recordedRunner();
      const from = sources(files);
      await runReport(config(inputs), onEvent(effects, PUSH), from, Date.now);
      expect(from.opened).toBe(0);
      expect(said.failed).toHaveLength(1);
    }
  });
});
