// A run and a grant as the audit log's tests record them: every run field a record carries, and an
// AWS assignment the step created, resolved to its IDs.
import { auditRunOf } from '../../src/engine/audit/key.js';
import type { GrantResult } from '../../src/core/grant-result.js';

export const AUDITED_RUN = auditRunOf(
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

export const AUDITED_GRANT: GrantResult = {
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
