// What a step writes to `audit-log`: the key each record is written under, and what a record of a
// change holds (its principal, role and target by name and ID, the service's request ID and
// terminal status, the run), as data.
import { describe, expect, it } from '@jest/globals';
import { auditKey, auditRunOf, changeOf, changeRecord } from '../../../src/engine/audit/record.js';
import type { GrantResult } from '../../../src/core/types.js';

const run = auditRunOf(
  {
    repository: 'octo-org/octo-repo',
    repositoryId: '4242',
    workflow: 'deploy',
    runId: '1001',
    runAttempt: '2',
    serverUrl: 'https://github.com',
    actor: 'octocat',
  },
  { GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_SHA: 'a'.repeat(40) },
);

const result: GrantResult = {
  cloud: 'aws',
  operation: 'assign',
  principal: 'alice',
  target: '123456789012',
  role: 'ReadOnly',
  principalName: 'alice',
  roleName: 'ReadOnly',
  targetName: 'prod',
  status: 'SUCCEEDED',
  requestId: 'req-1',
  changed: true,
  before: 'absent',
  after: 'present',
  change: 'create',
  durationMs: 10,
  resolved: {
    cloud: 'aws',
    principalId: '9067-user',
    principalType: 'USER',
    accountId: '123456789012',
    roleId: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
  },
};

describe('audit record keys', () => {
  it('are <prefix>/<yyyy>/<mm>/<dd>/<repository id>-<run id>-<attempt>-<n>.json, by the UTC day', () => {
    expect(auditKey('cloud-access/prod', new Date('2026-01-02T23:59:59Z'), run, 7)).toBe(
      'cloud-access/prod/2026/01/02/4242-1001-2-7.json',
    );
  });

  it('have no leading slash without a prefix, and 0 for IDs a local run does not have', () => {
    expect(auditKey('', new Date('2026-11-26T00:00:00Z'), {}, 1)).toBe('2026/11/26/0-0-1-1.json');
  });
});

describe('audit records', () => {
  it('hold the change, its principal, role and target by name and ID, the request ID, the status and the run', () => {
    const step = { step: 'main' as const, operation: 'assign' as const, run };
    const record = changeRecord(result, changeOf(result, step)!, step, 3, new Date('2026-11-26T09:00:00Z'));
    expect(record).toEqual({
      version: 1,
      n: 3,
      time: '2026-11-26T09:00:00.000Z',
      step: 'main',
      operation: 'assign',
      change: 'grant',
      cloud: 'aws',
      principal: { id: '9067-user', name: 'alice', type: 'USER' },
      role: { id: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1', name: 'ReadOnly' },
      target: { id: '123456789012', name: 'prod' },
      requestId: 'req-1',
      status: 'SUCCEEDED',
      run: {
        repository: 'octo-org/octo-repo',
        repositoryId: '4242',
        workflow: 'deploy',
        runId: '1001',
        runAttempt: '2',
        runUrl: 'https://github.com/octo-org/octo-repo/actions/runs/1001/attempts/2',
        event: 'workflow_dispatch',
        actor: 'octocat',
        commit: 'a'.repeat(40),
      },
    });
  });

  it('name each operation’s change: the post step’s revoke, reconcile writes, sweep revokes, a request’s grant', () => {
    const of = (r: Partial<GrantResult>, step: Partial<Parameters<typeof changeOf>[1]>) =>
      changeOf({ ...result, ...r }, { step: 'main', operation: 'assign', run, ...step });
    expect(of({ operation: 'revoke', change: 'delete' }, { step: 'post' })).toBe('post-revoke');
    expect(of({ operation: 'revoke', change: 'delete' }, { operation: 'revoke' })).toBe('revoke');
    expect(of({ operation: 'revoke', change: 'delete' }, { operation: 'reconcile' })).toBe(
      'reconcile-delete',
    );
    expect(of({ change: 'update' }, { operation: 'reconcile' })).toBe('reconcile-update');
    expect(of({ change: 'create' }, { operation: 'reconcile' })).toBe('reconcile-create');
    expect(of({ operation: 'revoke', change: 'delete' }, { operation: 'sweep' })).toBe('sweep-revoke');
    expect(of({}, { operation: 'request' })).toBe('request-grant');
  });

  it('are not made for a grant that changed nothing (found in place) or a write never sent', () => {
    const step = { step: 'main' as const, operation: 'assign' as const, run };
    expect(changeOf({ ...result, change: 'none', changed: false }, step)).toBeUndefined();
    const { requestId: _, ...unsent } = result;
    expect(changeOf({ ...unsent, changed: false, status: 'FAILED' }, step)).toBeUndefined();
  });

  it('keep an event name or commit only in the runner’s shape, and hostile names as plain JSON strings', () => {
    expect(auditRunOf({}, { GITHUB_EVENT_NAME: 'push\n::error::x', GITHUB_SHA: 'not-a-sha' })).toEqual({});
    const hostile = '"}\n::add-mask::x <script>';
    const step = { step: 'main' as const, operation: 'assign' as const, run };
    const record = changeRecord({ ...result, principalName: hostile }, 'grant', step, 1, new Date(0));
    expect(JSON.parse(JSON.stringify(record)).principal.name).toBe(hostile);
    expect(JSON.stringify(record)).not.toContain('\n');
  });
});
