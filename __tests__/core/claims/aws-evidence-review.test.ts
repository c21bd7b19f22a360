// A hostile review of the sweep's AWS evidence (core/claims/aws-evidence.ts), pure: what a create
// that only the creation-status list shows (CloudTrail has not delivered it yet) must do to a claim,
// whichever side of the run's create it falls on, given the clocks of two services.
import { describe, expect, it } from '@jest/globals';
import { awsClaimsOf } from '../../../src/core/claims/aws-evidence.js';
import {
  type AssignmentPlace,
  type RecentCreate,
  type TrailWrite,
} from '../../../src/core/claims/aws-writes.js';

const ROLE = 'arn:aws:iam::123456789012:role/cloud-access';
const PLACE: AssignmentPlace = {
  principalType: 'USER',
  principalId: '9067447c0f-dabd1db8-0000-0000-0000-000000000001',
  permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef',
  accountId: '111111111111',
};
const T = Date.parse('2026-11-25T10:00:00Z');
const MIN = 60_000;
const RUN = 'cloud-access-123456789-777-1-e';

const runCreate: TrailWrite = {
  kind: 'create',
  place: PLACE,
  at: T,
  actor: `arn:aws:sts::123456789012:assumed-role/cloud-access/${RUN}`,
  roleArn: ROLE,
  sessionName: RUN,
  requestId: '00000000-0000-0000-0000-000000000001',
  failed: false,
  eventId: 'event-1',
};
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
