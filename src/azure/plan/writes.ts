// The writes of an Azure reconcile's plan: a create, delete or update per change, each of its kind
// (engine/run/planned-writes.ts) with the driver its kind writes it with (../kinds.ts: one per kind
// and distinct create settings: principal type, description, condition), all over the plan's one
// ARM session. An update goes to the assignment's own name, with the file's condition
// (arm/condition-update.ts).
import { randomUUID } from 'node:crypto';
import type { AzureSettings } from '../../core/inputs/index.js';
import { conditionChangeText } from '../../core/plan/conditions.js';
import type { CurrentAssignment, DesiredAssignment, PlannedUpdate } from '../../core/plan/assignment-diff.js';
import type { AzurePrincipalType } from '../../core/principal-forms.js';
import { nameFields } from '../../core/shown-names.js';
import type { AzureResolvedIds, WrittenGrant, AzureGrant } from '../../core/types.js';
import { cloudKind, type GrantKind } from '../../core/kinds/index.js';
import type { GrantDriver } from '../../engine/calls/driver.js';
import type { PlannedWrite, PlannedWrites } from '../../engine/run/planned-writes.js';
import type { ArmSession } from '../arm/session.js';
import type { AzureCreateSettings } from '../kind/reconcile.js';

type Desired = DesiredAssignment<AzureCreateSettings, AzureGrant['scope']>;
type Current = CurrentAssignment<AzureGrant['scope']>;
type Update = PlannedUpdate<AzureCreateSettings, AzureGrant['scope']>;

/** The driver a kind's reconcile writes with (../kinds.ts), none for a kind no manifest makes. */
export type ReconcileWriterOf = (
  kind: GrantKind,
) =>
  | ((settings: AzureSettings & AzureCreateSettings, session: ArmSession, owner: string) => GrantDriver)
  | undefined;

/** One driver per kind and distinct settings (a create's description and condition) over the one session. */
function driversBySettings(
  sessionSettings: AzureSettings,
  session: ArmSession,
  owner: string,
  writerOf: ReconcileWriterOf,
): (kind: GrantKind, settings: AzureCreateSettings | undefined) => GrantDriver {
  const drivers = new Map<string, GrantDriver>();
  return (kind, settings) => {
    const s = settings ?? {
      principalType: 'User',
      description: '',
      condition: undefined,
      conditionVersion: undefined,
    };
    const key = JSON.stringify([kind, s]);
    let driver = drivers.get(key);
    if (!driver) {
      const writer = writerOf(kind);
      if (!writer) throw new Error(`an Azure reconcile has no writer for ${kind}`);
      driver = writer({ ...sessionSettings, ...s }, session, owner);
      drivers.set(key, driver);
    }
    return driver;
  };
}

/**
 * One driver per distinct settings over the one session; each create under a fresh name of this
 * run's, each update under its assignment's.
 */
export function plannedAzureWrites(
  { creates, deletes, updates }: { creates: Desired[]; deletes: Current[]; updates: Update[] },
  sessionSettings: AzureSettings,
  session: ArmSession,
  /** The manifest's marker, which a kind may name its requests after. */
  owner: string,
  writerOf: ReconcileWriterOf,
): PlannedWrites {
  const driverFor = driversBySettings(sessionSettings, session, owner, writerOf);
  const grantOf = (a: Desired | Current | Update, resolved: AzureResolvedIds, written: WrittenGrant) => ({
    cloud: 'azure' as const,
    kind: cloudKind('azure', a.kind),
    written: { ...written, ...nameFields(a.names) },
    principal: { kind: 'object' as const, id: a.principalId, bare: true },
    scope: resolved.scope,
    role: { kind: 'id' as const, id: a.roleId },
    resolved,
  });
  const writeOf = (a: Desired | Current, create: boolean): PlannedWrite => {
    const resolved = {
      cloud: 'azure' as const,
      principalId: a.principalId,
      // A create's is what it writes; a delete's is what the read found, for the `results`.
      ...(a.principalType ? { principalType: a.principalType as AzurePrincipalType } : {}),
      roleId: a.roleId,
      scope: a.target,
      name: create ? randomUUID() : (a as Current).name!,
    };
    const current = a as Current;
    return {
      change: create ? 'create' : 'delete',
      kind: a.kind,
      grant: grantOf(a, resolved, create ? (a as Desired).written : current.shown),
      driver: driverFor(a.kind, create ? (a as Desired).settings : undefined),
      existing: create ? undefined : { name: current.name!, assignmentId: current.assignmentId! },
    };
  };
  // The assignment as read, by the name it has: runGrants finds it there, `outdated`, and updates it.
  const updateOf = (u: Update): PlannedWrite => {
    const resolved = {
      cloud: 'azure' as const,
      principalId: u.principalId,
      ...(u.current.principalType ? { principalType: u.current.principalType as AzurePrincipalType } : {}),
      roleId: u.roleId,
      scope: u.target,
      name: u.current.name!,
    };
    return {
      change: 'update',
      kind: u.kind,
      grant: grantOf(u, resolved, u.written),
      driver: driverFor(u.kind, u.settings),
      existing: {
        name: u.current.name!,
        assignmentId: u.current.assignmentId!,
        outdated: conditionChangeText(u.change),
      },
    };
  };
  return {
    cloud: 'azure',
    stats: session.stats,
    creates: creates.map((c) => writeOf(c, true)),
    deletes: deletes.map((d) => writeOf(d, false)),
    updates: updates.map(updateOf),
  };
}
