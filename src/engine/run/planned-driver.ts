// The driver one kind's planned writes go through (a sweep's; a reconcile's, one per write under
// ./planned-writes.ts kindsDriver): the reads already found every assignment, so it answers
// runGrants' reads from the plan, and hands each write to the driver that holds its settings.
import { KINDS, keyOfIds, type GrantKind } from '../../core/kinds/index.js';
import type { ResolvedIds } from '../../core/types.js';
import type { CallStats, ExistingAssignment, GrantDriver } from '../calls/driver.js';

/** One change of the plan: the driver that writes it (with the settings it writes), and what the reads found. */
export interface PlannedChange {
  driver: GrantDriver;
  existing: ExistingAssignment | undefined;
}

/** A planned driver: it always has an update, which sends an `outdated` change to its driver's. */
export type PlannedKindDriver = GrantDriver & Required<Pick<GrantDriver, 'update'>>;

/**
 * A driver over the plan's changes: each write goes to the driver that holds its settings (an AWS
 * principal type, an Azure description or condition), and runGrants' reads are answered from the
 * plan (an update's, with what it changes: `outdated`). A change is found by its kind's key
 * (core/kinds/: an AWS key carries the principal type, so a USER and a GROUP written with one ID
 * never share an entry). Limits
 * those drivers share are their session's (IAM Identity Center's 15 outstanding creates: aws/sso/session.ts).
 */
export function plannedDriver(
  kind: GrantKind,
  stats: CallStats,
  changes: Map<string, PlannedChange>,
): PlannedKindDriver {
  const change = (ids: ResolvedIds): PlannedChange => {
    const found = changes.get(keyOfIds(kind, ids));
    if (!found) throw new Error(`no planned change for ${keyOfIds(kind, ids)}`);
    return found;
  };
  const { assignmentType } = KINDS[kind];
  // What other kinds do after its drivers' writes (their effects), once each.
  const effects = [...new Set([...changes.values()].flatMap((c) => c.driver.effects ?? []))];
  return {
    cloud: KINDS[kind].cloud,
    ...(effects.length > 0 ? { effects } : {}),
    ...(assignmentType === 'active' ? {} : { assignmentType }),
    stats,
    prepare: () => Promise.resolve(),
    resolve: (grant) => {
      if (!grant.resolved) throw new Error('a planned grant carries its IDs');
      return Promise.resolve(grant.resolved);
    },
    findExisting: (ids) => Promise.resolve(change(ids).existing),
    create: (ids) => change(ids).driver.create(ids),
    remove: (ids, existing) => change(ids).driver.remove(ids, existing),
    update: (ids, existing) => {
      const driver = change(ids).driver;
      if (!driver.update) throw new Error(`no update for ${keyOfIds(kind, ids)}`);
      return driver.update(ids, existing);
    },
    findOwnCreate: (ids, since) => change(ids).driver.findOwnCreate(ids, since),
  };
}
