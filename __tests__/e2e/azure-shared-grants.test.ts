// Shared grants on Azure, through the bundle as the runner runs it: a revoke-on-exit step that finds
// its assignment already made by another run's ephemeral step appends its reliance marker to the
// description; the post step of the run that made it then leaves it, and the sweep ends it once
// every run its markers name has ended (the latest attempt of each). What no run made ephemeral
// gets no marker and is never revoked; a marker edited in by another identity proves nothing; one
// claim no step could have written never stops a sweep.
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

// Jobs of a matrix, at once: each step in a process of its own.
const emulator = useEmulator({ steps: 'processes' });
const REPOSITORY = 'octo-org/octo-repo';
const scope = () => `${subscription()}/resourceGroups/rg-shared`;
const marker = (run: string, attempt: string, kind: string) =>
  `[cloud-access:${REPOSITORY}:run:${run}:${attempt}:${kind}]`;
const assignmentOf = (principal: string) =>
  azure()
    .roleAssignments()
    .find((a) => a.properties.principalId === principal);
const puts = () => emulator().requests.filter((r) => r.operation === 'RoleAssignments_Create');

const setRun = (runId: string, attempt: string, status: string) =>
  emulator().github.runs.setRun({
    repository: REPOSITORY,
    repositoryId: '123456789',
    runId,
    attempt,
    status,
    ...(status === 'completed' ? { conclusion: 'success' } : {}),
  });

/** A job's revoke-on-exit step granting `principal` Reader at the shared scope, as run `runId`, attempt `attempt`. */
const grantInputs = (principal: string, more: Record<string, string> = {}) =>
  azureInputs({
    principal,
    'principal-type': 'ServicePrincipal',
    target: scope(),
    role: READER,
    'revoke-on-exit': 'true',
    ...more,
  });
const job = (principal: string, runId: string, attempt = '1', more: Record<string, string> = {}) =>
  runMain(grantInputs(principal, more), { GITHUB_RUN_ID: runId, GITHUB_RUN_ATTEMPT: attempt });

interface SweepResult {
  principal: string;
  kind: string;
  action: string;
  reason: string;
}
async function sweep(): Promise<{ exitCode: number | null; results: SweepResult[] }> {
  const step = await runMain(
    azureInputs({ operation: 'sweep', target: scope(), 'github-token': emulator().github.runs.jobToken }),
    { GITHUB_EVENT_NAME: 'schedule' },
  );
  return { exitCode: step.exitCode, results: JSON.parse(step.outputs.results ?? '[]') as SweepResult[] };
}
const sweptFor = async (principal: string) => {
  const { exitCode, results } = await sweep();
  expect(exitCode).toBe(0);
  return results.find((r) => r.principal === principal);
};

describe('two jobs of a matrix on one grant: the last to end ends it', () => {
  it('A made it, B relies on it; A’s post step leaves it, the sweep waits for B, then ends it', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    const a = await job(deployer, '1');
    expect(a.exitCode).toBe(0);
    expect(assignmentOf(deployer)?.properties.description).toMatch(
      /\[cloud-access:octo-org\/octo-repo:run:1:1:e\]$/,
    );

    emulator().requests.length = 0;
    const b = await job(deployer, '2');
    expect(b.exitCode).toBe(0);
    expect(b.stdout).toContain('already in place; reliance registered for the sweep');
    // One write: the same assignment, its description with B's marker after A's.
    expect(puts()).toHaveLength(1);
    expect(assignmentOf(deployer)?.properties.description).toMatch(
      /\[cloud-access:octo-org\/octo-repo:run:1:1:e\] \[cloud-access:octo-org\/octo-repo:run:2:1:r\]$/,
    );
    expect(b.warnings).toEqual([]);

    const aPost = await runPost(grantInputs(deployer), a.state);
    expect(aPost.exitCode).toBe(0);
    expect(aPost.stdout).toContain(
      'relied on by run 2 attempt 1: the sweep ends it once every run that relies on it has ended',
    );
    expect(assignmentOf(deployer)).toBeDefined();

    setRun('1', '1', 'completed');
    setRun('2', '1', 'in_progress');
    expect(await sweptFor(deployer)).toMatchObject({ kind: 'running' });
    expect(assignmentOf(deployer)).toBeDefined();

    // B did not make it: its post step has nothing to revoke.
    const bPost = await runPost(grantInputs(deployer), b.state);
    expect(bPost.exitCode).toBe(0);
    expect(assignmentOf(deployer)).toBeDefined();

    setRun('2', '1', 'completed');
    expect(await sweptFor(deployer)).toMatchObject({ kind: 'revoke', action: 'revoked' });
    expect(assignmentOf(deployer)).toBeUndefined();
  }, 120_000);
});

