// The sign-ins read from an Athena table of the organization trail (src/aws/usage/athena-sign-ins.ts),
// through the real SDK client against the emulated Athena: the same last-used columns as the
// event history gives over the same sign-ins, in one query and its result pages; a query that
// FAILED, or still runs at the step's deadline, is evidence not read (said, every row `unknown`),
// never a grant unused.
import { describe, expect, it } from '@jest/globals';
import { readSignInsFromAthena } from '../../../src/aws/usage/athena-sign-ins.js';
import { readSignIns } from '../../../src/aws/usage/sign-ins.js';
import { createSsoSession } from '../../../src/aws/sso/session.js';
import { usageOf, type UsedRow } from '../../../src/core/usage/last-used.js';
import type { UsageRead } from '../../../src/engine/run/access-reader.js';
import {
  ACCOUNT,
  ALICE,
  BOB,
  DEPLOYERS,
  READ_ONLY,
  awsPlan,
  emulatedDeps,
  emulatedSso,
  looseLookupPacing,
} from '../../harness/emulated-sso.js';

const sso = emulatedSso();
const aws = () => sso.emulator.aws;
const DAY = 86_400_000;
const SOURCE = { kind: 'athena' as const, workgroup: 'primary', database: 'cloudtrail', table: 'org_trail' };
const request = (source: typeof SOURCE | { kind: 'lookup-events' } = SOURCE) => ({
  source,
  unusedAfterMs: 90 * DAY,
});
const OTHER_ACCOUNT = '222222222222';

async function session(deadlineSeconds = 30) {
  const { deps, seams } = emulatedDeps(sso, deadlineSeconds);
  const s = createSsoSession({ ...awsPlan(), identityStoreId: aws().identityStoreId }, deps, {
    ...seams,
    ...looseLookupPacing(),
  });
  await s.prepare();
  return { session: s, deps };
}

/** Made before the history read: old enough to be unused over the whole window. */
const OLD = 'before 2025-01-01T00:00:00Z';
const ROWS: UsedRow[] = [
  { principalKind: 'user', principalId: ALICE, roleId: READ_ONLY, targetId: ACCOUNT, grantedAt: OLD },
  { principalKind: 'user', principalId: BOB, roleId: READ_ONLY, targetId: ACCOUNT, grantedAt: OLD },
  {
    principalKind: 'group',
    principalId: DEPLOYERS,
    roleId: READ_ONLY,
    targetId: OTHER_ACCOUNT,
    grantedAt: OLD,
  },
];
const columns = (read: Omit<UsageRead, 'members'>, now: number) =>
  usageOf(ROWS, {
    signIns: read.signIns,
    since: read.since,
    now,
    windowMs: 90 * DAY,
    setNames: [{ id: READ_ONLY, name: 'ReadOnlyAccess' }],
    members: new Map([
      [
        DEPLOYERS.toLowerCase(),
        [
          { id: ALICE, name: 'alice' },
          { id: BOB, name: 'bob' },
        ],
      ],
    ]),
  }).usage;

/** Sign-ins of both formats, and records that are no use. */
function stageSignIns() {
  const base = { accountId: ACCOUNT, roleName: 'ReadOnlyAccess' };
  aws().addRoleCredentialsEvent({ ...base, userId: ALICE, at: Date.now() - 5 * DAY });
  const newest = aws().addRoleCredentialsEvent({ ...base, userId: ALICE, at: Date.now() - 2 * DAY });
  aws().addRoleCredentialsEvent({
    accountId: OTHER_ACCOUNT,
    roleName: 'ReadOnlyAccess',
    userId: BOB,
    at: Date.now() - DAY,
  });
  // None of these is bob's use of ACCOUNT.
  aws().addRoleCredentialsEvent({ ...base, userId: BOB, errorCode: 'ForbiddenException' });
  aws().addRoleCredentialsEvent({ ...base, userId: BOB, eventSource: 'sso.amazonaws.com.example.net' });
  aws().addRoleCredentialsEvent({ ...base, userId: BOB, eventName: 'ListAccountRoles' });
  aws().addRoleCredentialsEvent({
    ...base,
    userId: BOB,
    identityStoreArn: 'arn:aws:identitystore::999999999999:identitystore/d-9999999999',
  });
  aws().addRoleCredentialsEvent({ ...base, format: 'older', userName: 'bob' });
  // Older than the window.
  aws().addRoleCredentialsEvent({ ...base, userId: BOB, at: Date.now() - 100 * DAY });
  return newest;
}

