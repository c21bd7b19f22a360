// Organizations answers that try to widen a grant or stall the step: a path segment that two
// sibling OUs answer to, an OU listed under its own descendant (a loop in what should be a tree),
// an OU listed under two parents, and a NextToken that never ends. The emulator's tree is edited
// behind its API, as a hostile or buggy server would answer; the token loop is a stub client.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { createOrganizationsReader } from '../../../src/aws/directory/organizations.js';
import type { AwsClients } from '../../../src/aws/sdk/clients.js';
import type { Parsed } from '../../../src/core/inputs/grants.js';
import { parseAwsTarget, type AwsTarget } from '../../../src/core/inputs/org-targets.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats } from '../../../src/engine/calls/driver.js';
import { startEmulator, type Emulator } from '../../../emulator/index.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

function reader(seconds = 20) {
  const client = new OrganizationsClient({
    region: 'eu-west-1',
    endpoint: emulator.env.AWS_ENDPOINT_URL_ORGANIZATIONS,
    credentials: { ...emulator.aws.staticCredentials },
    maxAttempts: 1,
  });
  return createOrganizationsReader(
    { organizations: () => Promise.resolve(client) },
    { deadline: new Deadline(seconds) },
    emptyStats(),
  );
}
const targets = (...written: string[]): Parsed<AwsTarget>[] =>
  written.map((w) => ({ written: w, value: parseAwsTarget(w) as AwsTarget }));
const org = () => emulator.aws.organization;
const unit = (path: string) => org().units.get(org().ouId(path))!;

describe('a hostile organization tree', () => {
  it('a path segment that two sibling OUs answer to is an error listing both, not the first one', async () => {
    // A second `Prod` under Workloads, holding an account the first does not.
    const twin = 'ou-emu1-99999999';
    org().units.set(twin, {
      id: twin,
      name: 'Prod',
      units: [],
      accounts: [{ id: '555555555555', name: 'other', status: 'ACTIVE' }],
    });
    unit('Root/Workloads').units.unshift(twin);
    const failure = await reader()
      .expandTargets(targets('Root/Workloads/Prod'))
      .catch((e: unknown) => e as Error);
    expect(String(failure)).toContain(
      `target \`Root/Workloads/Prod\`: Root/Workloads has 2 OUs named \`Prod\` (${twin}, ${org().ouId('Root/Workloads/Prod')})`,
    );
    expect((failure as { fix?: string }).fix).toMatch(/give the OU ID/);
  });

  it('an OU listed under its own descendant ends the expansion with an error, not a walk without end', async () => {
    // Prod answers that Workloads is under it: Workloads → Prod → Workloads → …
    unit('Root/Workloads/Prod').units.push(org().ouId('Root/Workloads'));
    const failure = await reader()
      .expandTargets(targets(org().ouId('Root/Workloads/Prod')))
      .catch((e: unknown) => e as Error);
    expect(String(failure)).toMatch(
      /Organizations listed OU ou-\S+ more than once .*not a tree.*; nothing was granted or revoked/,
    );
  }, 10_000);

  it('an OU listed under two parents is an error: accounts not under the asked OU are never added', async () => {
    // Prod answers that Dev (a sibling, under Workloads) is under it too: Dev's account is not Prod's.
    unit('Root/Workloads/Prod').units.push(org().ouId('Root/Workloads/Dev'));
    const failure = await reader()
      .expandTargets(targets('Root/Workloads/Prod'))
      .catch((e: unknown) => e as Error);
    expect(String(failure)).toMatch(
      /Organizations listed OU ou-\S+ more than once .*not a tree.*; nothing was granted or revoked/,
    );
  });
});

describe('what a tree may answer', () => {
  it('an OU listed twice by its own parent (pages that shifted) is walked once, not refused', async () => {
    unit('Root/Workloads').units.push(org().ouId('Root/Workloads/Prod'));
    const expansion = await reader().expandTargets(targets('Root/Workloads'));
    expect(expansion.accounts).toEqual(['111111111111', '222222222222', '333333333333']);
  });
});

describe('a NextToken that never ends', () => {
  it('a token answered twice for one listing ends it with an error naming the operation, long before the deadline', async () => {
    let calls = 0;
    const client = {
      send: (command: { constructor: { name: string } }) => {
        calls++;
        const name = command.constructor.name;
        if (name === 'ListRootsCommand') return Promise.resolve({ Roots: [{ Id: 'r-ab12', Name: 'Root' }] });
        return Promise.resolve({ OrganizationalUnits: [], Accounts: [], NextToken: 'again' });
      },
    } as unknown as OrganizationsClient;
    const clients: Pick<AwsClients, 'organizations'> = { organizations: () => Promise.resolve(client) };
    const failure = await createOrganizationsReader(clients, { deadline: new Deadline(20) }, emptyStats())
      .expandTargets(targets('r-ab12'))
      .catch((e: unknown) => e as Error);
    // Ended by the token answered twice, not by the 20 s deadline: a few calls, not a retry loop.
    expect(calls).toBeLessThan(10);
    expect(String(failure)).toMatch(/Organizations answered the same NextToken twice for List\w+ of r-ab12/);
  }, 30_000);
});
