// A relying step on a description full of other runs' markers, against the emulated ARM with the
// real SDK client: it makes room by taking out the markers of runs GitHub says have ended (its
// own write, so the description stays its own identity's), keeps every marker it cannot prove
// ended, and a write of the sweep's made from a read before its own is healed by its read-back.
import { describe, expect, it } from '@jest/globals';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { parseAzureScope } from '../../../src/core/azure-scope.js';
import { AzureRoleAssignmentDriver } from '../../../src/azure/arm/assignments.js';
import { withoutEndedReliers } from '../../../src/azure/sweep/tidy.js';
import type { ReadRuns } from '../../../src/engine/calls/driver.js';
import type { AzureRunMark } from '../../../src/core/run-marks.js';
import { runKeyOf, type RunRef, type RunState } from '../../../src/core/claims/claims.js';
import { emulatedArm, OBJECT_ID, PRINCIPAL, READER, SCOPE } from '../../harness/emulated-arm.js';
import { signedInSession } from '../../harness/arm-driver.js';

const arm = emulatedArm();
const REPO = 'octo-org/octo-repo';
const NAME = '0a1b2c3d-0000-4000-8000-000000000001';
const marker = (run: string, kind: string, attempt = '1', repository = REPO) =>
  `[cloud-access:${repository}:run:${run}:${attempt}:${kind}]`;
const CREATOR = marker('1', 'e');
/** The 36th relier. */
const RELYING: AzureRunMark = { repository: REPO, runId: '136', attempt: '1', ephemeral: true };

function setUp(readRuns: ReadRuns | undefined, httpClient: HttpClient = arm.httpClient) {
  const plan = arm.plan({ principal: PRINCIPAL, target: SCOPE, role: READER, 'revoke-on-exit': 'true' });
  const settings = { ...plan, relianceMark: RELYING };
  const { session } = signedInSession(arm, settings, { armClient: httpClient });
  return { driver: new AzureRoleAssignmentDriver(settings, session, readRuns), grant: plan.grants[0]! };
}

const completed = (latestAttempt = '1'): RunState => ({
  state: 'completed',
  conclusion: 'success',
  latestAttempt,
});
const going = (latestAttempt = '1'): RunState => ({ state: 'going', status: 'in_progress', latestAttempt });

/** GitHub as the step's token reads it: `states` by run ID; any other run is one it cannot read. */
function github(states: Record<string, RunState>) {
  const asked: RunRef[] = [];
  const readRuns: ReadRuns = async (runs) => {
    asked.push(...runs);
    return new Map(
      runs.map((run) => [
        runKeyOf(run),
        states[run.runId] ?? { state: 'unreadable', reason: 'GitHub answered 404' },
      ]),
    );
  };
  return { asked, readRuns };
}

const puts = () => arm.requests().filter((r) => r.startsWith('PUT'));
const assignmentNow = () => arm.az.state.live().find((a) => a.name === NAME);

/**
 * Made by run 1, relied on by runs 101–135, the text filling the rest: no room for another marker.
 * Runs 101–130 ended; 131 still goes; 132 GitHub does not answer for; 133 is another repository's;
 * 134's latest attempt (2) goes though the attempt its marker names ended; 135 ended once and
 * was re-run (its latest attempt, 2, ended too).
 */
function fullDescription() {
  const reliers = Array.from({ length: 35 }, (_, i) => String(101 + i));
  const markers = reliers.map((run) =>
    run === '133' ? marker(run, 'r', '1', 'other-org/app') : marker(run, 'r'),
  );
  const tail = [CREATOR, ...markers].join(' ');
  const text = 'deploy '.padEnd(2048 - 10 - tail.length - 1, 'x');
  const states: Record<string, RunState> = { '131': going(), '134': going('2'), '135': completed('2') };
  for (const run of reliers.slice(0, 30)) states[run] = completed();
  return { text, reliers, description: `${text} ${tail}`, states };
}

