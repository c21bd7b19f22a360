// The post step's work: of the creates its main step saved, revoke exactly those the service
// proves the step's, each on its own (one failed read fails only its grant), within the post
// step's own deadline; report every saved grant, revoked or not, and why. Whether the step made
// each grant is settled first; whether it is still the step's alone (no other create, no other
// run's reliance since) is asked in each delete's own turn, just before it is sent. The grants'
// deletes and those of the kinds' own entries (./revoke-sections.ts) are one plan of the engine's
// writes, in the order the kinds declare. revokeSaved runs it over the post step's signed-in
// session and hands back the summary of what it came to.
import type { RevokePlan } from './revoke-plan.js';
import type { RunHeader } from '../../core/output/run-header.js';
import type { RunnerEffects, StepReport } from '../../core/output/step.js';
import { emitGrantLog, grantsEnding } from '../../core/output/grants-ending.js';
import type { LoadedState } from '../../core/state/saved-state.js';
import type { Deadline } from '../../engine/limits/deadline.js';
import type { GrantDriver } from '../../engine/calls/driver.js';
import { mapWithConcurrency } from '../../engine/limits/limits.js';
import { createdByStep, stillTheStepsAlone, type OwnershipVerdict } from '../../engine/run/ownership.js';
import type { BatchProgress } from '../../engine/calls/progress.js';
import { grantWriter } from '../../engine/run/run-grants.js';
import { runWrites } from '../../engine/run/run-writes.js';
import type { KindWriter } from '../../engine/calls/write-plan.js';
import type { AuditTrail } from '../../engine/audit/trail.js';
import { auditedDriver } from '../../engine/audit/guard.js';
import {
  describeRevokes,
  grantEnds,
  leftBehind,
  leftBehindError,
  leftToExpireWarning,
  type GrantEnds,
  type InstanceHandedOver,
  type LeftBehind,
  type OwnedCreate,
} from './revoke-report.js';
import type { Session } from '../step-session.js';
import type { Grant } from '../../core/types.js';
import type { GrantResult } from '../../core/grant-result.js';
import { sectionRevokes, type ReadEntry } from './revoke-sections.js';

export type { OwnedCreate } from './revoke-report.js';

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
  /** The kinds' own entries the main step saved, read by their sections' parsers: revoked in the same plan. */
  sections?: readonly ReadEntry[];
}

export interface OwnedRevokes<G extends Grant = Grant> extends GrantEnds<G> {
  /** The section entries left in place, not shown to be the step's: how to remove each by hand. */
  sectionsLeft: LeftBehind[];
}

/**
 * The revoke of what the main step saved (its grants, and its kinds' own entries as their sections
 * read them: `sections`), over the post step's signed-in session, and what it came to: the notice
 * and the warnings said, and the summary under `header` (the post step's, signed in).
 */
export async function revokeSaved(
  state: LoadedState,
  sections: readonly ReadEntry[],
  { deadline, driver, audit }: Pick<Session, 'deadline' | 'driver' | 'audit'>,
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
  const { results, tally, leftToExpire, mayBeOwn, sectionsLeft } = await revokeOwned(state.created, driver, {
    maxConcurrency: plan.maxConcurrency,
    deadline,
    existedBefore: state.header.leftAlone,
    ...(audit ? { audit } : {}),
    onResult: (result) => emitGrantLog(result, false, effects),
    progress,
    sections,
  });
  notice(describeRevokes(tally));
  const expiring = leftToExpireWarning(leftToExpire);
  if (expiring) warning(expiring);
  const left = [...mayBeOwn.map((entry) => leftBehind(entry, state.header, instanceOf)), ...sectionsLeft];
  if (left.length > 0)
    warning(
      leftBehindError(
        'the service cannot show that this step created them (an answer to a create was lost, or another party created the same assignment meanwhile: a person, or another job that relies on it)',
        left,
        "that may be the main step's",
        'When another run relies on one, a scheduled `operation: sweep` ends it once every run that relies on it has ended (docs/sweep.md)',
      ),
    );
  return grantsEnding(results, {
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
  const grants = grantWriter(ours, {
    confirmDelete: async (grant) => {
      const verdict = await stillTheStepsAlone(entryOf.get(grant)!, driver);
      if (verdict.ours) return undefined;
      lateVerdicts.set(grant, verdict);
      return { status: verdict.status, reason: verdict.reason, ...(verdict.gone ? { gone: true } : {}) };
    },
    operation: 'revoke',
    dryRun: false,
    wait: true,
    deadline,
    // A create this step made moments before may not show in reads yet; deleting what is absent changes nothing.
    deleteWhenAbsent: true,
    ...(options.onResult ? { onResult: options.onResult } : {}),
    ...(options.progress ? { progress: options.progress.revokes } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
  });
  const own = sectionRevokes(options.sections ?? [], {
    cloud: driver.cloud,
    deadline,
    audit: options.audit,
    onResult: options.onResult,
  });
  // One plan: the grants' deletes, then the kinds' own, run in the order the kinds declare.
  const run = await runWrites(
    {
      writes: [
        ...ours.map((grant) => ({ kind: grant.kind, change: 'delete' as const, item: { grant, driver } })),
        ...own.writes,
      ],
    },
    {
      maxConcurrency: options.maxConcurrency,
      bound: { deadline },
      writerOf: (kind) => own.writerOf(kind) ?? (grants as KindWriter),
      ...(driver.effects ? { effects: driver.effects } : {}),
      audit: options.audit,
    },
  ).finally(() => grants.close());
  // A grant's delete needs nothing, so it is never held, and it has one row.
  const revokedBy = new Map(ours.map((grant, i) => [grant, run.ends[i]!.rows[0]!]));
  const sections = own.ended(run.ends.slice(ours.length));
  const ended = grantEnds(saved, driver.cloud, { verdicts, late: lateVerdicts, revokedBy }, options);
  const { tally } = ended;
  for (const [count, n] of Object.entries(sections.tally)) tally[count as keyof typeof sections.tally] += n;
  return { ...ended, results: [...ended.results, ...sections.results], tally, sectionsLeft: sections.left };
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
