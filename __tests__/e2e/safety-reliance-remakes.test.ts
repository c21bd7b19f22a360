// Shared grants end when the last run that relies on them ends (docs/ephemeral-access.md): a reliance is never a
// claim of creation, so a reliance that itself makes the grant must not leave it for good.
// Through the bundle, as the runner runs it, against the emulator.
import { describe, expect, it } from '@jest/globals';
import {
  awsAssignment,
  awsInputs,
  resultsOf,
  runMain,
  runPost,
  useEmulator,
  warningsBesideSessions,
} from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 1_500 });
const aws = () => emulator().aws;
const REPOSITORY_ID = '123456789';
/** The grant job A makes, and job B relies on. */
const SHARED = '111111111111';
/** A grant only job B asks for, before the shared one: B creates it, and waits for its create. */
const OWN = '222222222222';
const session = (run: string, kind: string) => `cloud-access-${REPOSITORY_ID}-${run}-1${kind}`;
const caller = (run: string, kind: string) => ({
  principalArn: `arn:aws:sts::123456789012:assumed-role/cloud-access/${session(run, kind)}`,
  sessionName: session(run, kind),
});
const setRun = (runId: string) =>
  emulator().github.runs.setRun({
    repository: 'octo-org/octo-repo',
    repositoryId: REPOSITORY_ID,
    runId,
    attempt: '1',
    status: 'completed',
    conclusion: 'success',
  });
const inputsFor = (targets: string) =>
  awsInputs({
    principal: 'alice',
    target: targets,
    role: 'ReadOnlyAccess',
    'revoke-on-exit': 'true',
    'max-concurrency': '1',
  });
const present = (account = SHARED) => aws().hasAssignment(awsAssignment(account));

/**
 * Job A (run 1) makes the shared grant; job B (run 2) reads it in place, and A's post step ends it
 * just before B's reliance (its create under `-r`) is accepted, so that create makes it again.
 * B's `targets` put a grant of its own first, whose create it waits for: the delete then lands
 * well after B began reading, as in a batch; with the shared grant alone, within a second of it.
 */
async function relianceAfterDelete(targets: string, alsoCreatedBy?: 'another party') {
  const a = await runMain(inputsFor(SHARED), { GITHUB_RUN_ID: '1' });
  expect(a.exitCode).toBe(0);
  aws().faults.rivalDeletions = [{ accountId: SHARED, caller: caller('1', '-e') }];
  if (alsoCreatedBy) aws().faults.rivalCreations = [{ accountId: SHARED }];
  const b = await runMain(inputsFor(targets), { GITHUB_RUN_ID: '2' });
  expect(b.exitCode).toBe(0);
  expect(aws().faults.rivalDeletions).toEqual([]);
  expect(present()).toBe(true);
  return b;
}

describe('AWS: a reliance whose duplicate create lands after the grant was deleted', () => {
  // Job B reads the grant job A made as present, then sends its reliance. If A's post step deleted
  // the grant in between, that create makes it again. B saved no create (a reliance is never the
  // step's own), and the sweep never takes a reliance (`-r`) for a creation, so nothing would ever
  // end it. B reads the deletion-status list back to its read: a delete of the grant that surely
  // came after B began reading, and no other create of it that could have made it since, show its
  // reliance made it; it is then B's own create, saved, and B's post step ends it with the usual
  // proof that it is still B's alone.
  it('the reliance that made it again is the step’s own create: its post step ends it, and the sweep finds it gone', async () => {
    const targets = `${OWN}, ${SHARED}`;
    const b = await relianceAfterDelete(targets);
    expect(b.stdout).toContain("after this step read it in place, and this step's reliance (request");
    expect(b.stdout).toContain("made it again: it is this step's own create, and revoke-on-exit revokes it");
    expect(b.stdout).toContain(
      'the post step will revoke the 2 grant(s) this step created; the 0 that existed before stay in place',
    );
    expect(b.warnings).toEqual([]);

    const bPost = await runPost(inputsFor(targets), b.state);
    expect(bPost.exitCode).toBe(0);
    expect(warningsBesideSessions(bPost)).toEqual([]);
    expect(present(OWN)).toBe(false);
    expect(present()).toBe(false);

    setRun('1');
    setRun('2');
    const sweep = await runMain(
      awsInputs({ operation: 'sweep', 'github-token': emulator().github.runs.jobToken }),
      { GITHUB_EVENT_NAME: 'schedule' },
    );
    expect(sweep.exitCode).toBe(0);
    expect(resultsOf(sweep)).toMatchObject([{ kind: 'gone' }, { kind: 'gone' }]);
  }, 60_000);

  // Made again by B's reliance, the grant is B's, but another live run may rely on it since: B's
  // post step leaves it then (a reliance after B's create shows up as another party's create).
  it('its post step leaves it when another run relies on it since', async () => {
    const targets = `${OWN}, ${SHARED}`;
    const b = await relianceAfterDelete(targets);
    expect(b.stdout).toContain("it is this step's own create, and revoke-on-exit revokes it");
    const c = await runMain(inputsFor(SHARED), { GITHUB_RUN_ID: '3' });
    expect(c.exitCode).toBe(0);
    expect(c.stdout).toContain('already in place; reliance registered for the sweep');

    const bPost = await runPost(inputsFor(targets), b.state);
    expect(bPost.exitCode).toBe(0);
    expect(bPost.stdout).toContain('after this step created it, another party created it too');
    expect(present(OWN)).toBe(false);
    expect(present()).toBe(true);
  }, 60_000);

  // Another party's create of it after the delete may be what made it: B cannot show its reliance
  // did, saves nothing of it, and says at warning level that nothing will end it, and what to do.
  it('when another create of it may have made it, the step warns that nothing will end it', async () => {
    const targets = `${OWN}, ${SHARED}`;
    const b = await relianceAfterDelete(targets, 'another party');
    expect(b.stdout).toContain('revoke-on-exit leaves it in place, and the step warns');
    expect(b.warnings).toHaveLength(1);
    expect(b.warnings[0]).toContain(
      'revoke-on-exit: 1 grant this step found in place (alice → 111111111111 / ReadOnlyAccess) may have been made again by its reliance',
    );
    expect(b.warnings[0]).toContain('another create request for the same assignment');
    expect(b.warnings[0]).toContain('nothing will end it automatically');
    expect(b.warnings[0]).toContain('`operation: revoke`');

    const bPost = await runPost(inputsFor(targets), b.state);
    expect(bPost.exitCode).toBe(0);
    expect(present(OWN)).toBe(false);
    expect(present()).toBe(true);
  }, 60_000);

  // A delete stamped within a second of B's read cannot be ordered after every create that ended
  // before it (the stamps' resolution is not documented): B warns rather than take the grant.
  it('when the delete cannot be shown to come after the step began reading, the step warns', async () => {
    const b = await relianceAfterDelete(SHARED);
    expect(b.warnings).toHaveLength(1);
    expect(b.warnings[0]).toContain('may have been made again by its reliance');
    expect(b.warnings[0]).toContain("stamped too close to the step's read");
    expect(b.stdout).toContain('the post step will revoke the 0 grant(s) this step created');

    const bPost = await runPost(inputsFor(SHARED), b.state);
    expect(bPost.exitCode).toBe(0);
    expect(present()).toBe(true);
  }, 60_000);
});
