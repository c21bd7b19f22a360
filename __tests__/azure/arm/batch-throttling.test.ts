// A batch through the engine and the Azure driver, against the emulated ARM with small token
// buckets (ARM's refill rates): the pacer keeps every write inside its bucket, and a 429 that
// comes anyway holds the others of its bucket.
import { describe, expect, it } from '@jest/globals';
import { runGrants } from '../../../src/engine/run/run-grants.js';
import { signedInDriver } from '../../harness/arm-driver.js';
import { emulatedArm, PRINCIPAL, READER, SUB } from '../../harness/emulated-arm.js';

const arm = emulatedArm();
const scopes = Array.from({ length: 30 }, (_, i) => `/subscriptions/${SUB}/resourceGroups/rg-${i + 1}`);
/** The 30 resource groups, made before each batch (ARM refuses an assignment in a missing one). */
const makeResourceGroups = () =>
  Array.from({ length: 30 }, (_, i) => arm.az.addResourceGroup(`rg-${i + 1}`, SUB));

/** 30 grants of READER to PRINCIPAL, one per resource group, assigned or revoked by one batch. */
async function batch(operation: 'assign' | 'revoke', maxConcurrency = 5) {
  makeResourceGroups();
  const { driver, plan, deadline } = signedInDriver(arm, { target: scopes.join(',') }, 30, true);
  await driver.prepare({ operation, grants: plan.grants, proveOwnership: false });
  const results = await runGrants(plan.grants, driver, {
    operation,
    dryRun: false,
    wait: true,
    maxConcurrency,
    deadline,
  });
  const throttled = (method: string) =>
    arm.answers().filter((a) => a.method === method && a.status === 429).length;
  return { results, throttled };
}

describe("a batch stays inside ARM's token buckets", () => {
  it('grants 30 with writes paced by the remaining-writes header: every one SUCCEEDED, no 429', async () => {
    // 10 writes and 15 reads to begin with, then ARM's 10 and 25 a second.
    arm.az.config.writes = { capacity: 10, refillPerSecond: 10 };
    arm.az.config.reads = { capacity: 15, refillPerSecond: 25 };
    const { results, throttled } = await batch('assign');
    expect(results.map((r) => r.status)).toEqual(scopes.map(() => 'SUCCEEDED'));
    expect(results.every((r) => r.changed)).toBe(true);
    expect(throttled('PUT')).toBe(0);
    expect(throttled('GET')).toBe(0);
    // One list of the principal's assignments in the subscription found that none was there.
    expect(arm.requests().filter((r) => r.endsWith('/roleAssignments'))).toEqual([
      `GET /subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments`,
    ]);
  });

  it('revokes 30 with deletes paced by theirs: every one SUCCEEDED, no 429', async () => {
    for (const scope of scopes)
      arm.az.addRoleAssignment({ scope, roleDefinitionId: READER, principalId: PRINCIPAL });
    arm.az.config.deletes = { capacity: 10, refillPerSecond: 10 };
    arm.az.config.reads = { capacity: 15, refillPerSecond: 25 };
    const { results, throttled } = await batch('revoke');
    expect(results.map((r) => [r.status, r.changed])).toEqual(scopes.map(() => ['SUCCEEDED', true]));
    expect(throttled('DELETE')).toBe(0);
    expect(throttled('GET')).toBe(0);
    expect(arm.az.roleAssignments().filter((a) => scopes.includes(a.properties.scope))).toEqual([]);
  });

  it('holds every write of the bucket after a 429, and each is SUCCEEDED in the end', async () => {
    // A bucket smaller than the writes first sent at once: the first answers come too late to pace them.
    arm.az.config.writes = { capacity: 3, refillPerSecond: 10 };
    const { results, throttled } = await batch('assign', 10);
    expect(results.map((r) => r.status)).toEqual(scopes.map(() => 'SUCCEEDED'));
    const refused = throttled('PUT');
    expect(refused).toBeGreaterThan(0);
    // Held for the Retry-After, then paced: far fewer 429s than writes sent before the first answer.
    expect(refused).toBeLessThanOrEqual(10);
  });
});
