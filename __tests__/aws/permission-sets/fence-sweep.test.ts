// The sweep's removal of expired session fences, over the emulated IAM Identity Center and
// CloudTrail behind the real SDKs (aws/sweep.ts upkeep, aws/permission-sets/fence-sweep.ts): the
// sets whose inline policy a session of `created-by` put within `lookback` are read, and the expired
// fences in them are taken out, whether or not the sweep revokes anything, then provisioned to the
// accounts they named only; a live fence and every other statement stay; a set only another caller
// put to is not touched; a dry run lists and writes nothing; each removal has its `audit-log` record.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { AwsSweeper } from '../../../src/aws/sweep.js';
import { awsSettingsOf } from '../../../src/core/inputs/settings.js';
import type { SweepRequest } from '../../../src/core/inputs/index.js';
import { fenceFor, fenceSid, fenceStatement } from '../../../src/core/permission-sets/session-fence.js';
import { fencedPolicy, type FencedPolicy } from '../../../src/core/permission-sets/fenced-policy.js';
import { AuditTrail } from '../../../src/engine/audit/trail.js';
import type { AuditSink } from '../../../src/engine/audit/sink.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import {
  ADMIN,
  ALICE,
  awsPlan,
  emulatedDeps,
  emulatedSso,
  looseLookupPacing,
  READ_ONLY,
} from '../../harness/emulated-sso.js';

const sso = emulatedSso();
beforeEach(() => void (sso.emulator.aws.config.provisionDelayMs = 0));

const ROLE = 'arn:aws:iam::123456789012:role/cloud-access';
const action = {
  principalArn: `${'arn:aws:sts::123456789012:assumed-role/cloud-access'}/cloud-access-9-1-1-e`,
};
const person = { principalArn: 'arn:aws:iam::123456789012:user/admin' };
const allow = { Effect: 'Allow', Action: 's3:Get*', Resource: '*' };
const HOUR = 3600;

/** `set` holds `allow`, an expired fence in 222222222222 and a live one in 111111111111, put by `caller`. */
function fenced(set: string, caller: { principalArn: string }) {
  const now = Date.now();
  const live = fenceFor(set, '111111111111', now - 10 * 60_000, HOUR);
  const expired = fenceFor(set, '222222222222', now - 24 * 3600_000, HOUR);
  sso.addAssignment(ALICE, set, '111111111111');
  sso.addAssignment(ALICE, set, '222222222222');
  const InlinePolicy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [allow, fenceStatement(expired), fenceStatement(live)],
  });
  sso.emulator.aws.state.permissionSets.get(set)!.inlinePolicy = InlinePolicy;
  sso.emulator.aws.addCloudTrailEvent({
    eventName: 'PutInlinePolicyToPermissionSet',
    principalArn: caller.principalArn,
    at: now - 60 * 60_000,
    requestParameters: {
      InstanceArn: sso.emulator.aws.state.instanceArn,
      PermissionSetArn: set,
      InlinePolicy,
    },
  });
  return { live, expired };
}

const policyOf = (set: string) =>
  fencedPolicy(sso.emulator.aws.state.permissionSets.get(set)!.inlinePolicy, set) as FencedPolicy;
const writes = () => sso.emulator.requests.filter((r) => r.service === 'sso-admin' && r.write);

function sweeper() {
  const { deps, seams } = emulatedDeps(sso);
  const request = { createdBy: [ROLE], lookbackSeconds: 7 * 86400 } as unknown as SweepRequest;
  return new AwsSweeper(awsSettingsOf(awsPlan()), request, deps, { ...seams, ...looseLookupPacing() });
}

function auditTrail() {
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
  return { records, audit: new AuditTrail(sink, step, () => undefined, { deadline: new Deadline(30) }) };
}

describe('the sweep’s removal of expired session fences', () => {
  it('a dry run lists the expired fence of a set the action fenced, and writes nothing', async () => {
    const { expired } = fenced(READ_ONLY, action);
    const upkeep = await sweeper().upkeep(Date.now(), { dryRun: true });
    expect(upkeep.lines.join('\n')).toContain(
      `would remove the expired session fence of ReadOnlyAccess in 222222222222 (${fenceSid(expired)}: sessions issued before ${expired.before}, needed until ${expired.expiresAt})`,
    );
    expect(upkeep.results).toEqual([
      expect.objectContaining({
        change: 'session-fence-removal',
        role: READ_ONLY,
        target: '222222222222',
        sid: fenceSid(expired),
        action: 'would remove',
      }),
    ]);
    expect(upkeep.failed).toBeUndefined();
    expect(writes()).toEqual([]);
  });

  it('takes it out with nothing to revoke, keeps the live fence and every other statement, provisions only the account it named, and records it', async () => {
    const { live } = fenced(READ_ONLY, action);
    const { records, audit } = auditTrail();
    const upkeep = await sweeper().upkeep(Date.now(), { dryRun: false, audit });
    await audit.settled();
    expect(upkeep.failed).toBeUndefined();
    expect(upkeep.results).toEqual([
      expect.objectContaining({
        target: '222222222222',
        status: 'SUCCEEDED',
        changed: true,
        action: 'remove',
      }),
    ]);
    expect(policyOf(READ_ONLY).others).toEqual([allow]);
    expect(policyOf(READ_ONLY).fences.map(fenceSid)).toEqual([fenceSid(live)]);
    expect(sso.inputsOf('ProvisionPermissionSet')).toEqual([
      expect.objectContaining({ TargetType: 'AWS_ACCOUNT', TargetId: '222222222222' }),
    ]);
    expect(records.map((r) => r.change)).toEqual(['plan', 'session-fence-removal']);
    expect(records[1]).toMatchObject({
      role: { id: READ_ONLY, name: 'ReadOnlyAccess' },
      accounts: ['222222222222'],
      status: 'SUCCEEDED',
    });
  });

  it('leaves a set whose policy only another caller put, and a set with no expired fence', async () => {
    fenced(ADMIN, person);
    const before = sso.emulator.aws.state.permissionSets.get(ADMIN)!.inlinePolicy;
    const upkeep = await sweeper().upkeep(Date.now(), { dryRun: false });
    expect(upkeep.results).toEqual([]);
    expect(sso.emulator.aws.state.permissionSets.get(ADMIN)!.inlinePolicy).toBe(before);
    expect(writes()).toEqual([]);
  });

  it('a removal whose put is refused fails, naming the set', async () => {
    fenced(READ_ONLY, action);
    sso.failNext('PutInlinePolicyToPermissionSet', 'AccessDeniedException', 400, 'not allowed to put');
    const upkeep = await sweeper().upkeep(Date.now(), { dryRun: false });
    expect(upkeep.failed).toMatch(/^the expired session fence\(s\) of ReadOnlyAccess: .*not allowed to put/);
    expect(upkeep.results).toEqual([expect.objectContaining({ status: 'FAILED', changed: false })]);
  });
});
