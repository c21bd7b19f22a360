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
      "  'storage container-rm show') exit 3 ;;",
      // A second run finds the policy the first one locked when the test sets AZ_POLICY_STATE.
      `  'storage container immutability-policy') [ "$4" != show ] && echo 0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f || echo "\${AZ_POLICY_STATE:-}" ;;`,
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

    it("gives the review's identity Reader and the sweep's role, its deletes limited as the sweep's, and no more", () => {
      expect(ran.stdout).toMatch(/^AZURE_REVIEW_CLIENT_ID=/m);
      // Each identity's calls run from its app's creation to the next one's.
      const start = ran.calls.findIndex(
        (c) =>
          c.slice(0, 3).join(' ') === 'ad app create' && arg(c, '--display-name') === 'cloud-access-review',
      );
      expect(start).toBeGreaterThan(-1);
      const next = ran.calls.findIndex((c, i) => i > start && c.slice(0, 3).join(' ') === 'ad app create');
      const own = ran.calls
        .slice(start, next)
        .filter((c) => c.slice(0, 3).join(' ') === 'role assignment create');
      expect(own.map((c) => arg(c, '--role')).sort()).toEqual(['Reader', 'cloud-access sweeper']);
      for (const call of own) expect(arg(call, '--scope')).toBe(VARIABLES.SCOPE);
      const sweeper = own.find((c) => arg(c, '--role') === 'cloud-access sweeper')!;
      expect(arg(sweeper, '--condition')).toBe(
        `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${READER}, ${CONTRIBUTOR}}))`,
      );
      // Its credential trusts the default branch's runs only.
      const credentials = ran.calls
        .slice(start, next)
        .filter((c) => c.slice(0, 4).join(' ') === 'ad app federated-credential create')
        .map((c) => (JSON.parse(arg(c, '--parameters')!) as { subject: string }).subject);
      expect(credentials.sort()).toEqual(
        [
          'repo:octo-org/octo-repo:ref:refs/heads/main',
          'repo:octo-org@123/octo-repo@456:ref:refs/heads/main',
        ].sort(),
      );
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

  describe('with the audit log', () => {
    const AUDIT = { AUDIT_LOG_STORAGE_ACCOUNT: 'accessaudit', AUDIT_LOG_RESOURCE_GROUP: 'rg-audit' };
    const STORAGE_BLOB_DATA_CONTRIBUTOR = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe';
    const arg = (call: string[], flag: string) => call[call.indexOf(flag) + 1];
    const starting = (calls: string[][], words: string) =>
      calls.filter((c) => c.slice(0, words.split(' ').length).join(' ') === words);

    it.each([
      [
        { AUDIT_LOG_STORAGE_ACCOUNT: 'accessaudit' },
        'AUDIT_LOG_RESOURCE_GROUP: set AUDIT_LOG_RESOURCE_GROUP to ',
      ],
      [
        { AUDIT_LOG_RESOURCE_GROUP: 'rg-audit' },
        'AUDIT_LOG_RESOURCE_GROUP is set but AUDIT_LOG_STORAGE_ACCOUNT is not',
      ],
      [
        { ...AUDIT, AUDIT_LOG_STORAGE_ACCOUNT: 'Access_Audit' },
        'AUDIT_LOG_STORAGE_ACCOUNT must be 3 to 24 lowercase',
      ],
      [
        { ...AUDIT, AUDIT_LOG_RESOURCE_GROUP: 'rg audit' },
        'AUDIT_LOG_RESOURCE_GROUP must be a resource group name',
      ],
      [{ ...AUDIT, AUDIT_LOG_RESOURCE_GROUP: 'RG-App' }, 'AUDIT_LOG_RESOURCE_GROUP must be outside SCOPE'],
      [{ ...AUDIT, AUDIT_LOG_CONTAINER: 'Audit--Log' }, 'AUDIT_LOG_CONTAINER must be 3 to 63 lowercase'],
      [
        { ...AUDIT, AUDIT_LOG_RETENTION_DAYS: '0' },
        'AUDIT_LOG_RETENTION_DAYS must be a whole number of days',
      ],
      [
        { ...AUDIT, AUDIT_LOG_RETENTION_DAYS: '1y' },
        'AUDIT_LOG_RETENTION_DAYS must be a whole number of days',
      ],
      [
        { ...AUDIT, AUDIT_LOG_RETENTION_DAYS: '146001' },
        'AUDIT_LOG_RETENTION_DAYS must be a whole number of days',
      ],
      [{ ...AUDIT, AUDIT_LOG_POLICY: 'compliance' }, 'AUDIT_LOG_POLICY must be locked or unlocked'],
    ])('stops before any az call when the audit log is asked for with %o', (audit, message) => {
      const ran = run({ ...VARIABLES, ...audit });
      expect(ran.status).not.toBe(0);
      expect(ran.stderr).toContain(message);
      expect(ran.calls).toEqual([]);
    });

    it('makes none without AUDIT_LOG_STORAGE_ACCOUNT', () => {
      const ran = run(VARIABLES);
      expect(ran.status).toBe(0);
      expect(ran.calls.filter((c) => c[0] === 'storage')).toEqual([]);
      expect(ran.calls.filter((c) => arg(c, '--role') === STORAGE_BLOB_DATA_CONTRIBUTOR)).toEqual([]);
      expect(ran.stdout).not.toContain('AUDIT_LOG_URL=');
    });

    describe('asked for', () => {
      let ran: ReturnType<typeof run>;
      beforeAll(() => {
        ran = run({ ...VARIABLES, ...AUDIT });
      });

      it('makes an account that takes only Entra tokens over TLS, and is never public', () => {
        expect(ran.stderr).toBe('');
        expect(ran.status).toBe(0);
        const [account] = starting(ran.calls, 'storage account create');
        expect(account).toBeDefined();
        expect({
          name: arg(account!, '--name'),
          group: arg(account!, '--resource-group'),
          https: arg(account!, '--https-only'),
          tls: arg(account!, '--min-tls-version'),
          public: arg(account!, '--allow-blob-public-access'),
          sharedKey: arg(account!, '--allow-shared-key-access'),
        }).toEqual({
          name: 'accessaudit',
          group: 'rg-audit',
          https: 'true',
          tls: 'TLS1_2',
          public: 'false',
          sharedKey: 'false',
        });
        const [container] = starting(ran.calls, 'storage container-rm create');
        expect(arg(container!, '--name')).toBe('cloud-access-audit');
        expect(arg(container!, '--public-access')).toBe('off');
      });

      it('keeps each record write-once for 365 days, no appends, under a locked policy', () => {
        const [policy] = starting(ran.calls, 'storage container immutability-policy create');
        expect(arg(policy!, '--container-name')).toBe('cloud-access-audit');
        expect(arg(policy!, '--period')).toBe('365');
        expect(arg(policy!, '--allow-protected-append-writes')).toBe('false');
        const locks = starting(ran.calls, 'storage container immutability-policy lock');
        expect(locks).toHaveLength(1);
        expect(arg(locks[0]!, '--container-name')).toBe('cloud-access-audit');
        expect(arg(locks[0]!, '--if-match')).toBe('0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f');
      });

      it('gives Storage Blob Data Contributor on the container to each identity that writes, and none to the readers', () => {
        const contributors = ran.calls.filter((c) => arg(c, '--role') === STORAGE_BLOB_DATA_CONTRIBUTOR);
        // cloud-access-deploy, access-apply, cloud-access-sweep, cloud-access-review, access-request.
        expect(contributors).toHaveLength(5);
        for (const call of contributors)
          expect(arg(call, '--scope')).toBe(
            '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f/blobServices/default/containers/cloud-access-audit',
          );
        const first = ran.calls.indexOf(contributors[0]!);
        expect(ran.calls.slice(0, first).some((c) => c.join(' ').includes('immutability-policy lock'))).toBe(
          true,
        );
      });

      it('prints the URL to give `audit-log`', () => {
        expect(ran.stdout).toMatch(
          /^AUDIT_LOG_URL=https:\/\/accessaudit\.blob\.core\.windows\.net\/cloud-access-audit$/m,
        );
      });
    });

    it('leaves a policy an earlier run locked as it is, and says so', () => {
      const ran = run({ ...VARIABLES, ...AUDIT, AZ_POLICY_STATE: 'Locked' });
      expect(ran.status).toBe(0);
      expect(ran.stderr).toContain('the retention policy of cloud-access-audit is locked, kept as it is');
      expect(starting(ran.calls, 'storage container immutability-policy create')).toEqual([]);
      expect(starting(ran.calls, 'storage container immutability-policy lock')).toEqual([]);
      expect(ran.calls.filter((c) => arg(c, '--role') === STORAGE_BLOB_DATA_CONTRIBUTOR)).toHaveLength(5);
    });

    it('leaves the policy unlocked, and takes another period, when asked', () => {
      const ran = run({
        ...VARIABLES,
        ...AUDIT,
        AUDIT_LOG_POLICY: 'unlocked',
        AUDIT_LOG_RETENTION_DAYS: '2555',
      });
      expect(ran.status).toBe(0);
      expect(arg(starting(ran.calls, 'storage container immutability-policy create')[0]!, '--period')).toBe(
        '2555',
      );
      expect(starting(ran.calls, 'storage container immutability-policy lock')).toEqual([]);
    });
  });
});
