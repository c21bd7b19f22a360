// Shared grants on Azure whose description the dead would fill, through the bundle as the runner
// runs it: a relying step with no room for its marker takes out the markers of its repository's
// runs GitHub says have ended (its own write: the description stays the deploy identity's), keeps
// every marker it cannot prove ended, and fails where no room is made; and a sweep's write made from a read before a relier's own
// is healed by that relier's read-back, so the sweep never ends the grant while the relier runs.
import { describe, expect, it } from '@jest/globals';
import { azure, azureInputs, newPrincipal, READER, runMain, subscription, useEmulator } from './fixture.js';

// A sweep and a relying job at once: each step in a process of its own.
const emulator = useEmulator({ steps: 'processes' });
const REPOSITORY = 'octo-org/octo-repo';
const scope = () => `${subscription()}/resourceGroups/rg-room`;
const marker = (run: string, kind: string, repository = REPOSITORY) =>
  `[cloud-access:${repository}:run:${run}:1:${kind}]`;
const assignmentOf = (principal: string) =>
  azure()
    .roleAssignments()
    .find((a) => a.properties.principalId === principal);
const puts = () => emulator().requests.filter((r) => r.operation === 'RoleAssignments_Create');
const runReads = () => emulator().requests.filter((r) => r.path.includes('/actions/runs/'));

const setRun = (runId: string, status: string, repository = REPOSITORY) =>
  emulator().github.runs.setRun({
    repository,
    repositoryId: repository === REPOSITORY ? '123456789' : '987654321',
    runId,
    attempt: '1',
    status,
    ...(status === 'completed' ? { conclusion: 'success' } : {}),
  });

const job = (principal: string, runId: string, more: Record<string, string> = {}) =>
  runMain(
    azureInputs({
      principal,
      'principal-type': 'ServicePrincipal',
      target: scope(),
      role: READER,
      'revoke-on-exit': 'true',
      ...more,
    }),
    { GITHUB_RUN_ID: runId, GITHUB_RUN_ATTEMPT: '1' },
  );

const sweep = async (principal: string) => {
  const step = await runMain(
    azureInputs({ operation: 'sweep', target: scope(), 'github-token': emulator().github.runs.jobToken }),
    { GITHUB_EVENT_NAME: 'schedule' },
  );
  expect(step.exitCode).toBe(0);
  const results = JSON.parse(step.outputs.results ?? '[]') as { principal: string }[];
  return results.find((r) => r.principal === principal);
};

/** An assignment the deploy identity made as run `creator`'s step did, `description` on it. */
function made(principal: string, description: string) {
  azure().addRoleAssignment({
    scope: scope(),
    roleDefinitionId: READER,
    principalId: principal,
    principalType: 'ServicePrincipal',
    description,
    createdBy: azure().objectId,
  });
}

