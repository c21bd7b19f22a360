// Whether a snapshot read (./delta-read.ts) uses the stored snapshot: found, readable, of this
// instance and scope, young enough (core/snapshot/usable.ts), and covering what the manifest manages.
import type { Snapshot } from '../../core/snapshot/format.js';
import { snapshotUse } from '../../core/snapshot/usable.js';
import type { ReadScope } from '../reads/every-assignment.js';
import type { SnapshotRun } from './snapshot-run.js';

/** Why the stored snapshot is not used, or undefined when it is. */
export function whyNotUsed(
  parsed: Snapshot | string | undefined,
  found: boolean,
  instance: string,
  scope: ReadScope,
  run: SnapshotRun,
  now: number,
): string | undefined {
  if (!found) return `there is no snapshot at ${run.store.where} yet`;
  if (typeof parsed !== 'object')
    return `the snapshot at ${run.store.where} cannot be used: ${parsed ?? 'it is unreadable'}`;
  const use = snapshotUse(parsed, { instance, scope: run.scope, now, fullReadEveryMs: run.fullReadEveryMs });
  if (!use.use) return `the snapshot at ${run.store.where} is not used: ${use.reason}`;
  const sets = new Set(parsed.permissionSets);
  const accounts = parsed.accounts && new Set(parsed.accounts);
  const covered =
    scope.managedPermissionSets.every((arn) => sets.has(arn)) &&
    (accounts === null ||
      (scope.managedAccounts !== undefined && [...scope.managedAccounts].every((a) => accounts.has(a))));
  if (!covered)
    return `the manifest now manages permission sets or accounts the snapshot at ${run.store.where} did not cover`;
  return undefined;
}
