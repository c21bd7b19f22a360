// Azure PIM eligibility (`assignment-type: eligible`), end to end through the bundled main and post
// steps against the emulator's roleEligibilityScheduleRequests and schedules: made and ended by
// AdminAssign and AdminRemove, the role's eligibility policy read first, and an eligibility known
// as this repository's by its schedule's request name, also once ARM no longer returns the request.
// The revokes, the post step, the report and the sweep: in azure-eligible-revoke.test.ts.
import { describe, expect, it } from '@jest/globals';
import { azure, newPrincipal, READER, subscription } from './fixture.js';
import {
  changeInPortal,
  eligibilitiesOf,
  eligible,
  requestsOf,
  resultsOf,
  useEligible,
} from './eligible-fixture.js';

const { emulator, main, post, calls } = useEligible();

describe('assign with assignment-type: eligible', () => {
  it('makes the principal eligible through one AdminAssign, for `duration`, and says so', async () => {
    const p = newPrincipal();
    const step = await main(eligible(p));
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    const [schedule] = eligibilitiesOf(p);
    expect(schedule).toBeDefined();
    expect(schedule!.endMs! - schedule!.startMs).toBe(30 * 86_400_000);
    expect(step.outputs['expires-at']).toBe(new Date(schedule!.endMs!).toISOString());
    expect(resultsOf(step)[0]).toMatchObject({ status: 'SUCCEEDED', kind: 'eligible' });
    expect(step.stdout).toMatch(new RegExp(`✓ assign eligible (user )?${p} → `));
    // Eligibility is not an active assignment: nothing is assigned.
    expect(calls('RoleAssignmentScheduleRequests_Create')).toHaveLength(0);
    expect(calls('RoleAssignments_Create')).toHaveLength(0);
    expect(requestsOf(p)).toHaveLength(1);
  });

  it('makes a permanent eligibility without `duration` where the policy allows it', async () => {
    azure().setEligibilityPolicy({ isExpirationRequired: false });
    const p = newPrincipal();
    const step = await main(eligible(p, { duration: '' }));
    expect(step.exitCode).toBe(0);
    expect(eligibilitiesOf(p)[0]!.endMs).toBeNull();
  });

  it('leaves one made between its read and its request (RoleAssignmentExists), not as its own', async () => {
    const p = newPrincipal();
    // An admin makes it in the portal as the step's AdminAssign arrives, after the step read none.
    const requests = emulator().requests;
    requests.push = (...entries) => {
      const length = Array.prototype.push.apply(requests, entries);
      if (entries.some((e) => e.method === 'PUT' && e.path.includes('roleEligibilityScheduleRequests'))) {
        delete (requests as { push?: unknown }).push;
        changeInPortal(p);
      }
      return length;
    };
    const inputs = eligible(p, { 'revoke-on-exit': 'true', duration: 'PT8H' });
    const step = await main(inputs);
    expect(step.exitCode).toBe(0);
    expect(step.outputs.changed).toBe('false');
    expect(step.stdout).toContain('already eligible: Azure answered RoleAssignmentExists');
    // Not this step's: its post step sends nothing.
    const revoked = await post(inputs, step.state);
    expect(revoked.exitCode).toBe(0);
    expect(calls('RoleEligibilityScheduleRequests_Create')).toHaveLength(1);
    expect(eligibilitiesOf(p)).toHaveLength(1);
  });

  it('never reports a principal eligible that Azure lists no eligibility for: an unexplained RoleAssignmentExists takes the next name', async () => {
    const p = newPrincipal();
    // ARM's wording of "this request name was used before" is unconfirmed: here, that of an eligibility that exists.
    azure().faults.armFailures = [
      {
        method: 'PUT',
        pathIncludes: 'roleEligibilityScheduleRequests',
        status: 400,
        code: 'RoleAssignmentExists',
        message: 'The Role assignment already exists.',
        times: 1,
      },
    ];
    const inputs = eligible(p, { 'revoke-on-exit': 'true', duration: 'PT8H' });
    const step = await main(inputs);
    expect(step.exitCode).toBe(0);
    expect(step.stdout).not.toContain('already eligible');
    expect(step.outputs.changed).toBe('true');
    expect(eligibilitiesOf(p)).toHaveLength(1);
    expect(new Set(calls('RoleEligibilityScheduleRequests_Create').map((r) => r.path)).size).toBe(2);
    // The one made is this step's: its post step ends it.
    expect((await post(inputs, step.state)).exitCode).toBe(0);
    expect(eligibilitiesOf(p)).toHaveLength(0);
  });

  it('leaves an eligibility already there (changed=false), with no second request', async () => {
    const p = newPrincipal();
    expect((await main(eligible(p))).exitCode).toBe(0);
    const again = await main(eligible(p));
    expect(again.exitCode).toBe(0);
    expect(again.outputs.changed).toBe('false');
    expect(again.stdout).toContain('already eligible until');
    expect(requestsOf(p)).toHaveLength(1);
  });
});

