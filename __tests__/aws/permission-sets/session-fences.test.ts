// A revoke ends the sessions it left live: the permission-set kind's effect on an account
// assignment's delete, carried by the AWS assignment driver and run by the engine's write plan,
// over the emulated IAM Identity Center through the real SDK. Each case revokes through runGrants,
// as `operation: revoke`, the post step and the sweep do.
import { fenceOf } from '../../../src/core/permission-sets/session-fence-results.js';
import { describe, expect, it } from '@jest/globals';
import { AWS_KINDS } from '../../../src/aws/kinds.js';
import { readInlinePolicy } from '../../../src/aws/permission-sets/fence-policy.js';
import { END_SESSIONS_TAG } from '../../../src/aws/permission-sets/fence-set-facts.js';
import type { SsoSession } from '../../../src/aws/sso/session.js';
import {
  effectNoticesOf,
  effectWarningsOf,
  grantLogTitle,
  summariseResults,
} from '../../../src/core/output/results.js';
import { OWNERSHIP_TAG } from '../../../src/core/permission-sets/fields.js';
import { fenceFor, fenceSid, fenceStatement } from '../../../src/core/permission-sets/session-fence.js';
import { grantLog } from '../../../src/core/output/grants-ending.js';
import type { GrantResult } from '../../../src/core/grant-result.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { runGrants } from '../../../src/engine/run/run-grants.js';
import {
  ACCOUNT,
  ALICE,
  BOB,
  DEPLOYERS,
  READ_ONLY,
  awsPlan,
  emulatedSso,
} from '../../harness/emulated-sso.js';
import { OWN, POLICY, preparedSession, seedSet } from './fixture.js';

const sso = emulatedSso();
const OTHER_ACCOUNT = '222222222222';

/** A prepared session over the seeded world, with ReadOnlyAccess tagged `tag` and holding another writer's statement. */
async function world(
  tag: [string, string] | undefined,
  inputs: Record<string, string> = {},
): Promise<SsoSession> {
  sso.emulator.aws.config.writeDelayMs = 0;
  seedSet(sso, READ_ONLY, { inlinePolicy: POLICY, tags: tag ? { [tag[0]]: tag[1] } : {} });
  return preparedSession(sso, { operation: 'revoke', ...inputs });
}

async function revoke(s: SsoSession, inputs: Record<string, string> = {}, told: GrantResult[] = []) {
  const config = awsPlan({ operation: 'revoke', ...inputs });
  const deadline = new Deadline(30);
  const driver = AWS_KINDS['aws-account-assignment'].driver(config, s, { deadline });
  const rows = await runGrants(config.grants, driver, {
    operation: 'revoke',
    dryRun: config.dryRun,
    wait: inputs.wait !== 'false',
    maxConcurrency: 5,
    deadline,
    onResult: (r) => told.push(r),
  });
  // Each row with what its fence added, beside its own fields, as its `results` entry shows it.
  return rows.map((r) => ({ ...r, ...fenceOf(r) }));
}

const policyOf = async (s: SsoSession) =>
  JSON.parse((await readInlinePolicy(s, READ_ONLY))!) as { Statement: Record<string, unknown>[] };

