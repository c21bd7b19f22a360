// A set's inline policy written with its session fences kept: a reconcile that writes the
// manifest's policy keeps the live fences a revoke put there (they end sessions that must stay
// ended), and takes out the expired. The inline-policy API has no conditional write, so each write
// is one read and one put with no call between: a fence put after this read is lost, and its
// writer's read-back finds it so (the window the docs name); a fence put made from a read before
// this put would put the old statements back, and this read-back finds it so. Only the action's fences of this set,
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
  holdsAll,
  policyText,
  samePolicy,
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

/** How many times the put is read, made and read back before the update fails (as a fence's rewrite). */
const ATTEMPTS = 3;

/**
 * The manifest's inline policy (`desired`, normalised; undefined: none) written with the set's live
 * fences after it: the manifest's text as it is when the set has none. Read back: a put of another
 * writer made from a read before this one (a revoke's fence) would put the old statements back,
 * so when the statements are not the manifest's, or a fence kept is missing, it is written again
 * from a fresh read, at most ATTEMPTS times, then fails. The expired fences it leaves out are
 * added to `removed`, for the step to say and record.
 */
export async function putKeepingFences(
  calls: SsoCalls,
  set: SetRef,
  desired: string | undefined,
  now: () => number = Date.now,
  removed: SessionFence[] = [],
): Promise<void> {
  const expired = new Map<string, SessionFence>();
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const current = await readFenced(calls, set);
    const { policy, expired: out } = current
      ? withoutExpired(current, now())
      : { policy: undefined, expired: [] as SessionFence[] };
    for (const f of out) expired.set(fenceSid(f), f);
    const wanted = await putWith(calls, set, desired, policy?.fences ?? []);
    const back = await readFenced(calls, set);
    if ('unreadable' in wanted || (back && heldAsPut(back, wanted))) {
      removed.push(...expired.values());
      return;
    }
  }
  throw new Error(
    `its inline policy read back without what the step wrote, ${ATTEMPTS} times: another writer changes it at the same time`,
  );
}

/** Whether the policy read back holds exactly the statements put beside the fences, and every fence put. */
const heldAsPut = (back: FencedPolicy, put: FencedPolicy) =>
  samePolicy({ ...back, fences: [] }, { ...put, fences: [] }) && holdsAll(back, put);

/** The policy put: `desired` with `live` after it. */
async function putWith(
  calls: SsoCalls,
  set: SetRef,
  desired: string | undefined,
  live: readonly SessionFence[],
): Promise<FencedPolicy | { unreadable: string }> {
  const wanted = fencedPolicy(desired, set.PermissionSetArn);
  if (live.length === 0) {
    await writeInlinePolicy(calls, set, desired);
    return wanted;
  }
  // Put as it is, it would end the live fences, and the sessions they end would act again.
  if ('unreadable' in wanted)
    throw new Error(
      `the manifest's inline policy cannot hold the set's ${live.length} live session fence(s) (${wanted.unreadable.replace('its inline policy', 'it')}): not written`,
    );
  const sids = new Set(wanted.fences.map(fenceSid));
  const put = { ...wanted, fences: [...wanted.fences, ...live.filter((f) => !sids.has(fenceSid(f)))] };
  await writeInlinePolicy(calls, set, policyText(put));
  return put;
}
