// `npm run emulator`: starts the emulator, prints the endpoints and the environment that points
// the SDKs and the action at it, and stays up until SIGINT / SIGTERM.
import { parseArgs } from 'node:util';
import { startEmulator } from './index.js';

const { values } = parseArgs({
  options: {
    'aws-write-delay-ms': { type: 'string' },
    'aws-provision-delay-ms': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(`usage: npm run emulator -- [--aws-write-delay-ms N] [--aws-provision-delay-ms N]

Starts local GitHub OIDC, AWS STS, SSO Admin and Identity Store, Microsoft Entra and ARM
endpoints on 127.0.0.1 (Entra and ARM over TLS, with a CA made at start: NODE_EXTRA_CA_CERTS).
Control API on the GitHub endpoint: GET /_emulator/requests, GET /_emulator/state,
POST /_emulator/faults (JSON merged into the AWS faults; "github" and "azure" objects into
theirs), POST /_emulator/config (likewise into aws.config, "azure" into azure.config),
POST /_emulator/complete-held-requests (AWS requests held by a long write delay
complete now), POST /_emulator/reset.`);
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

const writeDelay = milliseconds('aws-write-delay-ms', values['aws-write-delay-ms']);
const provisionDelay = milliseconds('aws-provision-delay-ms', values['aws-provision-delay-ms']);
const emulator = await startEmulator({
  quiet: true,
  ...(writeDelay !== undefined ? { awsWriteDelayMs: writeDelay } : {}),
  ...(provisionDelay !== undefined ? { awsProvisionDelayMs: provisionDelay } : {}),
});

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
console.log('');
console.log('# point the SDKs and the action at the emulator:');
for (const [key, value] of Object.entries(emulator.env)) console.log(`export ${key}=${shellQuote(value)}`);
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
