// `npm run bench:usage-athena`: what `last-used: true` costs with `usage-source: athena://…`
// (src/aws/usage/athena-sign-ins.ts) for a day's usage at 2,000 users: 10,000 GetRoleCredentials
// events in the emulator's organization trail, read by the adapter in-process through the real SDK
// against the emulated Athena (a query QUEUED for `athenaQueuedMs`, RUNNING for `athenaRunningMs`).
// Prints the Athena calls by operation and the read's wall time, beside what the event history costs
// for the same events: ⌈events / 50⌉ LookupEvents pages at 2 a second (computed, not run: 100 s).
// Counts do not move with the machine's load; times do.
import { startEmulator } from '../../emulator/index.js';
import { identityStoreResourceId } from '../../emulator/aws/account/model.js';
import { readSignInsFromAthena } from '../../src/aws/usage/athena-sign-ins.js';
import { createSsoSession } from '../../src/aws/sso/session.js';
import { parseInputs, type AwsConfig } from '../../src/core/inputs/index.js';
import { Deadline } from '../../src/engine/limits/deadline.js';
import { RateLimiter } from '../../src/engine/limits/limits.js';

const EVENTS = 10_000;
const USERS = 2_000;
const DAY = 86_400_000;

const emulator = await startEmulator({ quiet: true, azure: false });
try {
  for (const name of [
    'AWS_ENDPOINT_URL_SSO_ADMIN',
    'AWS_ENDPOINT_URL_IDENTITYSTORE',
    'AWS_ENDPOINT_URL_ATHENA',
  ])
    process.env[name] = emulator.env[name];
  const aws = emulator.aws;
  const queued = aws.config.athenaQueuedMs;
  const running = aws.config.athenaRunningMs;
  for (let i = 0; i < EVENTS; i++)
    aws.addRoleCredentialsEvent({
      userId: identityStoreResourceId('user', `user-${i % USERS}`),
      accountId: String(100000000000 + (i % 50)),
      roleName: 'ReadOnlyAccess',
      at: Date.now() - DAY + i,
    });
  const inputs: Record<string, string> = {
    cloud: 'aws',
    operation: 'report',
    'aws-region': aws.region,
    'instance-arn': aws.instanceArn,
    'identity-store-id': aws.identityStoreId,
  };
  const settings = parseInputs((name) => inputs[name] ?? '', {}) as AwsConfig;
  const deps = {
    deadline: new Deadline(300),
    requestToken: () => Promise.reject(new Error('the bench signs with the static key')),
    mask: () => undefined,
  };
  const session = createSsoSession(settings, deps, {
    credentials: { ...aws.staticCredentials },
    limiter: new RateLimiter(1000, 1000),
  });
  const started = performance.now();
  const read = await readSignInsFromAthena(
    session,
    deps,
    { kind: 'athena', workgroup: 'primary', database: 'cloudtrail', table: 'org_trail' },
    { source: { kind: 'lookup-events' }, unusedAfterMs: 2 * DAY },
    () => undefined,
  );
  const ms = performance.now() - started;
  const calls: Record<string, number> = {};
  for (const r of emulator.requests.filter((r) => r.service === 'athena'))
    calls[r.operation] = (calls[r.operation] ?? 0) + 1;
  if (read.gaps.length > 0 || read.signIns.length !== EVENTS)
    throw new Error(`the read is not whole: ${read.signIns.length} sign-ins, ${read.gaps.join('; ')}`);
  const pages = Math.ceil(EVENTS / 50);
  console.log(
    `usage, Athena: ${EVENTS} sign-ins (${USERS} users) in ${Object.values(calls).reduce((a, b) => a + b, 0)} calls (${Object.entries(
      calls,
    )
      .map(([op, n]) => `${op} ${n}`)
      .join(
        ', ',
      )}), ${read.pages} result pages, ${(ms / 1000).toFixed(1)} s (the emulated query: ${queued} ms queued, ${running} ms running)`,
  );
  console.log(
    `usage, LookupEvents: the same ${EVENTS} events are ${pages} pages at 2 a second per Region: at least ${pages / 2} s`,
  );
} finally {
  await emulator.close();
}