describe('eligibility at every kind of scope', () => {
  it.each([
    ['management group', () => '/providers/Microsoft.Management/managementGroups/platform'],
    ['resource group', () => `${subscription()}/resourceGroups/rg-data`],
  ])('makes and ends one at a %s, the role named as ARM requires there', async (_kind, scope) => {
    const p = newPrincipal();
    // A role definition ID with the subscription, which a management group's request must not carry.
    const role = `${subscription()}/providers/Microsoft.Authorization/roleDefinitions/${READER}`;
    const step = await main(eligible(p, { target: scope(), role }));
    expect(step.exitCode).toBe(0);
    expect(eligibilitiesOf(p)).toHaveLength(1);
    const revoked = await main(eligible(p, { target: scope(), role: READER, operation: 'revoke' }));
    expect(revoked.outputs.changed).toBe('true');
    expect(eligibilitiesOf(p)).toHaveLength(0);
  });
});

describe("the role's eligibility policy is read before any write", () => {
  it('refuses an eligibility longer than the maximum, naming the rule, the maximum and the scope', async () => {
    azure().setEligibilityPolicy({ isExpirationRequired: true, maximumDuration: 'P15D' }, { role: 'Reader' });
    const step = await main(eligible(newPrincipal()));
    expect(step.exitCode).toBe(1);
    expect(step.outputs['failure-reason']).toContain('Expiration_Admin_Eligibility');
    expect(step.outputs['failure-reason']).toContain('P15D');
    expect(step.outputs['failure-reason']).toContain(subscription());
    expect(calls('RoleEligibilityScheduleRequests_Create')).toHaveLength(0);
  });

  it('refuses one without an end where the rule requires one', async () => {
    const step = await main(eligible(newPrincipal(), { duration: '' }));
    expect(step.exitCode).toBe(1);
    expect(step.outputs['failure-reason']).toMatch(
      /refuses a permanent eligibility: its rule Expiration_Admin_Eligibility requires an end, at most P365D/,
    );
    expect(calls('RoleEligibilityScheduleRequests_Create')).toHaveLength(0);
  });

  it.each([
    [
      'longer than the maximum',
      'P60D',
      /`duration` P60D \(60 days\) is more than its rule Expiration_Admin_Eligibility allows/,
    ],
    [
      'without an end',
      '',
      /an eligibility without an end is more than its rule Expiration_Admin_Eligibility allows/,
    ],
  ])(
    'explains a refusal of one %s when the policy cannot be read, and what to change',
    async (_what, duration, reason) => {
      azure().setEligibilityPolicy(
        { isExpirationRequired: true, maximumDuration: 'P30D' },
        { role: 'Reader' },
      );
      azure().faults.pimDenyPolicyRead = true;
      const step = await main(eligible(newPrincipal(), { duration }));
      expect(step.exitCode).toBe(1);
      // Azure applied the policy the step could not read.
      expect(calls('RoleEligibilityScheduleRequests_Create')).toHaveLength(1);
      const failure = step.outputs['failure-reason']!;
      expect(failure).toMatch(reason);
      expect(failure).toContain('ExpirationRule');
      expect(failure).toContain('Microsoft.Authorization/roleManagementPolicyAssignments/read');
      expect(failure).toMatch(/set `duration`/);
    },
  );
});