describe('a relying step with no room for its marker', () => {
  it('takes out the markers of runs GitHub says have ended, keeps every other, and registers', async () => {
    const { text, description, states } = fullDescription();
    const { asked, readRuns } = github(states);
    const { driver, grant } = setUp(readRuns);
    await driver.prepare();
    arm.add(NAME, READER, SCOPE, { by: OBJECT_ID, description });
    const reliance = await driver.registerReliance(await driver.resolve(grant));
    expect(reliance).toMatchObject({
      kind: 'done',
      note: expect.stringContaining(
        'the markers of 31 run(s) GitHub says have ended were removed to make room',
      ),
    });
    // The creator's marker, the text, and what cannot be proven ended, as they were; then its own.
    const kept = [CREATOR, marker('131', 'r'), marker('132', 'r'), marker('133', 'r', '1', 'other-org/app')];
    expect(assignmentNow()).toMatchObject({
      description: `${text} ${[...kept, marker('134', 'r'), marker('136', 'r')].join(' ')}`,
      createdBy: OBJECT_ID,
      updatedBy: OBJECT_ID,
    });
    expect(puts()).toHaveLength(1);
    // Its own repository's runs only, each once; never another repository's, never its own run.
    expect(asked.map((r) => r.runId).sort()).toEqual(
      Array.from({ length: 35 }, (_, i) => String(101 + i)).filter((r) => r !== '133'),
    );
    expect(asked.every((r) => r.repository === REPO)).toBe(true);
  });

  it('keeps every marker when none can be proven ended, and fails, saying it wrote nothing', async () => {
    const { description, reliers } = fullDescription();
    const { readRuns } = github(Object.fromEntries(reliers.map((run) => [run, going()])));
    const { driver, grant } = setUp(readRuns);
    await driver.prepare();
    arm.add(NAME, READER, SCOPE, { by: OBJECT_ID, description });
    expect(await driver.registerReliance(await driver.resolve(grant))).toMatchObject({
      kind: 'failed',
      failureReason: expect.stringMatching(
        /longer than the 2048 ARM keeps \(the markers of the runs it holds could not all be proven ended.*This step wrote nothing on it/,
      ),
      saysFix: true,
    });
    expect(puts()).toEqual([]);
    expect(assignmentNow()?.description).toBe(description);
  });

  it('asks GitHub nothing while its marker fits', async () => {
    const { asked, readRuns } = github({ '2': completed() });
    const { driver, grant } = setUp(readRuns);
    await driver.prepare();
    arm.add(NAME, READER, SCOPE, { by: OBJECT_ID, description: `deploy ${CREATOR} ${marker('2', 'r')}` });
    expect(await driver.registerReliance(await driver.resolve(grant))).toMatchObject({ kind: 'done' });
    expect(asked).toEqual([]);
    expect(assignmentNow()?.description).toBe(`deploy ${CREATOR} ${marker('2', 'r')} ${marker('136', 'r')}`);
  });

  it('keeps an expiry written past a safe integer as written, character for character', async () => {
    const { text, description, states } = fullDescription();
    // A hand-written marker no step writes (its expiry is no safe integer): proven of nothing, kept.
    const odd = marker('131', 'r99999999999999999999');
    const { readRuns } = github(states);
    const { driver, grant } = setUp(readRuns);
    await driver.prepare();
    arm.add(NAME, READER, SCOPE, {
      by: OBJECT_ID,
      description: description.replace(text, text.slice(20)).replace(marker('131', 'r'), odd),
    });
    expect(await driver.registerReliance(await driver.resolve(grant))).toMatchObject({ kind: 'done' });
    expect(assignmentNow()?.description).toContain(
      `${text.slice(20)} ${CREATOR} ${odd} ${marker('132', 'r')}`,
    );
  });
});

describe('a step that relies on several full grants', () => {
  // The jobs that share one grant of a step share its others too: every description names the
  // same runs. GitHub is asked about each once for the step, not once per grant (the job's token
  // has 1,000 requests an hour, which the sweep reads runs with too).
  it('asks GitHub about each run once, and makes room on each', async () => {
    const { description, states } = fullDescription();
    const { asked, readRuns } = github(states);
    const { driver, grant } = setUp(readRuns);
    await driver.prepare();
    const OTHER_NAME = '0a1b2c3d-0000-4000-8000-000000000002';
    const otherScope = parseAzureScope(`${SCOPE}/providers/Microsoft.Storage/storageAccounts/stapp`);
    if (typeof otherScope === 'string') throw new Error(otherScope);
    arm.add(NAME, READER, SCOPE, { by: OBJECT_ID, description });
    arm.add(OTHER_NAME, READER, otherScope.scope, { by: OBJECT_ID, description });
    const ids = await driver.resolve(grant);
    // At once, as the engine runs a step's grants: the second waits for the first one's reads.
    const both = await Promise.all([
      driver.registerReliance(ids),
      driver.registerReliance({ ...ids, scope: otherScope }),
    ]);
    expect(both).toMatchObject([{ kind: 'done' }, { kind: 'done' }]);
    // And a third grant later in the step asks nothing again.
    expect(await driver.registerReliance(ids)).toBeUndefined();
    for (const name of [NAME, OTHER_NAME])
      expect(arm.az.state.live().find((a) => a.name === name)?.description).toContain(marker('136', 'r'));
    expect(asked).toHaveLength(34);
    expect(new Set(asked.map((r) => r.runId)).size).toBe(34);
  });
});

describe('markers a relier could be led to take out', () => {
  // Each names a run GitHub says has ended, were it read loosely: the repository in another case
  // (another repository to this step), an attempt GitHub has not reached.
  it('keeps each: only its own repository’s runs, by the sweep’s own rule, are proven ended', async () => {
    const { description, states } = fullDescription();
    const otherCase = marker('120', 'r', '1', 'Octo-Org/octo-repo');
    const laterAttempt = marker('121', 'r', '9');
    const { asked, readRuns } = github(states);
    const { driver, grant } = setUp(readRuns);
    await driver.prepare();
    arm.add(NAME, READER, SCOPE, {
      by: OBJECT_ID,
      description: description
        .replace(marker('120', 'r'), otherCase)
        .replace(marker('121', 'r'), laterAttempt),
    });
    expect(await driver.registerReliance(await driver.resolve(grant))).toMatchObject({ kind: 'done' });
    const now = assignmentNow()!.description!;
    expect(now).toContain(` ${otherCase} ${laterAttempt} ${marker('131', 'r')}`);
    expect(now).not.toContain(marker('122', 'r'));
    expect(asked.some((r) => r.runId === '136' || r.repository !== REPO)).toBe(false);
  });
});

describe('a sweep’s write made from a read before the relier’s', () => {
  // ARM takes no ETag: the sweep read the description before this step's marker landed, and its
  // PUT (the ended runs' markers taken out) lands just after this step's, replacing it. The
  // step's read-back does not find its marker, and it writes again.
  it('is healed by the relier’s read-back: its marker is written again on the sweep’s description', async () => {
    const description = `deploy ${CREATOR} ${marker('2', 'r')} ${marker('3', 'r')}`;
    let swept: string | undefined;
    const sweepWritesAfter: HttpClient = {
      sendRequest: async (request) => {
        const sweepRead = assignmentNow()?.description;
        const answer = await arm.httpClient.sendRequest(request);
        if (swept === undefined && request.method === 'PUT' && request.url.includes(NAME)) {
          swept = withoutEndedReliers(sweepRead!, [
            { run: { repository: REPO, runId: '2', attempt: '1' }, ephemeral: true },
          ]).description;
          assignmentNow()!.description = swept;
        }
        return answer;
      },
    };
    const { driver, grant } = setUp(undefined, sweepWritesAfter);
    await driver.prepare();
    arm.add(NAME, READER, SCOPE, { by: OBJECT_ID, description });
    expect(await driver.registerReliance(await driver.resolve(grant))).toMatchObject({ kind: 'done' });
    expect(swept).toBe(`deploy ${CREATOR} ${marker('3', 'r')}`);
    expect(puts()).toHaveLength(2);
    expect(assignmentNow()?.description).toBe(`deploy ${CREATOR} ${marker('3', 'r')} ${marker('136', 'r')}`);
  });
});
