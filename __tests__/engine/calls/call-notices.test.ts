// The plain log lines a call says while it retries: what a write waits for to replicate, and an
// endpoint that answered only on a retry. When the call runner says them is tested in
// call-runner.test.ts; what they say, here.
import { describe, expect, it } from '@jest/globals';
import {
  REPLICATION_NOTICE_MS,
  recoveredNotice,
  replicationNotice,
} from '../../../src/engine/calls/call-notices.js';

describe('a write waiting for replication says what it waits for and for how long', () => {
  it('at the first refusal, names what it waits for and how long it may still retry, in seconds', () => {
    expect(replicationNotice('RoleAssignments_Create', 'principal p to replicate', 0, 119_600)).toBe(
      'RoleAssignments_Create: waiting for principal p to replicate; retrying for up to 120 s',
    );
  });

  it('once it has waited REPLICATION_NOTICE_MS or more, says how long it has waited already', () => {
    expect(replicationNotice('CreateAccountAssignment', 'group g', REPLICATION_NOTICE_MS, 45_000)).toBe(
      'CreateAccountAssignment: still waiting for group g after 15 s; retrying for up to 45 s more',
    );
    expect(
      replicationNotice('CreateAccountAssignment', 'group g', REPLICATION_NOTICE_MS - 1, 45_000),
    ).toMatch(/^CreateAccountAssignment: waiting for group g;/);
  });
});

describe('an endpoint that answered only on a retry is named with what set it', () => {
  const verdict = {
    action: 'retry' as const,
    kind: 'unreachable' as const,
    endpoint: { url: 'https://management.example.test', input: 'resource-manager-endpoint' },
    detail: 'connect ECONNREFUSED 10.0.0.1:443',
  };

  it('names the endpoint, what the connection failed with, the retry it answered on, and its input', () => {
    expect(recoveredNotice('RoleAssignments_Get', verdict, 1)).toBe(
      'RoleAssignments_Get: https://management.example.test could not be reached at first (connect ECONNREFUSED 10.0.0.1:443); it answered on retry 1 of 2 (`resource-manager-endpoint` sets this endpoint)',
    );
  });

  it('names no input for an endpoint no input sets', () => {
    const line = recoveredNotice(
      'ListAccounts',
      { ...verdict, endpoint: { url: 'https://sso.example.test' } },
      2,
    );
    expect(line).toBe(
      'ListAccounts: https://sso.example.test could not be reached at first (connect ECONNREFUSED 10.0.0.1:443); it answered on retry 2 of 2',
    );
  });
});
