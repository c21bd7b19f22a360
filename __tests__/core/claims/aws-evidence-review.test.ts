// A hostile review of the sweep's AWS evidence (core/claims/aws-evidence.ts), pure: what a create
// that only the creation-status list shows (CloudTrail has not delivered it yet) must do to a claim,
// whichever side of the run's create it falls on, given the clocks of two services.
import { describe, expect, it } from '@jest/globals';
import { awsClaimsOf } from '../../../src/core/claims/aws-evidence.js';
import { type RecentCreate } from '../../../src/core/claims/aws-writes.js';
import { MIN, PLACE, ROLE, trailWrite } from '../../fixtures/trail-writes.js';

const T = Date.parse('2026-11-25T10:00:00Z');
const RUN = 'cloud-access-123456789-777-1-e';

const runCreate = trailWrite('create', T, RUN);
const unseen = (at: number): RecentCreate => ({
  requestId: '00000000-0000-0000-0000-000000000002',
  at,
  place: PLACE,
  status: 'SUCCEEDED',
});
const standing = (recent: RecentCreate[]) =>
  awsClaimsOf([runCreate], recent, { createdBy: new Set([ROLE]), exists: () => true })[0]?.standing;

describe('a create CloudTrail has not delivered yet', () => {
  it('after the run’s create: unproven (defence holds)', () => {
    expect(standing([unseen(T + MIN)])).toMatchObject({ holds: false, kind: 'unproven' });
  });

  it('a minute BEFORE the run’s create: unproven, as a delivered create within 15 minutes before would be', () => {
    expect(standing([unseen(T - MIN)])).toMatchObject({ holds: false, kind: 'unproven' });
  });

  it('in the same second as the run’s create, earlier by the ms CloudTrail drops (eventTime has whole seconds): unproven', () => {
    // CloudTrail's eventTime is T (truncated); the status list's CreatedDate has milliseconds.
    expect(standing([unseen(T - 1)])).toMatchObject({ holds: false, kind: 'unproven' });
  });

  it('one second before by the status list’s clock, within CLOCK_SKEW_MS of CloudTrail’s: unproven', () => {
    expect(standing([unseen(T - 1_000)])).toMatchObject({ holds: false, kind: 'unproven' });
  });
});
