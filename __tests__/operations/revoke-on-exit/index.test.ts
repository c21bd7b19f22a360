// The post step (operations/revoke-on-exit/index.ts) as a pipeline, without a bundle: the state an
// assign step saved (operations/assign/index.ts, over the same in-memory IAM Identity Center,
// ../../steps/identity-center.ts), loaded through a recorded runner, then the post step's session
// and its revoke. What users rely on: a post step with nothing saved, or nothing created, opens no
// session; one with grants to revoke signs in as the post step, hands the driver's state back
// unread, and names its own creates; one that may not act, or cannot sign in, fails and says what
// is left and how to remove it, the instance as the adapter reads it.
import { describe, expect, it, jest } from '@jest/globals';
import { parseInputs } from '../../../src/core/inputs/index.js';
import { runAssignments } from '../../../src/operations/assign/index.js';
import { runRevokeOnExit, type PostSources } from '../../../src/operations/revoke-on-exit/index.js';
import { ALICE_IN, identityCenter, INSTANCE, inputs, requestIdOf } from '../../steps/identity-center.js';
import { recordedRunner, type RecordedRunner } from '../../steps/recorded-runner.js';
import { onFakeClock, settled, tick } from '../../harness/fake-clock.js';

const RUN = { repository: 'octo-org/octo-repo', repositoryId: '42', runId: '7', runAttempt: '1' };

/** The state an assign step leaves its post step: `more` inputs, over `cloud`. */
async function mainStep(cloud: ReturnType<typeof identityCenter>, more: Record<string, string>) {
  const all = inputs(more);
  const config = parseInputs((name) => all[name as keyof typeof all] ?? '', {}, RUN);
  const step = recordedRunner();
  step.state.claim();
  await runAssignments(config, step.runner, { open: (signal) => cloud.open({ step: 'main', signal }) });
  return step;
}

/** The post step over what `main` saved, its inputs `more`. */
async function postStep(
  main: RecordedRunner,
  sources: PostSources,
  more: Record<string, string> = { 'revoke-on-exit': 'true' },
): Promise<RecordedRunner> {
  const all = inputs(more);
  const step = recordedRunner({ inputs: all, saved: new Map(main.saved), run: RUN });
  await runRevokeOnExit(step.runner, sources);
  return step;
}

/** The post step's sources over `cloud`; the AWS adapter's reading of the instance, recorded. */
function sourcesOver(cloud: ReturnType<typeof identityCenter>) {
  const readInstance: unknown[] = [];
  const sources: PostSources = {
    open: (_plan, _settings, options) => cloud.open(options),
    instanceOf: (handedOver) => {
      readInstance.push(handedOver);
      return (handedOver as { instanceArn?: string } | undefined)?.instanceArn;
    },
  };
  return { sources, readInstance };
}

