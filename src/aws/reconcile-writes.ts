// A reconcile's assignment writes on IAM Identity Center: one driver per kind and principal type
// over the step's one session (so one pace, and creates holding the instance's 15 outstanding
// slots together, the session's), each create after the defined set's write it needs.
import { cloudKind } from '../core/kinds/index.js';
import type { AwsSessionSettings } from '../core/inputs/index.js';
import { nameFields } from '../core/shown-names.js';
import type { AwsGrant } from '../core/types.js';
import type { GrantDriver } from '../engine/calls/driver.js';
import type { WaitBound } from '../engine/limits/deadline.js';
import type { PlannedWriteOf, WriteAddress } from '../engine/calls/write-plan.js';
import type { PlannedWrite, PlannedWrites } from '../engine/run/planned-writes.js';
import { AWS_KINDS, type AwsKindName } from './kinds.js';
import type { AwsCurrent, AwsDesired } from './manifest/desired.js';
import { setNotCreated, setNotUpdated } from './manifest/planned-sets.js';
import type { SsoSession } from './sso/session.js';

type PrincipalType = AwsSessionSettings['principalType'];

/** What the assignments' writes are made over. */
export interface AssignmentWritesContext {
  settings: AwsSessionSettings;
  session: SsoSession;
  bound: WaitBound;
  /** The names of the sets still to be created, by their placeholder ARN (./manifest/planned-sets.ts). */
  plannedSetNames: ReadonlyMap<string, string>;
  /** The writes of the kinds' sections beside the assignments, which the assignments' creates may need. */
  sectionWrites: readonly PlannedWriteOf[];
}

/**
 * What an assignment create is made from among the defined sets' writes, by address: a set still
 * to be created, its create (named by the set's name, the only name it has yet: its answer is the
 * ARN it is written with); a set the plan updates, its update (named by its ARN: a new holder never
 * receives content the manifest has already changed).
 */
function needsOfCreate(
  create: AwsDesired,
  write: (roleId: string) => PlannedWrite,
  { plannedSetNames, sectionWrites }: AssignmentWritesContext,
): PlannedWrite['needs'] {
  const addressOf = (change: WriteAddress['change'], key: string): WriteAddress | undefined => {
    const found = sectionWrites.find((w) => w.change === change && w.key === key);
    return found && { kind: found.kind, change, key };
  };
  const { roleId } = create;
  const name = plannedSetNames.get(roleId);
  const created = name === undefined ? undefined : addressOf('create', name);
  if (created)
    return {
      of: [created],
      bind: ([arn]) => write(arn ?? roleId),
      unmet: () => setNotCreated(name!),
    };
  const updated = addressOf('update', roleId);
  if (!updated) return undefined;
  return { of: [updated], unmet: () => setNotUpdated(create.written.role) };
}

/** The plan's creates and deletes of assignments as the engine's planned writes. */
export function assignmentWrites(
  creates: AwsDesired[],
  deletes: AwsCurrent[],
  context: AssignmentWritesContext,
): PlannedWrites {
  const { settings, session, bound } = context;
  const drivers = new Map<string, GrantDriver<AwsGrant>>();
  const driverFor = (kind: AwsKindName, type: string) => {
    let driver = drivers.get(`${kind}|${type}`);
    if (!driver) {
      driver = AWS_KINDS[kind].reconcileWriter(
        { ...settings, principalType: type as PrincipalType },
        session,
        bound,
      );
      drivers.set(`${kind}|${type}`, driver);
    }
    return driver;
  };
  const writeOf = (
    change: 'create' | 'delete',
    a: AwsCurrent | AwsDesired,
    shown: AwsCurrent['shown'],
    roleId = a.roleId,
  ): PlannedWrite => {
    const resolved = {
      cloud: 'aws' as const,
      principalId: a.principalId,
      principalType: a.principalType as PrincipalType,
      roleId,
      accountId: a.target,
    };
    return {
      change,
      kind: a.kind,
      grant: {
        cloud: 'aws',
        kind: cloudKind('aws', a.kind),
        written: { ...shown, ...nameFields(a.names) },
        principal: { kind: 'id', id: a.principalId },
        accountId: a.target,
        permissionSet: { kind: 'arn', arn: roleId },
        resolved,
      },
      driver: driverFor(cloudKind('aws', a.kind), a.principalType),
      existing: change === 'create' ? undefined : {},
    };
  };
  const createOf = (c: AwsDesired): PlannedWrite => {
    const write = writeOf('create', c, c.written);
    const needs = needsOfCreate(c, (arn) => writeOf('create', c, c.written, arn), context);
    return needs ? { ...write, needs } : write;
  };
  return {
    cloud: 'aws',
    stats: session.stats,
    creates: creates.map(createOf),
    deletes: deletes.map((d) => writeOf('delete', d, d.shown)),
    updates: [],
  };
}
