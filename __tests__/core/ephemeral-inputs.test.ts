// What an ephemeral step's grants carry of the run that made them: the AWS role session name (with
// `-e`, or `-e<expiry>` for `duration`), the Azure description's run marker; and AWS `duration`,
// which makes a step ephemeral as revoke-on-exit does.
import { describe, expect, it } from '@jest/globals';
import {
  parseInputs,
  type AwsConfig,
  type AzureConfig,
  type WorkflowContext,
} from '../../src/core/inputs/index.js';
import { azureRunMarkOf, runMarkOfSessionName } from '../../src/core/run-marks.js';
import { parseSettings } from '../../src/core/state/saved-settings.js';
import { settingsOf } from '../../src/core/state/saved-settings.js';
import { inputProblems, reader } from '../harness/input-problems.js';

const run: WorkflowContext = {
  repository: 'octo-org/octo-repo',
  repositoryId: '123456789',
  runId: '9876543210',
  runAttempt: '2',
};
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const clock = () => NOW;
const aws = {
  cloud: 'aws',
  principal: 'alice',
  target: '111111111111',
  role: 'X',
  'aws-region': 'us-east-1',
};
const SUB = '00000000-0000-0000-0000-000000000001';
const azure = {
  cloud: 'azure',
  principal: '11111111-2222-3333-4444-555555555555',
  target: `/subscriptions/${SUB}`,
  role: 'Reader',
};

const awsConfig = (inputs: Record<string, string>, context: WorkflowContext = run) =>
  parseInputs(reader({ ...aws, ...inputs }), {}, context, clock) as AwsConfig;
const azureConfig = (inputs: Record<string, string>, context: WorkflowContext = run) =>
  parseInputs(reader({ ...azure, ...inputs }), {}, context, clock) as AzureConfig;

const problemsOf = (inputs: Record<string, string>, context: WorkflowContext = run) =>
  inputProblems(inputs, {}, context, clock);

describe('the AWS role session name records the run', () => {
  it('cloud-access-<repository id>-<run id>-<attempt> for a permanent grant', () => {
    const config = awsConfig({});
    expect(config.roleSessionName).toBe('cloud-access-123456789-9876543210-2');
    expect(runMarkOfSessionName(config.roleSessionName)).toMatchObject({ ephemeral: false });
    expect(config.warnings).toBeUndefined();
  });

  it('ends in -e when the grants end with the run (revoke-on-exit)', () => {
    const config = awsConfig({ 'revoke-on-exit': 'true' });
    expect(config.roleSessionName).toBe('cloud-access-123456789-9876543210-2-e');
    expect(runMarkOfSessionName(config.roleSessionName)).toEqual({
      repositoryId: '123456789',
      runId: '9876543210',
      attempt: '2',
      ephemeral: true,
    });
  });

  it('ends in -e<expiry> with `duration`, the expiry counted from when the step runs', () => {
    const expiresAt = NOW / 1000 + 30 * 60;
    expect(awsConfig({ duration: '30m' }).roleSessionName).toBe(
      `cloud-access-123456789-9876543210-2-e${expiresAt}`,
    );
    // With revoke-on-exit too: the same thing.
    expect(awsConfig({ duration: '30m', 'revoke-on-exit': 'true' }).roleSessionName).toBe(
      `cloud-access-123456789-9876543210-2-e${expiresAt}`,
    );
    const later = parseInputs(reader({ ...aws, duration: '30m' }), {}, run, () => NOW + 61_000) as AwsConfig;
    expect(runMarkOfSessionName(later.roleSessionName)?.expiresAt).toBe(expiresAt + 61);
  });

  it('keeps the old default when the repository ID, run ID or attempt is not known', () => {
    expect(awsConfig({ 'revoke-on-exit': 'true' }, { ...run, repositoryId: undefined }).roleSessionName).toBe(
      'cloud-access-9876543210-2',
    );
    expect(awsConfig({}, { repositoryId: '123456789', runAttempt: '1' }).roleSessionName).toBe(
      'cloud-access-local-1',
    );
    expect(awsConfig({}, { ...run, runAttempt: undefined }).roleSessionName).toBe(
      'cloud-access-9876543210-1',
    );
  });

  it('warns an ephemeral step that sets its own name: a sweep leaves its grants out', () => {
    const config = awsConfig({ 'revoke-on-exit': 'true', 'role-session-name': 'deploy' });
    expect(config.roleSessionName).toBe('deploy');
    expect(config.warnings).toEqual([
      expect.stringMatching(
        /^`role-session-name` is set, so this step's grants are left out of every `operation: sweep`: only the default session name records the run .* Leave `role-session-name` unset$/,
      ),
    ]);
    expect(awsConfig({ duration: '1h', 'role-session-name': 'deploy' }).warnings?.[0]).toContain(
      'or outlives their `duration`',
    );
    // A permanent grant is no sweep's: nothing to say.
    expect(awsConfig({ 'role-session-name': 'deploy' }).warnings).toBeUndefined();
  });
});

