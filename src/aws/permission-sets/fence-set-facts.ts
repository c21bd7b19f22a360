// What a session fence needs to know of its permission set, read once per step: its name, its
// session duration (DescribePermissionSet: how long a session taken before the revoke may live),
// and whether the action may write into it: a set the action owns (tag `cloud-access:manifest`)
// or one whose manager opted in (tag `cloud-access:end-sessions` = `true`). Any other set's
// inline policy is someone else's to write.
import { DescribePermissionSetCommand } from '@aws-sdk/client-sso-admin';
import { parseDuration } from '../../core/duration.js';
import { OWNERSHIP_TAG } from '../../core/permission-sets/fields.js';
import type { SsoSession } from '../sso/session.js';

/** The tag whose value `true` opts a set the action does not own in to its session fences. */
export const END_SESSIONS_TAG = 'cloud-access:end-sessions';
/** IAM Identity Center's default session duration, when a set answers none. */
const DEFAULT_SESSION_SECONDS = 3600;

export interface FenceSetFacts {
  name: string;
  sessionSeconds: number;
  /** Owned or opted in: its fences may be written. */
  fenced: boolean;
}

/** Reads each set's facts once per step, whoever asks first. */
export function fenceSetFacts(session: SsoSession): (setArn: string) => Promise<FenceSetFacts> {
  const read = new Map<string, Promise<FenceSetFacts>>();
  return (setArn) => {
    let facts = read.get(setArn);
    if (!facts) {
      facts = readFacts(session, setArn);
      read.set(setArn, facts);
    }
    return facts;
  };
}

async function readFacts(session: SsoSession, setArn: string): Promise<FenceSetFacts> {
  const [{ PermissionSet: described }, tags] = await Promise.all([
    session.send(
      'DescribePermissionSet',
      new DescribePermissionSetCommand({ InstanceArn: session.instance, PermissionSetArn: setArn }),
    ),
    session.permissionSetTags(setArn),
  ]);
  const duration = described?.SessionDuration ? parseDuration(described.SessionDuration) : undefined;
  const owned = tags.some((t) => t.Key === OWNERSHIP_TAG && (t.Value ?? '') !== '');
  const optedIn = tags.some((t) => t.Key === END_SESSIONS_TAG && t.Value?.toLowerCase() === 'true');
  return {
    name: described?.Name ?? setArn,
    sessionSeconds:
      duration && typeof duration !== 'string' ? Math.round(duration.ms / 1000) : DEFAULT_SESSION_SECONDS,
    fenced: owned || optedIn,
  };
}
