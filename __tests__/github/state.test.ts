// The post step's reading of saved state: only entries bound to its own main step, with IDs that
// pass the same patterns as inputs.
import { describe, expect, it } from '@jest/globals';
import { loadState, type SavedGrant, type StateHeader } from '../../src/github/state.js';

const NONCE = '0123456789abcdef0123456789abcdef';
const PS = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef';
const USER = '9067447c0f-dabd1db8-d35a-4131-8627-4f61f1bf9778';
const header = (o: Partial<StateHeader> = {}): StateHeader => ({
  version: 2,
  nonce: NONCE,
  count: 2,
  cloud: 'aws',
  startedAt: 1_700_000_000_000,
  leftAlone: 0,
  ...o,
});
const entry = (o: Partial<SavedGrant> = {}, account = '111111111111'): SavedGrant => ({
  nonce: NONCE,
  grant: { principal: 'alice', target: account, role: 'ReadOnlyAccess' },
  ids: { principalId: USER, targetId: account, roleId: PS },
  ownership: 'created',
  ...o,
});
const env = (h: unknown, entries: Record<string, unknown>) => ({
  'STATE_cloud-access': JSON.stringify(h),
  ...Object.fromEntries(
    Object.entries(entries).map(([k, v]) => [`STATE_cloud-access-grant-${k}`, JSON.stringify(v)]),
  ),
});

describe('the post step reads only state its own main step wrote', () => {
  it('reads the entries of its header, in slot order', () => {
    const state = loadState('aws', env(header(), { 1: entry({}, '222222222222'), 0: entry() }));
    expect(state?.created.map((e) => e.ids.targetId)).toEqual(['111111111111', '222222222222']);
    expect(state?.ignored).toEqual([]);
  });

  it('ignores entries with another nonce (planted through GITHUB_ENV) and beyond its count', () => {
    const state = loadState(
      'aws',
      env(header({ count: 1 }), { 0: entry({ nonce: 'f'.repeat(32) }), 1: entry(), '01': entry() }),
    );
    expect(state?.created).toEqual([]);
    expect(state?.ignored.join('\n')).toMatch(/grant-0: not written by this step/);
    expect(state?.ignored.join('\n')).toMatch(/grant-1: not one of the 1 entries/);
    expect(state?.ignored.join('\n')).toMatch(/grant-01: not one of the 1 entries/);
  });

  it('ignores a header for the other cloud or of another version', () => {
    expect(loadState('azure', env(header(), { 0: entry() }))?.created).toEqual([]);
    expect(
      loadState('aws', env({ ...header(), version: 1, leftAlone: [] }, { 0: entry() }))?.created,
    ).toEqual([]);
  });

  it('validates every saved ID with the input patterns', () => {
    const bad: [string, SavedGrant][] = [
      ['principal', entry({ ids: { principalId: 'alice', targetId: '111111111111', roleId: PS } })],
      ['target', entry({ ids: { principalId: USER, targetId: '1111', roleId: PS } })],
      ['role', entry({ ids: { principalId: USER, targetId: '111111111111', roleId: 'Admin' } })],
      ['request ID', entry({ ownership: 'accepted', requestId: 'x\n::warning::y' })],
      ['ownership', entry({ ownership: 'not-created' as never })],
    ];
    for (const [what, e] of bad) {
      const state = loadState('aws', env(header({ count: 1 }), { 0: e }));
      expect({ what, created: state?.created }).toEqual({ what, created: [] });
    }
  });

  it('Azure: the scope must be the normalised one, and the name a GUID', () => {
    const scope = '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14/resourceGroups/rg';
    const azure = (targetId: string): SavedGrant => ({
      nonce: NONCE,
      grant: { principal: 'p', target: targetId, role: 'Reader' },
      ids: {
        principalId: '11111111-2222-3333-4444-555555555555',
        targetId,
        roleId: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7',
        name: '05c5a614-a7d6-4502-b150-c2fb455033ff',
      },
      ownership: 'created',
    });
    const load = (e: SavedGrant) =>
      loadState('azure', env(header({ cloud: 'azure', count: 1 }), { 0: e }))?.created;
    expect(load(azure(scope))).toHaveLength(1);
    expect(load(azure(`${scope}/providers/Microsoft.Storage/storageAccounts/x/../../..`))).toEqual([]);
    expect(load(azure(scope.toUpperCase()))).toEqual([]);
  });
});
