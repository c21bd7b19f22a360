// Which role assignment lists find what a step's grants ask about, with the fewest calls. Pure.
//
// RoleAssignments_ListForScope answers with `atScope()` every principal's assignments at and above
// the scope, and with `principalId eq` the principal's at, above and below it. So the grants of one
// subscription are found by one `atScope()` list per scope they name, or by one `principalId eq`
// list of the whole subscription per principal they name: whichever is fewer lists (30 resource
// groups × 10 principals: 10 lists, where one per scope and principal would be 300). When both
// are as many as the scope × principal pairs (one grant; a principal per scope), each pair gets
// the list filtered to it, the smallest answer.
import { scopeKey, type AzureScope } from '../../core/azure-scope.js';

/** One list: at `scope`, of `principalId`'s assignments, or of every assignment at and above it when absent. */
export interface AssignmentList {
  scope: AzureScope;
  principalId?: string;
}

/** A grant's scope and principal (its object ID, lower-cased). */
export interface ListedPair {
  scope: AzureScope;
  principalId: string;
}

type Way = 'pair' | 'scope' | 'principal';

export class AssignmentListPlan {
  constructor(private readonly ways: ReadonlyMap<string, Way> = new Map()) {}

  /** The list that shows the assignments of `principalId` at `scope`: the pair's own when the plan does not know it. */
  listFor(scope: AzureScope, principalId: string): AssignmentList {
    const principal = principalId.toLowerCase();
    switch (this.ways.get(groupOf(scope))) {
      case 'scope':
        return { scope };
      case 'principal':
        return { scope: subscriptionScope(scope.subscriptionId!), principalId: principal };
      default:
        return { scope, principalId: principal };
    }
  }
}

/** The cheapest lists for these pairs, chosen per subscription (and per management group scope). */
export function planAssignmentLists(pairs: readonly ListedPair[]): AssignmentListPlan {
  const groups = new Map<string, { scopes: Set<string>; principals: Set<string>; pairs: Set<string> }>();
  for (const { scope, principalId } of pairs) {
    const key = groupOf(scope);
    const group = groups.get(key) ?? { scopes: new Set(), principals: new Set(), pairs: new Set() };
    groups.set(key, group);
    const at = scopeKey(scope.scope);
    const principal = principalId.toLowerCase();
    group.scopes.add(at);
    group.principals.add(principal);
    group.pairs.add(`${at} ${principal}`);
  }
  const ways = new Map<string, Way>();
  for (const [key, { scopes, principals, pairs: pairCount }] of groups) {
    // A management group's lists reach no subscription below it: only its own scope's lists serve.
    const byPrincipal = key.startsWith('subscription:') ? principals.size : Number.POSITIVE_INFINITY;
    const fewest = Math.min(pairCount.size, byPrincipal, scopes.size);
    ways.set(key, pairCount.size === fewest ? 'pair' : byPrincipal === fewest ? 'principal' : 'scope');
  }
  return new AssignmentListPlan(ways);
}

/** What one plan covers: the subscription a scope is in, or a management group scope itself. */
function groupOf(scope: AzureScope): string {
  return scope.subscriptionId
    ? `subscription:${scope.subscriptionId.toLowerCase()}`
    : `scope:${scopeKey(scope.scope)}`;
}

function subscriptionScope(subscriptionId: string): AzureScope {
  return { scope: `/subscriptions/${subscriptionId}`, kind: 'subscription', subscriptionId };
}
