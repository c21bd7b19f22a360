// The prune's pull request (src/operations/report/prune-pull.ts) against the emulated GitHub API:
// the sets' tags asked for the candidates' sets only; a dry run asks GitHub nothing; a refusal
// (a permission) fails the step naming it, with no pull request; a row its entry names only
// through a path not read is left, with why, and the others still removed.
import { describe, expect, it } from '@jest/globals';
import { parseInputs, type ConfigOf } from '../../../src/core/inputs/index.js';
import { accessRows } from '../../../src/operations/report/access-rows.js';
import { usageRows } from '../../../src/operations/report/access-usage.js';
import { pruneByPullRequest, type PruneContext } from '../../../src/operations/report/prune-pull.js';
import type { UsageRead } from '../../../src/engine/run/access-reader.js';
import { emulatedGitHub } from '../../harness/emulated-github.js';
import { reader as inputs } from '../../harness/input-problems.js';
import { held, RUN } from './held-rows.js';

const github = emulatedGitHub();
const DAY = 86_400_000;
const NOW = Date.now();
const PATH = 'access.yml';
const MANIFEST = `version: 1
aws:
  assignments:
    - principal: [alice, bob]
      role: ReadOnly
      target: '111111111111'
    - principal: carol
      role: ReadOnly
      target: Root/Workloads
`;

const config = (more: Record<string, string> = {}) =>
  parseInputs(
    inputs({
      cloud: 'aws',
      operation: 'report',
      'aws-region': 'us-east-1',
      'role-to-assume': 'arn:aws:iam::123456789012:role/cloud-access',
      'last-used': 'true',
      prune: 'pull-request',
      manifest: PATH,
      'github-token': 'ghs_token',
      ...more,
    }),
  ) as ConfigOf<'report'>;

/** alice used her grant; bob and carol (through Root/Workloads) did not. */
function rows() {
  const old = { granted: { at: '2025-01-01T00:00:00Z' } };
  const assignments = [
    held({ ...old, manifest: { path: PATH, line: 4 } }, 'u-alice', 'alice'),
    held({ ...old, manifest: { path: PATH, line: 4 } }, 'u-bob', 'bob'),
    held({ ...old, manifest: { path: PATH, line: 7 }, target: { id: '333333333333' } }, 'u-carol', 'carol'),
  ];
  const read: UsageRead = {
    signIns: [
      { eventId: 'e-1', at: NOW - DAY, userId: 'u-alice', accountId: '111111111111', setName: 'ReadOnly' },
    ],
    notUses: {},
    since: NOW - 90 * DAY,
    regions: ['us-east-1'],
    gaps: [],
    pages: 1,
    members: new Map(),
    notes: [],
  };
  const request = { source: { kind: 'lookup-events' as const }, unusedAfterMs: 90 * DAY };
  return usageRows(accessRows('aws', assignments, RUN), read, request, NOW);
}

function context(more: Partial<PruneContext> = {}): PruneContext & { asked: string[][] } {
  const asked: string[][] = [];
  const { rows: joined, ending } = rows();
  return {
    asked,
    rows: joined,
    usage: ending,
    reader: {
      setTags: async (ids) => {
        asked.push([...ids]);
        return new Map(ids.map((id) => [id, []]));
      },
      accountsUnder: async (units) => new Map(units.map((u) => [u, 'Organizations was not asked'])),
    },
    eventName: 'schedule',
    now: NOW,
    openPulls: () => github.reviewApi(),
    ...more,
  };
}