describe('the second sign-in of a step that relies on grants found in place', () => {
  const signedIn = { 'role-to-assume': 'arn:aws:iam::123456789012:role/cloud-access' };

  it('ends in -r (or -r<expiry> with `duration`) where the first ends in -e', () => {
    const config = awsConfig({ ...signedIn, 'revoke-on-exit': 'true' });
    expect(config.relianceSessionName).toBe('cloud-access-123456789-9876543210-2-r');
    expect(runMarkOfSessionName(config.relianceSessionName!)).toEqual({
      repositoryId: '123456789',
      runId: '9876543210',
      attempt: '2',
      ephemeral: true,
      relies: true,
    });
    const expiresAt = NOW / 1000 + 30 * 60;
    expect(awsConfig({ ...signedIn, duration: '30m' }).relianceSessionName).toBe(
      `cloud-access-123456789-9876543210-2-r${expiresAt}`,
    );
  });

  it('is none for a permanent grant, a user-set name, ambient credentials or a run not fully known', () => {
    expect(awsConfig(signedIn).relianceSessionName).toBeUndefined();
    expect(
      awsConfig({ ...signedIn, 'revoke-on-exit': 'true', 'role-session-name': 'deploy' }).relianceSessionName,
    ).toBeUndefined();
    expect(awsConfig({ 'revoke-on-exit': 'true' }).relianceSessionName).toBeUndefined();
    expect(
      awsConfig({ ...signedIn, 'revoke-on-exit': 'true' }, { ...run, repositoryId: undefined })
        .relianceSessionName,
    ).toBeUndefined();
  });

  it('a user-set name is warned of: grants found in place get no reliance either', () => {
    const config = awsConfig({ ...signedIn, 'revoke-on-exit': 'true', 'role-session-name': 'deploy' });
    expect(config.warnings?.[0]).toContain(
      'a grant it finds already in place gets no reliance registered, so a sweep may end it while this job runs',
    );
  });
});

describe('AWS `duration`', () => {
  it('makes the step ephemeral: revoked by the post step, and its expiry saved for it', () => {
    const config = awsConfig({ duration: 'PT30M' });
    expect(config.revokeOnExit).toBe(true);
    expect(config.timeBound).toEqual({
      duration: { iso: 'PT30M', ms: 30 * 60_000 },
      expiresAt: NOW / 1000 + 1800,
    });
    const settings = settingsOf(config);
    expect(settings).toMatchObject({ cloud: 'aws', duration: 'PT30M', expiresAt: NOW / 1000 + 1800 });
    expect(parseSettings(JSON.parse(JSON.stringify(settings)))).toMatchObject({ settings });
    expect(awsConfig({}).timeBound).toBeUndefined();
    expect(settingsOf(awsConfig({}))).not.toHaveProperty('duration');
  });

  it('in a dry run plans the expiry and creates nothing to revoke', () => {
    const config = awsConfig({ duration: '2h', 'dry-run': 'true' });
    expect(config.revokeOnExit).toBe(false);
    expect(config.timeBound?.expiresAt).toBe(NOW / 1000 + 7200);
    expect(config.roleSessionName).toBe('cloud-access-123456789-9876543210-2');
  });

  it('is 5 minutes to 35 days, the longest a GitHub run lasts (a longer one would leave the sweep’s `lookback` before it expires)', () => {
    expect(problemsOf({ ...aws, duration: '5m' })).toEqual([]);
    expect(problemsOf({ ...aws, duration: 'P35D' })).toEqual([]);
    expect(problemsOf({ ...aws, duration: '4m' })).toEqual([
      'input `duration`: `4m` is shorter than 5 minutes: use `PT5M` or more',
    ]);
    expect(problemsOf({ ...aws, duration: '36d' })).toEqual([
      expect.stringMatching(/^input `duration`: `36d` is longer than 35 days: .*: use `P35D` or less/),
    ]);
    expect(problemsOf({ ...aws, duration: 'soon' })).toEqual([
      expect.stringMatching(/^input `duration`: `soon` is neither an ISO 8601 duration/),
    ]);
  });

  it.each(['revoke', 'provision', 'reconcile'])('applies to assign only, not %s', (operation) => {
    const inputs: Record<string, string> =
      operation === 'reconcile'
        ? { cloud: 'aws', 'aws-region': 'us-east-1', operation, manifest: 'm.yml', duration: '1h' }
        : operation === 'provision'
          ? { ...aws, principal: '', operation, duration: '1h' }
          : { ...aws, operation, duration: '1h' };
    expect(problemsOf(inputs)).toEqual([
      `input \`duration\`: applies to \`operation: assign\` only, not \`${operation}\`: it is how long the grants the step creates last: remove \`duration\``,
    ]);
  });

  it('a saved duration or expiry that the inputs would refuse voids the saved settings', () => {
    const settings = settingsOf(awsConfig({ duration: '1h' }));
    for (const bad of [
      { duration: 'P91D' },
      { duration: 'soon' },
      { expiresAt: '1790000000' },
      { expiresAt: 1.5 },
      { expiresAt: undefined },
      { duration: undefined },
    ])
      expect(parseSettings({ ...settings, ...bad })).toEqual(expect.stringMatching(/^(duration|expiry)$/));
  });
});