describe('the 36th relier on a description full of ended runs’ markers', () => {
  it('registers: the ended runs’ markers taken out by its own write, every marker it cannot prove kept', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    // Made by run 70 (still going), relied on by runs 101–135: 101–133 ended, 134 is another
    // repository's (the job's token cannot read it), 135 still goes. No room for another marker.
    const reliers = Array.from({ length: 35 }, (_, i) => String(101 + i));
    const relied = reliers.map((run) =>
      run === '134' ? marker(run, 'r', 'other-org/app') : marker(run, 'r'),
    );
    const tail = [marker('70', 'e'), ...relied].join(' ');
    const text = 'deploy '.padEnd(2048 - 10 - tail.length - 1, 'x');
    made(deployer, `${text} ${tail}`);
    setRun('70', 'in_progress');
    for (const run of reliers.slice(0, 33)) setRun(run, 'completed');
    setRun('134', 'completed', 'other-org/app');
    setRun('135', 'in_progress');

    emulator().requests.length = 0;
    const step = await job(deployer, '136', { 'github-token': emulator().github.runs.jobToken });
    expect([step.exitCode, step.warnings]).toEqual([0, []]);
    expect(step.stdout).toContain('already in place; reliance registered for the sweep');
    expect(assignmentOf(deployer)?.properties).toMatchObject({
      description: `${text} ${[marker('70', 'e'), marker('134', 'r', 'other-org/app'), marker('135', 'r'), marker('136', 'r')].join(' ')}`,
      createdBy: azure().objectId,
      updatedBy: azure().objectId,
    });
    expect(puts()).toHaveLength(1);
    // One request per run of its own repository on the description; none for another's.
    expect(runReads()).toHaveLength(34);
    expect(runReads().some((r) => r.path.includes('other-org'))).toBe(false);

    // No sweep ends the grant while it runs: the marker of another repository's run, which the
    // job's token cannot read, was kept, and leaves it unproven, named.
    setRun('70', 'completed');
    setRun('135', 'completed');
    setRun('136', 'in_progress');
    expect(await sweep(deployer)).toMatchObject({
      kind: 'unproven',
      reason: expect.stringContaining('run 134 attempt 1'),
    });
    expect(assignmentOf(deployer)).toBeDefined();
  }, 120_000);

  it('without a token that reads the runs, keeps every marker and fails: the grant named, the description full, what to do, nothing written', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    const relied = Array.from({ length: 35 }, (_, i) => marker(String(201 + i), 'r'));
    const tail = [marker('80', 'e'), ...relied].join(' ');
    const description = `${'deploy '.padEnd(2048 - 10 - tail.length - 1, 'x')} ${tail}`;
    made(deployer, description);
    for (let run = 201; run < 236; run++) setRun(String(run), 'completed');
    emulator().requests.length = 0;
    const step = await job(deployer, '236');
    expect([step.exitCode, step.outputs.status]).toEqual([1, 'FAILED']);
    expect(step.errors.join('\n')).toMatch(
      new RegExp(
        `assign .*${deployer}.* FAILED: its reliance is not registered: its description is \\d+ characters.*longer than the 2048 ARM keeps.*the description is full.*a sweep .* may revoke it while this job runs\\. Shorten the \`description\`.*This step wrote nothing on it: the grant stays as it was`,
      ),
    );
    expect(puts()).toEqual([]);
    expect(runReads()).toEqual([]);
    expect(assignmentOf(deployer)?.properties.description).toBe(description);
  }, 60_000);
});

describe('a sweep writing a description while a relier registers on it', () => {
  it('the sweep’s write from a read before the relier’s replaces its marker; the relier writes it again, and the grant stays while it runs', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    // More than half full, made by the sweep's own identity, ended reliers on it: a sweep
    // writes it again without their markers.
    const relied = Array.from({ length: 20 }, (_, i) => marker(String(301 + i), 'r'));
    const tail = [marker('90', 'e'), ...relied].join(' ');
    const text = 'deploy '.padEnd(1500 - tail.length, 'x');
    made(deployer, `${text} ${tail}`);
    setRun('90', 'in_progress');
    for (let run = 301; run < 321; run++) setRun(String(run), 'completed');
    setRun('99', 'in_progress');

    // The relier's PUT is held until the sweep's comes, then both are applied, the relier's
    // first: the sweep's, made from its read before the relier's was applied, replaces it.
    azure().faults.armHeldWrites = {
      pathIncludes: '/roleAssignments/',
      together: 2,
      maxHoldMs: 60_000,
      batches: 1,
    };
    emulator().requests.length = 0;
    const relier = job(deployer, '99');
    const deadline = Date.now() + 60_000;
    while (puts().length === 0 && Date.now() < deadline) await new Promise((go) => setTimeout(go, 20));
    expect(puts()).toHaveLength(1);
    const swept = await sweep(deployer);
    expect(swept).toMatchObject({
      kind: 'running',
      reason: expect.stringContaining('which have ended, were removed from its description'),
    });
    const step = await relier;
    expect([step.exitCode, step.warnings]).toEqual([0, []]);
    expect(step.stdout).toContain('already in place; reliance registered for the sweep');
    // Three writes: the relier's, the sweep's over it, and the relier's again once its read-back
    // did not find its marker.
    expect(puts()).toHaveLength(3);
    expect(assignmentOf(deployer)?.properties.description).toBe(
      `${text} ${marker('90', 'e')} ${marker('99', 'r')}`,
    );

    // The creator ends; the relier still goes: the grant stays.
    setRun('90', 'completed');
    expect(await sweep(deployer)).toMatchObject({ kind: 'running' });
    expect(assignmentOf(deployer)).toBeDefined();
    setRun('99', 'completed');
    expect(await sweep(deployer)).toMatchObject({ kind: 'revoke', action: 'revoked' });
  }, 180_000);
});
