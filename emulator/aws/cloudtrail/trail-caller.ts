// Who made a call CloudTrail records, and an event a test plants: what the seams (./seams.ts) and
// the directory's seams (./directory-seams.ts) share.
import type { CloudTrailEvent } from '../account/config.js';

/** Who made a call: an assumed role's session (with its name) or an IAM user. */
export interface TrailCaller {
  /** `arn:aws:sts::123456789012:assumed-role/ROLE/SESSION`, `arn:aws:iam::123456789012:user/NAME` … */
  principalArn: string;
  sessionName?: string;
  /** Derived from the principal when absent (`ASIA…` for sessions, `AKIA…` for users). */
  accessKeyId?: string;
  /**
   * The session came from AssumeRoleWithWebIdentity; by default, when its role is one of
   * `aws.roles` (the roles GitHub's OIDC tokens may assume).
   */
  webIdentity?: boolean;
}

/** An event to plant: at least its name and caller; the rest defaults as for an SSO Admin write. */
export type PlantedTrailEvent = Partial<CloudTrailEvent> &
  Pick<CloudTrailEvent, 'eventName' | 'principalArn'>;