describe('the post step, from the state its main step saved', () => {
  it('with nothing saved, says there is nothing to revoke and opens no session', async () => {
    const cloud = identityCenter();
    const post = await postStep(recordedRunner(), sourcesOver(cloud).sources);
    expect(cloud.sessions).toEqual([]);
    expect(post.said.log.join('\n')).toMatch(/nothing to revoke/);
    expect(post.said.failed).toEqual([]);
  });

  it('after a main step that created nothing (all found in place), opens no session', async () => {
    const cloud = identityCenter([ALICE_IN('111111111111')]);
    const main = await mainStep(cloud, { 'revoke-on-exit': 'true' });
    const post = await postStep(main, sourcesOver(cloud).sources);
    expect(cloud.sessions.map((s) => s.step)).toEqual(['main']);
    expect(post.said.log).toContain(
      'revoke-on-exit: the main step created no grants, so there is nothing to revoke',
    );
    expect(cloud.assignments.size).toBe(1);
  });

  it('revokes what the main step created, in a session given back the state its driver handed over and its own creates', async () => {
    const cloud = identityCenter();
    const main = await mainStep(cloud, { target: '111111111111, 222222222222', 'revoke-on-exit': 'true' });
    const post = await postStep(main, sourcesOver(cloud).sources);
    expect(cloud.sessions[1]).toEqual({
      step: 'post',
      saved: { instanceArn: INSTANCE },
      ownCreates: [requestIdOf(1), requestIdOf(2)],
    });
    expect(cloud.assignments.size).toBe(0);
    expect(post.said.log).toContain(
      'revoke-on-exit: revoking what the main step created (2 grant(s) saved), with a fresh GitHub OIDC token and a 300s budget',
    );
    expect(post.said.failed).toEqual([]);
  });

  it('whose `revoke-on-exit` is now false, fails without signing in, naming the removal by hand with the instance the adapter reads', async () => {
    const cloud = identityCenter();
    const main = await mainStep(cloud, { 'revoke-on-exit': 'true' });
    const { sources, readInstance } = sourcesOver(cloud);
    // The instance is the adapter's reading of its own state, never the step's.
    const ADAPTERS = 'arn:aws:sso:::instance/ssoins-2222222222222222';
    const post = await postStep(
      main,
      { ...sources, instanceOf: (h) => (readInstance.push(h), ADAPTERS) },
      {
        'revoke-on-exit': 'false',
      },
    );
    expect(cloud.sessions.map((s) => s.step)).toEqual(['main']);
    expect(cloud.assignments.size).toBe(1);
    // The handed-over state goes to the adapter's reader as it was saved.
    expect(readInstance).toEqual([{ instanceArn: INSTANCE }]);
    expect(post.said.failed.join('\n')).toMatch(/`revoke-on-exit` input is now false/);
    expect(post.said.failed.join('\n')).toContain(
      `aws sso-admin delete-account-assignment --instance-arn ${ADAPTERS}`,
    );
  });

  it('whose sign-in fails, fails naming the error, and the grants stay', async () => {
    const cloud = identityCenter();
    const main = await mainStep(cloud, { 'revoke-on-exit': 'true' });
    const post = await postStep(main, {
      ...sourcesOver(cloud).sources,
      open: () => Promise.reject(new Error('AccessDenied: not authorized to assume the role')),
    });
    expect(cloud.assignments.size).toBe(1);
    expect(post.said.failed).toEqual(['revoke-on-exit: AccessDenied: not authorized to assume the role']);
    expect(post.said.summary).toMatch(/^<h3>cloud-access: aws revoke on exit failed<\/h3>\n/);
  });

  it('whose sign-in fails once the session is open (its driver cannot prepare), fails naming the error, signed in as the main step was', async () => {
    const cloud = identityCenter();
    const main = await mainStep(cloud, { 'revoke-on-exit': 'true' });
    const { sources } = sourcesOver(cloud);
    const post = await postStep(main, {
      ...sources,
      open: async (plan, settings, options) => {
        const session = await sources.open(plan, settings, options);
        const prepare = () => Promise.reject(new Error('ExpiredToken: the OIDC token expired'));
        return { ...session, driver: Object.assign(Object.create(session.driver), { prepare }) };
      },
    });
    expect(cloud.assignments.size).toBe(1);
    expect(post.said.failed).toEqual(['revoke-on-exit: ExpiredToken: the OIDC token expired']);
    expect(post.said.summary).toMatch(/^<h3>cloud-access: aws revoke on exit failed<\/h3>\n/);
  });

  it('warns of saved entries it ignores, and still revokes the valid ones', async () => {
    const cloud = identityCenter();
    const main = await mainStep(cloud, { 'revoke-on-exit': 'true' });
    main.saved.set('cloud-access-grant-7', '{"planted":true}');
    const post = await postStep(main, sourcesOver(cloud).sources);
    expect(post.said.warnings.map((w) => w.message).join('\n')).toMatch(
      /^revoke-on-exit: ignored saved state: /,
    );
    expect(cloud.assignments.size).toBe(0);
  });
});

describe('a post step whose sign-in is slow is never a silent wait', () => {
  it('says it is still reading 10 s in and every 15 s after, until its driver is prepared, then revokes', async () => {
    const cloud = identityCenter();
    const main = await mainStep(cloud, { target: '111111111111', 'revoke-on-exit': 'true' });
    await onFakeClock(jest, async () => {
      const slow: PostSources = {
        ...sourcesOver(cloud).sources,
        open: async (_plan, _settings, options) => {
          const session = await cloud.open(options);
          const prepare = session.driver.prepare.bind(session.driver);
          // The post step's token and sign-in, 27 s slow (of the session's 30 s).
          session.driver.prepare = async (asked) => {
            await tick(27_000);
            return prepare(asked);
          };
          return session;
        },
      };
      const post = await settled(postStep(main, slow));
      expect(post.said.log.filter((line) => line.startsWith('still reading'))).toEqual([
        'still reading after 10 s (the post step’s sign-in)',
        'still reading after 25 s (the post step’s sign-in)',
      ]);
      expect(cloud.assignments.size).toBe(0);
      expect(post.said.failed).toEqual([]);
    });
  });
});
