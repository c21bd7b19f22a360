// What a reconcile plans for the permission sets its manifest defines, read over the emulated IAM
// Identity Center: a set the instance lacks is created; this manifest's set whose content differs
// (a policy changed in the file, or by hand in the console) is updated with each field's diff and
// provisioned to every account it reaches; one only outdated in some accounts is provisioned
// there; another's set or an untagged one is refused at the entry's line unless adopted; a set
// carrying this manifest's tag that it no longer defines is deleted. Each found set costs its 6
// content reads and one list of accounts.
import { describe, expect, it } from '@jest/globals';
import { createPermissionSet, updatePermissionSet } from '../../../src/aws/permission-sets/write-content.js';
import { planDefinedSets } from '../../../src/aws/permission-sets/plan-sets.js';
import { matchTaggedPermissionSets } from '../../../src/aws/directory/permission-set-tags.js';
import { desiredContents } from '../../../src/core/permission-sets/definition.js';
import { OWNERSHIP_TAG } from '../../../src/core/permission-sets/fields.js';
import { planWords } from '../../../src/core/permission-sets/plan-words.js';
import { emulatedSso } from '../../harness/emulated-sso.js';
import { definitionsOf, OWN, POLICY, WIDER, preparedSession } from './fixture.js';

const sso = emulatedSso();

const session = () => preparedSession(sso);

/** The manifest defining `ReadOnly` with `policy`, plus `more` entry lines. */
function manifest(policy: string, more: string[] = []) {
  const definitions = definitionsOf([
    '    - name: ReadOnly',
    '      session-duration: PT4H',
    `      inline-policy: '${policy}'`,
    ...more,
  ]);
  return { definitions, contents: desiredContents(definitions, new Map(), OWN).contents };
}

const plan = async (m: ReturnType<typeof manifest>) =>
  planDefinedSets(await session(), {
    ...m,
    own: OWN,
    // The group Engineers holds the set in every account it is provisioned to.
    holders: async (_arn: string, accounts: readonly string[]) =>
      accounts.map((accountId) => ({
        key: `Engineers@${accountId}`,
        type: 'GROUP' as const,
        principal: 'Engineers',
        accountId,
        managed: true,
      })),
  });

/** The set made as the manifest with `policy` says, as a run before this one made it. */
const made = async (policy: string) =>
  createPermissionSet(await session(), manifest(policy).contents.get('ReadOnly')!);

const sdkCalls = () => sso.calls().filter((c) => c.startsWith('SWBExternalService.'));

