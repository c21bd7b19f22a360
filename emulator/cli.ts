// `npm run emulator`: starts the emulator, prints the endpoints and the environment that points
// the SDKs and the action at it, and stays up until SIGINT / SIGTERM. With --write-env it also
// writes that environment as KEY=VALUE lines, the format of GITHUB_ENV and of a dotenv file, once
// every endpoint listens (scripts/emulator/start.ts waits for that file).
import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { actionInputs } from './action-inputs.js';
import { orgSeedFromSpecs } from './aws/organizations/org-seed.js';
import { markOutdated } from './control.js';
import { seedSampleDirectory } from './azure/sample-directory.js';
import { seedExamples } from './examples-seed.js';
import { seedAzuriteContainer } from './azurite-seed.js';
import { describeBaseSeed, describeStartSeed, helpText } from './help.js';
import { startEmulator } from './index.js';
import { isGuid } from './azure/tenant/scope.js';
import { PRINCIPAL_TYPES, type PrincipalType } from './azure/tenant/directory.js';

const { values } = parseArgs({
  options: {
    'aws-region': { type: 'string' },
    'aws-write-delay-ms': { type: 'string' },
    'aws-provision-delay-ms': { type: 'string' },
    'azure-principal': { type: 'string', multiple: true },
    outdated: { type: 'string', multiple: true },
    org: { type: 'string', multiple: true },
    'write-env': { type: 'string' },
    azurite: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(helpText());
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
const region = values['aws-region'];
if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
  console.error(`--aws-region takes an AWS Region such as us-east-1, got "${region}"`);
  process.exit(2);
}
const emulator = await startEmulator({
  quiet: true,
  ...(region !== undefined ? { awsRegion: region } : {}),
  ...(writeDelay !== undefined ? { awsWriteDelayMs: writeDelay } : {}),
  ...(provisionDelay !== undefined ? { awsProvisionDelayMs: provisionDelay } : {}),
  // Azurite only when asked: it adds seconds to every start.
  ...(values.azurite ? { azurite: true } : {}),
});
if (orgSeed) emulator.aws.organization.seed(orgSeed);
// What examples/ and the .env files of `npm run emulator:start` name, so that each runs as it is.
seedExamples(emulator);
// A directory to try principals by name on (alice@contoso.com, group:Deployers, sp:deploy-bot …).
if (emulator.azure) seedSampleDirectory(emulator.azure);
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

const azureAuditLog = await seedAzuriteContainer(emulator).catch(async (error: unknown) => {
  console.error(`--azurite: its container could not be made: ${(error as Error).message}`);
  // Azurite is a child process: closing the emulator stops it.
  await emulator.close();
  process.exit(2);
});

/** The environment to point the SDKs and the action at the emulator, and where its control API is. */
const environment: Record<string, string> = {
  // `audit-log`'s value on Azure, with --azurite: the container in Azurite.
  ...(azureAuditLog ? { EMULATOR_AZURE_AUDIT_LOG: azureAuditLog } : {}),
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
console.log('seeded:');
for (const line of describeBaseSeed(emulator.aws.organization, emulator.aws.region)) console.log(`  ${line}`);
for (const line of describeStartSeed()) console.log(`  ${line}`);
for (const { id, type } of principals) console.log(`  Azure principal ${id} (${type})`);
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
