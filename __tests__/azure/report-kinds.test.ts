// The kinds an Azure report reads, as its plan and record say them: one list per kind's list and
// scope, each named, and a next kind's lists counted and said with the others'.
import { describe, expect, it } from '@jest/globals';
import { readEstimate, readSource, readStrategy, REPORTED_KINDS } from '../../src/azure/report-kinds.js';
import type { ReportedKind } from '../../src/azure/kind/report.js';
import { parseAzureScope, type AzureScope } from '../../src/core/azure-scope.js';

const SUB = '/subscriptions/00000000-0000-4000-8000-000000000001';
const scopes = [SUB, `${SUB}/resourceGroups/rg-app`].map((s) => parseAzureScope(s) as AzureScope);

describe("an Azure report's plan", () => {
  it('reads the role assignments, the PIM schedule instances and the eligibility schedules at each scope, and names each subscription target', () => {
    expect(readEstimate(scopes)).toEqual({
      strategy:
        'RoleAssignments_ListForScope, RoleAssignmentScheduleInstances_ListForScope and RoleEligibilitySchedules_ListForScope per scope, Subscriptions_Get per subscription target',
      calls: 2 * 3 + 1,
      minutes: 0.1,
    });
    expect(readStrategy()).toBe(
      'one role assignment list, one PIM schedule instance list and one eligibility schedule list per scope, one subscription read per subscription target',
    );
    expect(readSource()).toBe('ARM role assignments, PIM schedule instances and eligibility schedules');
  });

  it("counts and says a next kind's list with the others'", () => {
    const next: ReportedKind<undefined> = {
      lists: [{ call: 'Next_ListForScope', strategy: 'one next list', source: 'next things' }],
      read: async () => undefined,
      said: () => undefined,
      shownAt: () => [],
      held: async () => ({ held: [], groups: [] }),
    };
    const kinds = [...REPORTED_KINDS, next];
    expect(readEstimate(scopes, kinds)).toMatchObject({
      strategy: expect.stringContaining(
        'RoleEligibilitySchedules_ListForScope and Next_ListForScope per scope',
      ),
      calls: 2 * 4 + 1,
    });
    expect(readStrategy(kinds)).toMatch(/one eligibility schedule list and one next list per scope/);
    expect(readSource(kinds)).toBe(
      'ARM role assignments, PIM schedule instances, eligibility schedules and next things',
    );
  });
});
