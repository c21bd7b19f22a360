// What a step writes to `audit-log` of a grant it changed: what the record holds (its principal,
// role and target by name and ID, the kind of access, the service's request ID and terminal
// status, the run), as data. Its key: ./key.test.ts; a step's first record: ./record.test.ts.
import { describe, expect, it } from '@jest/globals';
import { AUDITED_GRANT, AUDITED_RUN } from '../../harness/audited-grant.js';
import { changeOf, changeRecord, unansweredRecord } from '../../../src/engine/audit/grant-record.js';
import type { GrantResult } from '../../../src/core/grant-result.js';
import { stepRecord } from '../../../src/engine/audit/record.js';

const run = AUDITED_RUN;

const result = AUDITED_GRANT;

const SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg';
const azureResult: GrantResult = {
  ...result,
  cloud: 'azure',
  principal: 'b1f0c0de-0000-4000-8000-000000000001',
  target: SCOPE,
  role: 'Reader',
  resolved: {
    cloud: 'azure',
    principalId: 'b1f0c0de-0000-4000-8000-000000000001',
    principalType: 'User',
    scope: { scope: SCOPE, kind: 'resourceGroup' },
    roleId: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7',
  },
} as GrantResult;

describe('audit records', () => {
  it('hold the change, its principal, role and target by name and ID, the request ID, the status and the run', () => {
    const step = { step: 'main' as const, operation: 'assign' as const, run };
    const record = stepRecord(
      step,
      changeRecord(result, changeOf(result, step)!),
      3,
      new Date('2026-11-26T09:00:00Z'),
    );
    expect(record).toEqual({
      version: 1,
      n: 3,
      time: '2026-11-26T09:00:00.000Z',
      step: 'main',
      operation: 'assign',
      change: 'grant',
      cloud: 'aws',
      kind: 'active',
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

  it('never take the text a sweep shows around an ID (`user <id>`, `<name> (<arn>)`) for a name; they take the names it carries', () => {
    const step = { step: 'main' as const, operation: 'sweep' as const, run };
    const shown: GrantResult = {
      ...azureResult,
      operation: 'revoke',
      principal: 'user b1f0c0de-0000-4000-8000-000000000001',
      role: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7',
      target: SCOPE,
      principalName: undefined,
      roleName: undefined,
      targetName: undefined,
    } as GrantResult;
    const record = stepRecord(step, changeRecord(shown, 'sweep-revoke'), 2, new Date('2026-11-26T09:00:00Z'));
    expect([record.principal, record.role]).toEqual([
      { id: 'b1f0c0de-0000-4000-8000-000000000001', type: 'User' },
      { id: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7' },
    ]);
    const aws = stepRecord(
      step,
      changeRecord(
        {
          ...result,
          operation: 'revoke',
          principal: 'user alice (9067-user)',
          role: 'ReadOnly (arn:aws:sso:::permissionSet/ssoins-1/ps-1)',
          principalName: 'alice',
          roleName: 'ReadOnly',
        } as GrantResult,
        'sweep-revoke',
      ),
      2,
      new Date('2026-11-26T09:00:00Z'),
    );
    expect([aws.principal, aws.role]).toEqual([
      { id: '9067-user', name: 'alice', type: 'USER' },
      { id: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1', name: 'ReadOnly' },
    ]);
  });

  it('are not made for a grant that changed nothing (found in place) or a write never sent', () => {
    const step = { step: 'main' as const, operation: 'assign' as const, run };
    expect(changeOf({ ...result, change: 'none', changed: false }, step)).toBeUndefined();
    const { requestId: _, ...unsent } = result;
    // A refused plan's grant (a reconcile's `max-deletions`) was never sent.
    expect(changeOf({ ...unsent, changed: false, status: 'FAILED', refused: true }, step)).toBeUndefined();
  });

  it('are made for a change that ended FAILED, though the service gave no request ID', () => {
    const step = { step: 'main' as const, operation: 'assign' as const, run };
    const { requestId: _, ...refused } = result;
    const failed = { ...refused, changed: false, status: 'FAILED' as const, failureReason: '403 denied' };
    expect(changeOf(failed, step)).toBe('grant');
    expect(stepRecord(step, changeRecord(failed, 'grant'), 2, new Date(0))).toMatchObject({
      status: 'FAILED',
      failureReason: '403 denied',
    });
  });

  it('keep hostile names as plain JSON strings', () => {
    const hostile = '"}\n::add-mask::x <script>';
    const step = { step: 'main' as const, operation: 'assign' as const, run };
    const record = stepRecord(
      step,
      changeRecord({ ...result, principalName: hostile }, 'grant'),
      1,
      new Date(0),
    );
    expect(JSON.parse(JSON.stringify(record)).principal.name).toBe(hostile);
    expect(JSON.stringify(record)).not.toContain('\n');
  });

  it('say whether a change gave access or an Azure PIM eligibility to activate it, as `results` does', () => {
    const step = { step: 'main' as const, operation: 'assign' as const, run };
    const at = new Date(0);
    const eligible: GrantResult = {
      ...azureResult,
      assignmentType: 'eligible',
      assignmentId: `${SCOPE}/providers/Microsoft.Authorization/roleEligibilitySchedules/e-1`,
    };
    expect(stepRecord(step, changeRecord(result, 'grant'), 1, at)).toMatchObject({ kind: 'active' });
    expect(stepRecord(step, changeRecord(azureResult, 'grant'), 1, at)).toMatchObject({ kind: 'active' });
    expect(stepRecord(step, changeRecord(eligible, 'grant'), 1, at)).toMatchObject({ kind: 'eligible' });
    const removed = { ...eligible, operation: 'revoke' as const, change: 'delete' as const };
    expect(stepRecord(step, changeRecord(removed, 'revoke'), 1, at)).toMatchObject({
      change: 'revoke',
      kind: 'eligible',
    });
  });

  it('say the kind of a write sent without an answer', () => {
    const step = { step: 'main' as const, operation: 'assign' as const, run };
    const at = new Date(0);
    const unanswered = stepRecord(
      step,
      unansweredRecord(azureResult.resolved!, 'grant', 'timed out', 'eligible'),
      1,
      at,
    );
    expect(unanswered).toMatchObject({ change: 'grant', status: 'FAILED', kind: 'eligible' });
  });
});
