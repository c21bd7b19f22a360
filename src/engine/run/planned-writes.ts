// A reconcile plan's writes, of any kind of access: each change says what it does, the kind it is
// (core/kinds/), the grant it writes (with its IDs), the driver that writes it (with the settings
// it writes: an AWS principal type, an Azure description or condition) and what the reads found.
// Each goes through its own driver (ownDriver) in the reconcile's one write plan, under the step's
// one `max-concurrency`, whatever kinds the plan holds.
import { keyOfIds, type GrantKind } from '../../core/kinds/index.js';
import type { Cloud, Grant, ResolvedIds } from '../../core/types.js';
import type { CallStats, ExistingAssignment, GrantDriver } from '../calls/driver.js';
import type { WriteAddress } from '../calls/write-plan.js';
import { plannedDriver, type PlannedChange } from './planned-driver.js';

/** One change of a plan, of one kind. */
export interface PlannedWrite {
  change: 'create' | 'delete' | 'update';
  kind: GrantKind;
  /** The grant as the plan shows it, with the IDs it writes: runGrants reads nothing to resolve it. */
  grant: Grant & { resolved: ResolvedIds };
  /** The driver of the kind that writes it, holding the settings it writes. */
  driver: GrantDriver;
  /** The assignment as the reads found it (an update's with what it changes: `outdated`); none for a create. */
  existing: ExistingAssignment | undefined;
  /**
   * The writes of another kind's plan it is made from, by address (an assignment of a set still
   * to be created: the set's create, whose answer it is written with, `bind`; one of a set the
   * plan updates: the update), and why it is not sent when one of them fails.
   */
  needs?: {
    of: readonly WriteAddress[];
    bind?: (answers: readonly (string | undefined)[]) => PlannedWrite;
    unmet: () => Error;
  };
}

/**
 * A plan's writes, each list at its plan's indexes (creates[i] writes the plan's creates[i]), over
 * the section's one session: its cloud and call counts.
 */
export interface PlannedWrites {
  cloud: Cloud;
  stats: CallStats;
  creates: PlannedWrite[];
  deletes: PlannedWrite[];
  /** One per planned update (only a kind whose assignments grant more than their key has any). */
  updates: PlannedWrite[];
}

/**
 * The driver one planned write goes through: a planned driver of its kind (./planned-driver.ts)
 * that holds that write's change alone, so an assignment of one kind is never taken for another's
 * with the same principal, role and target, nor one write for another of its kind at the same
 * place (a create beside the delete of an assignment the reads listed there under a scope written
 * otherwise: the create is written with its own settings, never the delete's).
 */
export function ownDriver({ kind, grant, driver, existing }: PlannedWrite): GrantDriver {
  return plannedDriver(
    kind,
    driver.stats,
    new Map<string, PlannedChange>([[keyOfIds(kind, grant.resolved), { driver, existing }]]),
  );
}
