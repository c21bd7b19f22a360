// A driver whose writes wait for the step's first audit record: the engine hands it the grants
// instead of the cloud's own driver, so no write reaches the cloud before the record is written,
// and none at all when it cannot be (./trail.ts).
import { mayHaveBeenApplied } from '../calls/call-failures.js';
import { assignmentTypeOfGrant, type GrantDriver } from '../calls/driver.js';
import { accessKindOf } from '../../core/output/results.js';
import type { AssignmentType, Grant, IdsOf, Operation, ResolvedIds } from '../../core/types.js';
import type { PlannedChange } from '../../core/grant-result.js';
import type { AuditTrail } from './trail.js';

/**
 * The driver's methods that write to the cloud. `readCreate` too: the post step's read of a create
 * its main step left unfinished cancels one still pending (Azure PIM, azure/pim/assign.ts).
 */
const WRITES = new Set<PropertyKey>([
  'create',
  'remove',
  'update',
  'registerReliance',
  'readCreate',
] satisfies (keyof GrantDriver)[]);

/**
 * The writes whose grant's result says nothing changed when the answer was lost: a record of its
 * own says one was sent, and may have been applied.
 */
const CHANGES: ReadonlyMap<PropertyKey, Exclude<PlannedChange, 'none'>> = new Map([
  ['create', 'create'],
  ['remove', 'delete'],
  ['update', 'update'],
] as const);

export function auditedDriver<G extends Grant>(
  driver: GrantDriver<G>,
  trail: AuditTrail,
  operation: Operation,
  grants: readonly G[],
): GrantDriver<G> {
  // Each grant's kind, as its result will say it (core/output/results.ts).
  const kindOf = (ids: IdsOf<G> | undefined): AssignmentType =>
    accessKindOf({ operation, assignmentType: assignmentTypeOfGrant(driver, ids) }) ?? 'active';
  const planned = () =>
    grants.map(({ written, resolved }) => ({
      principal: written.principal,
      target: written.target,
      role: written.role,
      kind: kindOf(resolved as IdsOf<G> | undefined),
    }));
  trail.planWith(operation, planned);
  return new Proxy(driver, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = (value as (...args: unknown[]) => unknown).bind(target);
      if (!WRITES.has(property)) return method;
      return async (...args: unknown[]) => {
        // Refused, the first record leaves the write unsent: no change, and no record of one.
        await trail.beforeFirstWrite(operation, planned).catch((refused: unknown) => {
          throw Object.assign(refused as Error, { notSent: true });
        });
        try {
          return await method(...args);
        } catch (error) {
          const change = CHANGES.get(property);
          if (change && mayHaveBeenApplied(error))
            trail.recordUnanswered(args[0] as ResolvedIds, change, kindOf(args[0] as IdsOf<G>), error);
          throw error;
        }
      };
    },
  });
}
