// When a step's fences no longer fit one per account (about 35 live fences fill a set's inline
// policy), they over-fence rather than fail: one fence across the step's accounts, provisioned to
// each of them only, said in the log; kept while live and removed when expired like any fence of
// the action; never lost to a sibling's fence of the same second; and only when even that does not
// fit is nothing written, with the warning naming the limit. Over the emulated IAM Identity Center
// through the real SDK.
import { fenceOf } from '../../../src/core/permission-sets/session-fence-results.js';
import { describe, expect, it } from '@jest/globals';
import { AWS_KINDS } from '../../../src/aws/kinds.js';
import { readInlinePolicy } from '../../../src/aws/permission-sets/fence-policy.js';
import { putFences, type FenceWrite } from '../../../src/aws/permission-sets/fence-put.js';
import { sweepExpiredFences } from '../../../src/aws/permission-sets/fence-sweep.js';
import type { SsoSession } from '../../../src/aws/sso/session.js';
import { effectNoticesOf, effectWarningsOf, grantLogTitle } from '../../../src/core/output/results.js';
import {
  fencedPolicy,
  mergedFence,
  policyText,
  type FencedPolicy,
} from '../../../src/core/permission-sets/fenced-policy.js';
import { OWNERSHIP_TAG } from '../../../src/core/permission-sets/fields.js';
import { MAX_POLICY_CHARACTERS_WITHOUT_WHITESPACE } from '../../../src/core/permission-sets/inline-policy.js';
import {
  fenceFor,
  fenceSid,
  fenceStatement,
  type SessionFence,
} from '../../../src/core/permission-sets/session-fence.js';
import { AuditTrail } from '../../../src/engine/audit/trail.js';
import type { AuditSink } from '../../../src/engine/audit/sink.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { runGrants } from '../../../src/engine/run/run-grants.js';
import { ALICE, BOB, READ_ONLY, awsPlan, emulatedSso } from '../../harness/emulated-sso.js';
import { OWN, preparedSession, seedSet } from './fixture.js';

const sso = emulatedSso();
const HOUR = 3600;
const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
/** An account of the set the step revokes nothing in: provisioned, and never provisioned by the step. */
const UNTOUCHED = '200000000000';
const FACTS = { name: 'ReadOnlyAccess', sessionSeconds: HOUR, fenced: true };

/** One fence of one user, as it counts towards the limit (its comma included). */
const ONE_FENCE =
  JSON.stringify(fenceStatement(fenceFor(READ_ONLY, ACCOUNTS[0]!, Date.now(), HOUR, [ALICE]))).length + 1;
const sizeOf = (policy: FencedPolicy) => (policyText(policy) ?? '').replace(/\s/g, '').length;
const own = { Sid: 'Own', Effect: 'Allow', Action: 's3:GetObject', Resource: '' };

/** 30 live fences of Bob, each in its own account (none of the step's), and the set's own statement, leaving `room` characters. */
function nearlyFull(room: number): string {
  const fences = Array.from({ length: 30 }, (_, i) =>
    fenceFor(READ_ONLY, `2000000000${String(i).padStart(2, '0')}`, Date.now() - 60_000, HOUR, [BOB]),
  );
  const statement = { ...own, Resource: '' };
  const policy = { version: '2012-10-17', others: [statement], fences };
  statement.Resource = 'x'.repeat(MAX_POLICY_CHARACTERS_WITHOUT_WHITESPACE - room - sizeOf(policy));
  return policyText(policy)!;
}

/** ReadOnlyAccess owned, holding `inlinePolicy`, Alice and Bob assigned in each of ACCOUNTS; a session per step. */
async function world(inlinePolicy: string, steps = 1): Promise<SsoSession[]> {
  sso.emulator.aws.config.writeDelayMs = 0;
  seedSet(sso, READ_ONLY, { inlinePolicy, tags: { [OWNERSHIP_TAG]: OWN } });
  // Bob keeps the set in each: Identity Center keeps it provisioned there after Alice's revoke.
  for (const account of ACCOUNTS) {
    sso.addAssignment(ALICE, READ_ONLY, account);
    sso.addAssignment(BOB, READ_ONLY, account);
  }
  sso.provision(READ_ONLY, Object.fromEntries([...ACCOUNTS, UNTOUCHED].map((a) => [a, 'current' as const])));
  return Promise.all(Array.from({ length: steps }, () => preparedSession(sso, { operation: 'revoke' })));
}

