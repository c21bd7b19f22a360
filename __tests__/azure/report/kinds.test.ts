// The kinds an Azure report reads, as its plan and record say them: one list per kind's list and
// scope, each named, and a next kind's lists counted and said with the others'.
import { describe, expect, it } from '@jest/globals';
import { kindsRead, readEstimate, readSource, readStrategy } from '../../../src/azure/report/kinds.js';
import { REPORTED_KINDS } from '../../../src/azure/kinds.js';
import type { ReportedKind } from '../../../src/azure/kind/report.js';
import { parseAzureScope, type AzureScope } from '../../../src/core/azure-scope.js';

const SUB = '/subscriptions/00000000-0000-4000-8000-000000000001';
const scopes = [SUB, `${SUB}/resourceGroups/rg-app`].map((s) => parseAzureScope(s) as AzureScope);

describe("an Azure report's plan", () => {
  it('reads the role assignments, the PIM schedule instances and the eligibility schedules at each scope, and names each subscription target', () => {
    expect(readEstimate(scopes, REPORTED_KINDS)).toEqual({
      strategy:
        'RoleAssignments_ListForScope, RoleAssignmentScheduleInstances_ListForScope and RoleEligibilitySchedules_ListForScope per scope, Subscriptions_Get per subscription target',
      calls: 2 * 3 + 1,
      minutes: 0.1,
    });
    expect(readStrategy(REPORTED_KINDS)).toBe(
      'one role assignment list, one PIM schedule instance list and one eligibility schedule list per scope, one subscription read per subscription target',
    );
    expect(readSource(REPORTED_KINDS)).toBe(
      'ARM role assignments, PIM schedule instances and eligibility schedules',
    );
  });

  it("counts and says a next kind's list with the others'", () => {
    const next: ReportedKind<undefined> = {
      kind: 'azure-pim-active',
      unread: () => false,
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

  it('says which kinds it read only where one could not be, leaving out a word an unread kind shares', () => {
    const kind = (k: ReportedKind<boolean>['kind']): ReportedKind<boolean> => ({
      kind: k,
      unread: (failed) => failed,
      lists: [],
      read: async () => false,
      said: () => undefined,
      shownAt: () => [],
      held: async () => ({ held: [], groups: [] }),
    });
    const [assignments, eligibilities] = [kind('azure-role-assignment'), kind('azure-pim-eligible')];
    expect(kindsRead([false, false], [assignments, eligibilities])).toBeUndefined();
    expect(kindsRead([false, true], [assignments, eligibilities])).toEqual(['active']);
    // PIM's active assignments, were they a list of their own: active grants are not all known.
    const pimActive = kind('azure-pim-active');
    expect(kindsRead([false, true, false], [assignments, pimActive, eligibilities])).toEqual(['eligible']);
  });
});