describe('the Azure run marker', () => {
  it('is appended to the description of a revoke-on-exit assignment, and reads back as the run', () => {
    const config = azureConfig({ 'revoke-on-exit': 'true', description: 'deploy' });
    expect(config.description).toBe('deploy [cloud-access:octo-org/octo-repo:run:9876543210:2:e]');
    expect(azureRunMarkOf(config.description)).toEqual({
      repository: 'octo-org/octo-repo',
      runId: '9876543210',
      attempt: '2',
      ephemeral: true,
    });
    // After the default description too.
    expect(azureConfig({ 'revoke-on-exit': 'true' }).description).toMatch(
      /^Granted by cloud-access for octo-org\/octo-repo run 9876543210 attempt 2 \[cloud-access:octo-org\/octo-repo:run:9876543210:2:e\]$/,
    );
  });

  it('is not written on a permanent assignment, a PIM one (Azure ends it), or without a known run', () => {
    expect(azureConfig({ description: 'deploy' }).description).toBe('deploy');
    expect(azureConfig({ 'revoke-on-exit': 'true', duration: '1h', description: 'd' }).description).toBe('d');
    expect(
      azureConfig({ 'revoke-on-exit': 'true', description: 'd' }, { ...run, runAttempt: undefined })
        .description,
    ).toBe('d');
    expect(azureConfig({ 'revoke-on-exit': 'true', description: 'd' }, {}).description).toBe('d');
  });

  it('is the run a revoke-on-exit step registers its reliance with, on an assignment another run made', () => {
    expect(azureConfig({ 'revoke-on-exit': 'true' }).relianceMark).toEqual({
      repository: 'octo-org/octo-repo',
      runId: '9876543210',
      attempt: '2',
      ephemeral: true,
    });
    expect(azureConfig({}).relianceMark).toBeUndefined();
    expect(azureConfig({ 'revoke-on-exit': 'true', duration: '1h' }).relianceMark).toBeUndefined();
    expect(azureConfig({ 'revoke-on-exit': 'true' }, {}).relianceMark).toBeUndefined();
  });

  it('takes `github-token` for the room a relying step makes, only on a step that may rely', () => {
    expect(azureConfig({ 'revoke-on-exit': 'true', 'github-token': 'ghs_x' }).relianceRunsToken).toBe(
      'ghs_x',
    );
    expect(azureConfig({ 'revoke-on-exit': 'true' }).relianceRunsToken).toBeUndefined();
    expect(azureConfig({ 'github-token': 'ghs_x' }).relianceRunsToken).toBeUndefined();
    expect(
      azureConfig({ 'revoke-on-exit': 'true', duration: '1h', 'github-token': 'ghs_x' }).relianceRunsToken,
    ).toBeUndefined();
    expect(problemsOf({ ...azure, 'revoke-on-exit': 'true', 'github-token': 'ghs_x\nInjected: 1' })).toEqual([
      expect.stringContaining('github-token'),
    ]);
  });

  it('keeps the description within the 2048 characters ARM keeps, and says how much room is left', () => {
    const marker = ' [cloud-access:octo-org/octo-repo:run:9876543210:2:e]';
    expect(
      azureConfig({ 'revoke-on-exit': 'true', description: 'x'.repeat(2048 - marker.length) }).description,
    ).toHaveLength(2048);
    expect(
      problemsOf({ ...azure, 'revoke-on-exit': 'true', description: 'x'.repeat(2049 - marker.length) }),
    ).toEqual([
      `input \`description\`: is ${2049 - marker.length} characters, and with the run marker revoke-on-exit appends (${marker.length} characters) longer than the 2048 ARM keeps: shorten it to at most ${2048 - marker.length} characters`,
    ]);
    expect(problemsOf({ ...azure, description: 'x'.repeat(2049) })).toEqual([
      'input `description`: is longer than 2048 characters',
    ]);
  });
});
