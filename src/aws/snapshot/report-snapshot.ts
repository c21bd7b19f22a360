// A report's snapshot (`snapshot` with `operation: report`): its scope is the instance and the
// report's filters as written (`role`, `target`), so each report keeps an object of its own; it
// reads as a reconcile's does (./delta-read.ts) but plans no write, and its complete read is by
// place, the one plan that sees a deleted principal's assignments. What it said goes to the
// report's notes, what a complete read found it missed to its warnings.
import type { AwsSessionSettings, ReportRequest } from '../../core/inputs/index.js';
import { writesRefusedFor } from '../../core/check/events.js';
import { snapshotObjectKey, snapshotScope } from '../../core/snapshot/format.js';
import type { AdapterDeps } from '../../engine/calls/driver.js';
import type { ReadAssignment, ReadScope } from '../reads/every-assignment.js';
import type { ReadReport } from '../../engine/run/reconciler.js';
import type { SsoSession } from '../sso/session.js';
import { LabelsBudget } from '../../engine/limits/best-effort.js';
import { nameAwsPrincipals } from '../reads/names.js';
import { readWithSnapshot, type SnapshotRun } from './delta-read.js';
import { knowKeptPrincipals } from './opened.js';
import { createSnapshotStore } from './store.js';

/** The run's snapshot for a report with `snapshot`, made once the instance is known; undefined without. */
export function reportSnapshot(
  settings: AwsSessionSettings,
  request: ReportRequest,
  deps: AdapterDeps,
  instance: () => string,
  /** The run's event (core/run-context.ts): a pull request's run never writes the snapshot. */
  eventName: string | undefined,
): ((completeRead: SnapshotRun['completeRead']) => SnapshotRun) | undefined {
  const { snapshot } = request;
  if (!snapshot) return undefined;
  const refused = writesRefusedFor(eventName || undefined);
  return (completeRead) => {
    const scope = snapshotScope({
      instance: instance(),
      filters: {
        role: JSON.stringify(request.permissionSets ?? []),
        target: JSON.stringify((request.awsTargets ?? []).map((t) => t.written)),
      },
    });
    return {
      store: createSnapshotStore(settings, snapshot, snapshotObjectKey(snapshot.prefix, scope), deps),
      scope,
      fullReadEveryMs: request.fullReadEveryMs ?? 7 * 86_400_000,
      ...(request.eventHistoryRoles ? { eventHistoryRoles: request.eventHistoryRoles } : {}),
      mayWrite: refused === undefined,
      notWritten:
        "the event that started this run may not write (a pull request's code must not shape what later runs trust)",
      ...(completeRead ? { completeRead } : {}),
      readBeforeWrites: false,
      // With `last-used: true` read from the event history, the usage ledger is read into the
      // snapshot (../usage/ledger-sign-ins.ts), which is kept once that read is done.
      keepLater: request.usage?.source.kind === 'lookup-events',
      // With `expand-groups`, the groups' members are kept too: only those a membership write
      // touched are read again.
      ...(request.expandGroups
        ? {
            groupsOf: (assignments: readonly { principalType: string; principalId: string }[]) =>
              assignments.filter((a) => a.principalType === 'GROUP').map((a) => a.principalId),
          }
        : {}),
    };
  };
}

/** A report's snapshot kept once its usage ledger is read: the ledger it held, and the keep. */
export interface UsageLedgerRun {
  usage: { value: unknown } | { none: string };
  where: string;
  keep(usage: unknown): Promise<string>;
}

export async function readReportWithSnapshot(
  session: SsoSession,
  scope: ReadScope,
  reportRun: SnapshotRun,
  deps: AdapterDeps,
  said: { notes: string[]; warnings: string[] },
): Promise<{
  assignments: ReadAssignment[];
  read: ReadReport;
  members: Map<string, string[]> | undefined;
  kept?: UsageLedgerRun;
}> {
  // The rows' names are kept: a run from the snapshot names only the principals CloudTrail says
  // changed or that it had not kept, instead of listing every user and group (the rows' naming,
  // ../account-assignment/held-assignments.ts, then finds them known).
  const labels = new LabelsBudget(deps.deadline);
  const run: SnapshotRun = {
    ...reportRun,
    namePrincipals: async (principals) => {
      await nameAwsPrincipals(session, principals, labels);
    },
  };
  await knowKeptPrincipals(session, run, deps);
  const { assignments, read, notices, warnings, members, keep, usage } = await readWithSnapshot(
    session,
    scope,
    [],
    run,
    deps,
  );
  said.notes.push(...notices);
  said.warnings.push(...warnings);
  return {
    assignments,
    read,
    members,
    ...(keep && usage ? { kept: { keep, usage, where: run.store.where } } : {}),
  };
}