describe('sign-ins from an Athena table of the trail', () => {
  it('give the same last-used columns as the event history, in one query and its result pages', async () => {
    Object.assign(aws().config, { cloudTrailTps: 1000, athenaQueuedMs: 50, athenaRunningMs: 200 });
    const newest = stageSignIns();
    const { session: s, deps } = await session();
    const said: string[] = [];
    const fromHistory = await readSignIns(
      s,
      deps,
      request({ kind: 'lookup-events' }),
      'us-east-1',
      () => undefined,
    );
    const fromAthena = await readSignInsFromAthena(s, deps, SOURCE, request(), (line) => said.push(line));
    const now = Date.now();
    expect(fromAthena.gaps).toEqual([]);
    expect(fromAthena.unread).toBeUndefined();
    // Each read takes its window from its own start: the same evidence, a moment apart.
    expect(Math.abs(fromAthena.since - fromHistory.since)).toBeLessThan(10_000);
    expect(columns({ ...fromAthena, since: fromHistory.since }, now)).toEqual(columns(fromHistory, now));
    expect(columns(fromAthena, now)).toMatchObject([
      { lastUsedEvent: newest.eventId },
      { lastUsed: expect.stringMatching(/^none since /), lastUsedEvent: null },
      { lastUsedBy: 'bob', usedBy: 1 },
    ]);
    // The query asks only for IAM Identity Center's source: a look-alike is not even read.
    expect(fromHistory.notUses).toMatchObject({ error: 1, 'other-instance': 1, 'other-source': 1 });
    expect(fromAthena.notUses).toEqual({ error: 1, 'other-instance': 1 });
    expect(said.join('\n')).toMatch(/one Athena query in workgroup primary over cloudtrail.org_trail/);
    const athena = sso.emulator.requests.filter((r) => r.service === 'athena').map((r) => r.operation);
    expect(athena.filter((o) => o === 'StartQueryExecution')).toHaveLength(1);
    expect(athena.filter((o) => o === 'GetQueryResults')).toHaveLength(1);
    expect(athena.filter((o) => o === 'GetQueryExecution').length).toBeGreaterThanOrEqual(1);
  });

  it('read every result page, the header row only once', async () => {
    Object.assign(aws().config, { athenaQueuedMs: 0, athenaRunningMs: 50 });
    for (let i = 0; i < 1_500; i++)
      aws().addRoleCredentialsEvent({
        accountId: ACCOUNT,
        roleName: 'ReadOnlyAccess',
        userId: ALICE,
        at: Date.now() - DAY - i,
      });
    const { session: s, deps } = await session();
    const read = await readSignInsFromAthena(s, deps, SOURCE, request(), () => undefined);
    expect(read.signIns).toHaveLength(1_500);
    expect(read.pages).toBe(2);
    expect(read.notUses).toEqual({});
  });

  it('a query that FAILED is evidence not read: its reason said, and no sign-in taken', async () => {
    aws().faults.athenaQueryFailures.push('HIVE_BAD_DATA: Error parsing field value');
    Object.assign(aws().config, { athenaQueuedMs: 0, athenaRunningMs: 50 });
    stageSignIns();
    const { session: s, deps } = await session();
    const read = await readSignInsFromAthena(s, deps, SOURCE, request(), () => undefined);
    expect(read.gaps).toEqual([
      expect.stringMatching(/the Athena query \S+ ended FAILED: HIVE_BAD_DATA: Error parsing field value/),
    ]);
    expect(read.unread).toBe(read.gaps[0]);
    expect(read.signIns).toEqual([]);
  });

  it("a workgroup that does not exist is evidence not read, with Athena's answer", async () => {
    const { session: s, deps } = await session();
    const read = await readSignInsFromAthena(
      s,
      deps,
      { ...SOURCE, workgroup: 'nowhere' },
      request(),
      () => undefined,
    );
    expect(read.unread).toMatch(/the Athena query was not started: .*WorkGroup nowhere is not found/);
  });

  it("a query still running at the step's deadline is evidence not read, and no results are asked for", async () => {
    Object.assign(aws().config, { athenaQueuedMs: 100, athenaRunningMs: 60_000 });
    const { session: s, deps } = await session(2);
    const started = Date.now();
    const read = await readSignInsFromAthena(s, deps, SOURCE, request(), () => undefined);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(read.unread).toMatch(/the Athena query \S+ had not ended at the step's deadline/);
    expect(sso.emulator.requests.filter((r) => r.operation === 'GetQueryResults')).toEqual([]);
  });
});
