// The assign step (operations/assign/index.ts) as a pipeline, without a bundle: its config as the
// inputs make it, a signed-in session over an in-memory IAM Identity Center
// (../../steps/identity-center.ts), the runner's effects and state recorded. What users rely on:
// OU and root targets become accounts before anything is written, and the log says what each
// meant; a step that revokes on exit saves what it creates, and where it signed in, as it goes; an
// AWS `duration` says when what the step creates ends, and promises nothing of a grant found in
// place; a cancelled job stops, saying what is left.
import { describe, expect, it, jest } from '@jest/globals';
import { parseInputs } from '../../../src/core/inputs/index.js';
import type { TargetExpansion } from '../../../src/core/inputs/org-expansion.js';
import { runAssignments } from '../../../src/operations/assign/index.js';
import { ALICE_IN, identityCenter, INSTANCE, inputs } from '../../steps/identity-center.js';
import { recordedRunner } from '../../steps/recorded-runner.js';
import { onFakeClock, settled, tick } from '../../harness/fake-clock.js';

const NOW = Date.parse('2026-05-01T12:00:00Z');
const RUN = { repository: 'octo-org/octo-repo', repositoryId: '42', runId: '7', runAttempt: '1' };

/** The step's config as the main step reads it from `more` inputs (steps/main.ts). */
const configOf = (more: Record<string, string> = {}) =>
  parseInputs(
    (name) => inputs(more)[name as keyof ReturnType<typeof inputs>] ?? '',
    {},
    RUN,
    () => NOW,
  );

/** The OU ou-ab12-cd345678 holds two ACTIVE accounts and a suspended one. */
const UNDER_OU: TargetExpansion = {
  accounts: ['111111111111', '222222222222'],
  expansions: [
    {
      target: 'ou-ab12-cd345678',
      id: 'ou-ab12-cd345678',
      name: 'Sandbox',
      accounts: ['111111111111', '222222222222'],
      excluded: [{ id: '333333333333', name: 'old', status: 'SUSPENDED', target: 'ou-ab12-cd345678' }],
    },
  ],
  excluded: [{ id: '333333333333', name: 'old', status: 'SUSPENDED', target: 'ou-ab12-cd345678' }],
};

