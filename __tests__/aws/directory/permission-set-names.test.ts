// Permission set names resolved in waves (permission-set-names.ts), against a hostile or flaky
// ListPermissionSets / DescribePermissionSet: duplicate names, failed describes in the middle of a
// wave, concurrent lookups of present and missing names, ARNs of another instance, an answer about
// another permission set.
import { describe, expect, it } from '@jest/globals';
import { permissionSetReads } from '../../../src/aws/directory/names.js';
import { PermissionSetNames } from '../../../src/aws/directory/permission-set-names.js';
import type { PermissionSetReads } from '../../../src/aws/directory/permission-set-names.js';
import { SharedReads } from '../../../src/engine/limits/shared-reads.js';

const INSTANCE = 'ssoins-1111111111111111';
const instance = () => `arn:aws:sso:::instance/${INSTANCE}`;
const arn = (i: number, instance = INSTANCE) =>
  `arn:aws:sso:::permissionSet/${instance}/ps-${String(i).padStart(16, '0')}`;

/** Reads over `names` (ARN → name), cached as SsoSession does (a failed read forgotten). */
function reads(names: [string, string | undefined][], failOnce = new Set<string>()) {
  const shared = new SharedReads();
  const described: string[] = [];
  const byArn = new Map(names);
  const r: PermissionSetReads = {
    arns: () => shared.get('arns', async () => names.map(([a]) => a)),
    name: (a) =>
      shared.get(`name:${a}`, async () => {
        described.push(a);
        await new Promise((res) => setTimeout(res, 1));
        if (failOnce.delete(a)) throw new Error(`DescribePermissionSet ${a}: HTTP 500`);
        return byArn.get(a);
      }),
  };
  return { r, described };
}

describe('a name resolves to the same ARN however it is looked up', () => {
  it('a duplicate name (a hostile answer) gives the first listed, by arnOf and by all()', async () => {
    const list: [string, string | undefined][] = Array.from({ length: 30 }, (_, i) => [arn(i), `Set${i}`]);
    list[3]![1] = 'Admin';
    list[25]![1] = 'Admin';
    const early = new PermissionSetNames(reads(list).r, instance);
    const everything = new PermissionSetNames(reads(list).r, instance);
    expect(await early.arnOf('Admin')).toBe(arn(3));
    expect((await everything.all()).get('Admin')).toBe(arn(3));
  });

  it('a describe that fails in the middle of a wave fails the lookups waiting on it; the next lookup reads it again and finds the name', async () => {
    const list: [string, string | undefined][] = Array.from({ length: 30 }, (_, i) => [arn(i), `Set${i}`]);
    const { r, described } = reads(list, new Set([arn(4)]));
    const names = new PermissionSetNames(r, instance);
    const [present, missing] = await Promise.allSettled([names.arnOf('Set20'), names.arnOf('Nope')]);
    expect(present.status).toBe('rejected');
    expect(missing.status).toBe('rejected');
    expect(await names.arnOf('Set20')).toBe(arn(20));
    expect(await names.arnOf('Nope')).toBeUndefined();
    // Every permission set described once, and the failed one twice: no name declared missing unread.
    expect(described).toHaveLength(31);
  });

  it('a missing name is declared missing only once every listed permission set was described', async () => {
    const list: [string, string | undefined][] = Array.from({ length: 50 }, (_, i) => [arn(i), `Set${i}`]);
    const { r, described } = reads(list);
    const names = new PermissionSetNames(r, instance);
    const [a, b, c] = await Promise.all([names.arnOf('Set1'), names.arnOf('Nope'), names.arnOf('Set40')]);
    expect([a, b, c]).toEqual([arn(1), undefined, arn(40)]);
    expect(new Set(described).size).toBe(50);
    expect(described).toHaveLength(50);
  });

  it('an ARN listed by the instance but of another instance is not resolved by name (tag forms leave such ARNs out)', async () => {
    const list: [string, string | undefined][] = [
      [arn(1), 'ReadOnly'],
      [arn(2, 'ssoins-9999999999999999'), 'Admin'],
    ];
    const names = new PermissionSetNames(reads(list).r, instance);
    expect(await names.arnOf('Admin')).toBeUndefined();
    expect(await names.arnOf('ReadOnly')).toBe(arn(1));
  });
});

describe('a describe answered about another permission set names nothing', () => {
  it('the name in an answer for another ARN is not taken for the ARN asked about', async () => {
    const asked = arn(1);
    const session = {
      instance: instance(),
      send: async () => ({ PermissionSet: { PermissionSetArn: arn(2), Name: 'AdministratorAccess' } }),
    } as unknown as Parameters<typeof permissionSetReads>[0];
    expect(await permissionSetReads(session).name(asked)).toBeUndefined();
    const honest = {
      instance: instance(),
      send: async () => ({ PermissionSet: { PermissionSetArn: asked, Name: 'ReadOnly' } }),
    } as unknown as Parameters<typeof permissionSetReads>[0];
    expect(await permissionSetReads(honest).name(asked)).toBe('ReadOnly');
  });
});
