// The saved state's format: the post step acts on the grants the main step saved, as it wrote and
// resolved them, signed in as the main step was; only entries bound to its main step count, and
// every saved ID must pass the services' patterns.
import { describe, expect, it } from '@jest/globals';
import { parseInputs } from '../../../src/core/inputs/index.js';
import { savedIdsOf } from '../../../src/core/kinds/index.js';
import { parseSavedState } from '../../../src/core/state/saved-state-checks.js';
import { settingsOf } from '../../../src/core/state/saved-settings.js';
import {
  STATE_VERSION,
  type LoadedState,
  type SavedEntry,
  type StateHeader,
} from '../../../src/core/state/saved-state.js';
import { savedRevokeOf } from '../../../src/operations/revoke-on-exit/revoke-plan.js';

const NONCE = '0123456789abcdef0123456789abcdef';
const PS = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef';
const USER = '9067447c0f-dabd1db8-d35a-4131-8627-4f61f1bf9778';
const REQUEST = '2b0d8a3e-6c1f-4e7a-9d5b-8f3c2a1e0b4d';
const awsConfig = parseInputs(
  (name) =>
    ({
      cloud: 'aws',
      'aws-region': 'eu-west-1',
      'role-to-assume': 'arn:aws:iam::123456789012:role/deploy',
      principal: 'alice',
      target: '111111111111',
      role: 'ReadOnlyAccess',
      'revoke-on-exit': 'true',
    })[name] ?? '',
  {},
  { runId: '42', runAttempt: '1' },
);
const header = (o: Partial<StateHeader> = {}): StateHeader => ({
  version: STATE_VERSION,
  nonce: NONCE,
  count: 2,
  revokeOnExit: true,
  settings: settingsOf(awsConfig),
  maxConcurrency: 10,
  leftAlone: 0,
  ...o,
});
const entry = (o: Partial<SavedEntry> = {}): SavedEntry => ({
  nonce: NONCE,
  written: { principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess' },
  principalId: USER,
  targetId: '111111111111',
  roleId: PS,
  ownership: 'created',
  sentAt: 1_700_000_000_100,
  ...o,
});
const parse = (h: unknown, entries: Record<string, unknown>) =>
  parseSavedState({
    header: JSON.stringify(h),
    entries: Object.entries(entries).map(([slot, value]) => ({ slot, value: JSON.stringify(value) })),
  });
const loaded = (h: unknown, entries: Record<string, unknown>): LoadedState => {
  const state = parse(h, entries);
  if (typeof state !== 'object' || 'nothing' in state)
    throw new Error(`not loaded: ${JSON.stringify(state)}`);
  return state;
};

describe('the post step reads only state its own main step wrote', () => {
  it('takes each entry as the grant the main step wrote, in slot order', () => {
    const state = loaded(header(), { 1: entry({ targetId: '222222222222' }), 0: entry() });
    expect(state.created.map((e) => savedIdsOf('aws-account-assignment', e.ids).targetId)).toEqual([
      '111111111111',
      '222222222222',
    ]);
    expect(state.ignored).toEqual([]);
  });

  it('ignores entries with another nonce (planted through GITHUB_ENV) and beyond its count', () => {
    const state = loaded(header(), { 0: entry({ nonce: 'f'.repeat(32) }), 2: entry(), '01': entry() });
    expect(state.created).toEqual([]);
    const ignored = state.ignored.join('\n');
    expect(ignored).toMatch(/entry 0: not written by this step/);
    expect(ignored).toMatch(/entry 2: not one of the 2 entries/);
    expect(ignored).toMatch(/entry 01: not one of the 2 entries/);
  });

  it('has nothing to act on after the header the main step saves first, or one of a step without revoke-on-exit', () => {
    expect(parse({ version: STATE_VERSION, nonce: NONCE, count: 0 }, { 0: entry() })).toEqual({
      nothing: expect.stringContaining('saved no grants'),
    });
    const { revokeOnExit: _on, ...off } = header();
    expect(parse(off, { 0: entry() })).toHaveProperty('nothing');
    expect(parseSavedState({ header: undefined, entries: [] })).toEqual({
      nothing: 'the main step saved no state',
    });
  });

  it('refuses a header of another version, without a nonce, or with sign-in settings that are not valid', () => {
    expect(parse({ ...header(), version: 2 }, {})).toBe('the saved state header is version 2, not 3');
    expect(parse({ ...header(), nonce: 'x' }, {})).toBe('the saved state header has no valid nonce');
    const settings = { ...settingsOf(awsConfig), region: 'eu-west-1\n::warning::x' };
    expect(parse(header({ settings: settings as never }), {})).toBe(
      'the saved sign-in settings are not valid: region',
    );
  });

  it('validates every saved ID with the services\u2019 patterns', () => {
    const bad: [string, Partial<SavedEntry>][] = [
      ['principal', { principalId: 'alice' }],
      ['account', { targetId: '1111' }],
      ['role', { roleId: 'Admin' }],
      ['request ID', { ownership: 'accepted', requestId: 'x\n::warning::y' }],
      ['accepted without a request', { ownership: 'accepted' }],
      ['ownership', { ownership: 'not-created' as never }],
      ['send time', { sentAt: 'now' as never }],
      ['written', { written: { principal: 'alice' } as never }],
      ['Azure name on AWS', { name: REQUEST }],
      ['principal type', { principalType: 'User' }],
      ['principal type as markup', { principalType: '<b>GROUP</b>' }],
      ['principal type not text', { principalType: 1 as never }],
    ];
    for (const [what, o] of bad)
      expect({ what, created: loaded(header(), { 0: entry(o) }).created }).toEqual({ what, created: [] });
  });
});

describe("the principal's type, which the post step's rows show as its kind", () => {
  it('is kept as the main step wrote it, and absent from state saved before it was kept', () => {
    const typed = loaded(header(), { 0: entry({ principalType: 'GROUP' }), 1: entry() });
    expect(typed.created.map((e) => e.ids.principalType)).toEqual(['GROUP', undefined]);
    expect(savedIdsOf('aws-account-assignment', typed.created[0]!.ids)).toMatchObject({
      principalType: 'GROUP',
    });
  });
});

describe('the kind of each saved grant', () => {
  it('is named by the entry, and carried by the grant it is read back as', () => {
    const state = loaded(header(), { 0: entry({ kind: 'aws-account-assignment' }) });
    expect(state.created.map((e) => e.grant.kind)).toEqual(['aws-account-assignment']);
  });

  it('is the kind the main step’s settings say, in an entry an older main step saved without it', () => {
    const state = loaded(header(), { 0: entry() });
    expect(state.created.map((e) => e.grant.kind)).toEqual(['aws-account-assignment']);
  });

  it('refuses an entry naming a kind the main step did not write, or none there is', () => {
    for (const kind of ['azure-role-assignment', 'aws-nothing', 7])
      expect(loaded(header(), { 0: entry({ kind: kind as never }) }).ignored).toEqual([
        expect.stringMatching(/entry 0: its kind is not the kind of access the main step wrote/),
      ]);
  });
});

describe('the revoke the post step runs', () => {
  it('is exactly the saved grants, by ID, signed in as the main step was, at its concurrency', () => {
    const state = loaded(header({ count: 1 }), { 0: entry({ ownership: 'accepted', requestId: REQUEST }) });
    const plan = savedRevokeOf(state);
    // Only what the saved state decides: its grants and how many at once (its run is its header's,
    // its budget the post step's own input).
    expect(Object.keys(plan).sort()).toEqual(['grants', 'maxConcurrency']);
    expect({ ...state.header.signIn, ...plan }).toMatchObject({
      cloud: 'aws',
      region: 'eu-west-1',
      roleToAssume: 'arn:aws:iam::123456789012:role/deploy',
      roleSessionName: 'cloud-access-42-1',
      principalType: 'USER',
    });
    expect(plan.grants).toEqual([
      {
        cloud: 'aws',
        kind: 'aws-account-assignment',
        principal: { kind: 'id', id: USER },
        accountId: '111111111111',
        permissionSet: { kind: 'arn', arn: PS },
        written: { principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess' },
        resolved: { cloud: 'aws', principalId: USER, accountId: '111111111111', roleId: PS },
      },
    ]);
  });

  it('Azure: the saved scope, role definition and assignment name; time-bound when the main step was', () => {
    const scope = '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14/resourceGroups/rg';
    const principal = '11111111-2222-3333-4444-555555555555';
    const azure = parseInputs(
      (name) =>
        ({
          cloud: 'azure',
          principal,
          target: scope,
          role: 'Reader',
          duration: '2h',
          'client-id': '22222222-3333-4444-5555-666666666666',
          'tenant-id': '33333333-4444-5555-6666-777777777777',
        })[name] ?? '',
    );
    const role = '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7';
    const saved = (o: Partial<SavedEntry>) =>
      loaded(header({ count: 1, settings: settingsOf(azure) }), {
        0: entry({ principalId: principal, targetId: scope, roleId: role, name: REQUEST, ...o }),
      });
    const plan = savedRevokeOf(saved({}));
    const settings = saved({}).header.signIn;
    expect(settings).toMatchObject({ cloud: 'azure', clientId: '22222222-3333-4444-5555-666666666666' });
    expect(settings.cloud === 'azure' && settings.duration?.iso).toBe('PT2H');
    expect(plan.grants[0]).toMatchObject({
      kind: 'azure-pim-active',
      principal: { kind: 'object', id: principal },
      scope: { scope },
      role: { kind: 'id', id: role },
    });
    expect(saved({ targetId: `${scope}/../..` }).created).toEqual([]);
    expect(saved({ name: 'not-a-guid' }).created).toEqual([]);
  });
});
