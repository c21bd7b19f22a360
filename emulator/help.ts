// What `npm run emulator -- --help` prints, and the CLI's "seeded:" lines: taken from the seed data
// and the control calls themselves, so the names it lists are the ones the emulator serves.
import { DEFAULT_REGION, seededRoles } from './aws/index.js';
import { Organization } from './aws/organizations/organization.js';
import { SEED_ACCOUNTS, SEED_GROUPS, SEED_PERMISSION_SETS, SEED_USERS } from './aws/account/seed.js';
import { IDENTITY_STORE_ID, INSTANCE_ARN } from './aws/account/model.js';
import { describeSampleDirectory } from './azure/sample-directory.js';
import { SEED } from './azure/tenant/state.js';
import { describeControlCalls } from './control-calls.js';
import { AZURE_AUDIT_CONTAINER, describeExamples } from './examples-seed.js';

const USAGE = `usage: npm run emulator -- [--aws-region REGION] [--aws-write-delay-ms N] [--aws-provision-delay-ms N]
                           [--azure-principal OBJECT_ID:TYPE]... [--outdated PERMISSION_SET[=ACCOUNT,...]]...
                           [--org OU_PATH[=ACCOUNT[:STATUS],...]]... [--azurite] [--write-env FILE]

Starts local GitHub OIDC and REST API (workflow runs), AWS STS, SSO Admin, Identity Store,
Organizations and CloudTrail (LookupEvents), Microsoft Entra, ARM and Microsoft Graph endpoints on
127.0.0.1 (Entra, ARM and Graph over TLS, with a CA made at start: NODE_EXTRA_CA_CERTS).

--aws-region is the one Region the IAM Identity Center instance lives in (default ${DEFAULT_REGION}) and
AWS_REGION: a request signed for another Region finds no instance there, as on AWS (ListInstances
answers none; a call naming the instance or its identity store, ResourceNotFoundException).
--azure-principal adds an Entra principal (TYPE: User, Group, ServicePrincipal, ForeignGroup or
Device) that role assignments can name; it may be repeated. --outdated provisions the permission set
(by name or ARN) to the accounts given and makes it outdated there, for \`operation: provision\`;
without accounts, wherever it is provisioned; it may be repeated. --org replaces the seeded AWS
organization with the OUs and accounts given, e.g. --org Root=123456789012
--org Workloads/Prod=111111111111,222222222222:SUSPENDED --org Sandbox (STATUS: ACTIVE, the default,
SUSPENDED or PENDING_CLOSURE). --azurite starts Azurite too (Microsoft's Azure Storage emulator, a few
seconds more), with a container ${AZURE_AUDIT_CONTAINER} for \`audit-log\` on Azure: EMULATOR_AZURE_AUDIT_LOG is
the input's value. --write-env writes the environment the start prints as KEY=VALUE
lines (GITHUB_ENV's format, and a dotenv file's) once every endpoint listens, with EMULATOR_URL (the
control API's base), EMULATOR_GRAPH_ENDPOINT and EMULATOR_PID.`;

/** The base seed, which every start has and POST /_emulator/reset goes back to. */
export function describeBaseSeed(
  organization = new Organization(),
  region = `${DEFAULT_REGION} unless --aws-region`,
): string[] {
  return [
    `AWS instance ${INSTANCE_ARN}, identity store ${IDENTITY_STORE_ID}, in ${region}`,
    ...seededRoles().map(
      (r) => `  role ${r.arn} trusts ${r.trustedSubjects.join(', ')} (audience ${r.audience})`,
    ),
    `  Identity Store users ${SEED_USERS.join(', ')}; groups ${SEED_GROUPS.join(', ')}`,
    `  permission sets ${SEED_PERMISSION_SETS.join(', ')}`,
    `  accounts ${SEED_ACCOUNTS[0]} … ${SEED_ACCOUNTS.at(-1)} (any 12-digit account is accepted)`,
    `  organization root ${organization.rootId}: ${organization.describe()}`,
    `Azure tenant ${SEED.tenantId} (${SEED.tenantDomain}), subscription ${SEED.subscriptionId} in management group ${SEED.managementGroup}`,
    `  resource groups ${SEED.resourceGroups.join(', ')} (another: POST /_emulator/azure/resource-groups; ARM refuses a role assignment in one that does not exist)`,
    `  the action's app registration cloud-access (client ID ${SEED.clientId}), trusting ${SEED.subject}`,
    'GitHub job token EMULATOR_GITHUB_TOKEN reads octo-org/octo-repo (ID 123456789); no workflow runs until set',
  ];
}

/** What `npm run emulator` adds at every start, beyond the base seed. */
export function describeStartSeed(): string[] {
  return [...describeExamples(), ...describeSampleDirectory()];
}

export function helpText(): string {
  const indent = (lines: string[]) => lines.map((l) => `  ${l}`).join('\n');
  return `${USAGE}

Seeded at every start and after POST /_emulator/reset:
${indent(describeBaseSeed())}

Added at every start by \`npm run emulator\` (what examples/ names, and a directory to try principals by name):
${indent(describeStartSeed())}

Control API on the GitHub endpoint (EMULATOR_URL), JSON bodies:
${describeControlCalls().join('\n')}`;
}