async function revokeEverywhere(s: SsoSession) {
  const config = awsPlan({ operation: 'revoke', target: ACCOUNTS.join(',') });
  const deadline = new Deadline(30);
  const driver = AWS_KINDS['aws-account-assignment'].driver(config, s, { deadline });
  const rows = await runGrants(config.grants, driver, {
    operation: 'revoke',
    dryRun: false,
    wait: true,
    maxConcurrency: 5,
    deadline,
  });
  // Each row with what its fence added, beside its own fields, as its `results` entry shows it.
  return rows.map((r) => ({ ...r, ...fenceOf(r) }));
}

/** A promise and the call that settles it. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const policyNow = async (s: SsoSession) =>
  fencedPolicy(await readInlinePolicy(s, READ_ONLY), READ_ONLY) as FencedPolicy;
const provisionedTo = () =>
  sso
    .inputsOf('ProvisionPermissionSet')
    .map((i) => i.TargetId)
    .sort();

describe('a revoke on a set whose inline policy is nearly full of live fences', () => {
  it('writes one fence across the step’s accounts, provisions each of them only, and the log names them and the over-fencing', async () => {
    const [s] = await world(nearlyFull(2 * ONE_FENCE));
    const before = await policyNow(s!);
    const rows = await revokeEverywhere(s!);
    expect(rows.every((r) => r.status === 'SUCCEEDED' && r.fenceError === undefined)).toBe(true);
    const policy = await policyNow(s!);
    expect(policy.others).toEqual(before.others);
    expect(policy.fences.slice(0, -1)).toEqual(before.fences);
    const fence = policy.fences.at(-1)!;
    expect(fence).toMatchObject({ accounts: ACCOUNTS, userIds: [ALICE] });
    expect(sso.count('PutInlinePolicyToPermissionSet')).toBe(1);
    expect(provisionedTo()).toEqual(ACCOUNTS);
    for (const account of [...ACCOUNTS, UNTOUCHED])
      expect(sso.provisioningStatus(READ_ONLY, account)).toBe(
        account === UNTOUCHED ? 'LATEST_PERMISSION_SET_NOT_PROVISIONED' : 'LATEST_PERMISSION_SET_PROVISIONED',
      );
    // Each row's results entry names the accounts; its log line names them and what else ends.
    expect(rows.map((r) => r.sessionsEnded?.account).sort()).toEqual(ACCOUNTS);
    for (const row of rows) {
      expect(row.sessionsEnded).toMatchObject({ before: fence.before, accounts: ACCOUNTS });
      expect(grantLogTitle(row, false)).toContain(
        `; live sessions ended (issued before ${fence.before.slice(11)}) by one fence across 3 accounts (${ACCOUNTS.join(', ')})`,
      );
    }
    const notices = effectNoticesOf(rows);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`in each of ${ACCOUNTS.join(', ')}`);
    expect(notices[0]).toContain('these users sign in again where they still hold it');
  });

  it('writes nothing when even one fence across its accounts does not fit, and warns naming the limit', async () => {
    const full = nearlyFull(ONE_FENCE - 40);
    const [s] = await world(full);
    const rows = await revokeEverywhere(s!);
    expect(rows.every((r) => r.status === 'SUCCEEDED' && r.sessionsEnded === undefined)).toBe(true);
    expect(rows.every((r) => r.sessionsLiveUntil !== undefined)).toBe(true);
    expect(sso.count('PutInlinePolicyToPermissionSet')).toBe(0);
    expect(sso.count('ProvisionPermissionSet')).toBe(0);
    expect(await readInlinePolicy(s!, READ_ONLY)).toBe(full);
    const warnings = effectWarningsOf(rows);
    expect(warnings).toHaveLength(3);
    for (const warning of warnings) {
      expect(warning).toContain("past IAM's 10,240 characters (without whitespace)");
      expect(warning).toContain("with the step's fences of the set across its accounts");
    }
  });
});

describe('a fence across accounts, once expired', () => {
  it('is taken out like any of the action’s, provisioned to each account it named, with a results entry and an audit record naming them', async () => {
    const long = Date.now() - 24 * 3600_000;
    const expired = mergedFence(ACCOUNTS.map((a) => fenceFor(READ_ONLY, a, long, HOUR, [ALICE])));
    const live = fenceFor(READ_ONLY, UNTOUCHED, Date.now(), HOUR, [BOB]);
    const [s] = await world(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [own, fenceStatement(expired), fenceStatement(live)],
      }),
    );
    const records: Record<string, unknown>[] = [];
    const sink: AuditSink = {
      where: '`s3://audit/x`',
      prefix: 'x',
      permission: '`s3:PutObject`',
      putOnce: async (_key, body) => {
        records.push(JSON.parse(body) as Record<string, unknown>);
        return 'written';
      },
    };
    const step = { step: 'main' as const, operation: 'sweep' as const, run: {} };
    const audit = new AuditTrail(sink, step, () => undefined, { deadline: new Deadline(30) });
    const swept = await sweepExpiredFences(s!, [READ_ONLY], {
      now: Date.now(),
      dryRun: false,
      bound: { deadline: new Deadline(30) },
      audit,
    });
    await audit.settled();
    expect(swept.failed).toBeUndefined();
    expect(swept.results).toEqual([
      expect.objectContaining({ sid: fenceSid(expired), accounts: ACCOUNTS, status: 'SUCCEEDED' }),
    ]);
    expect(swept.lines.join('\n')).toContain(`in ${ACCOUNTS.join(', ')} (${fenceSid(expired)}`);
    expect((await policyNow(s!)).fences).toEqual([live]);
    expect(provisionedTo()).toEqual(ACCOUNTS);
    expect(records.find((r) => r.change === 'session-fence-removal')).toMatchObject({
      accounts: ACCOUNTS,
      fence: { sid: fenceSid(expired), accounts: ACCOUNTS },
    });
  });
});

describe('two steps fencing one set across the same accounts in the same second', () => {
  const writes = (at: number, userId = ALICE): FenceWrite[] =>
    ACCOUNTS.map((account) => ({ setArn: READ_ONLY, account, userId, revokedAt: at, preview: false }));
  const context = (session: SsoSession) => ({
    session,
    bound: { deadline: new Deadline(30) },
    now: Date.now,
  });

  it('both keep their fence of the same Sid when both read before either puts', async () => {
    const [one, two] = await world(nearlyFull(2 * ONE_FENCE), 2);
    const second = Math.floor(Date.now() / 1000) * 1000;
    const read = [0, 1].map(() => gate());
    const step = (s: SsoSession, me: number) =>
      Object.assign(Object.create(s) as SsoSession, {
        send: async (operation: string, command: never) => {
          if (operation === 'PutInlinePolicyToPermissionSet') await read[1 - me]!.opened;
          const answer = await s.send(operation, command);
          if (operation === 'GetInlinePolicyForPermissionSet') read[me]!.open();
          return answer;
        },
      });
    const [a, b] = await Promise.all([
      putFences(context(step(one!, 0)), writes(second + 100), FACTS, new Map()),
      putFences(context(step(two!, 1)), writes(second + 600), FACTS, new Map()),
    ]);
    const fences = (await policyNow(one!)).fences.filter((f: SessionFence) => f.accounts);
    expect(fences).toHaveLength(1);
    expect(fences[0]).toMatchObject({ accounts: ACCOUNTS, userIds: [ALICE] });
    for (const put of [a, b])
      for (const account of ACCOUNTS)
        expect(put.outcomes.get(account)!.amends.sessionsEnded).toMatchObject({
          account,
          accounts: ACCOUNTS,
          before: fences[0]!.before,
        });
  });

  it('for other users, both keep theirs when the second’s put lands after the first’s read-back: the first writes and provisions again', async () => {
    // Room for two fences across the accounts, not for three fences of one account each.
    const [one, two] = await world(nearlyFull(Math.floor(2.5 * ONE_FENCE)), 2);
    const second = Math.floor(Date.now() / 1000) * 1000;
    // Both read before either puts; the second puts only once the first has read its put back.
    const firstRead = gate();
    const secondRead = gate();
    const firstReadBack = gate();
    let reads = 0;
    const first = Object.assign(Object.create(one!) as SsoSession, {
      send: async (operation: string, command: never) => {
        if (operation === 'PutInlinePolicyToPermissionSet') await secondRead.opened;
        const answer = await one!.send(operation, command);
        if (operation === 'GetInlinePolicyForPermissionSet' && ++reads === 1) firstRead.open();
        if (operation === 'GetInlinePolicyForPermissionSet' && reads === 2) firstReadBack.open();
        return answer;
      },
    });
    let puts = 0;
    const late = Object.assign(Object.create(two!) as SsoSession, {
      send: async (operation: string, command: never) => {
        if (operation === 'GetInlinePolicyForPermissionSet' && puts === 0) await firstRead.opened;
        if (operation === 'PutInlinePolicyToPermissionSet' && ++puts === 1) await firstReadBack.opened;
        const answer = await two!.send(operation, command);
        if (operation === 'GetInlinePolicyForPermissionSet') secondRead.open();
        return answer;
      },
    });
    const [a, b] = await Promise.all([
      putFences(context(first), writes(second + 100, ALICE), FACTS, new Map()),
      putFences(context(late), writes(second + 600, BOB), FACTS, new Map()),
    ]);
    const fences = (await policyNow(one!)).fences.filter((f: SessionFence) => f.accounts);
    expect(fences.map((f) => f.userIds)).toEqual(expect.arrayContaining([[ALICE], [BOB]]));
    expect(fences).toHaveLength(2);
    for (const put of [a, b])
      for (const account of ACCOUNTS) {
        expect(put.outcomes.get(account)!.amends.fenceError).toBeUndefined();
        expect(put.outcomes.get(account)!.amends.sessionsEnded).toMatchObject({ accounts: ACCOUNTS });
      }
    // The first found its fence lost after its provisioning, and wrote and provisioned again.
    expect(sso.count('PutInlinePolicyToPermissionSet')).toBe(3);
    expect(sso.count('ProvisionPermissionSet')).toBe(9);
    for (const account of ACCOUNTS)
      expect(sso.provisioningStatus(READ_ONLY, account)).toBe('LATEST_PERMISSION_SET_PROVISIONED');
  });
});

describe('a step that puts a set’s fences more than once', () => {
  const context = (session: SsoSession) => ({
    session,
    bound: { deadline: new Deadline(30) },
    now: Date.now,
  });
  const at = (account: string, revokedAt: number): FenceWrite => ({
    setArn: READ_ONLY,
    account,
    userId: ALICE,
    revokedAt,
    preview: false,
  });

  it('keeps the single fence of an account its later fence across accounts does not name', async () => {
    // Room for one single fence and one across two accounts, not for three singles.
    const [s] = await world(nearlyFull(2 * ONE_FENCE + 40));
    const written = new Map<string, SessionFence>();
    const now = Date.now();
    const [a, b, c] = ACCOUNTS as [string, string, string];
    await putFences(context(s!), [at(a, now)], FACTS, written);
    await putFences(context(s!), [at(b, now + 1000), at(c, now + 1000)], FACTS, written);
    expect([...written.values()].filter((f) => f.accounts).length).toBeGreaterThan(0);
    await putFences(context(s!), [at(c, now + 2000)], FACTS, written);
    const fences = (await policyNow(s!)).fences.filter((f) => f.userIds?.includes(ALICE));
    // Account `a`'s fence is still in force: no fence of Alice's was dropped for one that does not cover it.
    expect(fences.some((f) => (f.accounts ?? [f.account]).includes(a))).toBe(true);
    expect(fences.some((f) => (f.accounts ?? [f.account]).includes(b))).toBe(true);
  });
});