describe('four jobs relying on one grant at once', () => {
  it('registers every reliance: a marker another job’s write replaced is written again until it reads back', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    expect((await job(deployer, '61')).exitCode).toBe(0);
    // ARM keeps the last write of a description: the four PUTs of a round meet, each made from
    // what its job read before any of them was applied.
    azure().faults.armHeldWrites = { pathIncludes: '/roleAssignments/', together: 4, maxHoldMs: 1_000 };
    const reliers = ['62', '63', '64', '65'];
    const steps = await Promise.all(reliers.map((run) => job(deployer, run)));
    for (const step of steps) {
      expect([step.exitCode, step.warnings]).toEqual([0, []]);
      expect(step.stdout).toContain('already in place; reliance registered for the sweep');
    }
    const description = assignmentOf(deployer)?.properties.description ?? '';
    expect(description).toContain(marker('61', '1', 'e'));
    for (const run of reliers) expect(description).toContain(marker(run, '1', 'r'));
  }, 120_000);
});

describe('a grant relied on by many runs over its life', () => {
  it('the sweep removes the markers of ended runs from the grant it leaves, so the next relier has room', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    // Made by run 70 (still going), relied on by runs 101–135 (all but the last ended): the
    // description holds no room for another marker.
    const reliers = Array.from({ length: 35 }, (_, i) => String(101 + i));
    const markers = [marker('70', '1', 'e'), ...reliers.map((run) => marker(run, '1', 'r'))].join(' ');
    const text = 'deploy '.padEnd(2048 - 10 - markers.length - 1, 'x');
    const full = `${text} ${markers}`;
    azure().addRoleAssignment({
      scope: scope(),
      roleDefinitionId: READER,
      principalId: deployer,
      principalType: 'ServicePrincipal',
      description: full,
      createdBy: azure().objectId,
    });
    setRun('70', '1', 'in_progress');
    for (const run of reliers) setRun(run, '1', run === '135' ? 'in_progress' : 'completed');
    const cutOff = await job(deployer, '136');
    expect(cutOff.exitCode).toBe(1);
    expect(cutOff.errors.join('\n')).toMatch(/reliance is not registered: .*longer than the 2048 ARM keeps/);

    // A dry run says what it would remove, and writes nothing.
    emulator().requests.length = 0;
    const dry = await runMain(
      azureInputs({
        operation: 'sweep',
        target: scope(),
        'dry-run': 'true',
        'github-token': emulator().github.runs.jobToken,
      }),
      { GITHUB_EVENT_NAME: 'schedule' },
    );
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain('1 description(s) would be written again without them');
    expect(puts()).toEqual([]);
    expect(assignmentOf(deployer)?.properties.description).toBe(full);

    const left = await sweptFor(deployer);
    expect(left).toMatchObject({
      kind: 'running',
      reason: expect.stringContaining('which have ended, were removed from its description'),
    });
    // The user's text, the creating run's marker and the live relier's kept; updatedBy its maker's.
    expect(assignmentOf(deployer)?.properties).toMatchObject({
      description: `${text} ${marker('70', '1', 'e')} ${marker('135', '1', 'r')}`,
      createdBy: azure().objectId,
      updatedBy: azure().objectId,
    });

    const next = await job(deployer, '137');
    expect([next.exitCode, next.warnings]).toEqual([0, []]);
    expect(assignmentOf(deployer)?.properties.description).toMatch(
      new RegExp(
        `${marker('135', '1', 'r').replace(/[[\]]/g, '\\$&')} ${marker('137', '1', 'r').replace(/[[\]]/g, '\\$&')}$`,
      ),
    );

    // Its claim still holds: once every run has ended, the sweep ends it.
    for (const run of ['70', '135', '137']) setRun(run, '1', 'completed');
    expect(await sweptFor(deployer)).toMatchObject({ kind: 'revoke', action: 'revoked' });
    expect(assignmentOf(deployer)).toBeUndefined();
  }, 120_000);
});

