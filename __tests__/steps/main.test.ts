// The assign and revoke steps and their post step without a bundle: the main step as the runner
// runs it (steps/main.ts, its inputs read through the runner), over an in-memory IAM Identity
// Center behind the GrantDriver interface, then the post step (operations/revoke-on-exit/index.ts) given the state the
// main step saved. What users rely on: a grant is made and reported; revoke-on-exit revokes exactly
// what the step created, never what was there before; a cancelled job still leaves its post step
// what it created; a post step that may not act fails and says how to remove what is left.
import { describe, expect, it } from '@jest/globals';
import { runMainStep } from '../../src/steps/main.js';
import { runPostStep } from '../../src/steps/post.js';
import {
  ALICE_IN,
  identityCenter,
  INSTANCE,
  inputs,
  READ_ONLY,
  requestIdOf,
  USERS,
} from './identity-center.js';
import { recordedRunner, type RecordedRunner } from './recorded-runner.js';

async function main(cloud: ReturnType<typeof identityCenter>, more: Record<string, string> = {}) {
  const step = recordedRunner({ inputs: inputs(more), env: { GITHUB_EVENT_NAME: 'push' } });
  await runMainStep(step.runner, cloud.mainSessions);
  return step;
}

/** The post step as the runner runs it at the end of the job: the main step's state, its own inputs. */
async function post(
  cloud: ReturnType<typeof identityCenter>,
  after: RecordedRunner,
  more: Record<string, string> = {},
) {
  const step = recordedRunner({ inputs: inputs(more), saved: new Map(after.saved) });
  await runPostStep(step.runner, cloud.openPost);
  return step;
}

const messages = (list: { message: string }[]) => list.map((w) => w.message).join('\n');

describe('operation: assign, as the main step runs it', () => {
  it('creates the grant and reports it in the outputs, the log and the summary', async () => {
    const cloud = identityCenter();
    const step = await main(cloud);
    expect(cloud.writes).toEqual([`create ${ALICE_IN('111111111111')}`]);
    expect(step.said.failed).toEqual([]);
    expect(step.outputs).toMatchObject({
      status: 'SUCCEEDED',
      changed: 'true',
      'request-id': requestIdOf(1),
    });
    expect(step.said.groups.map((g) => g.title).join('\n')).toMatch(/111111111111.*SUCCEEDED/);
    expect(step.said.summary).toContain('cloud-access: aws assign');
  });

  it('finds a grant already in place and changes nothing', async () => {
    const cloud = identityCenter([ALICE_IN('111111111111')]);
    const step = await main(cloud);
    expect(cloud.writes).toEqual([]);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'false' });
  });

  it('a dry run writes nothing and says what it would create', async () => {
    const cloud = identityCenter();
    const step = await main(cloud, { 'dry-run': 'true' });
    expect(cloud.writes).toEqual([]);
    expect(step.said.groups.map((g) => g.title).join('\n')).toMatch(/would create/);
    expect(step.said.failed).toEqual([]);
  });

  it('operation: revoke removes the grant', async () => {
    const cloud = identityCenter([ALICE_IN('111111111111')]);
    const step = await main(cloud, { operation: 'revoke' });
    expect(cloud.writes).toEqual([`delete ${ALICE_IN('111111111111')}`]);
    expect(cloud.assignments.size).toBe(0);
    expect(step.outputs.status).toBe('SUCCEEDED');
  });

  it('rejects invalid inputs before any session is opened, naming each, with every output set', async () => {
    const cloud = identityCenter();
    const step = await main(cloud, { target: 'not-an-account', 'max-concurrency': '0' });
    expect(cloud.sessions).toEqual([]);
    expect(step.said.errors).toHaveLength(2);
    expect(messages(step.said.errors)).toMatch(/target/);
    expect(messages(step.said.errors)).toMatch(/max-concurrency/);
    expect(step.said.failed).toEqual(['2 invalid inputs; nothing was requested from the cloud']);
    expect(step.outputs).toMatchObject({ status: 'FAILED', results: '[]' });
    expect(step.said.summary).toMatch(/^<h3>cloud-access: aws assign: invalid input<\/h3>\n/);
    // The header was claimed before the inputs were read: a planted one is never the post step's.
    expect(JSON.parse(step.saved.get('cloud-access')!)).toMatchObject({ count: 0 });
  });

  it('a sign-in that fails stops the step before its first grant, saying nothing was granted', async () => {
    const cloud = identityCenter();
    cloud.mainSessions.grants = () =>
      Promise.reject(new Error('AccessDenied: not authorized to assume the role'));
    const step = await main(cloud);
    expect(messages(step.said.errors)).toMatch(/AccessDenied/);
    expect(step.said.failed).toEqual([
      'the step failed before its first grant; nothing was granted or revoked',
    ]);
    expect(step.outputs.status).toBe('FAILED');
    // The summary says which step failed, whom it signed in as, and the error.
    expect(step.said.summary).toMatch(
      /^<h3>cloud-access: aws assign failed<\/h3>\n<p>signs in to AWS Region [^<]*<\/p>\n.*AccessDenied: not authorized/s,
    );
  });
});

