// The post step's work: of the creates its main step saved, revoke exactly those the service
// proves the step's, each on its own (one failed read fails only its grant), within the post
// step's own deadline; report every saved grant, revoked or not, and why. Whether the step made
// each grant is settled first; whether it is still the step's alone (no other create, no other
// run's reliance since) is asked in each delete's own turn, just before it is sent. revokeSaved
// runs it over the post step's signed-in session and hands back the summary of what it came to.
import type { RevokePlan } from './revoke-plan.js';
import type { RunHeader } from '../../core/output/run-header.js';
import type { RunnerEffects, StepReport } from '../../core/output/step.js';
import { emitGrantLog, grantsEnding } from '../../core/output/grants-ending.js';
import type { LoadedState } from '../../core/state/saved-state.js';
import type { Deadline } from '../../engine/limits/deadline.js';
import type { GrantDriver } from '../../engine/calls/driver.js';
import { mapWithConcurrency } from '../../engine/limits/limits.js';
import {
  createdByStep,
  stillTheStepsAlone,
  type OwnershipVerdict,
  type SavedCreate,
} from '../../engine/run/ownership.js';
import type { BatchProgress } from '../../engine/calls/progress.js';
import { runGrants } from '../../engine/run/run-grants.js';
import type { AuditTrail } from '../../engine/audit/trail.js';
import { auditedDriver } from '../../engine/audit/guard.js';
import {
  describeRevokes,
  leftBehind,
  leftBehindError,
  leftToExpireWarning,
  calledTally,
  notRevoked,
  type ExpiringGrant,
  type InstanceHandedOver,
  type RevokeTally,
} from './revoke-report.js';
import type { Session } from '../step-session.js';
import type { Grant } from '../../core/types.js';
import type { GrantResult } from '../../core/grant-result.js';
import { kindNamed } from '../../core/kinds/index.js';
import { revokeSavedSections } from './revoke-sections.js';

/** A create the main step saved, with the grant it stands for. */
export interface OwnedCreate<G extends Grant = Grant> extends SavedCreate {
  grant: G;
}

export interface RevokeOwnedOptions {
  maxConcurrency: number;
  deadline: Deadline;
  /** How many grants the main step found in place (left alone; only the count was saved). */
  existedBefore: number;
  /** Each grant's result as soon as it is known (for its log group). */
  onResult?: (result: GrantResult) => void;
  /**
   * Say where the grants stand while they wait (engine/calls/progress.ts): first whether each is the step's
   * (a create still IN_PROGRESS is followed to its end), then the revokes.
   */
  progress?: { checks: BatchProgress; revokes: BatchProgress };
  /** `audit-log`: each revoke is recorded, none sent before the step's first record is written. */
  audit?: AuditTrail;
}

export interface OwnedRevokes<G extends Grant = Grant> {
  /** One per saved create, in their order. */
  results: GrantResult[];
  tally: RevokeTally;
  /** Time-bound grants the service would not remove yet (PIM's minimum active time): it ends them itself. */
  leftToExpire: ExpiringGrant[];
  /** Left in place though they may be the step's (the service cannot tell): a person should look. */
  mayBeOwn: OwnedCreate<G>[];
}

/**
 * The revoke of what the main step saved, over the post step's signed-in session, and what it came
 * to: the notice and the warnings said, and the summary under `header` (the post step's, signed in).
 */
export async function revokeSaved(
  state: LoadedState,
  { deadline, driver, audit, sections }: Pick<Session, 'deadline' | 'driver' | 'audit' | 'sections'>,
  {
    plan,
    header,
    instanceOf,
    progress,
  }: {
    plan: RevokePlan;
    header: RunHeader;
    instanceOf: InstanceHandedOver;
    progress: NonNullable<RevokeOwnedOptions['progress']>;
  },
  effects: RunnerEffects,
): Promise<StepReport> {
  const { notice, warning } = effects;
  const { created } = state;
  const { results, tally, leftToExpire, mayBeOwn } = await revokeOwned(created, driver, {
    maxConcurrency: plan.maxConcurrency,
    deadline,
    existedBefore: state.header.leftAlone,
    ...(audit ? { audit } : {}),
    onResult: (result) => emitGrantLog(result, false, effects),
    progress,
  });
  // The kinds' own entries, each read by its section's parser, after the grants.
  const own = await revokeSavedSections(state.sections, sections, {
    cloud: driver.cloud,
    maxConcurrency: plan.maxConcurrency,
    deadline,
    audit,
    onResult: (result) => emitGrantLog(result, false, effects),
    warning,
  });
  for (const [count, n] of Object.entries(own.tally)) tally[count as keyof typeof own.tally] += n;
  notice(describeRevokes(tally));
  const expiring = leftToExpireWarning(leftToExpire);
  if (expiring) warning(expiring);
  const left = [...mayBeOwn.map((entry) => leftBehind(entry, state.header, instanceOf)), ...own.left];
  if (left.length > 0)
    warning(
      leftBehindError(
        'the service cannot show that this step created them (an answer to a create was lost, or another party created the same assignment meanwhile: a person, or another job that relies on it)',
        left,
        "that may be the main step's",
        'When another run relies on one, a scheduled `operation: sweep` ends it once every run that relies on it has ended (docs/sweep.md)',
      ),
    );
  return grantsEnding([...results, ...own.results], {
    title: header.title,
    run: header.run,
    signIn: header.signIn,
    operation: 'revoke',
    dryRun: false,
    wait: true,
  });
}

