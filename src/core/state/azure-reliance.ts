// Shared grants on Azure (docs/ephemeral-access.md, "Overlapping jobs"): a step whose assignments end with its run,
// finding one already there that another run's ephemeral step made, appends its reliance marker
// (`…:r`) to the description. The post step of the run that made it then leaves it, and the sweep
// ends it once every run its markers name has ended. What a relying step writes, and whether an
// assignment a step created is still its own alone when its post step comes. Pure.
import { DESCRIPTION_MAX } from '../inputs/azure-description.js';
import {
  azureRunMarksOf,
  describedWithReliance,
  withoutRelianceMarkers,
  type AzureRunMark,
} from '../run-marks.js';

/** What a step that relies on an assignment writes on it, or why it writes nothing. */
export type RelianceWrite =
  /** `removed`: the reliance markers of ended runs taken out to make room for this run's. */
  | { write: true; description: string; creator: AzureRunMark; removed?: AzureRunMark[]; registered?: never }
  /**
   * `registered`: this run's marker is on it already. `warning`: a reliance the step should
   * register and cannot (the description is full): why, and what to do; the step fails for it.
   */
  | { write: false; note: string; registered?: true; warning?: string };

const runOf = (mark: AzureRunMark) => `run ${mark.runId} attempt ${mark.attempt}`;

const sameMark = (a: AzureRunMark, b: AzureRunMark) =>
  a.repository === b.repository &&
  a.runId === b.runId &&
  a.attempt === b.attempt &&
  Boolean(a.relies) === Boolean(b.relies) &&
  a.expiresAt === b.expiresAt;

/**
 * The description with this run's reliance marker after the markers it has, the user's text and
 * every marker kept. Only on an assignment whose first marker is a run's creation (`:e`): nothing
 * else is revoked by a post step or a sweep, so nothing else needs this run's word.
 *
 * When the marker would not fit, the reliance markers of runs `ended` proves have ended are taken
 * out to make room (the step's own write, so the description stays last written by the identity
 * that relies on it: no other identity's rewrite for the steps and the sweep to trust). Only those:
 * a marker `ended` cannot prove (another repository's run, one GitHub does not answer for, one
 * still going, an earlier attempt of a run whose latest goes) is kept, and the creating run's
 * marker always is. A run that has ended needs the grant no more, and the sweep counts an ended
 * claimant as no claimant (core/claims/claimant-state.ts), so its marker going changes nothing the
 * sweep or the creator's post step decides.
 */
export function relianceWriteOf(
  description: string,
  mark: AzureRunMark,
  ended?: (mark: AzureRunMark) => boolean,
): RelianceWrite {
  const { marks } = azureRunMarksOf(description);
  const creator = marks[0];
  if (!creator || creator.relies)
    return {
      write: false,
      note: "no run's step made it ephemeral (its description carries no run's creation marker), so nothing ends it while this job runs: no reliance to register",
    };
  const relying: AzureRunMark = { ...mark, ephemeral: true, relies: true };
  if (marks.slice(1).some((m) => sameMark(m, relying)))
    return {
      write: false,
      registered: true,
      note: `this run's reliance is registered on it already (another job of ${runOf(mark)})`,
    };
  const written = describedWithReliance(description, mark);
  if (written.length <= DESCRIPTION_MAX) return { write: true, description: written, creator };
  const room = ended ? withoutRelianceMarkers(description, ended) : { description, removed: [] };
  const made = describedWithReliance(room.description, mark);
  if (room.removed.length > 0 && made.length <= DESCRIPTION_MAX)
    return { write: true, description: made, creator, removed: room.removed };
  const kept = ended
    ? ` (the markers of the runs it holds could not all be proven ended${room.removed.length > 0 ? `: ${room.removed.length} could, not enough` : ''}, and a marker of a run not proven ended is kept)`
    : '';
  return {
    write: false,
    note: "this run's reliance is not registered: the description cannot take its marker",
    warning: `its description is ${description.length} characters, and with this run's reliance marker (${written.length - description.length} more) longer than the ${DESCRIPTION_MAX} ARM keeps${kept}: the description is full, and ${runOf(creator)}'s post step, or a sweep once the runs it names have ended, may revoke it while this job runs. Shorten the \`description\` of the step that creates it by ${written.length - DESCRIPTION_MAX} characters or more, or put the jobs that share it in one \`concurrency:\` group`,
  };
}

/** An assignment as the post step reads it again before it deletes. */
export interface AssignmentNow {
  description: string;
  /** Who last wrote it (ARM's `updatedBy`, lower-cased); undefined when ARM does not say. */
  updatedBy: string | undefined;
}

/** Whether the assignment is still this step's alone; if not, why, and whether the sweep ends it later. */
export type SoleOwnership = { alone: true } | { alone: false; why: string; sweepEndsIt: boolean };

/**
 * Post step: whether the assignment this step created (with description `written`) is still its
 * own alone. A run's reliance marker after its own, or any write by another identity since, means
 * it is not: it is left, and said why. `identity`: the object ID the step signs in as.
 */
export function soleOwnershipOf(
  written: string,
  now: AssignmentNow,
  identity: string | undefined,
): SoleOwnership {
  const own = azureRunMarksOf(written);
  const seen = azureRunMarksOf(now.description);
  const lastBy =
    now.updatedBy !== undefined && identity !== undefined && now.updatedBy !== identity
      ? now.updatedBy
      : undefined;
  const by = lastBy ? `, last written by ${lastBy} (updatedBy)` : '';
  if (now.description !== written) {
    const markersAdded =
      seen.text === own.text &&
      seen.marks.length > own.marks.length &&
      own.marks.every((m, i) => sameMark(m, seen.marks[i]!));
    if (!markersAdded)
      return {
        alone: false,
        why: `its description was changed since this step wrote it${by}: it is left for a person to look at`,
        sweepEndsIt: false,
      };
    const reliers = seen.marks.slice(own.marks.length).map(runOf);
    return {
      alone: false,
      why: `relied on by ${reliers.join(', ')}${by}: the sweep ends it once every run that relies on it has ended`,
      sweepEndsIt: true,
    };
  }
  if (lastBy)
    return {
      alone: false,
      why: `it was written again since this step created it, by ${lastBy} (updatedBy), not this step's identity: it is left for a person to look at`,
      sweepEndsIt: false,
    };
  return { alone: true };
}
