// Expanding OU and root targets with the real Organizations SDK client against the emulator: the
// calls it costs, pagination, overlapping targets read once, throttling retried, errors explained.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { createOrganizationsReader } from '../../../src/aws/directory/organizations.js';
import type { Parsed } from '../../../src/core/inputs/grants.js';
import { parseAwsTarget, type AwsTarget } from '../../../src/core/inputs/org-targets.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats } from '../../../src/engine/calls/driver.js';
import { generatedOrg } from '../../../emulator/aws/organizations/org-seed.js';
import { startEmulator, type Emulator } from '../../../emulator/index.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

function reader() {
  const stats = emptyStats();
  const client = new OrganizationsClient({
    region: 'eu-west-1',
    endpoint: emulator.env.AWS_ENDPOINT_URL_ORGANIZATIONS,
    credentials: { ...emulator.aws.staticCredentials },
    maxAttempts: 1,
  });
  const organizations = () => Promise.resolve(client);
  return {
    stats,
    reader: createOrganizationsReader({ organizations }, { deadline: new Deadline(60) }, stats),
  };
}
const targets = (...written: string[]): Parsed<AwsTarget>[] =>
  written.map((w) => ({ written: w, value: parseAwsTarget(w) as AwsTarget }));

describe('expanding targets with Organizations', () => {
  it('500 accounts in 60 OUs, 4 levels deep: one call per root or OU per listing page, plus ListRoots', async () => {
    emulator.aws.organization.seed(generatedOrg(500, 60, 4));
    const { stats, reader: org } = reader();
    const expansion = await org.expandTargets(targets('r-emu1'));
    expect(expansion.accounts).toHaveLength(450);
    expect(expansion.excluded).toHaveLength(50);
    expect(expansion.excluded.every((x) => x.status === 'SUSPENDED')).toBe(true);
    // 61 parents (the root and 60 OUs), each with at most 20 accounts and 20 child OUs: one page each.
    // A loaded machine can bunch calls into a throttled one, retried: attempts less retries count.
    const { ListRoots = 0, ListOrganizationalUnitsForParent = 0, ListAccountsForParent = 0 } = stats.calls;
    expect(ListRoots).toBeGreaterThanOrEqual(1);
    expect(ListOrganizationalUnitsForParent).toBeGreaterThanOrEqual(61);
    expect(ListAccountsForParent).toBeGreaterThanOrEqual(61);
    expect(ListRoots + ListOrganizationalUnitsForParent + ListAccountsForParent - stats.retries).toBe(123);
  });

  it('reads every page of a parent with more than 20 accounts', async () => {
    emulator.aws.organization.seed({
      units: { Big: { accounts: Array.from({ length: 45 }, (_, i) => String(300000000000 + i)) } },
    });
    const { stats, reader: org } = reader();
    expect((await org.expandTargets(targets('Root/Big'))).accounts).toHaveLength(45);
    expect(stats.calls.ListAccountsForParent).toBe(4); // the root's, and three pages of Big's
  });

  it('overlapping targets read each parent once', async () => {
    const { stats, reader: org } = reader();
    const prod = emulator.aws.organization.ouId('Root/Workloads/Prod');
    const expansion = await org.expandTargets(
      targets('r-emu1', 'Root/Workloads', prod, 'Root/Workloads/Prod'),
    );
    expect(expansion.accounts.sort()).toEqual([
      '111111111111',
      '123456789012',
      '222222222222',
      '333333333333',
    ]);
    const parents = emulator.requests
      .filter((r) => r.operation === 'ListAccountsForParent')
      .map((r) => r.input?.ParentId);
    expect(new Set(parents).size).toBe(parents.length);
    expect(stats.calls.ListRoots).toBe(1);
  });

  it('throttled reads (TooManyRequestsException) are retried', async () => {
    emulator.aws.faults.throttleRate = 0.3;
    const { stats, reader: org } = reader();
    expect((await org.expandTargets(targets('Root/Workloads'))).accounts).toEqual([
      '111111111111',
      '222222222222',
      '333333333333',
    ]);
    expect(stats.throttled).toBeGreaterThan(0);
  });

  it('an OU of another organization is named as not found', async () => {
    const { reader: org } = reader();
    await expect(org.expandTargets(targets('ou-zzzz-zzzzzzzz'))).rejects.toMatchObject({
      message: 'target `ou-zzzz-zzzzzzzz`: no root or OU with this ID is in the organization',
      input: 'target',
    });
  });

  it('AccessDenied names every permission the expansion needs and where the role must be', async () => {
    emulator.aws.faults.accessDenied = ['ListOrganizationalUnitsForParent'];
    const { reader: org } = reader();
    const error = (await org.expandTargets(targets('Root/Workloads')).then(
      () => new Error('expected a denial'),
      (e: unknown) => e as Error,
    )) as Error & { fix: string };
    expect(error.message).toMatch(/^organizations:ListOrganizationalUnitsForParent was denied/);
    for (const permission of [
      'ListRoots',
      'ListOrganizationalUnitsForParent',
      'ListAccountsForParent',
      'ListChildren',
      'DescribeOrganizationalUnit',
    ])
      expect(error.fix).toContain(`\`organizations:${permission}\``);
    expect(error.fix).toContain(
      "the organization's management account or in a delegated administrator account",
    );
  });
});