export async function revokeOwned<G extends Grant>(
  saved: OwnedCreate<G>[],
  driver: GrantDriver<G>,
  options: RevokeOwnedOptions,
): Promise<OwnedRevokes<G>> {
  const { deadline } = options;
  // First: is each grant this step's? Each is settled on its own.
  const verdicts = await ownershipVerdicts(saved, driver, options);
  const ours = saved.filter((_, i) => verdicts[i]!.ours).map((entry) => entry.grant);
  const entryOf = new Map(saved.map((entry) => [entry.grant, entry]));
  // Left in its turn, no longer the step's alone: said as a verdict of the checks is.
  const lateVerdicts = new Map<G, Extract<OwnershipVerdict, { ours: false }>>();
  const revoked = await runGrants(ours, driver, {
    confirmDelete: async (grant) => {
      const verdict = await stillTheStepsAlone(entryOf.get(grant)!, driver);
      if (verdict.ours) return undefined;
      lateVerdicts.set(grant, verdict);
      return { status: verdict.status, reason: verdict.reason, ...(verdict.gone ? { gone: true } : {}) };
    },
    operation: 'revoke',
    dryRun: false,
    wait: true,
    maxConcurrency: options.maxConcurrency,
    deadline,
    // A create this step made moments before may not show in reads yet; deleting what is absent changes nothing.
    deleteWhenAbsent: true,
    ...(options.onResult ? { onResult: options.onResult } : {}),
    ...(options.progress ? { progress: options.progress.revokes } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
  });
  const revokedBy = new Map(revoked.map((r, i) => [ours[i]!, r]));
  const tally: RevokeTally = {
    revoked: 0,
    alreadyAbsent: 0,
    failed: 0,
    existedBefore: options.existedBefore,
    notShownOwn: 0,
  };
  const leftToExpire: ExpiringGrant[] = [];
  const mayBeOwn: OwnedCreate<G>[] = [];
  const results = saved.map((entry, i): GrantResult => {
    const late = lateVerdicts.get(entry.grant);
    const done = late ? undefined : revokedBy.get(entry.grant);
    if (done) {
      if (done.status !== 'SUCCEEDED') tally.failed++;
      else if (done.changed) tally.revoked++;
      else if (done.after !== 'present') tally.alreadyAbsent++;
      else if (done.endsOnItsOwn) {
        // Not removable yet (PIM's minimum active time), and time-bound: said, not failed.
        tally.leftToExpire = (tally.leftToExpire ?? 0) + 1;
        const called = kindNamed(entry.grant.kind).called;
        leftToExpire.push({ result: done, ...(called ? { called } : {}) });
        tally.leftToExpireCalled = calledTally(leftToExpire);
      } else tally.notShownOwn++;
      return done;
    }
    // Why each grant was not revoked is in its result (the log group and the summary).
    const verdict = late ?? (verdicts[i] as Extract<OwnershipVerdict, { ours: false }>);
    if (verdict.leftInPlace) {
      tally.notShownOwn++;
      if (verdict.mayBeOwn) mayBeOwn.push(entry);
    } else if (verdict.status === 'SUCCEEDED') tally.alreadyAbsent++;
    else tally.failed++;
    // A grant left in its turn was logged as runGrants ended it.
    if (late) return revokedBy.get(entry.grant) ?? notRevoked(driver.cloud, entry, verdict);
    const result = notRevoked(driver.cloud, entry, verdict);
    options.onResult?.(result);
    return result;
  });
  return { results, tally, leftToExpire, mayBeOwn };
}

/**
 * Whether each saved create is the step's, each settled on its own. Their writes (the cancel of a
 * create left pending) wait for the step's first record, as the revokes' do.
 */
function ownershipVerdicts<G extends Grant>(
  saved: OwnedCreate<G>[],
  driver: GrantDriver<G>,
  options: RevokeOwnedOptions,
): Promise<OwnershipVerdict[]> {
  const { deadline } = options;
  const checking = options.audit
    ? auditedDriver(
        driver,
        options.audit,
        'revoke',
        saved.map((entry) => entry.grant),
      )
    : driver;
  const bound = { deadline };
  const checks = options.progress?.checks.batch(saved.length);
  return mapWithConcurrency(
    saved,
    options.maxConcurrency,
    (entry) => {
      const ended = checks?.begin();
      return createdByStep(entry, checking, bound).finally(() => ended?.());
    },
    {
      bound,
      result: (): OwnershipVerdict => ({
        ours: false,
        status: 'IN_PROGRESS',
        reason: `not revoked: the ${deadline.seconds}s post-step deadline (\`post-timeout-seconds\`) passed before its turn`,
      }),
    },
  ).finally(() => checks?.close());
}
