// The example workflows as a requester who is not to be trusted uses them: examples/ is copied into
// production unchanged, so what a `workflow_dispatch` input carries must stay text, and a request
// must not come out as more access than it asks for (examples/workflows/just-in-time.yml).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { seedExamples } from '../../emulator/examples-seed.js';
import { runnerCommand, type RunnerCommand } from '../harness/secret-scan.js';
import { playExample } from './example-player.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'workflows');

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, awsWriteDelayMs: 20 });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  seedExamples(emulator);
});

const alicesAdministratorAccess = () =>
  emulator.aws.hasAssignment({
    accountId: '111111111111',
    permissionSetArn: emulator.aws.permissionSetArn('AdministratorAccess'),
    principalType: 'USER',
    principalId: emulator.aws.userId('alice'),
  });

/**
 * The commands the runner obeys in a step's log, as it reads it: every line, but none between a
 * `stop-commands` and the line that resumes them (`::<its token>::`).
 */
function obeyed(log: string): RunnerCommand[] {
  const commands: RunnerCommand[] = [];
  let stoppedUntil: string | undefined;
  for (const line of log.split(/\r?\n/)) {
    if (stoppedUntil !== undefined) {
      if (line.trim() === `::${stoppedUntil}::`) stoppedUntil = undefined;
      continue;
    }
    const command = runnerCommand(line);
    if (command?.name === 'stop-commands') stoppedUntil = command.data;
    else if (command) commands.push(command);
  }
  return commands;
}

/** alice asks for access through just-in-time.yml; `startedBy`: who started the run, when not she. */
const requestAccess = (inputs: Record<string, string>, startedBy?: string) =>
  playExample(emulator, 'just-in-time.yml', {
    event: 'workflow_dispatch',
    actor: 'alice',
    ...(startedBy !== undefined ? { triggeringActor: startedBy } : {}),
    inputs,
  });

/** The request failed at its first step, saying `why`, and nothing was granted or written. */
function refusedBeforeAnyGrant(play: Awaited<ReturnType<typeof requestAccess>>, why: string): void {
  expect(play.conclusion).toBe('failure');
  expect(play.step('Record the request').log).toContain(why);
  expect(alicesAdministratorAccess()).toBe(false);
  expect(emulator.requests.filter((r) => r.write)).toEqual([]);
}

describe('just-in-time.yml, asked by a requester', () => {
  it('a reason that holds workflow commands on lines of their own is recorded as text: the runner obeys none of them', async () => {
    const reason =
      'incident 42\n::error title=Approved::security approved this\n##[add-mask]alice\n::stop-commands::x';
    const play = await requestAccess({ reason, duration: '30m' });
    const record = play.step('Record the request');
    expect(record.conclusion).toBe('success');
    expect(record.log).toContain('::error title=Approved::security approved this');
    expect(obeyed(record.log)).toEqual([]);
  }, 60_000);

  it('an empty duration, which would be a permanent grant, is refused before anything is granted', async () => {
    const play = await requestAccess({ reason: 'incident 42', duration: '' });
    refusedBeforeAnyGrant(play, 'A duration is required');
    expect(play.steps.filter((s) => s.stage === 'main')[1]!.outcome).toBe('skipped');
  }, 60_000);

  it('a duration of only white space, which the action reads as none (a grant that stays), is refused before anything is granted', async () => {
    const play = await requestAccess({ reason: 'incident 42', duration: ' \t' });
    refusedBeforeAnyGrant(play, 'A duration is required');
    expect(play.steps.filter((s) => s.stage === 'main')[1]!.outcome).toBe('skipped');
  }, 60_000);

  it('on a runner that does not say who started the run (no GITHUB_TRIGGERING_ACTOR), a request is refused, naming the variable', async () => {
    const play = await requestAccess({ reason: 'incident 42', duration: '30m' }, '');
    refusedBeforeAnyGrant(
      play,
      'GITHUB_TRIGGERING_ACTOR is not set: this runner cannot tell a re-run from a request',
    );
  }, 60_000);

  it("a re-run started by someone else is refused: it would grant the requester again on another's say", async () => {
    const play = await requestAccess({ reason: 'incident 42', duration: '30m' }, 'mallory');
    refusedBeforeAnyGrant(play, 'Only alice may re-run their own request');
  }, 60_000);

  it('the job holds the grant for the duration asked, not a fixed hour', async () => {
    const play = await requestAccess({ reason: 'incident 42', duration: '30m' });
    const hold = play.steps.filter((s) => s.stage === 'main')[2]!;
    const seconds = Number(/sleep (\d+)/.exec(hold.log)?.[1]);
    expect(seconds).toBeGreaterThan(29 * 60);
    expect(seconds).toBeLessThanOrEqual(30 * 60);
    expect(alicesAdministratorAccess()).toBe(false); // the post step revoked it
  }, 60_000);
});

describe('the reconcile workflows, set up as their comments say', () => {
  // What the job's OIDC token says it is (its `sub`), which the role's trust policy or the app's
  // federated credential must name: the environment's, a pull request's, or the branch's.
  const subjectOf = (text: string): string => {
    const environment = /^\s+environment:\s*(\S+)/m.exec(text)?.[1];
    if (environment) return `repo:octo-org/octo-repo:environment:${environment}`;
    if (/^\s+pull_request:/m.test(text)) return 'repo:octo-org/octo-repo:pull_request';
    return 'repo:octo-org/octo-repo:ref:refs/heads/main';
  };

  it.each(['reconcile-plan.yml', 'reconcile-apply.yml', 'reconcile-drift.yml'])(
    '%s names, beside the role it assumes, the subject its token carries',
    (file) => {
      const text = readFileSync(join(EXAMPLES, file), 'utf8');
      const lines = text.split('\n');
      const at = lines.findIndex((l) => l.includes('role-to-assume:'));
      const comment = lines
        .slice(0, at)
        .reverse()
        .filter((_, i, above) => above.slice(0, i + 1).every((l) => l.trim().startsWith('#')))
        .reverse()
        .join(' ');
      expect(comment).toContain(subjectOf(text));
    },
  );
});
