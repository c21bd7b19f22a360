// `npm run emulator`: starts the emulator, prints the endpoints and the environment that points
// the SDKs and the action at it, and stays up until SIGINT / SIGTERM. With --write-env it also
// writes that environment as KEY=VALUE lines, the format of GITHUB_ENV and of a dotenv file, once
// every endpoint listens (scripts/start-emulator.ts waits for that file).
import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { actionInputs } from './action-inputs.js';
import { orgSeedFromSpecs } from './aws/org-seed.js';
import { markOutdated } from './control.js';
import { describeExamples, seedExamples } from './examples-seed.js';
import { startEmulator } from './index.js';
import { isGuid } from './azure/scope.js';
import { PRINCIPAL_TYPES, type PrincipalType } from './azure/directory.js';

const { values } = parseArgs({
  options: {
    'aws-write-delay-ms': { type: 'string' },
    'aws-provision-delay-ms': { type: 'string' },
    'azure-principal': { type: 'string', multiple: true },
    outdated: { type: 'string', multiple: true },
    org: { type: 'string', multiple: true },
    'write-env': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(`usage: npm run emulator -- [--aws-write-delay-ms N] [--aws-provision-delay-ms N]
                           [--azure-principal OBJECT_ID:TYPE]... [--outdated PERMISSION_SET[=ACCOUNT,...]]...
                           [--org OU_PATH[=ACCOUNT[:STATUS],...]]... [--write-env FILE]

Starts local GitHub OIDC and REST API (workflow runs), AWS STS, SSO Admin, Identity Store,
Organizations and CloudTrail (LookupEvents), Microsoft Entra and ARM endpoints on 127.0.0.1 (Entra
and ARM over TLS, with a CA made at start: NODE_EXTRA_CA_CERTS).
Control API on the GitHub endpoint: GET /_emulator/requests, GET /_emulator/state,
POST /_emulator/faults (JSON merged into the AWS faults; "github" and "azure" objects into
theirs), POST /_emulator/config (likewise into aws.config, "azure" into azure.config),
POST /_emulator/complete-held-requests (AWS requests held by a long write delay
complete now), POST /_emulator/aws/outdated ({"permissionSet": name or ARN, "accounts": [...]}),
POST /_emulator/azure/principals ({"type": "Group", "id": optional object ID}: answers the ID),
POST /_emulator/aws/organization ({"specs": ["Workloads/Prod=111111111111,…", …]}, as --org),
POST /_emulator/azure/directory ({"user"|"group"|"application"|"managedIdentity": {...}}: a Graph object),
POST /_emulator/aws/cloudtrail-events ({"eventName", "principalArn", "at"?, …}: a CloudTrail event),
POST /_emulator/aws/create-assignment-as and …/delete-assignment-as ({"accountId", "permissionSet",
"principalType", "principal", "caller": {"principalArn", "sessionName"?}, "at"?}: another identity's write),
POST /_emulator/github/runs ({"repository", "repositoryId"?, "runId", "attempt"?, "status", "conclusion"?}),
POST /_emulator/github/tokens ({"token"?, "repositories": [...]}), POST /_emulator/github/rate-limit,
POST /_emulator/reset.

--azure-principal adds an Entra principal (TYPE: User, Group, ServicePrincipal, ForeignGroup or
Device) that role assignments can name; it may be repeated. --outdated provisions the permission set
(by name or ARN) to the accounts given and makes it outdated there, for \`operation: provision\`;
without accounts, wherever it is provisioned; it may be repeated. --org replaces the seeded AWS
organization (Root/Workloads/Prod and Dev, Root/Sandbox, one suspended account) with the OUs and
accounts given, e.g. --org Root=123456789012 --org Workloads/Prod=111111111111,222222222222:SUSPENDED
--org Sandbox (STATUS: ACTIVE, the default, SUSPENDED or PENDING_CLOSURE). --write-env writes the environment
below as KEY=VALUE lines (GITHUB_ENV's format, and a dotenv file's) once every endpoint listens,
with EMULATOR_URL (the control API's base), EMULATOR_GRAPH_ENDPOINT and EMULATOR_PID.

Besides the base seed below, every start seeds what examples/ names (emulator/examples-seed.ts):
the DeployAccess permission set tagged team=platform, ReadOnlyAccess outdated in 222222222222, the
roles cloud-access-provisioner, access-plan, access-apply and access-review, an Entra deploy identity and the
groups app-owners and app-readers. POST /_emulator/reset goes back to the base seed.`);
  process.exit(0);
}

function milliseconds(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${flag} must be a whole number of milliseconds, got "${value}"`);
    process.exit(2);
  }
  return n;
}

function azurePrincipal(value: string): { id: string; type: PrincipalType } {
  const [id = '', type = ''] = value.split(':');
  const known = PRINCIPAL_TYPES.find((t) => t.toLowerCase() === type.toLowerCase());
  if (!isGuid(id) || !known) {
    console.error(
      `--azure-principal takes OBJECT_ID:TYPE (a GUID, then one of ${PRINCIPAL_TYPES.join(', ')}), got "${value}"`,
    );
    process.exit(2);
  }
  return { id, type: known };
}

/** `ReadOnlyAccess` or `ReadOnlyAccess=111111111111,222222222222` (an ARN in place of the name). */
function outdated(value: string): { permissionSet: string; accounts: string[] | undefined } {
  const [permissionSet = '', accountList, ...rest] = value.split('=');
  const accounts = accountList?.split(',').map((a) => a.trim());
  if (!permissionSet || rest.length > 0 || (accounts && !accounts.every((a) => /^\d{12}$/.test(a)))) {
    console.error(
      `--outdated takes PERMISSION_SET or PERMISSION_SET=ACCOUNT,ACCOUNT (12-digit account IDs), got "${value}"`,
    );
    process.exit(2);
  }
  return { permissionSet, accounts };
}

const principals = (values['azure-principal'] ?? []).map(azurePrincipal);
const outdatedSets = (values.outdated ?? []).map(outdated);
let orgSeed: ReturnType<typeof orgSeedFromSpecs> | undefined;
try {
  orgSeed = values.org ? orgSeedFromSpecs(values.org) : undefined;
} catch (error) {
  console.error(`--org ${(error as Error).message}`);
  process.exit(2);
}
const writeDelay = milliseconds('aws-write-delay-ms', values['aws-write-delay-ms']);
const provisionDelay = milliseconds('aws-provision-delay-ms', values['aws-provision-delay-ms']);
const emulator = await startEmulator({
  quiet: true,
  ...(writeDelay !== undefined ? { awsWriteDelayMs: writeDelay } : {}),
  ...(provisionDelay !== undefined ? { awsProvisionDelayMs: provisionDelay } : {}),
});
if (orgSeed) emulator.aws.organization.seed(orgSeed);
// What examples/ and the .env files of `npm run emulator:start` name, so that each runs as it is.
seedExamples(emulator);
// Created at time 0: replicated long ago, as a principal that already exists in a tenant is.
for (const { id, type } of principals) emulator.azure?.addPrincipal({ id, type, createdAt: 0 });
for (const { permissionSet, accounts } of outdatedSets) {
  try {
    markOutdated(emulator.aws, permissionSet, accounts);
  } catch (error) {
    console.error(`--outdated ${permissionSet}: ${(error as Error).message}`);
    await emulator.close();
    process.exit(2);
  }
}

/** The environment to point the SDKs and the action at the emulator, and where its control API is. */
const environment: Record<string, string> = {
  ...emulator.env,
  // The action's `graph-endpoint` input, for principals by name (the action reads it from no variable).
  ...(emulator.endpoints.graph ? { EMULATOR_GRAPH_ENDPOINT: emulator.endpoints.graph } : {}),
  EMULATOR_URL: emulator.endpoints.github!,
  EMULATOR_PID: String(process.pid),
};
const envFile = values['write-env'];
if (envFile) {
  // Whole or not at all: a reader polling for the file never sees half of it.
  const partial = `${envFile}.${process.pid}.partial`;
  writeFileSync(
    partial,
    Object.entries(environment)
      .map(([key, value]) => `${key}=${value}\n`)
      .join(''),
  );
  renameSync(partial, envFile);
}

const shellQuote = (value: string) =>
  /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
console.log('cloud-access emulator');
for (const [name, url] of Object.entries(emulator.endpoints)) console.log(`  ${name.padEnd(14)} ${url}`);
console.log(`  ${'control'.padEnd(14)} ${emulator.endpoints.github}/_emulator/state`);
console.log('');
console.log(`seeded: instance ${emulator.aws.instanceArn}, identity store ${emulator.aws.identityStoreId}`);
console.log(
  `  role ${emulator.aws.roles[0]?.arn ?? ''} trusts ${emulator.aws.roles[0]?.trustedSubjects.join(', ') ?? ''}`,
);
console.log('  users alice, bob, carol; groups Deployers, Auditors, Platform');
console.log('  permission sets AdministratorAccess, ReadOnlyAccess, PowerUserAccess, ViewOnlyAccess');
for (const line of describeExamples()) console.log(`  ${line}`);
console.log(
  '  GitHub job token EMULATOR_GITHUB_TOKEN reads octo-org/octo-repo (ID 123456789); no workflow runs until set',
);
for (const { id, type } of principals) console.log(`  Azure principal ${id} (${type})`);
console.log(
  `  organization root ${emulator.aws.organization.rootId}: ${emulator.aws.organization.describe()}`,
);
for (const { permissionSet, accounts } of outdatedSets)
  console.log(
    `  ${permissionSet} outdated in ${accounts?.join(', ') ?? 'every account where it is provisioned'}`,
  );
console.log('');
console.log("# the action's inputs: it reads the AWS endpoints from the environment, never Azure's");
for (const line of actionInputs(emulator)) console.log(line);
console.log('');
console.log('# point the SDKs and the action at the emulator:');
for (const [key, value] of Object.entries(environment)) console.log(`export ${key}=${shellQuote(value)}`);
console.log('# or, for the ambient credential chain instead of role-to-assume:');
console.log(`#   export AWS_ACCESS_KEY_ID=${emulator.aws.staticCredentials.accessKeyId}`);
console.log(`#   export AWS_SECRET_ACCESS_KEY=${shellQuote(emulator.aws.staticCredentials.secretAccessKey)}`);
console.log('');
console.log('Ctrl-C to stop.');

const stop = async (signal: string) => {
  console.log(`\n${signal}: stopping (${emulator.requests.length} request(s) served)`);
  await emulator.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));
