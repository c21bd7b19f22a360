// Writing a reconcile's plan: the creates, and beside them the deletes that replace nothing; then
// the deletes that are the old half of a change of role, each only once the create at its place
// (principal and target) ended SUCCEEDED, so no principal is ever left with neither assignment.
import { deleteOrder, placeOfPrincipal, type ReconcilePlan } from '../core/reconcile-plan.js';
import type { GrantResult } from '../core/types.js';
import type { PlannedWrites } from '../engine/reconcile.js';
import { runGrants, type RunGrantsOptions } from '../engine/run-grants.js';

export interface Applied {
  results: GrantResult[];
  /** Deletes not run: the create that replaces each did not succeed. */
  held: number;
}

export async function applyPlan(
  plan: ReconcilePlan,
  writes: PlannedWrites,
  options: Omit<RunGrantsOptions, 'operation'>,
): Promise<Applied> {
  const { independent, afterCreate } = deleteOrder(plan);
  const [created, removed] = await Promise.all([
    runGrants(writes.creates, writes.driver, { ...options, operation: 'assign' }),
    runGrants(
      independent.map((i) => writes.deletes[i]!),
      writes.driver,
      { ...options, operation: 'revoke' },
    ),
  ]);
  // runGrants answers in the order of its grants: created[i] is plan.creates[i]'s.
  const failedPlaces = new Set(
    plan.creates.filter((_, i) => created[i]?.status !== 'SUCCEEDED').map(placeOfPrincipal),
  );
  const ready = afterCreate.filter((i) => !failedPlaces.has(placeOfPrincipal(plan.deletes[i]!)));
  const replaced = await runGrants(
    ready.map((i) => writes.deletes[i]!),
    writes.driver,
    { ...options, operation: 'revoke' },
  );
  return { results: [...created, ...removed, ...replaced], held: afterCreate.length - ready.length };
}
