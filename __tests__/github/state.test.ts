// The post step's reading of saved state: only entries bound to its own main step, joined by slot
// to the step's own grants, with IDs that pass the input patterns and agree with the grant.
import { describe, expect, it } from '@jest/globals';
import { parseInputs } from '../../src/core/inputs/index.js';
import type { Grant } from '../../src/core/types.js';
import { loadState, type SavedEntry, type StateHeader } from '../../src/github/state.js';

const NONCE = '0123456789abcdef0123456789abcdef';
const PS = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef';
const USER = '9067447c0f-dabd1db8-d35a-4131-8627-4f61f1bf9778';
const SIGN_IN = 'aws us-east-1 arn:aws:iam::123456789012:role/cloud-access';
/** The step's grants, as its inputs make them. */
const grantsOf = (inputs: Record<string, string>): Grant[] =>
  parseInputs((name) => inputs[name] ?? '', {}).grants;
const awsGrant = (principal: string, target: string, role: string): Grant =>
  grantsOf({ cloud: 'aws', 'aws-region': 'us-east-1', principal, target, role })[0]!;
const grants: Grant[] = [
  awsGrant('alice', '111111111111', 'ReadOnlyAccess'),
  awsGrant('alice', '222222222222', 'ReadOnlyAccess'),
];
const header = (o: Partial<StateHeader> = {}): StateHeader => ({
  version: 2,
  nonce: NONCE,
  count: 2,
  cloud: 'aws',
  signIn: SIGN_IN,
  leftAlone: 0,
  ...o,
});
const entry = (o: Partial<SavedEntry> = {}): SavedEntry => ({
  nonce: NONCE,
  principalId: USER,
  roleId: PS,
  ownership: 'created',
  sentAt: 1_700_000_000_100,
  ...o,
});
const env = (h: unknown, entries: Record<string, unknown>) => ({
  'STATE_cloud-access': JSON.stringify(h),
  ...Object.fromEntries(
    Object.entries(entries).map(([k, v]) => [`STATE_cloud-access-grant-${k}`, JSON.stringify(v)]),
  ),
});
const aws = { cloud: 'aws' as const, signIn: SIGN_IN };

describe('the post step reads only state its own main step wrote', () => {
  it("joins each entry to the step's own grant in its slot", () => {
    const state = loadState(grants, aws, env(header(), { 1: entry(), 0: entry() }));
    expect(state?.created.map((e) => e.grant)).toEqual(grants);
    expect(state?.created.map((e) => e.ids.targetId)).toEqual(['111111111111', '222222222222']);
    expect(state?.ignored).toEqual([]);
  });

  it('ignores entries with another nonce (planted through GITHUB_ENV) and beyond its count', () => {
    const state = loadState(
      grants,
      aws,
      env(header(), { 0: entry({ nonce: 'f'.repeat(32) }), 2: entry(), '01': entry() }),
    );
    expect(state?.created).toEqual([]);
    const ignored = state?.ignored.join('\n');
    expect(ignored).toMatch(/grant-0: not written by this step/);
    expect(ignored).toMatch(/grant-2: not one of the 2 entries/);
    expect(ignored).toMatch(/grant-01: not one of the 2 entries/);
  });

  it('the header the main step saves first, before anything else, has no entries', () => {
    const state = loadState(grants, aws, env({ version: 2, nonce: NONCE, count: 0 }, { 0: entry() }));
    expect(state?.created).toEqual([]);
  });

  it('ignores a header for another cloud, another sign-in, another grant count or version', () => {
    const none = (h: unknown, expected = aws) => loadState(grants, expected, env(h, { 0: entry() }))?.created;
    expect(none(header(), { cloud: 'azure' as never, signIn: SIGN_IN })).toEqual([]);
    expect(none(header({ signIn: 'aws eu-west-1 ambient credentials' }))).toEqual([]);
    expect(none(header({ count: 3 }))).toEqual([]);
    expect(none({ ...header(), version: 1, leftAlone: [] })).toEqual([]);
  });

  it('validates every saved ID with the input patterns, and against IDs the inputs name', () => {
    const bad: [string, Partial<SavedEntry>][] = [
      ['principal', { principalId: 'alice' }],
      ['role', { roleId: 'Admin' }],
      ['request ID', { ownership: 'accepted', requestId: 'x\n::warning::y' }],
      ['ownership', { ownership: 'not-created' as never }],
      ['send time', { sentAt: 'now' as never }],
    ];
    for (const [what, o] of bad) {
      const state = loadState(grants, aws, env(header(), { 0: entry(o) }));
      expect({ what, created: state?.created }).toEqual({ what, created: [] });
    }
    const byId: Grant[] = [awsGrant(USER, '111111111111', PS)];
    const other = '9067447c0f-00000000-0000-4000-8000-000000000000';
    const state = loadState(byId, aws, env(header({ count: 1 }), { 0: entry({ principalId: other }) }));
    expect(state?.ignored.join()).toContain('not the one the inputs name');
  });

  it('Azure: the name must be the one this step writes for the grant', () => {
    const scope = '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14/resourceGroups/rg';
    const principal = '11111111-2222-3333-4444-555555555555';
    const name = '05c5a614-a7d6-4502-b150-c2fb455033ff';
    const azureGrants = grantsOf({ cloud: 'azure', principal, target: scope, role: 'Reader' });
    const expected = { cloud: 'azure' as const, signIn: 'azure x', assignmentName: () => name };
    const saved = (n: string) =>
      env(header({ cloud: 'azure', signIn: 'azure x', count: 1 }), {
        0: entry({
          principalId: principal,
          roleId: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7',
          name: n,
        }),
      });
    expect(loadState(azureGrants, expected, saved(name))?.created).toHaveLength(1);
    expect(loadState(azureGrants, expected, saved('6f1c2e8a-4b3d-4a5e-9c7f-1d2e3f4a5b6c'))?.created).toEqual(
      [],
    );
  });
});
