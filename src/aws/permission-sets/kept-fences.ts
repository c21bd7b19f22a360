// A set's inline policy written with its session fences kept: a reconcile that writes the
// manifest's policy keeps the live fences a revoke put there (they end sessions that must stay
// ended), and takes out the expired. The inline-policy API has no conditional write, so each write
// is one read and one put with no call between: a fence put after this read is lost, and its
// writer's read-back finds it so (the window the docs name). Only the action's fences of this set,
// by their exact shape (core/permission-sets/session-fence.ts), are kept or taken out; a policy
// that cannot be taken apart keeps nothing (it was never the action's).
import {
  DeleteInlinePolicyFromPermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import { fenceSid, type SessionFence } from '../../core/permission-sets/session-fence.js';
import {
  fencedPolicy,
  policyText,
  withoutExpired,
  type FencedPolicy,
} from '../../core/permission-sets/fenced-policy.js';
import type { SsoCalls } from '../sdk/sso-calls.js';

type SetRef = { InstanceArn: string; PermissionSetArn: string };

async function readFenced(calls: SsoCalls, set: SetRef): Promise<FencedPolicy | undefined> {
  const read = await calls.send(
    'GetInlinePolicyForPermissionSet',
    new GetInlinePolicyForPermissionSetCommand(set),
  );
  const policy = fencedPolicy(read.InlinePolicy, set.PermissionSetArn);
  return 'unreadable' in policy ? undefined : policy;
}

/** The policy's text put, or the inline policy deleted when none is left. */
export async function writeInlinePolicy(
  calls: SsoCalls,
  set: SetRef,
  text: string | undefined,
): Promise<void> {
  if (text !== undefined)
    await calls.send(
      'PutInlinePolicyToPermissionSet',
      new PutInlinePolicyToPermissionSetCommand({ ...set, InlinePolicy: text }),
    );
  else
    await calls.send(
      'DeleteInlinePolicyFromPermissionSet',
      new DeleteInlinePolicyFromPermissionSetCommand(set),
    );
}

/**
 * The manifest's inline policy (`desired`, normalised; undefined: none) written with the set's live
 * fences after it: the manifest's text as it is when the set has none. The expired fences it
 * leaves out are added to `removed`, for the step to say and record.
 */
export async function putKeepingFences(
  calls: SsoCalls,
  set: SetRef,
  desired: string | undefined,
  now: () => number = Date.now,
  removed: SessionFence[] = [],
): Promise<void> {
  const current = await readFenced(calls, set);
  const { policy, expired } = current
    ? withoutExpired(current, now())
    : { policy: undefined, expired: [] as SessionFence[] };
  const live = policy?.fences ?? [];
  const put = await putWith(calls, set, desired, live);
  removed.push(...expired);
  return put;
}

async function putWith(
  calls: SsoCalls,
  set: SetRef,
  desired: string | undefined,
  live: readonly SessionFence[],
): Promise<void> {
  if (live.length === 0) return writeInlinePolicy(calls, set, desired);
  const wanted = fencedPolicy(desired, set.PermissionSetArn);
  // Put as it is, it would end the live fences, and the sessions they end would act again.
  if ('unreadable' in wanted)
    throw new Error(
      `the manifest's inline policy cannot hold the set's ${live.length} live session fence(s) (${wanted.unreadable.replace('its inline policy', 'it')}): not written`,
    );
  const sids = new Set(wanted.fences.map(fenceSid));
  const fences = [...wanted.fences, ...live.filter((f) => !sids.has(fenceSid(f)))];
  return writeInlinePolicy(calls, set, policyText({ ...wanted, fences }));
}
