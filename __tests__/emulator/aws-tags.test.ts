// The emulated IAM Identity Center's permission set tags, through the real SDK client and checked
// against the copied model (__tests__/fixtures/contracts/aws/sso-admin-2020-07-20.json): listed a
// page at a time, added and removed by key, and refused as the model's rules refuse them.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import * as ssoAdmin from '@aws-sdk/client-sso-admin';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { rejection, ssoAdminClient } from './sdk.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const sso = () => ssoAdminClient(emulator);
const instance = () => emulator.aws.instanceArn;
const listTags = (ResourceArn: string, NextToken?: string) =>
  sso().send(new ssoAdmin.ListTagsForResourceCommand({ InstanceArn: instance(), ResourceArn, NextToken }));

type Shape = { traits?: Record<string, unknown>; members?: Record<string, { target: string }> };
const model = JSON.parse(
  readFileSync(resolve(process.cwd(), '__tests__/fixtures/contracts/aws/sso-admin-2020-07-20.json'), 'utf8'),
) as { shapes: Record<string, Shape> };
const traitOf = (shape: string, trait: string) =>
  model.shapes[`com.amazonaws.ssoadmin#${shape}`]!.traits![trait];

describe('a permission set’s tags', () => {
  it('are those a seeded permission set was given, listed with its ARN', async () => {
    const arn = emulator.aws.addPermissionSet('Platform', { team: 'platform', owner: '' });
    expect((await listTags(arn)).Tags).toEqual([
      { Key: 'team', Value: 'platform' },
      { Key: 'owner', Value: '' },
    ]);
    expect((await listTags(emulator.aws.permissionSetArn('ReadOnlyAccess'))).Tags).toEqual([]);
  });

  it('are those CreatePermissionSet was given', async () => {
    const created = await sso().send(
      new ssoAdmin.CreatePermissionSetCommand({
        InstanceArn: instance(),
        Name: 'Tagged',
        Tags: [{ Key: 'team', Value: 'data' }],
      }),
    );
    expect((await listTags(created.PermissionSet!.PermissionSetArn!)).Tags).toEqual([
      { Key: 'team', Value: 'data' },
    ]);
  });

  it('come a page at a time, as the model’s paginated trait says (NextToken in, NextToken out, Tags)', async () => {
    expect(traitOf('ListTagsForResource', 'smithy.api#paginated')).toEqual({
      inputToken: 'NextToken',
      outputToken: 'NextToken',
      items: 'Tags',
    });
    const tags = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, `v${i}`]));
    const arn = emulator.aws.addPermissionSet('Many', tags);
    Object.assign(emulator.aws.config, { defaultPageSize: 2, maxPageSize: 2 });
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await listTags(arn, token);
      keys.push(...(page.Tags ?? []).map((t) => t.Key!));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(keys).toEqual(Object.keys(tags));
    expect(pages).toBe(3);
  });

  it('TagResource adds tags, a key given again taking its new value; UntagResource removes keys', async () => {
    const arn = emulator.aws.addPermissionSet('Platform', { team: 'platform', owner: 'alice' });
    const ResourceArn = arn;
    await sso().send(
      new ssoAdmin.TagResourceCommand({
        InstanceArn: instance(),
        ResourceArn,
        Tags: [
          { Key: 'owner', Value: 'bob' },
          { Key: 'env', Value: 'prod' },
        ],
      }),
    );
    expect((await listTags(arn)).Tags).toEqual([
      { Key: 'team', Value: 'platform' },
      { Key: 'owner', Value: 'bob' },
      { Key: 'env', Value: 'prod' },
    ]);
    await sso().send(
      new ssoAdmin.UntagResourceCommand({
        InstanceArn: instance(),
        ResourceArn,
        TagKeys: ['team', 'absent'],
      }),
    );
    expect((await listTags(arn)).Tags).toEqual([
      { Key: 'owner', Value: 'bob' },
      { Key: 'env', Value: 'prod' },
    ]);
  });
});

describe('tag requests the model refuses', () => {
  it('a permission set that is not there is ResourceNotFoundException', async () => {
    const missing = emulator.aws
      .permissionSetArn('ReadOnlyAccess')
      .replace(/ps-.{16}$/, 'ps-0000000000000000');
    expect((await rejection(listTags(missing))).name).toBe('ResourceNotFoundException');
  });

  it('a key or value outside the model’s TagKey and TagValue is ValidationException', async () => {
    const pattern = traitOf('TagKey', 'smithy.api#pattern') as string;
    expect(traitOf('TagKey', 'smithy.api#length')).toEqual({ min: 1, max: 128 });
    expect(traitOf('TagValue', 'smithy.api#length')).toEqual({ min: 0, max: 256 });
    expect(new RegExp(pattern, 'u').test('team#1')).toBe(false);
    const ResourceArn = emulator.aws.permissionSetArn('ReadOnlyAccess');
    for (const Tags of [
      [{ Key: 'team#1', Value: 'x' }],
      [{ Key: '', Value: 'x' }],
      [{ Key: 'k'.repeat(129), Value: 'x' }],
      [{ Key: 'team', Value: 'v'.repeat(257) }],
    ]) {
      const error = await rejection(
        sso().send(new ssoAdmin.TagResourceCommand({ InstanceArn: instance(), ResourceArn, Tags })),
      );
      expect(error.name).toBe('ValidationException');
    }
    expect((await listTags(ResourceArn)).Tags).toEqual([]);
  });

  it('more than the quota of 50 tags is ServiceQuotaExceededException', async () => {
    const ResourceArn = emulator.aws.permissionSetArn('ReadOnlyAccess');
    const Tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const error = await rejection(
      sso().send(new ssoAdmin.TagResourceCommand({ InstanceArn: instance(), ResourceArn, Tags })),
    );
    expect(error.name).toBe('ServiceQuotaExceededException');
  });
});
