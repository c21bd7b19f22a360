// The writes of an Azure reconcile's plan: a create or delete grant per change, each with the
// driver that writes it (one per distinct create settings: principal type, description, condition),
// all over the plan's one ARM session, found again by the engine through the change's key.
import { randomUUID } from 'node:crypto';
import type { AzureScope } from '../core/azure-scope.js';
import type { AzureSettings } from '../core/inputs/index.js';
import type { AzureManifestEntry } from '../core/manifest/types.js';
import type { CurrentAssignment, DesiredAssignment } from '../core/plan/reconcile.js';
import type { AzurePrincipalType } from '../core/principal-forms.js';
import { nameFields } from '../core/shown-names.js';
import type { AzureGrant } from '../core/types.js';
import { changeKey, plannedDriver, type PlannedChange, type PlannedWrites } from '../engine/reconcile.js';
import { AzureRoleAssignmentDriver } from './arm/assignments.js';
import type { ArmSession } from './arm/session.js';

/** What a create writes besides the key. */
export interface AzureCreateSettings {
  principalType: AzureManifestEntry['principalType'];
  description: string;
  condition: string | undefined;
  conditionVersion: string | undefined;
}

type Desired = DesiredAssignment<AzureCreateSettings, AzureScope>;
type Current = CurrentAssignment<AzureScope>;

/** One driver per distinct settings over the one session; each create under a fresh name of this run's. */
export function plannedAzureWrites(
  creates: Desired[],
  deletes: Current[],
  sessionSettings: AzureSettings,
  session: ArmSession,
): PlannedWrites {
  const drivers = new Map<string, AzureRoleAssignmentDriver>();
  const driverFor = (settings: AzureCreateSettings | undefined) => {
    const s = settings ?? {
      principalType: 'User',
      description: '',
      condition: undefined,
      conditionVersion: undefined,
    };
    const key = JSON.stringify(s);
    let driver = drivers.get(key);
    if (!driver) {
      driver = new AzureRoleAssignmentDriver(
        {
          ...sessionSettings,
          ...s,
          assignmentName: undefined,
          delegatedManagedIdentityResourceId: undefined,
        },
        session,
      );
      drivers.set(key, driver);
    }
    return driver;
  };
  const changes = new Map<string, PlannedChange>();
  const grantOf = (a: Desired | Current, create: boolean): AzureGrant => {
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
    changes.set(changeKey(resolved), {
      driver: driverFor(create ? (a as Desired).settings : undefined),
      existing: create ? undefined : { name: current.name!, assignmentId: current.assignmentId! },
    });
    return {
      cloud: 'azure',
      written: {
        ...(create ? (a as Desired).written : current.shown),
        ...nameFields(a.names),
      },
      principal: { kind: 'object', id: a.principalId, bare: true },
      scope: resolved.scope,
      role: { kind: 'id', id: a.roleId },
      resolved,
    };
  };
  return {
    creates: creates.map((c) => grantOf(c, true)),
    deletes: deletes.map((d) => grantOf(d, false)),
    driver: plannedDriver('azure', session.stats, changes),
  };
}
