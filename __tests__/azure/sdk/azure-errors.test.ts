import { describe, expect, it } from '@jest/globals';
import { createHttpHeaders, RestError } from '@azure/core-rest-pipeline';
import { CloudAccessError } from '../../../src/core/errors.js';
import { ArmError, PrincipalNotFoundError, scopeOfRequest } from '../../../src/azure/sdk/arm-errors.js';
import { permissionFor } from '../../../src/azure/sdk/arm-permissions.js';
import {
  classifyAzureError,
  PRINCIPAL_REPLICATION_SECONDS,
  retryAfterMs,
} from '../../../src/azure/sdk/azure-errors.js';
import { createCallRunner } from '../../../src/engine/calls/call-runner.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats } from '../../../src/engine/calls/driver.js';

const SUB = '/subscriptions/11111111-1111-1111-1111-111111111111';
const URL_AT_SUB = `https://management.azure.com${SUB}/providers/Microsoft.Authorization/roleAssignments/n?api-version=2022-04-01`;

function armError(
  status: number,
  code?: string,
  headers: Record<string, string> = {},
  url = URL_AT_SUB,
): RestError {
  const request = { url, method: 'PUT', headers: createHttpHeaders() } as never;
  const error = new RestError(`message for ${code ?? status}`, {
    statusCode: status,
    request,
    response: { status, headers: createHttpHeaders(headers), request } as never,
  });
  if (code) error.code = code;
  return error;
}

