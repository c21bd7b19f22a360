// The names the two newer features print, inert end to end: OU and account names Organizations
// answers (in the expansion's log lines, a left-out account, the summary), and display names
// Microsoft Graph answers or a `principal` input carries (the resolution's log line, "did you
// mean", an ambiguity's list, the summary). None can start a workflow command in either form the
// runner reads, or add HTML to the summary.
import { describe, expect, it } from '@jest/globals';
import type { StepRun } from '../../harness/action-runner.js';
import { legacyCommandNames, runnerCommand } from '../harness/secret-scan.js';
import {
  awsInputs,
  azureInputs,
  forgedCommands,
  READER,
  runMain,
  subscription,
  useEmulator,
} from './fixture.js';

const HOSTILE =
  'x\n::warning::pwned\n::add-mask::secret\n::set-output name=status::SUCCEEDED\n::stop-commands::t0k3n\r::error::cr <img src=x onerror=alert(1)> ##[add-mask]secret ##[warning]pwned ##[stop-commands]t0k3n';
/** One line (an input's list splits at newlines and commas), still carrying both command forms and HTML. */
const HOSTILE_LINE = '::warning::pwned <img src=x onerror=alert(1)> ##[stop-commands]t0k3n ##[warning]pwned';

const emulator = useEmulator({ awsWriteDelayMs: 50 });

function expectInert(step: StepRun): void {
  expect({
    forgedCommands: forgedCommands(step),
    commandsInOutputs: Object.entries(step.outputs).filter(
      ([, value]) => runnerCommand(value) || legacyCommandNames(value).length > 0,
    ),
    legacyCommandsInSummary: legacyCommandNames(step.summary),
    rawHtmlInSummary: /<img/i.test(step.summary),
  }).toEqual({
    forgedCommands: [],
    commandsInOutputs: [],
    legacyCommandsInSummary: [],
    rawHtmlInSummary: false,
  });
}

describe('Organizations names', () => {
  it('an OU and accounts with hostile names, granted and left out, by OU ID', async () => {
    const org = emulator().aws.organization;
    org.seed({
      units: {
        Workloads: {
          accounts: [
            { id: '111111111111', name: HOSTILE },
            { id: '444444444444', name: HOSTILE, status: 'SUSPENDED' },
          ],
        },
      },
    });
    const ou = org.ouId('Root/Workloads');
    org.units.get(ou)!.name = HOSTILE;
    const step = await runMain(awsInputs({ principal: 'alice', role: 'ReadOnlyAccess', target: ou }));
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toContain('left out (not ACTIVE): 444444444444');
    expectInert(step);
  });

  it('a hostile OU name suggested for a path that missed', async () => {
    const org = emulator().aws.organization;
    org.units.get(org.ouId('Root/Workloads'))!.name = `Work${HOSTILE}`;
    const step = await runMain(
      awsInputs({ principal: 'alice', role: 'ReadOnlyAccess', target: 'Root/Work' }),
    );
    expect(step.exitCode).not.toBe(0);
    expectInert(step);
  });
});

describe('Graph display names and names as written', () => {
  it('a service principal whose display name is hostile, resolved by its app ID and granted', async () => {
    const { servicePrincipal } = emulator().azure!.addApplication({ displayName: HOSTILE });
    const step = await runMain(
      azureInputs({ principal: `sp:${servicePrincipal.appId}`, role: READER, target: subscription() }),
    );
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toContain(`sp:${servicePrincipal.appId} → ${servicePrincipal.id}`);
    expectInert(step);
  });

  it('a group name written with commands and HTML, granted, then ambiguous', async () => {
    emulator().azure!.addGroup({ displayName: HOSTILE_LINE });
    const inputs = azureInputs({ principal: `group:${HOSTILE_LINE}`, role: READER, target: subscription() });
    const granted = await runMain(inputs);
    expect(granted.exitCode).toBe(0);
    expectInert(granted);
    emulator().azure!.addGroup({ displayName: HOSTILE_LINE });
    const ambiguous = await runMain(inputs);
    expect(ambiguous.exitCode).not.toBe(0);
    expectInert(ambiguous);
  });

  it('hostile names offered as "did you mean" for a name that matched nothing', async () => {
    emulator().azure!.addGroup({ displayName: `ops${HOSTILE}` });
    const step = await runMain(
      azureInputs({ principal: 'group:opsx', role: READER, target: subscription() }),
    );
    expect(step.exitCode).not.toBe(0);
    expect(step.stdout).toContain('did you mean');
    expectInert(step);
  });
});
