// CloudTrail's record of a permission set's inline policy put (PutInlinePolicyToPermissionSet), as
// the sweep reads it to find the sets whose session fences the action wrote: the set, the role of
// the caller's session and when. The policy's text the record may carry is never read (the set's
// policy is read from the service, and only its own fences, by their exact shape, are ever
// removed). A record is taken only in the shape AWS gives it; a failed call, another instance's, or
// anything not matching the services' patterns is no write at all. The read is paced and retried
// as every LookupEvents (../trail/cloudtrail.ts).
import { IAM_ROLE_ARN, PERMISSION_SET_ARN } from '../../core/patterns.js';
import { CloudAccessError } from '../../core/errors.js';
import type { CallRunner } from '../../engine/calls/call-runner.js';
import type { AdapterDeps, CallStats } from '../../engine/calls/driver.js';
import { createAwsCallRunner } from '../sdk/aws-errors.js';
import type { AwsClients } from '../sdk/clients.js';
import { lookupEventsPacer, readEventPages, type EventPages } from '../trail/cloudtrail.js';
import { eventRecordOf, jsonObject, type LookedUpEvent } from '../trail/events.js';

export const POLICY_PUT = 'PutInlinePolicyToPermissionSet';

/** An inline policy put of a set, as its record gives it. */
export interface PolicyWrite {
  permissionSetArn: string;
  /** The IAM role whose session called, when the caller was an assumed role. */
  roleArn?: string;
  at: number;
}

/** The put an event records, or undefined when it is not one of the instance's that succeeded, well formed. */
export function policyWriteOf(event: LookedUpEvent, instanceArn: string): PolicyWrite | undefined {
  const record = eventRecordOf(event, POLICY_PUT);
  if (!record || record.eventSource !== 'sso.amazonaws.com') return undefined;
  if (record.errorCode !== undefined) return undefined;
  const parameters = jsonObject(record.requestParameters);
  const arn = parameters?.permissionSetArn;
  if (parameters?.instanceArn !== instanceArn || typeof arn !== 'string' || !PERMISSION_SET_ARN.test(arn))
    return undefined;
  const at = event.EventTime?.getTime() ?? Date.parse(String(record.eventTime));
  if (!Number.isFinite(at)) return undefined;
  const identity = jsonObject(record.userIdentity);
  const issuer = jsonObject(jsonObject(identity?.sessionContext)?.sessionIssuer)?.arn;
  const roleArn =
    identity?.type === 'AssumedRole' && typeof issuer === 'string' && IAM_ROLE_ARN.test(issuer)
      ? issuer
      : undefined;
  return { permissionSetArn: arn, ...(roleArn ? { roleArn } : {}), at };
}

/** The instance's inline policy puts recorded from `since` to `until` (epoch ms), newest first. */
export async function readPolicyWrites(
  clients: AwsClients,
  deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'activity'>,
  stats: CallStats,
  query: { instanceArn: string; since: number; until: number },
): Promise<EventPages<PolicyWrite>> {
  const call: CallRunner = createAwsCallRunner(deps, stats, lookupEventsPacer(clients));
  return readEventPages(
    await clients.cloudTrail(),
    call,
    { eventName: POLICY_PUT, since: query.since, until: query.until },
    (event) => policyWriteOf(event, query.instanceArn),
    {
      repeated: () =>
        new CloudAccessError(
          `CloudTrail LookupEvents handed back a NextToken it gave before, while reading ${POLICY_PUT} events: the sets the action fenced cannot all be found`,
          { fix: 'run the sweep again; if it persists, report it to AWS Support' },
        ),
    },
  );
}