describe('a revoke ends the live sessions of what it revoked', () => {
  it('fences a user’s sessions in an owned set, keeps every other statement, provisions that account only, after the delete', async () => {
    const s = await world([OWNERSHIP_TAG, OWN]);
    sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
    sso.addAssignment(BOB, READ_ONLY, ACCOUNT);
    sso.provision(READ_ONLY, { [ACCOUNT]: 'current', [OTHER_ACCOUNT]: 'current' });
    const told: GrantResult[] = [];
    const [row] = await revoke(s, {}, told);
    expect(row).toMatchObject({ status: 'SUCCEEDED', change: 'delete', changed: true });
    const { before, until } = row!.sessionsEnded!;
    expect(row!.sessionsEnded).toEqual({ account: ACCOUNT, before, until });
    expect(Date.parse(until) - Date.parse(before)).toBe(3600_000);
    const [kept, fence] = (await policyOf(s)).Statement;
    expect(kept).toEqual(JSON.parse(POLICY).Statement[0]);
    expect(fence).toEqual({
      Sid: expect.stringMatching(/^CloudAccessFence\d{12}[0-9a-f]{8}$/),
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:PrincipalAccount': ACCOUNT, 'identitystore:UserId': [ALICE] },
        DateLessThan: { 'aws:TokenIssueTime': before },
      },
    });
    expect(sso.inputsOf('ProvisionPermissionSet')).toEqual([
      expect.objectContaining({ TargetType: 'AWS_ACCOUNT', TargetId: ACCOUNT }),
    ]);
    const calls = sso.calls();
    expect(calls.indexOf('SWBExternalService.DeleteAccountAssignment')).toBeLessThan(
      calls.lastIndexOf('SWBExternalService.PutInlinePolicyToPermissionSet'),
    );
    // The log's line is said once the fence ended, and says so.
    expect(told).toHaveLength(1);
    expect(grantLogTitle(told[0]!, false)).toContain(
      `; live sessions ended (issued before ${before.slice(11)})`,
    );
    expect(summariseResults([row!]).status).toBe('SUCCEEDED');
  });

  it('says each expired fence its put took out (one written by the earlier rule’s Sid among them): the row’s results entry, a log line naming the set, the account and the Sid', async () => {
    const s = await world([OWNERSHIP_TAG, OWN]);
    const { createHash } = process.getBuiltinModule('node:crypto');
    const old = fenceFor(READ_ONLY, OTHER_ACCOUNT, Date.now() - 3 * 3600_000, 3600, [BOB]);
    const hex = createHash('sha256').update(`${READ_ONLY}|${OTHER_ACCOUNT}|${old.before}`).digest('hex');
    const earlierSid = `${fenceSid(old).slice(0, -8)}${hex.slice(0, 8)}`;
    const live = fenceFor(READ_ONLY, OTHER_ACCOUNT, Date.now() - 60_000, 3600, [BOB]);
    seedSet(sso, READ_ONLY, {
      inlinePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          ...JSON.parse(POLICY).Statement,
          { ...fenceStatement(old), Sid: earlierSid },
          fenceStatement(live),
        ],
      }),
    });
    sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
    sso.addAssignment(BOB, READ_ONLY, ACCOUNT);
    const [row] = await revoke(s);
    expect(row!.expiredFencesRemoved).toEqual([
      { account: OTHER_ACCOUNT, sid: earlierSid, before: old.before, expiresAt: old.expiresAt },
    ]);
    // The set as the row names it (its name once the step has named it, else its ARN).
    expect(grantLog(row!, false).lines).toContain(
      `removed the expired session fence ${earlierSid} of ${READ_ONLY} in ${OTHER_ACCOUNT} (sessions issued before ${old.before}, needed until ${old.expiresAt})`,
    );
    const sids = (await policyOf(s)).Statement.map((st) => st.Sid);
    expect(sids).toContain(fenceSid(live));
    expect(sids).not.toContain(earlierSid);
  });

  it('writes one fence per set and account for the step: its deletes there give it both users', async () => {
    const s = await world([OWNERSHIP_TAG, OWN]);
    sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
    sso.addAssignment(BOB, READ_ONLY, ACCOUNT);
    const rows = await revoke(s, { principal: `${ALICE},${BOB}` });
    expect(rows.map((r) => r.sessionsEnded?.account)).toEqual([ACCOUNT, ACCOUNT]);
    const fences = (await policyOf(s)).Statement.slice(1);
    expect(fences).toHaveLength(1);
    const users = (fences[0]!.Condition as { StringEquals: Record<string, string[]> }).StringEquals[
      'identitystore:UserId'
    ];
    expect(users).toEqual([ALICE, BOB].sort());
  });

  it('fences one set in two accounts with one put before any provisioning, and leaves neither account outdated', async () => {
    const s = await world([OWNERSHIP_TAG, OWN]);
    for (const account of [ACCOUNT, OTHER_ACCOUNT]) {
      sso.addAssignment(ALICE, READ_ONLY, account);
      sso.addAssignment(BOB, READ_ONLY, account);
    }
    sso.provision(READ_ONLY, { [ACCOUNT]: 'current', [OTHER_ACCOUNT]: 'current' });
    const rows = await revoke(s, { target: `${ACCOUNT},${OTHER_ACCOUNT}` });
    expect(rows.map((r) => r.sessionsEnded?.account).sort()).toEqual([ACCOUNT, OTHER_ACCOUNT]);
    expect(rows.every((r) => r.sessionsEnded?.how === undefined && r.fenceError === undefined)).toBe(true);
    const fences = (await policyOf(s)).Statement.slice(1);
    expect(fences.map((f) => (f.Condition as { StringEquals: object }).StringEquals)).toEqual(
      expect.arrayContaining([
        { 'aws:PrincipalAccount': ACCOUNT, 'identitystore:UserId': [ALICE] },
        { 'aws:PrincipalAccount': OTHER_ACCOUNT, 'identitystore:UserId': [ALICE] },
      ]),
    );
    expect(sso.count('PutInlinePolicyToPermissionSet')).toBe(1);
    const calls = sso.calls();
    expect(calls.lastIndexOf('SWBExternalService.PutInlinePolicyToPermissionSet')).toBeLessThan(
      calls.indexOf('SWBExternalService.ProvisionPermissionSet'),
    );
    expect(
      sso
        .inputsOf('ProvisionPermissionSet')
        .map((i) => i.TargetId)
        .sort(),
    ).toEqual([ACCOUNT, OTHER_ACCOUNT]);
    expect(sso.provisioningStatus(READ_ONLY, ACCOUNT)).toBe('LATEST_PERMISSION_SET_PROVISIONED');
    expect(sso.provisioningStatus(READ_ONLY, OTHER_ACCOUNT)).toBe('LATEST_PERMISSION_SET_PROVISIONED');
  });

  it('retries a provisioning refused with ConflictException while another of the set is in progress, and follows it until the fence is in force', async () => {
    const s = await world([OWNERSHIP_TAG, OWN]);
    sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
    sso.addAssignment(BOB, READ_ONLY, ACCOUNT);
    sso.failNext(
      'ProvisionPermissionSet',
      'ConflictException',
      409,
      'Another provisioning of this permission set is in progress',
      2,
    );
    const [row] = await revoke(s);
    expect(row).toMatchObject({ status: 'SUCCEEDED', sessionsEnded: { account: ACCOUNT } });
    expect(row!.fenceError).toBeUndefined();
    expect(sso.inputsOf('ProvisionPermissionSet')).toEqual(
      Array.from({ length: 3 }, () =>
        expect.objectContaining({ TargetType: 'AWS_ACCOUNT', TargetId: ACCOUNT }),
      ),
    );
    expect(sso.count('DescribePermissionSetProvisioningStatus')).toBeGreaterThan(0);
    expect(sso.provisioningStatus(READ_ONLY, ACCOUNT)).toBe('LATEST_PERMISSION_SET_PROVISIONED');
  });

  it('ends every session of the set in that account for a group’s grant, and the log says so', async () => {
    const group = { principal: DEPLOYERS, 'principal-type': 'GROUP' };
    const s = await world([END_SESSIONS_TAG, 'true'], group);
    sso.addAssignment(DEPLOYERS, READ_ONLY, ACCOUNT, 'GROUP');
    sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
    const [row] = await revoke(s, group);
    const fence = (await policyOf(s)).Statement[1]!;
    expect((fence.Condition as { StringEquals: object }).StringEquals).toEqual({
      'aws:PrincipalAccount': ACCOUNT,
    });
    expect(grantLogTitle(row!, false)).toContain('every live session of the set in 111111111111 ended');
  });

  it('says the role went with the set’s last assignment in that account, which Identity Center no longer lists: the fence is written, and no provisioning there makes the role again', async () => {
    const s = await world([OWNERSHIP_TAG, OWN]);
    sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
    const [row] = await revoke(s);
    expect(row!.sessionsEnded).toMatchObject({ account: ACCOUNT, how: 'role removed' });
    expect(sso.count('PutInlinePolicyToPermissionSet')).toBe(1);
    const calls = sso.calls();
    expect(calls.lastIndexOf('SWBExternalService.ListAccountsForProvisionedPermissionSet')).toBeGreaterThan(
      calls.indexOf('SWBExternalService.PutInlinePolicyToPermissionSet'),
    );
    expect(sso.count('ProvisionPermissionSet')).toBe(0);
    expect(sso.provisioningStatus(READ_ONLY, ACCOUNT)).toBeUndefined();
    expect(summariseResults([row!]).status).toBe('SUCCEEDED');
  });

  it('fails the step when the fence’s provisioning is denied, saying until when sessions may stay live', async () => {
    const s = await world([OWNERSHIP_TAG, OWN]);
    sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
    sso.addAssignment(BOB, READ_ONLY, ACCOUNT);
    sso.failNext(
      'ProvisionPermissionSet',
      'AccessDeniedException',
      403,
      'not authorized to ProvisionPermissionSet',
    );
    const [row] = await revoke(s);
    expect(row).toMatchObject({ status: 'SUCCEEDED', sessionsLiveUntil: expect.stringMatching(/Z$/) });
    expect(row!.sessionsEnded).toBeUndefined();
    expect(row!.fenceError).toContain('not authorized');
    expect(summariseResults([row!]).status).toBe('FAILED');
  });

  it('warns once, naming the set and until when, on a set neither owned nor opted in, and writes nothing', async () => {
    const s = await world(undefined);
    sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
    sso.addAssignment(BOB, READ_ONLY, ACCOUNT);
    const rows = await revoke(s, { principal: `${ALICE},${BOB}` });
    expect(rows.every((r) => r.status === 'SUCCEEDED' && r.sessionsLiveUntil !== undefined)).toBe(true);
    const warnings = rows.flatMap((r) => (r.sessionsWarning ? [r.sessionsWarning] : []));
    expect(warnings).toEqual([expect.stringContaining(`ReadOnlyAccess issued before`)]);
    expect(warnings[0]).toContain(`\`${END_SESSIONS_TAG}\` = \`true\``);
    expect(sso.count('PutInlinePolicyToPermissionSet')).toBe(0);
    expect(sso.count('ProvisionPermissionSet')).toBe(0);
  });

  it('writes nothing with `end-sessions: false`, and says once, as a notice, until when sessions stay live', async () => {
    const s = await world([OWNERSHIP_TAG, OWN]);
    sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
    sso.addAssignment(BOB, READ_ONLY, ACCOUNT);
    const rows = await revoke(s, { principal: `${ALICE},${BOB}`, 'end-sessions': 'false' });
    for (const row of rows)
      expect(row).toMatchObject({ status: 'SUCCEEDED', sessionsLiveUntil: expect.stringMatching(/Z$/) });
    expect(rows.every((r) => r.sessionsWarning === undefined)).toBe(true);
    const notices = effectNoticesOf(rows);
    expect(notices).toEqual([expect.stringContaining(`stay valid until ${rows[0]!.sessionsLiveUntil!}`)]);
    expect(notices[0]).toContain('ReadOnlyAccess');
    expect(sso.count('PutInlinePolicyToPermissionSet')).toBe(0);
  });

  it('with `wait: false` writes no fence, and the rows say until when sessions stay live, with one warning that `wait: true` ends them', async () => {
    const s = await world([OWNERSHIP_TAG, OWN]);
    sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
    sso.addAssignment(BOB, READ_ONLY, ACCOUNT);
    const rows = await revoke(s, { principal: `${ALICE},${BOB}`, wait: 'false' });
    for (const row of rows)
      expect(row).toMatchObject({ status: 'IN_PROGRESS', sessionsLiveUntil: expect.stringMatching(/Z$/) });
    expect(rows.every((r) => r.sessionsEnded === undefined && r.fenceError === undefined)).toBe(true);
    const warnings = effectWarningsOf(rows);
    expect(warnings).toEqual([
      expect.stringContaining(`stay valid until at least ${rows[0]!.sessionsLiveUntil!}`),
    ]);
    expect(warnings[0]).toContain('`wait: true` ends them');
    expect(summariseResults(rows).status).not.toBe('FAILED');
    expect(sso.count('PutInlinePolicyToPermissionSet')).toBe(0);
    expect(sso.count('ProvisionPermissionSet')).toBe(0);
  });

  it('leaves the revoke SUCCEEDED but fails the step naming the set, the account and until when, when the put is refused', async () => {
    const s = await world([OWNERSHIP_TAG, OWN]);
    sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
    sso.failNext(
      'PutInlinePolicyToPermissionSet',
      'AccessDeniedException',
      403,
      'not authorized to perform sso:PutInlinePolicyToPermissionSet',
    );
    const [row] = await revoke(s);
    expect(row).toMatchObject({ status: 'SUCCEEDED', sessionsLiveUntil: expect.any(String) });
    const outputs = summariseResults([row!]);
    expect(outputs.status).toBe('FAILED');
    expect(outputs.failureReason).toContain('ReadOnlyAccess in 111111111111');
    expect(outputs.failureReason).toContain(`may stay live until ${row!.sessionsLiveUntil}`);
    expect(outputs.failureReason).toContain('not authorized');
  });

  describe('with the content a snapshot kept of the set, untouched since', () => {
    const kept = (tags: Record<string, string>) => ({
      [READ_ONLY]: {
        name: 'ReadOnlyAccess',
        sessionMinutes: 120,
        awsManagedPolicies: [],
        customerManagedPolicies: [],
        tags,
        outdated: [],
      },
    });
    const setReads = () => sso.count('DescribePermissionSet') + sso.count('ListTagsForResource');

    it('a dry run takes the set’s facts from it: the fence it shows, and no describe or tag read of the set', async () => {
      const s = await world([OWNERSHIP_TAG, OWN]);
      s.knowPermissionSetContents(kept({ [OWNERSHIP_TAG]: OWN }));
      sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
      const before = setReads();
      const [row] = await revoke(s, { 'dry-run': 'true' });
      expect(row!.note).toMatch(/^~ fence ReadOnlyAccess in 111111111111: sessions issued before /);
      expect(setReads()).toBe(before);
      expect(sso.count('PutInlinePolicyToPermissionSet')).toBe(0);
    });

    it('a revoke that writes reads them from the service: a kept owner tag the set no longer has writes no fence into it', async () => {
      const s = await world(undefined);
      s.knowPermissionSetContents(kept({ [OWNERSHIP_TAG]: OWN }));
      sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
      const [row] = await revoke(s);
      expect(row).toMatchObject({ status: 'SUCCEEDED', sessionsLiveUntil: expect.any(String) });
      expect(row!.sessionsWarning).toContain(`\`${END_SESSIONS_TAG}\` = \`true\``);
      expect(sso.count('PutInlinePolicyToPermissionSet')).toBe(0);
    });

    it('a revoke that writes lasts the fence as long as the set’s session duration the service answers, not the kept one', async () => {
      const s = await world([OWNERSHIP_TAG, OWN]);
      s.knowPermissionSetContents(kept({ [OWNERSHIP_TAG]: OWN }));
      sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
      const [row] = await revoke(s);
      const { before, until } = row!.sessionsEnded!;
      expect(Date.parse(until) - Date.parse(before)).toBe(3600_000);
    });
  });

  it('shows the fence in a dry run and writes nothing', async () => {
    const s = await world([OWNERSHIP_TAG, OWN]);
    sso.addAssignment(ALICE, READ_ONLY, ACCOUNT);
    const [row] = await revoke(s, { 'dry-run': 'true' });
    expect(row!.note).toMatch(
      /^~ fence ReadOnlyAccess in 111111111111: sessions issued before \d\d:\d\d:\d\dZ end$/,
    );
    expect(sso.count('DeleteAccountAssignment')).toBe(0);
    expect(sso.count('PutInlinePolicyToPermissionSet')).toBe(0);
    expect(sso.count('ProvisionPermissionSet')).toBe(0);
  });
});