describe('revoke-on-exit, main step then post step', () => {
  it('revokes what the main step created and leaves what existed before', async () => {
    const cloud = identityCenter([ALICE_IN('111111111111')]);
    const granted = await main(cloud, { target: '111111111111, 222222222222', 'revoke-on-exit': 'true' });
    expect(granted.said.groups.map((g) => g.lines.join('\n')).join('\n')).toContain(
      'revoke-on-exit leaves it in place: it existed before this step',
    );
    const revoked = await post(cloud, granted, {
      target: '111111111111, 222222222222',
      'revoke-on-exit': 'true',
    });
    expect(cloud.writes).toEqual([
      `create ${ALICE_IN('222222222222')}`,
      `delete ${ALICE_IN('222222222222')}`,
    ]);
    expect([...cloud.assignments]).toEqual([ALICE_IN('111111111111')]);
    expect(revoked.said.notices).toEqual([
      'revoke-on-exit: 1 revoked, 0 already absent, 0 failed, 1 left in place (1 existed before the main step)',
    ]);
    expect(revoked.said.failed).toEqual([]);
    // Its summary: the run's header, each row with the principal's kind as the main step wrote it.
    expect(revoked.said.summary).toMatch(
      /^<h3>cloud-access: aws revoke on exit<\/h3>\n<p>.*signs in to AWS Region /,
    );
    expect(revoked.said.summary).toContain('<tr><td>user alice</td>');
    // The post step signs in where the main step did: the instance it discovered, its own creates.
    expect(cloud.sessions).toEqual([
      { step: 'main' },
      { step: 'post', saved: { instanceArn: INSTANCE }, ownCreates: [requestIdOf(1)] },
    ]);
  });

  it('a job cancelled mid-batch still leaves the post step what was created', async () => {
    const cloud = identityCenter();
    const step = recordedRunner({
      inputs: inputs({ target: '111111111111', 'revoke-on-exit': 'true' }),
      env: { GITHUB_EVENT_NAME: 'push' },
    });
    cloud.whileCreating(() => step.cancel('SIGTERM'));
    await runMainStep(step.runner, cloud.mainSessions);
    expect(messages(step.said.warnings)).toMatch(
      /received SIGTERM: stopping; the post step will revoke what this step created \(1 grant\(s\) created or in flight\)/,
    );
    // The step ended there: the create's answer never reached the state, only that it was sent.
    const saved = JSON.parse(step.saved.get('cloud-access-grant-0')!) as { ownership: string };
    expect(saved.ownership).toBe('unknown');
    const revoked = await post(cloud, step, { 'revoke-on-exit': 'true' });
    expect(cloud.assignments.size).toBe(0);
    expect(revoked.said.failed).toEqual([]);
  });

  it("a job cancelled mid-batch aborts the session's requests: the signal the step signed in with", async () => {
    const cloud = identityCenter();
    const step = recordedRunner({
      inputs: inputs({ target: '111111111111', 'revoke-on-exit': 'true' }),
      env: { GITHUB_EVENT_NAME: 'push' },
    });
    const signals: AbortSignal[] = [];
    const sessions = {
      ...cloud.mainSessions,
      grants: (config: Parameters<typeof cloud.mainSessions.grants>[0], signal: AbortSignal) => {
        signals.push(signal);
        return cloud.mainSessions.grants(config, signal);
      },
    };
    cloud.whileCreating(() => {
      expect(signals.map((s) => s.aborted)).toEqual([false]);
      step.cancel('SIGTERM');
    });
    await runMainStep(step.runner, sessions);
    expect(signals.map((s) => s.aborted)).toEqual([true]);
  });

  it('a post step whose `revoke-on-exit` is now false fails, naming what is left and how to remove it', async () => {
    const cloud = identityCenter();
    const granted = await main(cloud, { 'revoke-on-exit': 'true' });
    const revoked = await post(cloud, granted, { 'revoke-on-exit': 'false' });
    expect(cloud.assignments.size).toBe(1);
    expect(cloud.sessions.map((s) => s.step)).toEqual(['main']);
    expect(revoked.said.failed.join('\n')).toMatch(/`revoke-on-exit` input is now false/);
    // A failed post step still writes its summary, under the run's header.
    expect(revoked.said.summary).toMatch(
      /^<h3>cloud-access: aws revoke on exit failed<\/h3>\n<p>.*<\/p>\n<p>revoke-on-exit: .*<code>revoke-on-exit<\/code> input is now false/,
    );
    expect(revoked.said.failed.join('\n')).toContain(
      `aws sso-admin delete-account-assignment --instance-arn ${INSTANCE} --target-type AWS_ACCOUNT --target-id 111111111111 --permission-set-arn ${READ_ONLY} --principal-type USER --principal-id ${USERS.alice}`,
    );
  });

  it('a post step whose saved header is not valid fails and revokes nothing', async () => {
    const cloud = identityCenter();
    const granted = await main(cloud, { 'revoke-on-exit': 'true' });
    granted.saved.set('cloud-access', '{"version":3,"nonce":"planted"}');
    const revoked = await post(cloud, granted, { 'revoke-on-exit': 'true' });
    expect(cloud.sessions.map((s) => s.step)).toEqual(['main']);
    expect(revoked.said.failed.join('\n')).toMatch(
      /revoke-on-exit: the saved state header has no valid nonce; nothing was revoked/,
    );
    // The cloud is not known without a valid header: the title says the step only.
    expect(revoked.said.summary).toMatch(/^<h3>cloud-access: revoke on exit failed<\/h3>\n/);
  });

  it('a main step without revoke-on-exit leaves its post step nothing to do', async () => {
    const cloud = identityCenter();
    const granted = await main(cloud);
    const revoked = await post(cloud, granted);
    expect(cloud.assignments.size).toBe(1);
    expect(revoked.said.failed).toEqual([]);
    expect(revoked.said.log.join('\n')).toMatch(/nothing to revoke/);
  });
});