describe('the plan of defined permission sets', () => {
  it('creates a set the instance does not hold', async () => {
    const planned = await plan(manifest(POLICY));
    expect(planned.problems).toEqual([]);
    expect(planned.plans).toEqual([expect.objectContaining({ change: 'create', name: 'ReadOnly' })]);
  });

  it('updates its own set whose policy the file changed, showing the diff and whom it reaches, then provisions every account', async () => {
    const arn = await made(POLICY);
    sso.provision(arn, { '111111111111': 'current', '222222222222': 'current' });
    const planned = await plan(manifest(WIDER));
    expect(planned.plans.map((p) => p.change)).toEqual(['update', 'provision']);
    const words = planned.plans.flatMap((p) => planWords(p)).join('\n');
    expect(words).toMatch(/~ update permission set ReadOnly/);
    expect(words).toMatch(/- .*"s3:Get\*"/);
    expect(words).toMatch(/\+ .*"s3:\*"/);
    expect(words).toMatch(
      /reaches 2 account\(s\) \(111111111111, 222222222222\) and 1 principal\(s\) \(group Engineers\)/,
    );
    expect(planned.plans[1]).toMatchObject({
      change: 'provision',
      accounts: ['111111111111', '222222222222'],
    });
  });

  it('plans a console edit back as drift, and provisions only the accounts not on the latest version', async () => {
    const arn = await made(POLICY);
    await updatePermissionSet(
      await session(),
      arn,
      [{ field: 'session-duration', before: 'PT4H', after: 'PT12H' }],
      { sessionDuration: 'PT12H' },
    );
    expect((await plan(manifest(POLICY))).plans[0]).toMatchObject({
      change: 'update',
      changes: [{ field: 'session-duration', before: 'PT12H', after: 'PT4H' }],
    });
    await updatePermissionSet(
      await session(),
      arn,
      [{ field: 'session-duration', before: 'PT12H', after: 'PT4H' }],
      { sessionDuration: 'PT4H' },
    );
    sso.provision(arn, { '111111111111': 'current', '222222222222': 'outdated' });
    expect((await plan(manifest(POLICY))).plans).toEqual([
      expect.objectContaining({ change: 'provision', accounts: ['222222222222'] }),
    ]);
  });

  it('refuses a set of that name that another manifest made, at its entry’s line, and plans nothing for it', async () => {
    const arn = await made(POLICY);
    const set = sso.emulator.aws.state.permissionSets.get(arn)!;
    set.tags = set.tags.map((t) =>
      t.Key === OWNERSHIP_TAG ? { ...t, Value: 'octo-org/other:access.yml' } : t,
    );
    const planned = await plan(manifest(POLICY));
    expect(planned.plans).toEqual([]);
    expect(planned.problems).toEqual([
      expect.objectContaining({
        line: 5,
        message: expect.stringMatching(/another manifest, `octo-org\/other:access.yml`/),
      }),
    ]);
  });

  it('adopts an untagged set when the entry says so, adding the tag', async () => {
    const arn = sso.emulator.aws.addPermissionSet('ReadOnly');
    const planned = await plan(manifest(POLICY, ['      adopt: true']));
    expect(planned.problems).toEqual([]);
    expect(planned.plans[0]).toMatchObject({ change: 'update', arn, adopted: { kind: 'untagged' } });
    expect(planWords(planned.plans[0]!).join('\n')).toMatch(
      /tags: \+ cloud-access:manifest=octo-org\/infra:access.yml/,
    );
  });

  it('deletes a set carrying this manifest’s tag that it no longer defines, and leaves untagged ones', async () => {
    const arn = sso.emulator.aws.addPermissionSet('Retired', { [OWNERSHIP_TAG]: OWN });
    sso.provision(arn, { '111111111111': 'current' });
    const planned = await plan(manifest(POLICY));
    expect(planned.plans.map((p) => [p.change, p.name])).toEqual([
      ['create', 'ReadOnly'],
      ['delete', 'Retired'],
    ]);
    expect(planned.plans[1]).toMatchObject({ blast: { accounts: ['111111111111'] } });
  });

  it('reads a found set in its 6 content calls, the describe shared with the name lookup, and one list of accounts', async () => {
    await made(POLICY);
    sso.reset();
    await made(POLICY);
    const before = sdkCalls().length;
    const s = await session();
    await s.permissionSetsByName();
    const lookup = sdkCalls().length;
    await planDefinedSets(s, { ...manifest(POLICY), own: OWN, holders: async () => [] });
    const undefinedSets = 2; // the seeded ReadOnlyAccess and AdministratorAccess: their tags only
    // The describe of the name lookup is the content's: 5 more content calls, and the accounts.
    expect(sdkCalls().length - lookup).toBe(5 + 1 + undefinedSets);
    expect(sso.count('DescribePermissionSet')).toBe(3);
    expect(lookup).toBeGreaterThan(before);
  });

  it('reads each set’s tags once in a run, the tag forms of `manages` and the plan sharing them', async () => {
    await made(POLICY);
    sso.emulator.aws.addPermissionSet('Retired', { [OWNERSHIP_TAG]: OWN });
    const s = await session();
    const form = {
      line: 3,
      written: `tag:${OWNERSHIP_TAG}=${OWN}`,
      value: { kind: 'tag' as const, key: OWNERSHIP_TAG, value: OWN },
    };
    const matched = await matchTaggedPermissionSets(s, [form], (_path, _line, lookUp) => lookUp());
    expect(matched.arns.size).toBe(2);
    const planned = await planDefinedSets(s, {
      ...manifest(POLICY),
      own: OWN,
      holders: async () => [],
    });
    expect(planned.plans.map((p) => p.change)).toEqual(['delete']);
    // ReadOnly, Retired and the seeded ReadOnlyAccess and AdministratorAccess: once each.
    expect(sso.count('ListTagsForResource')).toBe(4);
  });
});
