// Where and as whom the main step signed in, saved for its post step: written, checked back and
// handed to the post step's adapter from one table per cloud. The text on disk is what earlier
// main steps wrote, so a post step loads the state of a main step of the version before.
import { describe, expect, it } from '@jest/globals';
import { parseInputs } from '../../../src/core/inputs/index.js';
import { parseSettings, settingsOf, type SavedSettings } from '../../../src/core/state/saved-settings.js';

const NOW = 1_790_000_000_000;
const configOf = (inputs: Record<string, string>, run: Record<string, string> = {}) =>
  parseInputs(
    (name) => inputs[name] ?? '',
    {},
    { runId: '42', runAttempt: '1', ...run },
    () => NOW,
  );

const aws = configOf({
  cloud: 'aws',
  'aws-region': 'eu-west-1',
  'role-to-assume': 'arn:aws:iam::123456789012:role/deploy',
  principal: 'alice',
  target: '111111111111',
  role: 'ReadOnlyAccess',
  duration: '1h',
});
const azure = configOf({
  cloud: 'azure',
  'client-id': '22222222-3333-4444-5555-666666666666',
  'tenant-id': '33333333-4444-5555-6666-777777777777',
  principal: '11111111-1111-1111-1111-111111111111',
  'principal-type': 'User',
  target: '/subscriptions/00000000-0000-0000-0000-000000000001',
  role: 'Reader',
  duration: 'PT2H',
});
const eligible = configOf(
  {
    cloud: 'azure',
    'client-id': '22222222-3333-4444-5555-666666666666',
    'tenant-id': '33333333-4444-5555-6666-777777777777',
    principal: '11111111-1111-1111-1111-111111111111',
    target: '/subscriptions/00000000-0000-0000-0000-000000000001',
    role: 'Reader',
    'assignment-type': 'eligible',
    duration: 'PT8H',
  },
  // An eligibility's requests are named after the repository, which the run says.
  { repository: 'octo/app', repositoryId: '123456' },
);

// As a main step of the version before wrote them (its settingsOf, field by field, in this order).
const AWS_SAVED = `{"cloud":"aws","region":"eu-west-1","roleToAssume":"arn:aws:iam::123456789012:role/deploy","roleSessionName":"${(aws as { roleSessionName: string }).roleSessionName}","audience":"sts.amazonaws.com","principalType":"USER","duration":"PT1H","expiresAt":${NOW / 1000 + 3600}}`;
const AZURE_SAVED =
  '{"cloud":"azure","clientId":"22222222-3333-4444-5555-666666666666","tenantId":"33333333-4444-5555-6666-777777777777","environment":"AzureCloud","authorityHost":"https://login.microsoftonline.com","resourceManagerEndpoint":"https://management.azure.com","tokenScope":"https://management.azure.com/.default","audience":"api://AzureADTokenExchange","principalType":"User","description":"';

/** Saved settings as the post step reads them back from their text. */
const loaded = (saved: SavedSettings) => {
  const read = parseSettings(JSON.parse(JSON.stringify(saved)));
  if (typeof read === 'string') throw new Error(`not loaded: ${read}`);
  return read;
};

describe('the saved sign-in settings keep their format on disk', () => {
  it('writes an AWS main step’s as the version before did', () => {
    expect(JSON.stringify(settingsOf(aws))).toBe(AWS_SAVED);
  });

  it('writes an Azure main step’s as the version before did', () => {
    const text = JSON.stringify(settingsOf(azure));
    expect(text.startsWith(AZURE_SAVED)).toBe(true);
    expect(text.endsWith('","duration":"PT2H"}')).toBe(true);
  });

  it('writes an eligible Azure main step’s as the version before did, its kind last', () => {
    const text = JSON.stringify(settingsOf(eligible));
    expect(text.startsWith(AZURE_SAVED)).toBe(true);
    expect(text.endsWith('","duration":"PT8H","assignmentType":"eligible"}')).toBe(true);
  });

  it('loads what the version before wrote, as it wrote it', () => {
    for (const config of [aws, azure, eligible]) {
      const saved = settingsOf(config);
      expect(loaded(saved).settings).toEqual(saved);
    }
  });
});