describe('revoke-on-exit and a grant found already in place: the run relies on it', () => {
  const both = { target: '111111111111, 222222222222', 'revoke-on-exit': 'true' };

  it('registers its reliance, says so, saves nothing of it, and its post step revokes only its own create', async () => {
    const cloud = identityCenter([ALICE_IN('111111111111')]);
    cloud.answerReliances({ kind: 'done', changed: false, requestId: requestIdOf(99) });
    const granted = await main(cloud, both);
    expect(cloud.writes).toEqual([`rely ${ALICE_IN('111111111111')}`, `create ${ALICE_IN('222222222222')}`]);
    const relied = granted.said.groups.find((g) => g.title.includes('111111111111'))!;
    expect(relied.lines).toContain(
      `already in place; reliance registered for the sweep (request ${requestIdOf(99)}): revoke-on-exit leaves it in place, and a sweep waits for this run too`,
    );
    expect(granted.said.summary).toContain('reliance registered for the sweep');
    // The reliance is what the run that made the grant sees: no notice that it may remove it.
    expect(granted.said.notices).toEqual([]);
    expect(granted.said.warnings).toEqual([]);
    expect(granted.saved.has('cloud-access-grant-0')).toBe(false);

    const revoked = await post(cloud, granted, both);
    expect(cloud.writes.slice(2)).toEqual([`delete ${ALICE_IN('222222222222')}`]);
    expect([...cloud.assignments]).toEqual([ALICE_IN('111111111111')]);
    expect(revoked.said.notices).toEqual([
      'revoke-on-exit: 1 revoked, 0 already absent, 0 failed, 1 left in place (1 existed before the main step)',
    ]);
  });

  it('a reliance the service FAILED: the step fails, naming the grant, why, that it made nothing, and what to do', async () => {
    const cloud = identityCenter([ALICE_IN('111111111111')]);
    cloud.answerReliances({ kind: 'failed', requestId: requestIdOf(99), failureReason: 'throttled' });
    const granted = await main(cloud, { 'revoke-on-exit': 'true' });
    expect(granted.outputs.status).toBe('FAILED');
    const failed = [...granted.said.failed, messages(granted.said.errors)].join('\n');
    expect(failed).toMatch(/alice/);
    expect(failed).toMatch(
      /its reliance is not registered: throttled; this step's reliance made nothing, and the grant stays as it was, so a sweep, or the post step of the run that made it, may end it while this job runs\. .*`concurrency:`/,
    );
    // Said once, as the failure: not also as a warning of a grant that stays.
    expect(messages(granted.said.warnings)).not.toMatch(/could not register its reliance/);
  });

  it('a step whose grants stay (no revoke-on-exit) relies on nothing', async () => {
    const cloud = identityCenter([ALICE_IN('111111111111')]);
    cloud.answerReliances({ kind: 'done', changed: false, requestId: requestIdOf(99) });
    const step = await main(cloud);
    expect(cloud.writes).toEqual([]);
    expect(step.said.groups[0]!.lines.join('\n')).not.toMatch(/reliance/);
  });
});
