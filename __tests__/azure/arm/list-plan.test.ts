import { describe, expect, it } from '@jest/globals';
import { planAssignmentLists } from '../../../src/azure/arm/list-plan.js';
import { parseAzureScope, type AzureScope } from '../../../src/core/azure-scope.js';

const SUB = '11111111-2222-4333-8444-555555555555';
const OTHER_SUB = '66666666-2222-4333-8444-555555555555';
const scope = (path: string) => parseAzureScope(path) as AzureScope;
const rg = (name: string, sub = SUB) => scope(`/subscriptions/${sub}/resourceGroups/${name}`);
const principal = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const grid = (principals: number, groups: number, sub = SUB) =>
  Array.from({ length: principals * groups }, (_, i) => ({
    scope: rg(`rg-${i % groups}`, sub),
    principalId: principal(Math.floor(i / groups)),
  }));

describe('the lists that find a batch’s assignments', () => {
  it('are one per principal over the subscription when there are fewer principals than scopes', () => {
    const plan = planAssignmentLists(grid(10, 30));
    expect(plan.listFor(rg('rg-7'), principal(3))).toEqual({
      scope: scope(`/subscriptions/${SUB}`),
      principalId: principal(3),
    });
  });

  it('are one per scope (every principal at it) when there are fewer scopes than principals', () => {
    const plan = planAssignmentLists(grid(30, 10));
    expect(plan.listFor(rg('rg-7'), principal(3))).toEqual({ scope: rg('rg-7') });
  });

  it("are the pair's own for one grant, or a principal per scope: no list would serve two", () => {
    const diagonal = [0, 1, 2].map((i) => ({ scope: rg(`rg-${i}`), principalId: principal(i) }));
    expect(planAssignmentLists(diagonal).listFor(rg('rg-1'), principal(1))).toEqual({
      scope: rg('rg-1'),
      principalId: principal(1),
    });
    expect(planAssignmentLists(grid(1, 1)).listFor(rg('rg-0'), principal(0))).toEqual({
      scope: rg('rg-0'),
      principalId: principal(0),
    });
  });

  it('are chosen per subscription', () => {
    const plan = planAssignmentLists([...grid(10, 30), ...grid(30, 10, OTHER_SUB)]);
    expect(plan.listFor(rg('rg-1'), principal(1)).scope).toEqual(scope(`/subscriptions/${SUB}`));
    expect(plan.listFor(rg('rg-1', OTHER_SUB), principal(1))).toEqual({ scope: rg('rg-1', OTHER_SUB) });
  });

  it('never list a subscription for a management group scope, which has none', () => {
    const mg = scope('/providers/Microsoft.Management/managementGroups/mg-1');
    const plan = planAssignmentLists([1, 2, 3].map((n) => ({ scope: mg, principalId: principal(n) })));
    expect(plan.listFor(mg, principal(2))).toEqual({ scope: mg });
  });

  it("are the pair's own for a grant the plan was not told of", () => {
    const plan = planAssignmentLists(grid(10, 30));
    expect(plan.listFor(rg('rg-0', OTHER_SUB), principal(1))).toEqual({
      scope: rg('rg-0', OTHER_SUB),
      principalId: principal(1),
    });
  });
});