describe('Retry-After is read as Azure reads it', () => {
  const headers = (h: Record<string, string>) => createHttpHeaders(h);

  it('prefers retry-after-ms, then x-ms-retry-after-ms, then Retry-After', () => {
    expect(
      retryAfterMs(headers({ 'retry-after-ms': '250', 'x-ms-retry-after-ms': '500', 'retry-after': '9' })),
    ).toBe(250);
    expect(retryAfterMs(headers({ 'x-ms-retry-after-ms': '500', 'retry-after': '9' }))).toBe(500);
    expect(retryAfterMs(headers({ 'retry-after': '9' }))).toBe(9000);
  });

  it('takes Retry-After as an HTTP date too', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }), now)).toBe(0);
  });

  it('ignores values it cannot read', () => {
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('what is retried', () => {
  it('retries 429 with its Retry-After', () => {
    expect(
      classifyAzureError(armError(429, 'TooManyRequests', { 'retry-after': '7' }), 'RoleAssignments_Create'),
    ).toEqual({
      action: 'retry',
      kind: 'throttled',
      service: 'Azure Resource Manager',
      retryAfterMs: 7000,
    });
  });

  it('retries 429 without Retry-After too (the Azure pipeline would not)', () => {
    expect(classifyAzureError(armError(429), 'RoleAssignments_Create')).toEqual({
      action: 'retry',
      kind: 'throttled',
      service: 'Azure Resource Manager',
    });
  });

  it.each([500, 502, 503, 504, 408])('retries %i as a server error', (status) => {
    expect(classifyAzureError(armError(status), 'RoleAssignments_Get')).toMatchObject({
      action: 'retry',
      kind: 'server',
    });
  });

  it.each([501, 505])('does not retry %i', (status) => {
    expect(classifyAzureError(armError(status), 'RoleAssignments_Get').action).toBe('fail');
  });

  it('retries network errors and request timeouts', () => {
    expect(
      classifyAzureError(new RestError('socket hang up', { code: 'ECONNRESET' }), 'RoleAssignments_Get'),
    ).toEqual({ action: 'retry', kind: 'network' });
    expect(
      classifyAzureError(new RestError('x', { code: RestError.REQUEST_SEND_ERROR }), 'RoleAssignments_Get'),
    ).toEqual({ action: 'retry', kind: 'network' });
    const timeout = Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
    expect(classifyAzureError(timeout, 'RoleAssignments_Get')).toEqual({ action: 'retry', kind: 'network' });
  });

  it('does not retry an abort the step asked for', async () => {
    // The call runner checks the step's signal before the classifier is asked.
    const controller = new AbortController();
    controller.abort();
    const aborted = Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
    const call = createCallRunner({
      classify: classifyAzureError,
      deadline: new Deadline(10),
      stats: emptyStats(),
      signal: controller.signal,
    });
    let attempts = 0;
    await expect(
      call('RoleAssignments_Get', () => {
        attempts++;
        return Promise.reject(aborted);
      }),
    ).rejects.toThrow('RoleAssignments_Get was cancelled');
    expect(attempts).toBe(1);
  });
});

describe('what fails at once, and how it is explained', () => {
  function failure(error: unknown, operation = 'RoleAssignments_Create'): ArmError {
    const verdict = classifyAzureError(error, operation);
    if (verdict.action !== 'fail') throw new Error('expected fail');
    expect(verdict.error).toBeInstanceOf(ArmError);
    return verdict.error as ArmError;
  }

  it.each([
    ['RoleAssignments_Create', 'Microsoft.Authorization/roleAssignments/write'],
    ['RoleAssignments_Delete', 'Microsoft.Authorization/roleAssignments/delete'],
    ['RoleAssignments_Get', 'Microsoft.Authorization/roleAssignments/read'],
    ['RoleDefinitions_List', 'Microsoft.Authorization/roleDefinitions/read'],
  ])('AuthorizationFailed on %s names %s and the scope', (operation, permission) => {
    expect(permissionFor(operation)).toBe(permission);
    const error = failure(armError(403, 'AuthorizationFailed', { 'x-ms-request-id': 'req-1' }), operation);
    expect(error.message).toContain(permission);
    expect(error.message).toContain(`\`${SUB}\``);
    expect(error.message).toContain('req-1');
    expect(error.fix).toContain('Role Based Access Control Administrator');
    expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed', requestId: 'req-1' });
  });

  it.each([
    [
      'RoleAssignmentScheduleRequests_Create',
      'Microsoft.Authorization/roleAssignmentScheduleRequests/write',
      'Microsoft.Authorization/roleAssignments/write',
    ],
    [
      'RoleAssignmentScheduleRequests_Cancel',
      'Microsoft.Authorization/roleAssignmentScheduleRequests/cancel/action',
      'Microsoft.Authorization/roleAssignments/write',
    ],
    [
      'RoleAssignmentScheduleRequests_Get',
      'Microsoft.Authorization/roleAssignmentScheduleRequests/read',
      'Microsoft.Authorization/roleAssignments/read',
    ],
    [
      'RoleAssignmentScheduleRequests_ListForScope',
      'Microsoft.Authorization/roleAssignmentScheduleRequests/read',
      'Microsoft.Authorization/roleAssignments/read',
    ],
    [
      'RoleAssignmentScheduleInstances_ListForScope',
      'Microsoft.Authorization/roleAssignmentScheduleInstances/read',
      'Microsoft.Authorization/roleAssignments/read',
    ],
    [
      'RoleAssignmentSchedules_ListForScope',
      'Microsoft.Authorization/roleAssignmentSchedules/read',
      'Microsoft.Authorization/roleAssignments/read',
    ],
    [
      'RoleManagementPolicyAssignments_ListForScope',
      'Microsoft.Authorization/roleManagementPolicyAssignments/read',
      'Microsoft.Authorization/roleAssignments/read',
    ],
  ])('AuthorizationFailed on PIM %s names %s and what PIM also checks', (operation, own, also) => {
    expect(permissionFor(operation)).toBe(own);
    const error = failure(armError(403, 'AuthorizationFailed'), operation);
    expect(error.message).toContain(`lacks \`${own}\` or \`${also}\` (Azure PIM needs both)`);
    expect(error.fix).toMatch(/User Access Administrator/);
    expect(error.fix).toMatch(
      /Role Based Access Control Administrator has no roleAssignmentScheduleRequests\/write/,
    );
  });

  it('keeps the code for the driver: RoleAssignmentExists, 404s', () => {
    expect(failure(armError(409, 'RoleAssignmentExists')).code).toBe('RoleAssignmentExists');
    expect(failure(armError(404, 'RoleAssignmentNotFound'), 'RoleAssignments_Get').statusCode).toBe(404);
  });

  it('retries PrincipalNotFound on a create while the principal replicates, then explains it', () => {
    const notFound = armError(400, 'PrincipalNotFound', { 'x-ms-request-id': 'req-9' });
    const principal = 'ce2ce14e-85d7-4629-bdbc-454d0519d987';
    (notFound.request as { body?: unknown }).body = JSON.stringify({
      properties: { roleDefinitionId: 'r', principalId: principal, principalType: 'ServicePrincipal' },
    });
    const verdict = classifyAzureError(notFound, 'RoleAssignments_Create');
    if (verdict.action !== 'retry' || verdict.kind !== 'replication') throw new Error('expected replication');
    expect(verdict.windowMs).toBe(PRINCIPAL_REPLICATION_SECONDS * 1000);
    // What the plain log lines say the create waits for while it retries (engine/calls/call-runner.ts).
    expect(verdict.waitingFor).toBe(
      `principal ${principal} to replicate from Entra ID to Azure Resource Manager (PrincipalNotFound)`,
    );
    const error = verdict.giveUp(61_400, notFound) as PrincipalNotFoundError;
    expect(error).toBeInstanceOf(PrincipalNotFoundError);
    expect(error).toMatchObject({
      input: 'principal',
      statusCode: 400,
      code: 'PrincipalNotFound',
      requestId: 'req-9',
    });
    expect(error.message).toBe(
      `principal ${principal} was still not found in the directory after 61 s of retries (ARM request req-9)`,
    );
    expect(error.fix).toContain('`principal-type` (ServicePrincipal) is its real type');
    // Any other operation fails with it at once, explained.
    const other = failure(armError(400, 'PrincipalNotFound'), 'RoleAssignments_Delete');
    expect(other).toBeInstanceOf(PrincipalNotFoundError);
    expect(other.fix).toContain('principal-type');
  });

  it.each([
    ['InvalidRoleDefinitionId', 400, 'role'] as const,
    ['RoleDefinitionDoesNotExist', 404, 'role'],
    ['SubscriptionNotFound', 404, 'target'],
    ['ResourceGroupNotFound', 404, 'target'],
    ['InvalidPrincipalId', 400, 'principal'],
    ['UnmatchedPrincipalType', 400, 'principal-type'],
    ['InvalidAuthenticationToken', 401, 'client-id'],
    ['InvalidAuthenticationTokenTenant', 401, 'tenant-id'],
    ['RoleAssignmentUpdateNotPermitted', 409, 'assignment-name'],
  ])('%s (%i) names the input `%s`', (code, status, input) => {
    expect(failure(armError(status, code)).input).toBe(input);
  });

  it('judges by code, not by message', () => {
    const error = armError(403, 'AuthorizationFailed');
    error.message = 'The role assignment already exists.';
    expect(failure(error).code).toBe('AuthorizationFailed');
  });

  it('passes a CloudAccessError through unchanged', () => {
    const explained = new CloudAccessError('explained', { fix: 'do this' });
    expect(classifyAzureError(explained, 'GetToken')).toEqual({ action: 'fail', error: explained });
  });
});

describe('helpers', () => {
  it('reads the scope back from a request URL, management groups included', () => {
    expect(scopeOfRequest(URL_AT_SUB)).toBe(SUB);
    expect(
      scopeOfRequest(
        'https://arm/providers/Microsoft.Management/managementGroups/mg/providers/Microsoft.Authorization/roleAssignments/n',
      ),
    ).toBe('/providers/Microsoft.Management/managementGroups/mg');
    expect(scopeOfRequest('not a url')).toBeUndefined();
  });
});