describe("a report's prune", () => {
  it("asks the tags of the candidates' sets only, removes what it can and leaves the rest with why", async () => {
    github.emulator().github.repository.setFile('main', PATH, MANIFEST);
    const at = context();
    const ending = (await pruneByPullRequest(config(), at))!;
    expect(at.asked).toEqual([['ps-1']]);
    expect(ending.url).toMatch(/\/pull\/1$/);
    expect(ending.failed).toBeUndefined();
    expect(ending.warnings).toEqual([
      expect.stringMatching(/^prune: 1 unused manifest row\(s\) could not be removed/),
    ]);
    expect(ending.summaryHtml).toMatch(/carol[\s\S]*left for removal by hand: .*Root\/Workloads/);
    const branch = `cloud-access-prune/${new Date(NOW).toISOString().slice(0, 10)}`;
    const edited = github.emulator().github.repository.fileAt(branch, PATH)!;
    expect(edited).toContain('principal: alice');
    expect(edited).not.toContain('bob');
    expect(edited).toContain('principal: carol');
  });

  it('asks GitHub nothing on a dry run, and says what it would remove', async () => {
    let opened = 0;
    const ending = (await pruneByPullRequest(
      config({ 'dry-run': 'true' }),
      context({ openPulls: () => (opened++, github.reviewApi()) }),
    ))!;
    expect(opened).toBe(0);
    expect(ending.url).toBe('');
    expect(ending.lines).toEqual([
      expect.stringMatching(/^prune: would remove 2 manifest row\(s\).*`dry-run: true`/),
    ]);
  });

  it('fails naming the permission when GitHub refuses the branch, and opens no pull request', async () => {
    github.emulator().github.repository.setFile('main', PATH, MANIFEST);
    github.emulator().github.issues.setPermissions({ contents: 'read' });
    const ending = (await pruneByPullRequest(config(), context()))!;
    expect(ending.url).toBe('');
    expect(ending.failed).toMatch(/^prune: GitHub refused to create the branch .*contents: write/);
    expect(
      github
        .emulator()
        .github.issues.issues()
        .filter((i) => i.pull),
    ).toEqual([]);
  });

  // Any workflow with `contents: write` pushes and opens pull requests as the same bot: one on
  // today's branch holding exactly the removal, but into another branch (a release branch whose
  // manifest the reconcile of production reads), merged, would give that branch the default
  // branch's grants. The prune calls no pull request its own that does not go to the default branch.
  it('reuses no open pull request on its branch that goes into another branch than the default', async () => {
    const repository = github.emulator().github.repository;
    repository.setFile('main', PATH, MANIFEST);
    const yesterday = (await pruneByPullRequest(config(), context({ now: NOW - 86_400_000 })))!;
    expect(yesterday.failed).toBeUndefined();
    const removal = repository.fileAt(
      `cloud-access-prune/${new Date(NOW - 86_400_000).toISOString().slice(0, 10)}`,
      PATH,
    )!;
    // Production's branch does not grant alice yet; the forged pull request would.
    repository.createBranch('release', repository.headOf('main'));
    repository.setFile('release', PATH, MANIFEST.replace('principal: [alice, bob]', 'principal: bob'));
    const today = `cloud-access-prune/${new Date(NOW).toISOString().slice(0, 10)}`;
    repository.createBranch(today, repository.headOf('release'));
    repository.setFile(today, PATH, removal);
    const forged = await (
      await github.reviewApi()
    ).openPull({ title: 'Prune', body: '', head: today, base: 'release' });
    const ending = (await pruneByPullRequest(config(), context()))!;
    expect(ending.url).toBe('');
    expect(ending.failed).toMatch(
      new RegExp(
        `^prune: the open pull request #${forged.number} on \`${today}\` is not this report's prune: it goes into \`release\`, not \`main\``,
      ),
    );
  });

  // Between the branch made and the pull request opened, any workflow with `contents: write` can
  // push the branch as the same bot: the prune calls no pull request with that commit its own.
  it('closes the pull request it opened when a stranger pushed the branch after its commit', async () => {
    const repository = github.emulator().github.repository;
    repository.setFile('main', PATH, MANIFEST);
    const today = `cloud-access-prune/${new Date(NOW).toISOString().slice(0, 10)}`;
    const openPulls = async () => {
      const api = await github.reviewApi();
      return {
        ...api,
        commitFile: async (...args: Parameters<typeof api.commitFile>) => {
          const made = await api.commitFile(...args);
          repository.setFile(today, '.github/workflows/grant.yml', 'on: push\n');
          return made;
        },
      };
    };
    const ending = (await pruneByPullRequest(config(), context({ openPulls })))!;
    expect(ending.url).toBe('');
    expect(ending.failed).toMatch(
      new RegExp(
        `^prune: the branch \`${today}\` holds a commit the prune did not make: pull request #1's head is .*; pull request #1 is closed: delete the branch \`${today}\``,
      ),
    );
    expect(github.emulator().github.issues.issue(1)?.state).toBe('closed');
  });

  it('is nothing without `prune`', async () => {
    expect(await pruneByPullRequest(config({ prune: '' }), context())).toBeUndefined();
  });
});
