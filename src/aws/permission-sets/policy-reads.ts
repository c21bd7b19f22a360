// An AWS-managed policy's iam:GetPolicy, read once per ARN in a run: the manifest's check that
// the policy exists (managed-policies.ts) and the policy checks that read its default version
// (policy-checks.ts) ask the same question of the same policy, and IAM is asked once. A failed
// read is shared too: each caller says in its own words why the policy was not checked.
import { GetPolicyCommand, type GetPolicyCommandOutput } from '@aws-sdk/client-iam';
import type { SsoSession } from '../sso/session.js';

const readsBySession = new WeakMap<SsoSession, Map<string, Promise<GetPolicyCommandOutput>>>();

export function readAwsManagedPolicy(session: SsoSession, arn: string): Promise<GetPolicyCommandOutput> {
  let reads = readsBySession.get(session);
  if (!reads) {
    reads = new Map();
    readsBySession.set(session, reads);
  }
  let read = reads.get(arn);
  if (!read) {
    read = session.sendIam('GetPolicy', (iam, signal) =>
      iam.send(new GetPolicyCommand({ PolicyArn: arn }), { abortSignal: signal }),
    );
    // The caller that awaits it sees the failure; an unawaited copy must not crash the step.
    read.catch(() => undefined);
    reads.set(arn, read);
  }
  return read;
}