describe('the sweep signs in as another identity than the deploy jobs', () => {
  it('keeps the markers of ended runs, and says why: a description it wrote would no longer be its maker’s', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    const deployIdentity = '11111111-1111-4111-8111-111111111111';
    const description = `deploy ${marker('80', '1', 'e')} ${marker('81', '1', 'r')}`;
    azure().addRoleAssignment({
      scope: scope(),
      roleDefinitionId: READER,
      principalId: deployer,
      principalType: 'ServicePrincipal',
      description,
      createdBy: deployIdentity,
    });
    setRun('80', '1', 'in_progress');
    setRun('81', '1', 'completed');
    emulator().requests.length = 0;
    const step = await runMain(
      azureInputs({
        operation: 'sweep',
        target: scope(),
        'created-by': deployIdentity,
        'github-token': emulator().github.runs.jobToken,
      }),
      { GITHUB_EVENT_NAME: 'schedule' },
    );
    expect(step.exitCode).toBe(0);
    const results = JSON.parse(step.outputs.results ?? '[]') as SweepResult[];
    expect(results.find((r) => r.principal === deployer)).toMatchObject({
      kind: 'running',
      reason: expect.stringContaining(
        `are kept: the sweep signs in as ${azure().objectId}, not ${deployIdentity}`,
      ),
    });
    expect(puts()).toEqual([]);
    expect(assignmentOf(deployer)?.properties.description).toBe(description);
  }, 60_000);
});

describe('three claimants with a re-run among them', () => {
  it('stays while the re-run of the creating run goes, though its first attempt and the other run ended', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    expect((await job(deployer, '11', '1')).exitCode).toBe(0);
    expect((await job(deployer, '12', '1')).exitCode).toBe(0);
    expect((await job(deployer, '11', '2')).exitCode).toBe(0);
    expect(assignmentOf(deployer)?.properties.description).toMatch(
      new RegExp(
        [marker('11', '1', 'e'), marker('12', '1', 'r'), marker('11', '2', 'r')]
          .map((m) => m.replace(/[[\]]/g, '\\$&'))
          .join(' ') + '$',
      ),
    );
    setRun('11', '1', 'completed');
    setRun('11', '2', 'in_progress');
    setRun('12', '1', 'completed');
    expect(await sweptFor(deployer)).toMatchObject({ kind: 'running' });
    expect(assignmentOf(deployer)).toBeDefined();

    setRun('11', '2', 'completed');
    expect(await sweptFor(deployer)).toMatchObject({ kind: 'revoke', action: 'revoked' });
    expect(assignmentOf(deployer)).toBeUndefined();
  }, 120_000);
});

