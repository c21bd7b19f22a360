// `npm run release [-- --dry-run]`: tags the version package.json names on the merge commit and,
// for a final release, moves the major tag (`v1`) to the same commit, then pushes both in one
// atomic push with your own git credentials, and reads them back from the remote. The release
// workflow (.github/workflows/release.yml) then checks the tag and publishes the GitHub release.
//
// Why here and not in the workflow (actions/typescript-action releases with a local script too):
// the workflow's token may be refused a tag push (GitHub refuses an app token without the
// `workflows` permission a ref that brings in workflow changes), which left `v1` behind unnoticed
// after the release was out. Your own credentials can push it, the push of both tags succeeds or
// fails as one, and the workflow refuses to publish a final release that `v1` does not point at.
// A prerelease (`1.2.0-rc.1`) never moves `v1`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface ReleaseTags {
  /** `v1.2.3`, the release's own tag. */
  tag: string;
  /** `v1`, moved to the release for a final release; undefined for a prerelease. */
  major: string | undefined;
  prerelease: boolean;
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** The tags `version` makes, or why it makes none. */
export function releaseTags(version: string): ReleaseTags | string {
  const match = SEMVER.exec(version);
  if (!match) return `\`${version}\` is not a semantic version such as 1.2.3 or 1.2.3-rc.1`;
  const prerelease = match[4] !== undefined;
  return { tag: `v${version}`, major: prerelease ? undefined : `v${match[1]}`, prerelease };
}

/** Whether CHANGELOG.md has a `## [version]` section, whose text the release's notes are. */
export function hasChangelogSection(changelog: string, version: string): boolean {
  return changelog.split('\n').some((line) => line.startsWith(`## [${version}]`));
}

export interface ReleaseOptions {
  /** The repository's work tree. */
  cwd: string;
  remote?: string;
  /** The branch releases are tagged on. */
  branch?: string;
  /** Why dist/ is not what the source builds to; none when it is. */
  checkDist: () => string[];
  /** Check everything and say what would be pushed, but tag and push nothing. */
  dryRun?: boolean;
  log?: (line: string) => void;
  /** git's environment (its identity, for the annotated tag); the process's by default. */
  env?: NodeJS.ProcessEnv;
}

export class ReleaseError extends Error {
  override name = 'ReleaseError';
}

/** Tags and pushes the release package.json names; returns the commit the tags point at. */
export function release(options: ReleaseOptions): string {
  const { cwd, remote = 'origin', branch = 'main', log = console.log } = options;
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd,
      env: options.env ?? process.env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  const { version } = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { version: string };
  const tags = releaseTags(version);
  if (typeof tags === 'string') throw new ReleaseError(`package.json's version: ${tags}`);

  if (git('status', '--porcelain') !== '')
    throw new ReleaseError('the work tree has changes: commit or stash them, and release a merged commit');
  git('fetch', '--quiet', remote, branch);
  const commit = git('rev-parse', 'HEAD^{commit}');
  try {
    git('merge-base', '--is-ancestor', commit, 'FETCH_HEAD');
  } catch {
    throw new ReleaseError(
      `HEAD (${commit.slice(0, 12)}) is not on ${remote}/${branch}: merge the version bump, then \`git checkout ${branch} && git pull\``,
    );
  }
  if (git('ls-remote', '--tags', remote, `refs/tags/${tags.tag}`) !== '' || tagExists(git, tags.tag))
    throw new ReleaseError(`${tags.tag} exists already: bump package.json's version for a new release`);
  if (!hasChangelogSection(readFileSync(join(cwd, 'CHANGELOG.md'), 'utf8'), version))
    throw new ReleaseError(
      `CHANGELOG.md has no \`## [${version}]\` section: its text is the release's notes`,
    );
  const dist = options.checkDist();
  if (dist.length > 0)
    throw new ReleaseError(
      `dist/ is not what the source builds to (run \`npm run package\` and commit it):\n${dist.join('\n')}`,
    );

  const pushed = [tags.tag, ...(tags.major ? [tags.major] : [])];
  if (options.dryRun) {
    log(`dry run: would tag ${pushed.join(' and ')} at ${commit} and push them to ${remote}`);
    return commit;
  }
  git('tag', '--annotate', tags.tag, '--message', tags.tag, commit);
  if (tags.major) git('tag', '--force', tags.major, commit);
  // One push: the release's tag never reaches the remote (and starts the release workflow)
  // without its major tag, which only a final release moves (`+`: it is moved, not created).
  git(
    'push',
    '--atomic',
    remote,
    `refs/tags/${tags.tag}`,
    ...(tags.major ? [`+refs/tags/${tags.major}`] : []),
  );

  // Read back from the remote: what the runners will resolve `@v1` to.
  const remoteTags = new Map(
    git('ls-remote', '--tags', remote)
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'))
      .map(([sha, ref]) => [ref!.replace(/^refs\/tags\//, ''), sha!] as const),
  );
  for (const tag of pushed) {
    const at = remoteTags.get(`${tag}^{}`) ?? remoteTags.get(tag);
    if (at !== commit)
      throw new ReleaseError(
        `${remote} has ${tag} at ${at ?? 'nothing'}, not at ${commit}: push it again with \`git push --force ${remote} refs/tags/${tag}\``,
      );
  }
  log(
    `${tags.tag}${tags.major ? ` and ${tags.major}` : ''} are at ${commit} on ${remote}${tags.prerelease ? ` (a prerelease: the major tag stays where it was)` : ''}; the release workflow publishes the release`,
  );
  return commit;
}

function tagExists(git: (...args: string[]) => string, tag: string): boolean {
  try {
    git('rev-parse', '--verify', '--quiet', `refs/tags/${tag}`);
    return true;
  } catch {
    return false;
  }
}

/** dist/ rebuilt from the source, and what differs from the committed one. */
function checkDist(cwd: string): string[] {
  execFileSync('npm', ['run', 'package'], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  const changed = execFileSync('git', ['status', '--porcelain', '--', 'dist'], { cwd, encoding: 'utf8' });
  return changed.split('\n').filter(Boolean);
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  const cwd = join(import.meta.dirname, '..', '..');
  try {
    release({ cwd, checkDist: () => checkDist(cwd), dryRun: process.argv.includes('--dry-run') });
  } catch (error) {
    console.error(error instanceof ReleaseError ? `release: ${error.message}` : error);
    process.exit(1);
  }
}
