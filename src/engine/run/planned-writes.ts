// A reconcile plan's writes, of any kind of access: each change says what it does, the kind it is
// (core/kinds/), the grant it writes (with its IDs), the driver that writes it (with the settings
// it writes: an AWS principal type, an Azure description or condition) and what the reads found.
// One driver routes them all (kindsDriver), so runGrants sees one driver and the step's one
// `max-concurrency`, whatever kinds the plan holds.
import { keyOfIds, type GrantKind } from '../../core/kinds/index.js';
import type { Cloud, Grant, ResolvedIds } from '../../core/types.js';
import type { CallStats, ExistingAssignment, GrantDriver } from '../calls/driver.js';
import { plannedDriver, type PlannedChange, type PlannedKindDriver } from './planned-driver.js';

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
 * The one driver a plan's writes go through: each call goes to a planned driver of its write's
 * kind (./planned-driver.ts) that holds that write's change alone, so an assignment of one kind is
 * never taken for another's with the same principal, role and target, nor one write for another of
 * its kind at the same place (a create beside the delete of an assignment the reads listed there
 * under a scope written otherwise: the create is written with its own settings, never the
 * delete's). The write is known by its own IDs: runGrants hands a driver the IDs a planned grant
 * carries, as they are.
 */
export function kindsDriver(cloud: Cloud, stats: CallStats, writes: readonly PlannedWrite[]): GrantDriver {
  const ownDriver = ({ kind, grant, driver, existing }: PlannedWrite): PlannedKindDriver =>
    plannedDriver(
      kind,
      stats,
      new Map<string, PlannedChange>([[keyOfIds(kind, grant.resolved), { driver, existing }]]),
    );
  const byIds = new Map(writes.map((w) => [w.grant.resolved, ownDriver(w)] as const));
  const driverOf = (ids: ResolvedIds): PlannedKindDriver => {
    const driver = byIds.get(ids);
    if (!driver) throw new Error('no planned write carries these IDs');
    return driver;
  };
  return {
    cloud,
    stats,
    prepare: () => Promise.resolve(),
    resolve: (grant) => {
      if (!grant.resolved) throw new Error('a planned grant carries its IDs');
      return Promise.resolve(grant.resolved);
    },
    findExisting: (ids) => driverOf(ids).findExisting(ids),
    create: (ids) => driverOf(ids).create(ids),
    remove: (ids, existing) => driverOf(ids).remove(ids, existing),
    update: (ids, existing) => driverOf(ids).update(ids, existing),
    findOwnCreate: (ids, since) => driverOf(ids).findOwnCreate(ids, since),
    // Each result says its own write's kind (an eligibility beside a role assignment); IDs no
    // planned write carries fail their grant in its calls above, not in its report.
    assignmentTypeOf: (ids) => byIds.get(ids)?.assignmentType,
  };
}