describe('a grant no run made ephemeral', () => {
  it('a person’s grant, relied on by two attempts of a run: no reliance written, never revoked', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    // Made by the very identity the sweep trusts, without a marker: as a permanent step makes it.
    azure().addRoleAssignment({
      scope: scope(),
      roleDefinitionId: READER,
      principalId: deployer,
      principalType: 'ServicePrincipal',
      description: 'granted by hand',
      createdBy: azure().objectId,
    });
    emulator().requests.length = 0;
    for (const attempt of ['1', '2']) {
      const step = await job(deployer, '21', attempt);
      expect(step.exitCode).toBe(0);
      expect(step.stdout).toContain('revoke-on-exit leaves it in place: it existed before this step');
      expect(step.stdout).not.toContain('reliance registered');
    }
    expect(puts()).toEqual([]);
    expect(assignmentOf(deployer)?.properties.description).toBe('granted by hand');
    setRun('21', '2', 'completed');
    const { exitCode, results } = await sweep();
    expect(exitCode).toBe(0);
    expect(results.find((r) => r.principal === deployer)).toBeUndefined();
    expect(assignmentOf(deployer)).toBeDefined();
  }, 120_000);
});

describe('what the sweep does not take for a claim', () => {
  it('a finished run’s marker edited into a permanent assignment by another identity: unproven, not deleted', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    const editor = '99999999-9999-4999-8999-999999999999';
    // The sweep's identity made it permanent; another identity with roleAssignments/write then
    // wrote its description (ARM keeps createdBy and records the writer in updatedBy).
    azure().addRoleAssignment({
      scope: scope(),
      roleDefinitionId: READER,
      principalId: deployer,
      principalType: 'ServicePrincipal',
      description: `deploy ${marker('31', '1', 'e')}`,
      createdBy: azure().objectId,
      createdOn: new Date(Date.now() - 86_400_000),
      updatedBy: editor,
    });
    setRun('31', '1', 'completed');
    expect(await sweptFor(deployer)).toMatchObject({
      kind: 'unproven',
      reason: expect.stringContaining(editor),
    });
    expect(assignmentOf(deployer)).toBeDefined();
  }, 60_000);

  it('an expiry no step writes is unproven, and the other claims are still revoked', async () => {
    const odd = newPrincipal('ServicePrincipal');
    azure().addRoleAssignment({
      scope: scope(),
      roleDefinitionId: READER,
      principalId: odd,
      principalType: 'ServicePrincipal',
      description: marker('41', '1', 'e9000000000000'),
      createdBy: azure().objectId,
    });
    const deployer = newPrincipal('ServicePrincipal');
    expect((await job(deployer, '42')).exitCode).toBe(0);
    setRun('41', '1', 'completed');
    setRun('42', '1', 'completed');
    const { exitCode, results } = await sweep();
    expect(exitCode).toBe(0);
    expect(results.find((r) => r.principal === odd)).toMatchObject({ kind: 'unproven' });
    expect(results.find((r) => r.principal === deployer)).toMatchObject({
      kind: 'revoke',
      action: 'revoked',
    });
    expect(assignmentOf(odd)).toBeDefined();
    expect(assignmentOf(deployer)).toBeUndefined();
  }, 60_000);
});

describe('a description too long to take the reliance marker', () => {
  it('fails, naming the grant, why, the fix and that it wrote nothing', async () => {
    const deployer = newPrincipal('ServicePrincipal');
    const room = 2048 - ` ${marker('51', '1', 'e')}`.length;
    const a = await job(deployer, '51', '1', { description: 'x'.repeat(room) });
    expect(a.exitCode).toBe(0);
    expect(assignmentOf(deployer)?.properties.description).toHaveLength(2048);

    emulator().requests.length = 0;
    const b = await job(deployer, '52');
    expect(b.exitCode).toBe(1);
    expect(b.outputs.status).toBe('FAILED');
    expect(b.errors.join('\n')).toMatch(
      new RegExp(
        `${deployer}.* FAILED: its reliance is not registered: .*longer than the 2048 ARM keeps: the description is full.*Shorten the \`description\`.*This step wrote nothing on it: the grant stays as it was`,
      ),
    );
    expect(puts()).toEqual([]);
    // Said once, as its failure: no warning of a grant that stays, nor the notice of one relied on without a word.
    expect(b.warnings).toEqual([]);
    expect(b.log.filter((line) => line.startsWith('::notice::') && line.includes('may remove it'))).toEqual(
      [],
    );
  }, 60_000);
});
