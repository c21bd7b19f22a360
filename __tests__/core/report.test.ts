import { describe, expect, it } from '@jest/globals';
import { resultsJson, summariseResults, summaryRows } from '../../src/core/report.js';
import type { GrantResult } from '../../src/core/types.js';

const result = (o: Partial<GrantResult>): GrantResult => ({
  cloud: 'aws',
  operation: 'assign',
  principal: 'alice',
  target: '111111111111',
  role: 'Admin',
  status: 'SUCCEEDED',
  alreadyExisted: false,
  changed: false,
  before: 'absent',
  after: 'present',
  change: 'create',
  durationMs: 1500,
  ...o,
});

describe('step outputs summarise every grant', () => {
  it('status is the worst over all grants', () => {
    expect(summariseResults([result({}), result({ status: 'IN_PROGRESS' })]).status).toBe('IN_PROGRESS');
    expect(summariseResults([result({ status: 'FAILED' }), result({ status: 'IN_PROGRESS' })]).status).toBe(
      'FAILED',
    );
    expect(summariseResults([result({}), result({})]).status).toBe('SUCCEEDED');
  });

  it('changed is true when any grant changed; request-id is the first one', () => {
    const outputs = summariseResults([
      result({}),
      result({ changed: true, requestId: 'r-2' }),
      result({ requestId: 'r-3' }),
    ]);
    expect(outputs).toMatchObject({ changed: true, requestId: 'r-2' });
  });

  it('results lists each grant without internal fields', () => {
    const [entry] = JSON.parse(
      resultsJson([result({ resolved: { principalId: 'p', targetId: 't', roleId: 'r' } })]),
    );
    expect(entry).toMatchObject({
      cloud: 'aws',
      principal: 'alice',
      status: 'SUCCEEDED',
      alreadyExisted: false,
      changed: false,
    });
    expect(entry.resolved).toBeUndefined();
  });

  it('the job summary shows before → after and the time taken', () => {
    const [row] = summaryRows([result({ changed: true, requestId: 'r-1' })], false);
    expect(row).toEqual([
      'alice',
      '111111111111',
      'Admin',
      'absent → present (created)',
      'SUCCEEDED',
      'r-1',
      '1.5 s',
      '',
    ]);
  });
});