describe('every saved setting is checked back', () => {
  it.each([
    ['aws', 'region', 'eu west 1', 'region'],
    ['aws', 'roleToAssume', 'deploy', 'role-to-assume'],
    ['aws', 'roleSessionName', 'a b', 'role-session-name'],
    ['aws', 'audience', 7, 'audience'],
    ['aws', 'principalType', 'User', 'principal-type'],
    ['aws', 'duration', 'soon', 'duration'],
    ['aws', 'expiresAt', -1, 'expiry'],
    ['azure', 'clientId', 'client', 'clientId'],
    ['azure', 'tenantId', 'tenant', 'tenantId'],
    ['azure', 'environment', 'AzureMoon', 'environment'],
    ['azure', 'authorityHost', 'http://login', 'endpoints'],
    ['azure', 'resourceManagerEndpoint', 'http://arm', 'endpoints'],
    ['azure', 'tokenScope', 'scope', 'endpoints'],
    ['azure', 'principalType', 'USER', 'principal-type'],
    ['azure', 'description', 5, 'description'],
    ['azure', 'duration', 'soon', 'duration'],
    // Only the word of a kind that is not active is saved, as written: a planted one voids them.
    ['azure', 'assignmentType', 'active', 'assignment-type'],
    ['azure', 'assignmentType', 'Eligible', 'assignment-type'],
    ['azure', 'assignmentType', 'eligible ', 'assignment-type'],
    ['azure', 'assignmentType', ['eligible'], 'assignment-type'],
  ])('%s: a saved %s of %p voids them, named `%s`', (cloud, key, value, problem) => {
    const saved = settingsOf(cloud === 'aws' ? aws : azure);
    expect(parseSettings({ ...saved, [key]: value })).toBe(problem);
  });

  it('voids a saved eligibility without the duration every main step saves it with', () => {
    const { duration: _, ...untimed } = settingsOf(eligible) as unknown as Record<string, unknown>;
    expect(parseSettings(untimed)).toBe('assignment-type');
  });

  it('names the audience first, and a cloud it does not know', () => {
    expect(parseSettings({ ...settingsOf(azure), audience: 1, clientId: 'x' })).toBe('audience');
    expect(parseSettings({ ...settingsOf(azure), cloud: 'gcp' })).toBe('cloud');
    expect(parseSettings(null)).toBe('missing');
  });
});

describe('the post step’s adapter signs in as the main step did', () => {
  it('keeps live sessions as the main step said (`end-sessions: false`), and saves nothing for the default', () => {
    const kept = configOf({
      cloud: 'aws',
      'aws-region': 'eu-west-1',
      principal: 'alice',
      target: '111111111111',
      role: 'ReadOnlyAccess',
      'revoke-on-exit': 'true',
      'end-sessions': 'false',
    });
    const saved = settingsOf(kept);
    expect(saved).toMatchObject({ endSessions: false });
    expect(loaded(saved).settings).toEqual(saved);
    expect(loaded(saved).signIn).toMatchObject({ endSessions: false });
    expect(settingsOf(aws)).not.toHaveProperty('endSessions');
  });

  it('is given every saved AWS setting but the expiry', () => {
    expect(loaded(settingsOf(aws)).signIn).toEqual({
      cloud: 'aws',
      region: 'eu-west-1',
      roleToAssume: 'arn:aws:iam::123456789012:role/deploy',
      roleSessionName: (aws as { roleSessionName: string }).roleSessionName,
      audience: 'sts.amazonaws.com',
      principalType: 'USER',
    });
  });

  it('is given the Azure duration parsed, to remove through PIM as the main step wrote', () => {
    const settings = loaded(settingsOf(azure)).signIn;
    expect(settings).toMatchObject({ cloud: 'azure', tokenScope: 'https://management.azure.com/.default' });
    expect(settings.cloud === 'azure' && settings.duration).toEqual({ iso: 'PT2H', ms: 7_200_000 });
  });
});
