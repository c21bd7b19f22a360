// The cost of expanding OU and root targets: an organization of 500 accounts in 60 OUs, 4 levels
// deep (every tenth account suspended), expanded from its root through the AWS adapter's
// Organizations reader and the real SDK against the emulator. `npm run bench` reports it;
// `npm run bench:org` prints it alone (and writes nothing).
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { createOrganizationsReader } from '../../src/aws/directory/organizations.js';
import { parseAwsTarget, type AwsTarget } from '../../src/core/inputs/org-targets.js';
import { Deadline } from '../../src/engine/limits/deadline.js';
import { emptyStats } from '../../src/engine/calls/driver.js';
import { generatedOrg } from '../../emulator/aws/organizations/org-seed.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';

export const ORG_SHAPE = { accounts: 500, units: 60, depth: 4 };

export interface OrgExpansionFigures {
  calls: number;
  byOperation: Record<string, number>;
  /** The bound: one call per root or OU per listing page, plus ListRoots. */
  bound: number;
  accounts: number;
  excluded: number;
  ms: number;
}

export async function measureOrgExpansion(emulator: Emulator): Promise<OrgExpansionFigures> {
  emulator.reset();
  emulator.aws.organization.seed(generatedOrg(ORG_SHAPE.accounts, ORG_SHAPE.units, ORG_SHAPE.depth));
  const stats = emptyStats();
  const client = new OrganizationsClient({
    region: 'us-east-1',
    endpoint: emulator.env.AWS_ENDPOINT_URL_ORGANIZATIONS,
    credentials: { ...emulator.aws.staticCredentials },
    maxAttempts: 1,
  });
  const reader = createOrganizationsReader(
    { organizations: () => Promise.resolve(client) },
    { deadline: new Deadline(300) },
    stats,
  );
  const started = Date.now();
  const root = emulator.aws.organization.rootId;
  const expansion = await reader.expandTargets([{ written: root, value: parseAwsTarget(root) as AwsTarget }]);
  const ms = Date.now() - started;
  // Each parent's two listings, one page per 20 items, and ListRoots.
  const pages = (n: number) => Math.max(1, Math.ceil(n / 20));
  const bound =
    1 +
    [...emulator.aws.organization.units.values()].reduce(
      (sum, u) => sum + pages(u.units.length) + pages(u.accounts.length),
      0,
    );
  emulator.reset();
  return {
    calls: Object.values(stats.calls).reduce((a, b) => a + b, 0),
    byOperation: stats.calls,
    bound,
    accounts: expansion.accounts.length,
    excluded: expansion.excluded.length,
    ms,
  };
}

export function describeOrgExpansion(f: OrgExpansionFigures): string {
  const ops = Object.entries(f.byOperation)
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
  return `Expanding the root of an organization of ${ORG_SHAPE.accounts} accounts in ${ORG_SHAPE.units} OUs, ${ORG_SHAPE.depth} levels deep: ${f.calls} Organizations calls (${ops}; the bound, one call per root or OU per listing page plus ListRoots, is ${f.bound}: ${f.calls <= f.bound ? 'met' : 'NOT met'}), ${f.accounts} ACTIVE accounts, ${f.excluded} suspended left out, in ${(f.ms / 1000).toFixed(1)} s at the adapter's pace of 10 calls a second.`;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const emulator = await startEmulator({ quiet: true, azure: false });
  try {
    console.log(describeOrgExpansion(await measureOrgExpansion(emulator)));
  } finally {
    await emulator.close();
  }
}
