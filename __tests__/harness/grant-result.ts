// A grant's result as the engine gives it (core/types.ts GrantResult): an AWS assign of Admin to
// alice in 111111111111 that SUCCEEDED without a change, with what a test sets over it.
import type { GrantResult } from '../../src/core/grant-result.js';

export const grantResult = (o: Partial<GrantResult>): GrantResult => ({
  cloud: 'aws',
  operation: 'assign',
  principal: 'alice',
  target: '111111111111',
  role: 'Admin',
  status: 'SUCCEEDED',
  changed: false,
  before: 'absent',
  after: 'present',
  change: 'create',
  durationMs: 1500,
  ...o,
});
