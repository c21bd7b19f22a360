// The runs that relied on an assignment in its current life (core/claims/aws-writers.ts
// reliancesInLife): what keeps a grant a reconcile would delete while a job needs it.
import { describe, expect, it } from '@jest/globals';
import { reliancesInLife } from '../../../src/core/claims/aws-writers.js';
import type { TrailWrite } from '../../../src/core/claims/aws-writes.js';

const ROLE = 'arn:aws:iam::123456789012:role/cloud-access';
const OTHER = 'arn:aws:iam::123456789012:role/someone-else';
const T = Date.parse('2026-11-25T10:00:00Z');
const MIN = 60_000;
const place = {
  principalType: 'USER' as const,
  principalId: 'u',
  permissionSetArn: 'ps',
  accountId: '111111111111',
};

let n = 0;
const write = (kind: 'create' | 'delete', at: number, sessionName: string, role = ROLE): TrailWrite => ({
  kind,
  place,
  at,
  actor: `${role.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/${sessionName}`,
  roleArn: role,
  sessionName,
  requestId: `request-${++n}`,
  failed: false,
  eventId: `event-${n}`,
});

describe('the runs that relied on a grant in its current life', () => {
  it('are the `-r` and `-tr` creates of `created-by` sessions since its last delete, each run once', () => {
    const reliers = reliancesInLife(
      [
        write('create', T - 40 * MIN, 'cloud-access-1-5-1-r'), // before the delete: another life
        write('delete', T - 35 * MIN, 'admin'),
        write('create', T - 30 * MIN, 'admin'),
        write('create', T - 20 * MIN, 'cloud-access-1-6-1-r'),
        write('create', T - 15 * MIN, 'cloud-access-1-6-1-r'),
        write('create', T - 10 * MIN, `cloud-access-1-7-1-tr${Math.floor(T / 1000) + 3600}`),
        write('create', T - 5 * MIN, 'cloud-access-1-8-1-e'), // a creation claim, not a reliance
      ],
      new Set([ROLE]),
      T - 60 * MIN,
    );
    expect(reliers.map((r) => [r.run.runId, r.timeBound ?? false])).toEqual([
      ['6', false],
      ['7', true],
    ]);
  });

  it('leave out a role not in `created-by`, and what is older than `lookback`', () => {
    expect(
      reliancesInLife(
        [
          write('create', T - 20 * MIN, 'cloud-access-1-6-1-r', OTHER),
          write('create', T - 90 * MIN, 'cloud-access-1-7-1-r'),
        ],
        new Set([ROLE]),
        T - 60 * MIN,
      ),
    ).toEqual([]);
  });
});
