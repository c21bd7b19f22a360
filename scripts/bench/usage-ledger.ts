// `npm run bench:usage-ledger`: what `last-used: true` costs with `snapshot` (the usage ledger kept
// in the snapshot, src/aws/usage/ledger-sign-ins.ts) for a day's usage at 2,000 users: a ledger
// whose watermark is a day old, then 10,000 GetRoleCredentials events in that day, beside 10,000
// in the day before it that the ledger already holds, read by the adapter in-process through the
// real SDK against the emulated CloudTrail. Prints the LookupEvents pages the read asked for, against
// ⌈new events / 50⌉ (the fewest pages that hold them) and P19's bound (1.1 × that + 1 per Region),
// and what a read of the whole window would ask for. Pacing is loosened in-process; the time at
// CloudTrail's 2 pages a second is worked out from the pages. Counts do not move with the machine's
// load; times do.
import { startEmulator } from '../../emulator/index.js';
import { identityStoreResourceId } from '../../emulator/aws/account/model.js';
import { readSignInsWithLedger } from '../../src/aws/usage/ledger-sign-ins.js';
import { createSsoSession } from '../../src/aws/sso/session.js';
import { parseInputs, type AwsConfig } from '../../src/core/inputs/index.js';
import { ledgerJson } from '../../src/core/usage/ledger-format.js';
import { mergeLedger, planLedgerReads } from '../../src/core/usage/ledger.js';
import { Deadline } from '../../src/engine/limits/deadline.js';
import { RateLimiter } from '../../src/engine/limits/limits.js';

const EVENTS = 10_000;
const USERS = 2_000;
const DAY = 86_400_000;
const WINDOW = 90 * DAY;

const emulator = await startEmulator({ quiet: true, azure: false });
try {
  for (const name of [
    'AWS_ENDPOINT_URL_SSO_ADMIN',
    'AWS_ENDPOINT_URL_IDENTITYSTORE',
    'AWS_ENDPOINT_URL_CLOUDTRAIL',
  ])
    process.env[name] = emulator.env[name];
  const aws = emulator.aws;
  aws.config.cloudTrailTps = 1000;
  const now = Date.now();
  const watermark = now - DAY;
  const signIn = (i: number, at: number) =>
    aws.addRoleCredentialsEvent({
      userId: identityStoreResourceId('user', `user-${i % USERS}`),
      accountId: String(100000000000 + (i % 50)),
      roleName: 'ReadOnlyAccess',
      at,
    });
  // The day before the watermark: the previous run read these.
  for (let i = 0; i < EVENTS; i++) signIn(i, watermark - DAY + Math.floor((i * DAY) / EVENTS));
  // The day since: new.
  for (let i = 0; i < EVENTS; i++) signIn(i, watermark + 1 + Math.floor((i * (DAY - 60_000)) / EVENTS));
  // The ledger the previous run kept: every Region read to the watermark, from the window's start.
  const region = aws.region;
  const previous = mergeLedger(undefined, {
    instance: aws.instanceArn,
    now: watermark,
    windowMs: WINDOW,
    reads: planLedgerReads(undefined, [region], watermark, WINDOW).map((p) => ({ ...p, signIns: [] })),
    names: { sets: [], users: [] },
  });
  const inputs: Record<string, string> = {
    cloud: 'aws',
    operation: 'report',
    'aws-region': region,
    'instance-arn': aws.instanceArn,
    'identity-store-id': aws.identityStoreId,
  };
  const settings = parseInputs((name) => inputs[name] ?? '', {}) as AwsConfig;
  const deps = {
    deadline: new Deadline(600),
    requestToken: () => Promise.reject(new Error('the bench signs with the static key')),
    mask: () => undefined,
  };
  const session = createSsoSession(settings, deps, {
    credentials: { ...aws.staticCredentials },
    limiter: new RateLimiter(1000, 1000),
    lookupEventsPacer: new RateLimiter(1000, 1000),
  });
  const before = emulator.requests.length;
  const started = performance.now();
  const { read, ledger } = await readSignInsWithLedger(
    session,
    deps,
    { source: { kind: 'lookup-events' }, unusedAfterMs: WINDOW },
    region,
    () => undefined,
    { previous: { value: ledgerJson(previous) }, where: 'the bench', names: { sets: [], users: [] } },
  );
  const ms = performance.now() - started;
  const pages = emulator.requests
    .slice(before)
    .filter(
      (r) => r.operation === 'LookupEvents' && JSON.stringify(r.input ?? {}).includes('GetRoleCredentials'),
    ).length;
  if (read.gaps.length > 0) throw new Error(`the read is not whole: ${read.gaps.join('; ')}`);
  const fewest = Math.ceil(EVENTS / 50);
  const bound = 1.1 * fewest + 1;
  const regions = read.regions.length;
  console.log(
    `usage, ledger: ${EVENTS} new sign-ins (${USERS} users, a day) read in ${pages} LookupEvents page(s) in ${regions} Region(s): ⌈events / 50⌉ = ${fewest}, P19's bound ${bound.toFixed(1)} (${pages <= bound ? 'met' : 'NOT met'}); ${(pages / 2).toFixed(0)} s at 2 pages a second; ${(ms / 1000).toFixed(1)} s in process, pacing loosened; ${ledger.uses.length} use(s) kept`,
  );
  console.log(
    `usage, no ledger: the window's ${2 * EVENTS} events in these two days alone are ${Math.ceil((2 * EVENTS) / 50)} pages (a 90-day window at this rate, ${Math.ceil((90 * EVENTS) / 50)} pages, ${(90 * EVENTS) / 50 / 2 / 60} min at 2 a second)`,
  );
  if (pages > bound) process.exitCode = 1;
} finally {
  await emulator.close();
}
