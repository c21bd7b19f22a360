// `npm run release` (scripts/release/release.ts) against a real git remote in a temporary folder: a final
// release pushes its tag and moves the major tag in one push, a prerelease leaves the major tag
// alone, and nothing is tagged or pushed when a check fails.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { release, releaseTags, ReleaseError, type ReleaseOptions } from '../../scripts/release/release.js';

describe('the tags a version makes', () => {
  it('a final release: its own tag and the major tag', () => {
    expect(releaseTags('1.2.3')).toEqual({ tag: 'v1.2.3', major: 'v1', prerelease: false });
    expect(releaseTags('2.0.0')).toEqual({ tag: 'v2.0.0', major: 'v2', prerelease: false });
  });

  it('a prerelease: its own tag only, so `v1` never points at a release candidate', () => {
    expect(releaseTags('1.2.0-rc.1')).toEqual({ tag: 'v1.2.0-rc.1', major: undefined, prerelease: true });
  });

  it('no tag for what is not a semantic version', () => {
    expect(releaseTags('1.2')).toMatch(/not a semantic version/);
    expect(releaseTags('v1.2.3')).toMatch(/not a semantic version/);
  });
});

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    env: GIT_ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

/** A clone of a bare `origin` whose main has v1.0.0 (and v1 on it), then a commit bumping to `version`. */
function repository(version: string, changelog = `## [${version}]\n\n- a change\n`): string {
  const root = mkdtempSync(join(tmpdir(), 'release-'));
  folders.push(root);
  const origin = join(root, 'origin.git');
  const work = join(root, 'work');
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', origin);
  git(root, 'clone', '--quiet', origin, work);
  const commit = (v: string, notes: string) => {
    writeFileSync(join(work, 'package.json'), JSON.stringify({ version: v }));
    writeFileSync(join(work, 'CHANGELOG.md'), notes);
    git(work, 'add', '.');
    git(work, 'commit', '--quiet', '-m', v);
  };
  commit('1.0.0', '## [1.0.0]\n');
  git(work, 'tag', 'v1.0.0');
  git(work, 'tag', 'v1');
  git(work, 'push', '--quiet', 'origin', 'main', 'v1.0.0', 'v1');
  commit(version, changelog);
  git(work, 'push', '--quiet', 'origin', 'main');
  return work;
}

/** The commit each tag of the remote points at (annotated tags peeled). */
function remoteTags(work: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const line of git(work, 'ls-remote', '--tags', 'origin').split('\n')) {
    const [sha, ref] = line.split('\t') as [string, string];
    const name = ref.replace(/^refs\/tags\//, '');
    if (name.endsWith('^{}')) tags[name.slice(0, -3)] = sha;
    else tags[name] ??= sha;
  }
  return tags;
}

function run(work: string, options: Partial<ReleaseOptions> = {}) {
  const lines: string[] = [];
  const commit = release({
    cwd: work,
    env: GIT_ENV,
    checkDist: () => [],
    log: (l) => lines.push(l),
    ...options,
  });
  return { commit, lines };
}

describe('npm run release', () => {
  it('pushes v1.1.0 and moves v1 to the same commit, as the remote then says', () => {
    const work = repository('1.1.0');
    const head = git(work, 'rev-parse', 'HEAD');
    const { commit, lines } = run(work);
    expect(commit).toBe(head);
    expect(remoteTags(work)).toMatchObject({ 'v1.1.0': head, v1: head });
    expect(lines.at(-1)).toContain(`v1.1.0 and v1 are at ${head} on origin`);
  });

  it('pushes a release candidate alone: v1 stays on the last final release', () => {
    const work = repository('1.1.0-rc.1');
    const before = remoteTags(work).v1;
    run(work);
    expect(remoteTags(work)).toMatchObject({ 'v1.1.0-rc.1': git(work, 'rev-parse', 'HEAD'), v1: before });
  });

  it.each([
    [
      'the work tree has changes',
      (work: string) => writeFileSync(join(work, 'package.json'), '{"version":"1.1.0","x":1}'),
      {},
      'the work tree has changes',
    ],
    [
      'CHANGELOG.md has no section for the version',
      () => undefined,
      { changelog: '## [Unreleased]\n' },
      'no `## [1.1.0]` section',
    ],
    [
      'dist/ is not what the source builds to',
      () => undefined,
      { checkDist: () => [' M dist/index.js'] },
      'dist/ is not what the source builds to',
    ],
    [
      'HEAD is not on main at the remote',
      (work: string) => git(work, 'commit', '--quiet', '--allow-empty', '-m', 'local'),
      {},
      'is not on origin/main',
    ],
  ])(
    'tags and pushes nothing when %s',
    (_what, spoil, settings: { changelog?: string; checkDist?: () => string[] }, message) => {
      const work = repository('1.1.0', settings.changelog);
      spoil(work);
      const before = remoteTags(work);
      expect(() => run(work, settings.checkDist ? { checkDist: settings.checkDist } : {})).toThrow(
        ReleaseError,
      );
      expect(() => run(work, settings.checkDist ? { checkDist: settings.checkDist } : {})).toThrow(message);
      expect(remoteTags(work)).toEqual(before);
      expect(git(work, 'tag', '--list', 'v1.1.0')).toBe('');
    },
  );

  it('refuses a version that is tagged already', () => {
    const work = repository('1.1.0');
    run(work);
    expect(() => run(work)).toThrow('v1.1.0 exists already');
  });

  it('checks everything and pushes nothing in a dry run', () => {
    const work = repository('1.1.0');
    const before = remoteTags(work);
    const { lines } = run(work, { dryRun: true });
    expect(lines).toEqual([expect.stringContaining('dry run: would tag v1.1.0 and v1 at')]);
    expect(remoteTags(work)).toEqual(before);
  });
});
