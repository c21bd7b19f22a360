// The driver a plan's writes go through (a reconcile's, a sweep's): the reads already found every
// assignment, so it answers runGrants' reads from the plan, and hands each write to the driver that
// holds its settings.
import { targetIdOf, type Cloud, type ResolvedIds } from '../../core/types.js';
import type { CallStats, ExistingAssignment, GrantDriver } from '../calls/driver.js';

/** One change of the plan: the driver that writes it (with the settings it writes), and what the reads found. */
export interface PlannedChange {
  driver: GrantDriver;
  existing: ExistingAssignment | undefined;
}

/**
 * The key a change is found by from the IDs runGrants hands the driver. AWS's carries the
 * principal type, as the plan's key does: a USER and a GROUP written with one ID are two
 * assignments, and a create and a delete of them must never share one entry.
 * Azure's compares object IDs, which are one principal whatever type ARM reports.
 */
export const changeKey = (ids: ResolvedIds): string =>
  [
    ...(ids.cloud === 'aws' ? [ids.principalType ?? ''] : []),
    ids.principalId,
    ids.roleId,
    targetIdOf(ids),
  ].join('|');

/**
 * A driver over the plan's changes: each write goes to the driver that holds its settings (an AWS
 * principal type, an Azure description or condition), and runGrants' reads are answered from the
 * plan (an update's, with what it changes: `outdated`). Limits
 * those drivers share are their session's (IAM Identity Center's 15 outstanding creates: aws/sso/session.ts).
 */
export function plannedDriver(
  cloud: Cloud,
  stats: CallStats,
  changes: Map<string, PlannedChange>,
): GrantDriver {
  const change = (ids: ResolvedIds): PlannedChange => {
    const found = changes.get(changeKey(ids));
    if (!found) throw new Error(`no planned change for ${changeKey(ids)}`);
    return found;
  };
  return {
    cloud,
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
      if (!driver.update) throw new Error(`no update for ${changeKey(ids)}`);
      return driver.update(ids, existing);
    },
    findOwnCreate: (ids, since) => change(ids).driver.findOwnCreate(ids, since),
  };
}