describe('operation: assign, as its step runs it', () => {
  it('expands an OU target into its ACTIVE accounts before any write, says so, and grants each', async () => {
    const cloud = identityCenter();
    const runner = recordedRunner();
    const asked: string[] = [];
    await runAssignments(configOf({ target: 'ou-ab12-cd345678' }), runner.runner, {
      open: async (signal) => ({
        ...(await cloud.open({ step: 'main', signal })),
        expandTargets: async (targets) => {
          asked.push(...targets.map((t) => t.written));
          expect(cloud.writes).toEqual([]);
          return UNDER_OU;
        },
      }),
    });
    expect(asked).toEqual(['ou-ab12-cd345678']);
    expect(cloud.writes).toEqual([
      `create ${ALICE_IN('111111111111')}`,
      `create ${ALICE_IN('222222222222')}`,
    ]);
    expect(runner.said.log).toContain('Expanding 1 target(s) with AWS Organizations');
    expect(runner.said.log.join('\n')).toMatch(/left out \(not ACTIVE\): .*333333333333.*SUSPENDED/);
    expect(runner.said.log).toContain('2 account(s) in all, each once');
    expect(runner.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    expect(runner.said.failed).toEqual([]);
  });

  it('with revoke-on-exit, saves each grant it creates and the session it signed in to, for its post step', async () => {
    const cloud = identityCenter([ALICE_IN('111111111111')]);
    const runner = recordedRunner();
    await runAssignments(
      configOf({ target: '111111111111, 222222222222', 'revoke-on-exit': 'true' }),
      runner.runner,
      { open: (signal) => cloud.open({ step: 'main', signal }) },
    );
    expect(cloud.writes).toEqual([`create ${ALICE_IN('222222222222')}`]);
    // The header first (a slot for each grant, the instance it signed in to), then an entry only
    // for what it created: the grant found in place is not the post step's to revoke.
    const header = JSON.parse(runner.saved.get('cloud-access')!) as Record<string, unknown>;
    expect(header).toMatchObject({ count: 2, revokeOnExit: true, handedOver: { instanceArn: INSTANCE } });
    expect(runner.saved.has('cloud-access-grant-0')).toBe(false);
    expect(runner.saved.get('cloud-access-grant-1')).toContain('222222222222');
    expect(runner.said.log.join('\n')).toMatch(/revoke-on-exit/);
  });

  it('without revoke-on-exit, saves nothing for a post step', async () => {
    const cloud = identityCenter();
    const runner = recordedRunner();
    await runAssignments(configOf(), runner.runner, {
      open: (signal) => cloud.open({ step: 'main', signal }),
    });
    expect(cloud.writes).toEqual([`create ${ALICE_IN('111111111111')}`]);
    expect([...runner.saved.keys()]).toEqual([]);
  });

  it('an AWS `duration` sets `expires-at` on what the step creates, not on a grant found in place', async () => {
    const cloud = identityCenter([ALICE_IN('111111111111')]);
    const runner = recordedRunner();
    await runAssignments(configOf({ target: '111111111111, 222222222222', duration: '2h' }), runner.runner, {
      open: (signal) => cloud.open({ step: 'main', signal }),
    });
    const expiry = new Date(NOW + 2 * 3_600_000).toISOString();
    expect(runner.outputs['expires-at']).toBe(expiry);
    const results = JSON.parse(runner.outputs.results!) as { target: string; expiresAt?: string }[];
    expect(results.map((r) => [r.target, r.expiresAt])).toEqual([
      ['111111111111', undefined],
      ['222222222222', expiry],
    ]);
  });

  it('a job cancelled mid-batch without revoke-on-exit stops and says the grants already made stay', async () => {
    const cloud = identityCenter();
    const runner = recordedRunner();
    cloud.whileCreating(() => runner.cancel('SIGINT'));
    const targets = { target: '111111111111, 222222222222', 'max-concurrency': '1' };
    await runAssignments(configOf(targets), runner.runner, {
      open: (signal) => cloud.open({ step: 'main', signal }),
    });
    expect(runner.said.warnings.map((w) => w.message)).toContain(
      'received SIGINT: stopping; grants already made stay in place',
    );
    // Stopped: the grant on its way is made and stays, the next one is not begun.
    expect(cloud.writes).toEqual([`create ${ALICE_IN('111111111111')}`]);
    expect(cloud.assignments.size).toBe(1);
  });

  it('operation: revoke says it is running revokes and removes the grant', async () => {
    const cloud = identityCenter([ALICE_IN('111111111111')]);
    const runner = recordedRunner();
    await runAssignments(configOf({ operation: 'revoke' }), runner.runner, {
      open: (signal) => cloud.open({ step: 'main', signal }),
    });
    expect(runner.said.log).toContain('Running 1 revoke grant on aws');
    expect(cloud.writes).toEqual([`delete ${ALICE_IN('111111111111')}`]);
    expect(runner.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
  });
});

describe('a grant whose sign-in and first reads are slow is never a silent wait', () => {
  it('says it is still reading 10 s in and every 15 s after, until the driver is prepared', () =>
    onFakeClock(jest, async () => {
      const cloud = identityCenter();
      const runner = recordedRunner();
      await settled(
        runAssignments(configOf({ target: '111111111111' }), runner.runner, {
          open: async (signal) => {
            const session = await cloud.open({ step: 'main', signal });
            const prepare = session.driver.prepare.bind(session.driver);
            // The sign-in's token and the instance's discovery, 27 s slow (of the session's 30 s).
            session.driver.prepare = async (options) => {
              await tick(27_000);
              return prepare(options);
            };
            return session;
          },
        }),
      );
      expect(runner.said.log.filter((line) => line.startsWith('still reading'))).toEqual([
        'still reading after 10 s (the sign-in, and the instance and names the grants use)',
        'still reading after 25 s (the sign-in, and the instance and names the grants use)',
      ]);
      expect(cloud.writes).toEqual([`create ${ALICE_IN('111111111111')}`]);
    }));
});
