// A plan of defined permission sets written by the kind's writer over the emulated IAM Identity
// Center, as the engine's write plan runs it: the creates, the updates with their provisionings
// (each account that FAILED named with the service's reason, the others provisioned), the
// deletes; the next plan of the same manifest provisions only the account that failed.
import { describe, expect, it } from '@jest/globals';
import { setWriter, type SetChangeResult } from '../../../src/aws/permission-sets/apply-sets.js';
import type { PermissionSetPlan } from '../../../src/core/permission-sets/plan.js';
import type { SsoSession } from '../../../src/aws/sso/session.js';
import { runWrites } from '../../../src/engine/run/run-writes.js';
import { planDefinedSets } from '../../../src/aws/permission-sets/plan-sets.js';
import { desiredContents } from '../../../src/core/permission-sets/definition.js';
import { OWNERSHIP_TAG } from '../../../src/core/permission-sets/fields.js';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emulatedSso } from '../../harness/emulated-sso.js';
import { OWN, preparedSession } from './fixture.js';

const sso = emulatedSso();
const POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}';

const session = () => preparedSession(sso);

/** The plans of one change, written through the kind's writer in one write plan: each change's result. */
async function write(
  s: SsoSession,
  plans: readonly PermissionSetPlan[],
  changes: readonly PermissionSetPlan['change'][],
): Promise<SetChangeResult[]> {
  const told: SetChangeResult[] = [];
  const bound = { deadline: new Deadline(30) };
  const writer = setWriter(
    s,
    bound,
    (result) => (told.push(result), []),
    () => [],
    false,
  );
  const chosen = plans.filter((p) => changes.includes(p.change));
  await runWrites(
    {
      writes: chosen.map((plan) => ({
        kind: 'aws-permission-set',
        change: plan.change,
        item: plan,
        ...(plan.change === 'provision'
          ? {
              needs: {
                all: chosen.flatMap((p, j) => (p.change === 'update' && p.name === plan.name ? [j] : [])),
              },
            }
          : {}),
      })),
    },
    { maxConcurrency: 4, bound, writerOf: () => writer as never },
  );
  return told.map((result) => ({
    ...result,
    durationMs: expect.any(Number) as unknown as number,
  }));
}

function manifest(entry: string[]) {
  const parsed = parseManifest(
    'access.yml',
    ['version: 1', 'aws:', '  manages: {permission-sets: [ReadOnly]}', '  permission-sets:', ...entry].join(
      '\n',
    ),
  );
  if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
  const definitions = parsed.manifest.aws!.permissionSets!.definitions;
  return {
    definitions,
    contents: desiredContents(definitions, new Map(), OWN).contents,
    own: OWN,
    holders: async () => [],
  };
}

const READ_ONLY = [
  '    - name: ReadOnly',
  '      session-duration: PT4H',
  `      inline-policy: '${POLICY}'`,
];

describe('applying a plan of defined permission sets', () => {
  it('creates, then updates and provisions naming each account that failed, then deletes; and then plans only what failed', async () => {
    const s = await session();
    const retired = sso.emulator.aws.addPermissionSet('Retired', { [OWNERSHIP_TAG]: OWN });
    const first = await planDefinedSets(s, manifest(READ_ONLY));
    expect(await write(s, first.plans, ['create'])).toEqual([
      expect.objectContaining({ change: 'permission-set-create', name: 'ReadOnly', status: 'SUCCEEDED' }),
    ]);
    expect(await write(s, first.plans, ['delete'])).toEqual([
      {
        change: 'permission-set-delete',
        name: 'Retired',
        arn: retired,
        status: 'SUCCEEDED',
        durationMs: expect.any(Number),
      },
    ]);

    const arn = (await (await session()).permissionSetsByName()).get('ReadOnly')!;
    sso.provision(arn, { '111111111111': 'current', '222222222222': 'current' });
    sso.emulator.aws.addCustomerManagedPolicy(['111111111111'], 'deny-secrets', '/');
    const changed = manifest([...READ_ONLY, '      customer-managed-policies: [{name: deny-secrets}]']);
    const second = await planDefinedSets(await session(), changed);
    expect(second.plans.map((p) => p.change)).toEqual(['update', 'provision']);
    const applied = await write(await session(), second.plans, ['update', 'provision']);
    expect(applied).toEqual([
      expect.objectContaining({ change: 'permission-set-update', status: 'SUCCEEDED' }),
      expect.objectContaining({
        change: 'provision',
        status: 'FAILED',
        failedAccounts: [{ account: '222222222222', reason: expect.stringMatching(/deny-secrets/) }],
      }),
    ]);
    // The account that failed is still not on the latest version: the next plan provisions it alone.
    expect((await planDefinedSets(await session(), changed)).plans).toEqual([
      expect.objectContaining({ change: 'provision', accounts: ['222222222222'] }),
    ]);
  });

  it('changing only the session duration keeps the relay state, and the next run writes nothing and provisions nothing', async () => {
    const relayed = [...READ_ONLY, '      relay-state: https://console.aws.amazon.com/'];
    const first = await planDefinedSets(await session(), manifest(relayed));
    await write(await session(), first.plans, ['create']);
    const arn = (await (await session()).permissionSetsByName()).get('ReadOnly')!;
    sso.provision(arn, { '111111111111': 'current', '222222222222': 'current' });

    const longer = manifest(relayed.map((l) => l.replace('PT4H', 'PT8H')));
    const second = await planDefinedSets(await session(), longer);
    expect(second.plans.map((p) => p.change)).toEqual(['update', 'provision']);
    await write(await session(), second.plans, ['update', 'provision']);
    // Every UpdatePermissionSet sends the three fields, as the manifest wants them.
    expect(sso.inputsOf('UpdatePermissionSet').at(-1)).toMatchObject({
      SessionDuration: 'PT8H',
      RelayState: 'https://console.aws.amazon.com/',
    });
    const described = sso.emulator.aws.state.permissionSets.get(arn);
    expect(described).toMatchObject({
      sessionDuration: 'PT8H',
      relayState: 'https://console.aws.amazon.com/',
    });

    const writes = sso.count('UpdatePermissionSet') + sso.count('ProvisionPermissionSet');
    const third = await planDefinedSets(await session(), longer);
    expect(third.plans).toEqual([]);
    await write(await session(), third.plans, ['update', 'provision']);
    expect(sso.count('UpdatePermissionSet') + sso.count('ProvisionPermissionSet')).toBe(writes);
  });
});
