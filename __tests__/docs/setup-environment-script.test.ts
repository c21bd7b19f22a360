// examples/setup/github/environment.sh run by bash as users run it, with a stand-in `gh` on the
// PATH that records each call: like environment.tf, it takes 1 to 6 reviewers (GitHub's most for
// required reviewers; none would let a request through unapproved) and stops before its first gh
// call otherwise.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(import.meta.dirname, '..', '..', 'examples', 'setup', 'github', 'environment.sh');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cloud-access-environment-script-'));
  // Each call on one line; a user reads as one, the repository's default branch as `main`, and a
  // call given a body reads it.
  writeFileSync(
    join(dir, 'gh'),
    [
      '#!/usr/bin/env bash',
      `printf '%s\\n' "$*" >> "${join(dir, 'gh.log')}"`,
      'case "$*" in',
      "  *'--input -'*) cat >/dev/null ;;",
      '  \'api users/\'*) echo \'{"type":"User","id":1}\' ;;',
      "  *' --jq .default_branch') echo main ;;",
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(join(dir, 'gh'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  rmSync(join(dir, 'gh.log'), { force: true });
  const result = spawnSync('bash', [SCRIPT, ...args], {
    env: { PATH: `${dir}:${process.env.PATH ?? ''}` },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const log = join(dir, 'gh.log');
  const calls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  return { status: result.status, stderr: result.stderr, calls };
}

describe('examples/setup/github/environment.sh', () => {
  it.each([
    ['no reviewer', []],
    ['7 reviewers', ['a', 'b', 'c', 'd', 'e', 'f', 'g']],
  ])('stops before any gh call with %s, as environment.tf does', (_, reviewers) => {
    const ran = run('octo-org/octo-repo', 'production-access', ...reviewers);
    expect(ran.status).toBe(1);
    expect(ran.stderr).toContain(
      'give 1 to 6 reviewers: a request needs an approval from someone other than the requester',
    );
    expect(ran.calls).toEqual([]);
  });

  it('makes the environment with 1 to 6 reviewers', () => {
    const ran = run('octo-org/octo-repo', 'production-access', 'carol', 'dave');
    expect({ status: ran.status, stderr: ran.stderr }).toEqual({ status: 0, stderr: '' });
    expect(ran.calls).toEqual([
      'api repos/octo-org/octo-repo --jq .default_branch',
      'api users/carol --jq {type: "User", id: .id}',
      'api users/dave --jq {type: "User", id: .id}',
      'api --method PUT repos/octo-org/octo-repo/environments/production-access --input -',
      'api --method POST repos/octo-org/octo-repo/environments/production-access/deployment-branch-policies -f name=main -f type=branch',
    ]);
  });
});
