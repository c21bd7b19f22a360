// IAM Identity Center in memory behind the GrantDriver interface, for the tests of the assign step
// and its post step without a bundle (./assign.test.ts through the main step,
// ../operations/assign/index.test.ts and ../operations/revoke-on-exit/index.test.ts through each
// operation's step): its assignments, every write it was sent, the sessions opened on it, and the
// inputs of an AWS assign over it.
import type { AwsResolvedIds } from '../../src/core/types.js';
import { Deadline } from '../../src/engine/limits/deadline.js';
import { emptyStats, type GrantDriver, type WriteOutcome } from '../../src/engine/calls/driver.js';
import type { SessionOptions } from '../../src/operations/step-session.js';
import type { StepSessions } from '../../src/steps/sessions.js';

export const INSTANCE = 'arn:aws:sso:::instance/ssoins-1111111111111111';
export const READ_ONLY = 'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111';
export const USERS: Record<string, string> = { alice: '11111111-1111-1111-1111-111111111111' };

/**
 * IAM Identity Center in memory: assignments by `principal@account`, every write recorded.
 * `duringCreate` runs while a create is on its way (the job cancelled mid-batch).
 */
export function identityCenter(held: string[] = []) {
  const assignments = new Set(held);
  const writes: string[] = [];
  const sessions: Pick<SessionOptions, 'step' | 'saved' | 'ownCreates'>[] = [];
  const creates: { assignment: string; requestId: string; at: number }[] = [];
  let requests = 0;
  let duringCreate: (() => void) | undefined;
  /** How the driver answers a reliance; none registered until a test says (a user-set session name). */
  let relianceAnswer: WriteOutcome | undefined;
  const key = (ids: AwsResolvedIds) => `${ids.principalId}@${ids.accountId}`;
  const driver: GrantDriver = {
    cloud: 'aws',
    stats: emptyStats(),
    prepare: async () => {},
    resolve: async (grant) => {
      if (grant.cloud !== 'aws') throw new Error('an AWS grant');
      const principalId = grant.principal.kind === 'id' ? grant.principal.id : USERS[grant.principal.name];
      if (!principalId)
        throw new Error(`ResourceNotFoundException: no user ${JSON.stringify(grant.principal)}`);
      return {
        cloud: 'aws',
        principalId,
        principalType: 'USER',
        accountId: grant.accountId,
        roleId: READ_ONLY,
      };
    },
    findExisting: async (ids) => (assignments.has(key(ids as AwsResolvedIds)) ? {} : undefined),
    create: async (ids) => {
      writes.push(`create ${key(ids as AwsResolvedIds)}`);
      const requestId = requestIdOf(++requests);
      creates.push({ assignment: key(ids as AwsResolvedIds), requestId, at: Date.now() });
      duringCreate?.();
      assignments.add(key(ids as AwsResolvedIds));
      return { kind: 'done', changed: true, requestId };
    },
    registerReliance: async (ids) => {
      if (relianceAnswer) writes.push(`rely ${key(ids as AwsResolvedIds)}`);
      return relianceAnswer;
    },
    remove: async (ids) => {
      writes.push(`delete ${key(ids as AwsResolvedIds)}`);
      const changed = assignments.delete(key(ids as AwsResolvedIds));
      return { kind: 'done', changed, requestId: requestIdOf(++requests) };
    },
    proveCreated: async () => ({ created: true }),
    stillOwn: async (ids) =>
      assignments.has(key(ids as AwsResolvedIds))
        ? { created: true }
        : { created: false, why: 'gone', gone: true },
    // As the service's record of create requests shows it: the one made since `since`, if any.
    findOwnCreate: async (ids, since) => {
      const made = creates.find((c) => c.assignment === key(ids as AwsResolvedIds) && c.at >= since);
      return made
        ? { ownership: 'created', requestId: made.requestId }
        : { ownership: 'not-created', why: 'no create of it since the step sent its own' };
    },
    postState: () => ({ instanceArn: INSTANCE }),
  };
  const open = async ({ step, saved, ownCreates }: Omit<SessionOptions, 'audit'>) => {
    sessions.push({ step, ...(saved ? { saved } : {}), ...(ownCreates ? { ownCreates } : {}) });
    return { deadline: new Deadline(30), driver };
  };
  const notForThisStep = () => Promise.reject(new Error('not an operation of this test'));
  const mainSessions: StepSessions = {
    grants: () => open({ step: 'main' }),
    provisioning: notForThisStep,
    sweep: notForThisStep,
    reconcile: async () => ({ readManifest: notForThisStep, openReconciler: notForThisStep }),
    report: async () => ({
      readManifest: notForThisStep,
      readPrevious: notForThisStep,
      openReader: notForThisStep,
      writeFiles: notForThisStep,
      openPulls: notForThisStep,
    }),
    request: async () => ({ claims: notForThisStep, github: notForThisStep }),
    review: notForThisStep,
  };
  return {
    assignments,
    writes,
    sessions,
    mainSessions,
    open,
    openPost: (_plan: unknown, _settings: unknown, options: SessionOptions) => open(options),
    whileCreating: (then: () => void) => void (duringCreate = then),
    answerReliances: (outcome: WriteOutcome) => void (relianceAnswer = outcome),
  };
}

export const inputs = (more: Record<string, string> = {}) => ({
  cloud: 'aws',
  'role-to-assume': 'arn:aws:iam::123456789012:role/cloud-access',
  'aws-region': 'us-east-1',
  'instance-arn': INSTANCE,
  principal: 'alice',
  role: READ_ONLY,
  target: '111111111111',
  ...more,
});
/** IAM Identity Center's request IDs are UUIDs (the post step checks the saved ones). */
export const requestIdOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const ALICE_IN = (account: string) => `${USERS.alice}@${account}`;
