// Where a step's `audit-log` records go: the key each is written under, and the run it names,
// each of GitHub's values only in GitHub's shape.
import { describe, expect, it } from '@jest/globals';
import { auditKey, auditRunOf } from '../../../src/engine/audit/key.js';

const run = auditRunOf(
  { repository: 'octo-org/octo-repo', repositoryId: '4242', runId: '1001', runAttempt: '2' },
  {},
);

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

describe('the run a record names', () => {
  it('keeps an event name or commit only in the runner’s shape', () => {
    expect(auditRunOf({}, { GITHUB_EVENT_NAME: 'push\n::error::x', GITHUB_SHA: 'not-a-sha' })).toEqual({});
    expect(auditRunOf({}, { GITHUB_EVENT_NAME: 'push', GITHUB_SHA: 'a'.repeat(40) })).toEqual({
      event: 'push',
      commit: 'a'.repeat(40),
    });
  });
});
