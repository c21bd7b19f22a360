// Ephemeral access, batches and dry runs on Azure, end to end through the bundled main and post steps.
import { describe, expect, it } from '@jest/globals';
import {
  azure,
  azureInputs,
  newPrincipal,
  READER,
  runMain,
  runPost,
  subscription,
  useEmulator,
} from './fixture.js';

const emulator = useEmulator();

const main = (inputs: Record<string, string>) => runMain(azureInputs(inputs));
const post = (inputs: Record<string, string>, state: Record<string, string>) =>
  runPost(azureInputs(inputs), state);
const writes = () => emulator().requests.filter((r) => r.write);
/** A subscription outside the management group the action's identity administers: writes there are refused. */
const foreignSubscription = () =>
  `/subscriptions/${azure().addSubscription(undefined, { managementGroup: 'elsewhere' })}`;

interface Result {
  target: string;
  status: string;
  failureReason: string | null;
  action?: string;
}
const resultsOf = (step: { outputs: Record<string, string> }) =>
  JSON.parse(step.outputs.results!) as Result[];

describe('revoke-on-exit', () => {
  it('revokes in the post step after a main step that failed part-way', async () => {
    azure().addManagementGroup('elsewhere');
    const p = newPrincipal();
    const refused = foreignSubscription();
    const inputs = {
      principal: p,
      target: `${subscription()}, ${refused}`,
      role: READER,
      'revoke-on-exit': 'true',
    };
    const granted = await main(inputs);
    expect(granted.exitCode).toBe(1);
    expect(resultsOf(granted).map((r) => r.status)).toEqual(['SUCCEEDED', 'FAILED']);
    expect(azure().findRoleAssignment(subscription(), p, READER)).toBeDefined();

    emulator().requests.length = 0;
    const revoked = await post(inputs, granted.state);
    expect(revoked.exitCode).toBe(0);
    expect(azure().findRoleAssignment(subscription(), p, READER)).toBeUndefined();
    // The refused grant was never recorded, so the post step sent no delete for it.
    expect(writes().filter((w) => w.operation === 'RoleAssignments_Delete')).toHaveLength(1);
    expect(revoked.summary).toContain('<h3>cloud-access: azure revoke on exit</h3>');
    // The row says what the principal is, as the main step wrote it.
    expect(revoked.summary).toContain(`<tr><td>user ${p}</td>`);
  });

  it('does nothing in the post step when the main step saved no state', async () => {
    const revoked = await post(
      { principal: newPrincipal(), target: subscription(), role: READER, 'revoke-on-exit': 'true' },
      {},
    );
    expect(revoked.exitCode).toBe(0);
    expect(revoked.stdout).toContain('nothing to revoke');
    expect(emulator().requests).toEqual([]);
  });

  it('writes no credential or token to state', async () => {
    const granted = await main({
      principal: newPrincipal(),
      target: subscription(),
      role: READER,
      'revoke-on-exit': 'true',
    });
    expect(granted.exitCode).toBe(0);
    const state = JSON.stringify(granted.state);
    expect(azure().issuedAccessTokens.length).toBeGreaterThan(0);
    for (const token of [...emulator().github.issuedTokens, ...azure().issuedAccessTokens])
      expect(state).not.toContain(token);
  });
});

describe('batches', () => {
  it('runs 60 grants within ARM limits and every one SUCCEEDS, each created once', async () => {
    const principals = [newPrincipal(), newPrincipal(), newPrincipal()];
    const scopes = Array.from({ length: 20 }, (_, i) => `${subscription()}/resourceGroups/rg-${i}`);
    const step = await main({
      principal: principals.join(','),
      target: scopes.join('\n'),
      role: 'Reader',
      'max-concurrency': '20',
    });
    expect(step.exitCode).toBe(0);
    const results = resultsOf(step);
    expect(results).toHaveLength(60);
    expect(results.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    for (const p of principals)
      for (const scope of scopes) expect(azure().findRoleAssignment(scope, p, READER)).toBeDefined();
    expect(
      writes().filter((w) => w.operation === 'RoleAssignments_Create' && w.status >= 200 && w.status < 300),
    ).toHaveLength(60);
    // One role-name lookup per name and scope, shared by the three principals.
    expect(emulator().requests.filter((r) => r.operation === 'RoleDefinitions_List')).toHaveLength(20);
  }, 120_000);

  it('reports a partial failure per grant, and status is the worst', async () => {
    azure().addManagementGroup('elsewhere');
    const refused = foreignSubscription();
    const step = await main({
      principal: newPrincipal(),
      target: `${subscription()}/resourceGroups/a, ${refused}, ${subscription()}/resourceGroups/b`,
      role: READER,
    });
    expect(step.exitCode).toBe(1);
    expect(step.outputs.status).toBe('FAILED');
    const results = resultsOf(step);
    expect(results.map((r) => r.status)).toEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED']);
    // The identity has no role there at all, so the first read is refused, naming the permission.
    expect(results[1]!.failureReason).toContain('lacks `Microsoft.Authorization/roleAssignments/read`');
    expect(step.summary).toContain('FAILED');
  });
});

describe('dry-run', () => {
  it('resolves, reads, reports the plan and writes nothing', async () => {
    const p = newPrincipal();
    azure().addRoleAssignment({ scope: subscription(), roleDefinitionId: READER, principalId: p });
    const step = await main({
      principal: p,
      target: `${subscription()}, ${subscription()}/resourceGroups/rg-new`,
      role: 'Reader',
      'dry-run': 'true',
    });
    expect(step.exitCode).toBe(0);
    expect(writes()).toEqual([]);
    expect(resultsOf(step).map((r) => r.action)).toEqual(['none', 'create']);
    expect(step.summary).toContain('would create');
  });
});
