// examples/setup/azure/cloud-access.sh run by bash as users run it, with a stand-in `az` on the
// PATH that records each call and answers as a tenant where nothing exists yet: a missing or
// malformed variable stops it before its first az call (a half-made set-up is worse than none),
// and what it asks az to create is what docs/azure-setup.md and docs/sweep.md say.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(import.meta.dirname, '..', '..', 'examples', 'setup', 'azure', 'cloud-access.sh');
const VARIABLES = {
  OWNER: 'octo-org',
  OWNER_ID: '123',
  REPO: 'octo-repo',
  REPO_ID: '456',
  SCOPE: '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14/resourceGroups/rg-app',
};
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cloud-access-setup-script-'));
  // Each call on one line, its arguments separated by a unit separator; lists answer nothing
  // (nothing exists yet), everything else one ID.
  writeFileSync(
    join(dir, 'az'),
    [
      '#!/usr/bin/env bash',
      `(IFS=$'\\x1f'; printf '%s\\n' "$*") >> "${join(dir, 'az.log')}"`,
      'case "$1 $2 $3" in',
      "  'ad app list' | 'ad app federated-credential' | 'role definition list') ;;",
      '  *) echo 0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f ;;',
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(join(dir, 'az'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(env: Record<string, string | undefined>) {
  rmSync(join(dir, 'az.log'), { force: true });
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
  const result = spawnSync('bash', [SCRIPT], {
    env: { PATH: `${dir}:${process.env.PATH ?? ''}`, ...defined },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const log = join(dir, 'az.log');
  const calls = existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\x1f'))
    : [];
  return { status: result.status, stderr: result.stderr, stdout: result.stdout, calls };
}

describe('examples/setup/azure/cloud-access.sh', () => {
  it.each(Object.keys(VARIABLES))('stops before any az call, naming %s, when it is not set', (name) => {
    const ran = run({ ...VARIABLES, [name]: undefined });
    expect(ran.status).not.toBe(0);
    expect(ran.stderr).toContain(`${name}: set ${name} to `);
    expect(ran.calls).toEqual([]);
  });

  it.each([
    ['OWNER_ID', 'octo-org', 'OWNER_ID must be the numeric ID of the owner'],
    ['REPO_ID', 'octo-repo', 'REPO_ID must be the numeric ID of the repository'],
    ['SCOPE', 'subscriptions/3f2a9c71', 'SCOPE must be a scope ID starting with /'],
    ['ASSIGNABLE_ROLE_IDS', 'Reader,Contributor', 'ASSIGNABLE_ROLE_IDS must be role definition GUIDs'],
  ])('stops before any az call when %s is %s', (name, value, message) => {
    const ran = run({ ...VARIABLES, [name]: value });
    expect(ran.status).toBe(1);
    expect(ran.stderr).toContain(message);
    expect(ran.calls).toEqual([]);
  });

  describe('with every variable set', () => {
    let ran: ReturnType<typeof run>;
    beforeAll(() => {
      ran = run(VARIABLES);
    });
    const arg = (call: string[], flag: string) => call[call.indexOf(flag) + 1];
    const assignments = () => ran.calls.filter((c) => c.slice(0, 3).join(' ') === 'role assignment create');

    it('creates every identity and prints the variables to set', () => {
      expect(ran.stderr).toBe('');
      expect(ran.status).toBe(0);
      for (const variable of ['AZURE_CLIENT_ID', 'AZURE_SWEEP_CLIENT_ID', 'DEPLOY_IDENTITY_OBJECT_ID'])
        expect(ran.stdout).toMatch(new RegExp(`^${variable}=`, 'm'));
    });

    it("gives the sweep's identity a role that only reads and deletes role assignments", () => {
      const created = ran.calls.find((c) => c.slice(0, 3).join(' ') === 'role definition create')!;
      const role = JSON.parse(arg(created, '--role-definition')!) as Record<string, unknown>;
      expect(role).toMatchObject({
        Name: 'cloud-access sweeper',
        Actions: [
          'Microsoft.Authorization/roleAssignments/read',
          'Microsoft.Authorization/roleAssignments/delete',
        ],
        AssignableScopes: [VARIABLES.SCOPE],
      });
      expect(Object.keys(role)).not.toContain('DataActions');
    });

    it("limits the sweep's deletes, as the deploy identity's writes and deletes, to the roles it may hand out", () => {
      const sweep = assignments().find((c) => arg(c, '--role') === 'cloud-access sweeper')!;
      expect(arg(sweep, '--scope')).toBe(VARIABLES.SCOPE);
      expect(arg(sweep, '--condition-version')).toBe('2.0');
      expect(arg(sweep, '--condition')).toBe(
        `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${READER}, ${CONTRIBUTOR}}))`,
      );
      const writers = assignments().filter(
        (c) => arg(c, '--role') === 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
      );
      expect(writers).toHaveLength(2);
      for (const writer of writers) expect(arg(writer, '--condition')).toContain(arg(sweep, '--condition'));
    });
  });
});
