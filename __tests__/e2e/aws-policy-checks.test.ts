// `operation: reconcile` proving what a permission-set change allows before any write (input
// `policy-checks`), end to end: the bundled main step, the emulator's own IAM Access Analyzer and
// IAM behind the unmodified SDKs. A widening inline change says `widens access` quoting the
// statement; a narrowing one `no new access`; the ceiling's privilege-escalation actions stop the
// plan before any write unless `allow-escalation` lists them; an added AWS-managed policy is held
// to the ceiling; a customer-managed reference is `unverified`; a denied Access Analyzer is
// `not checked (<permission>)` with `on`, a failure before any write with `required`; the output,
// the summary's table and its cost line; no call for a set the plan leaves alone; hostile text inert.
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEmulator } from './fixture.js';
import { awsReconcileWorkspace } from './reconcile-fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 50, awsProvisionDelayMs: 50 });
const { reconcile, workspace, writes } = awsReconcileWorkspace(emulator, 'reconcile-aws-policy-checks-');
const ENV = { GITHUB_REPOSITORY: 'octo-org/infra' };

const manifest = (...setLines: string[]) =>
  [
    'version: 1',
    'aws:',
    '  manages: {permission-sets: [Engineers]}',
    '  permission-sets:',
    '    - name: Engineers',
    '      inline-policy: policies/engineers.json',
    ...setLines.map((l) => `      ${l}`),
    '  assignments: []',
  ].join('\n');

function policy(...statements: object[]) {
  mkdirSync(join(workspace, 'policies'), { recursive: true });
  writeFileSync(
    join(workspace, 'policies', 'engineers.json'),
    JSON.stringify({ Version: '2012-10-17', Statement: statements }),
  );
}
const allow = (Action: string | string[], Sid?: string) => ({
  ...(Sid ? { Sid } : {}),
  Effect: 'Allow',
  Action,
  Resource: '*',
});
let mark = 0;
/** The Access Analyzer calls since the last `markCalls()`. */
const analyzerCalls = () =>
  emulator()
    .requests.slice(mark)
    .filter((r) => r.service === 'access-analyzer');
const markCalls = () => (mark = emulator().requests.length);
const writesSince = () =>
  emulator()
    .requests.slice(mark)
    .filter((r) => r.write);
const checksOf = (outputs: Record<string, string>) =>
  JSON.parse(outputs['policy-checks'] ?? '{}') as {
    sets: {
      name: string;
      parts: { part: string; checks: { check: string; result: string; reasons: string[] }[] }[];
    }[];
    calls: number;
    unchecked: number;
  };

describe('a reconcile proves what a permission-set change allows before any write', () => {
  it('creates a set held to the ceiling, then shows a widening change and a narrowing one; no call when nothing changes', async () => {
    markCalls();
    policy(allow('s3:GetObject', 'Read'));
    const created = await reconcile(manifest(), {}, ENV);
    expect(created.exitCode).toBe(0);
    // A new set: ValidatePolicy and the ceiling, no deployed policy to compare with.
    expect(
      analyzerCalls()
        .map((r) => r.operation)
        .sort(),
    ).toEqual(['CheckAccessNotGranted', 'ValidatePolicy']);
    expect(created.stdout).toMatch(
      /what it allows:\n.*✓ inline-policy: validate\n.*✓ inline-policy: must-not-grant/,
    );

    markCalls();
    policy(allow('s3:GetObject', 'Read'), allow(['s3:DeleteBucket'], 'S3Admin'));
    const wider = await reconcile(manifest(), {}, ENV);
    expect(wider.exitCode).toBe(0);
    expect(wider.stdout).toContain(
      '✗ inline-policy: widens access: statement 1 (Sid S3Admin) allows s3:DeleteBucket',
    );
    const output = checksOf(wider.outputs);
    expect(output.sets[0]!.parts[0]!.checks.find((c) => c.check === 'no-new-access')).toEqual({
      check: 'no-new-access',
      result: 'widens access',
      reasons: ['statement 1 (Sid S3Admin) allows s3:DeleteBucket'],
    });
    // At most 1 ValidatePolicy + 1 CheckNoNewAccess + ⌈actions / 100⌉ CheckAccessNotGranted.
    expect(output.calls).toBe(3);
    expect(analyzerCalls()).toHaveLength(3);
    expect(wider.summary).toContain('What the change allows: Engineers');
    expect(wider.summary).toContain('Policy checks: 3 Access Analyzer call(s) made');

    policy(allow('s3:GetObject', 'Read'));
    const narrower = await reconcile(manifest(), {}, ENV);
    expect(narrower.stdout).toContain('✓ inline-policy: no new access');

    markCalls();
    const unchanged = await reconcile(manifest(), {}, ENV);
    expect(unchanged.exitCode).toBe(0);
    expect(analyzerCalls()).toEqual([]);
    expect(checksOf(unchanged.outputs)).toEqual({ sets: [], calls: 0, unchecked: 0 });
  });

  it('stops before any write on an escalation action, at the inline policy’s line, still saying its checks, unless allow-escalation lists it with a reason', async () => {
    policy(allow('s3:GetObject'), allow('iam:PassRole', 'Deploy'));
    const stopped = await reconcile(manifest(), {}, ENV);
    expect(stopped.exitCode).not.toBe(0);
    expect(stopped.stdout + stopped.stderr).toMatch(
      /::error file=access\.yml,line=6::.*allows what `must-not-grant` forbids: statement 1 \(Sid Deploy\) allows iam:PassRole/,
    );
    expect(writes().filter((w) => w.service === 'sso-admin')).toEqual([]);
    // Stopped before any write, the step still says the checks it made, the failing one among them.
    expect(checksOf(stopped.outputs).sets[0]!.parts[0]!.checks).toContainEqual(
      expect.objectContaining({ check: 'must-not-grant', result: 'fail' }),
    );
    expect(stopped.summary).toContain('What the change allows: Engineers');

    const allowed = await reconcile(
      manifest(
        'allow-escalation: [{actions: [iam:PassRole, PASS_ROLE_WITH_STAR_IN_RESOURCE], reason: deploys Lambda}]',
      ),
      {},
      ENV,
    );
    expect(allowed.exitCode).toBe(0);
    expect(allowed.stdout).toContain('allow-escalation: iam:PassRole (deploys Lambda)');
  });

  it('holds an added AWS-managed policy to the ceiling, and lists a customer-managed reference as unverified', async () => {
    policy(allow('s3:GetObject'));
    const stopped = await reconcile(manifest('aws-managed-policies: [IAMFullAccess]'), {}, ENV);
    expect(stopped.exitCode).not.toBe(0);
    expect(stopped.stdout + stopped.stderr).toContain('arn:aws:iam::aws:policy/IAMFullAccess');
    const unverified = await reconcile(manifest('customer-managed-policies: [deny-secrets]'), {}, ENV);
    expect(unverified.stdout).toContain(
      '? customer-managed /deny-secrets: unverified: resolves in each account',
    );
  });

  it('with Access Analyzer denied: `on` says `not checked (<permission>)` and applies; `required` fails before any write naming it', async () => {
    policy(allow('s3:GetObject'));
    expect((await reconcile(manifest(), {}, ENV)).exitCode).toBe(0);
    emulator().aws.faults.accessDenied.push('CheckNoNewAccess');
    markCalls();
    policy(allow('s3:GetObject'), allow('s3:PutObject'));
    const required = await reconcile(manifest(), { 'policy-checks': 'required' }, ENV);
    expect(required.exitCode).not.toBe(0);
    expect(required.stdout + required.stderr).toContain('access-analyzer:CheckNoNewAccess');
    expect(writesSince()).toEqual([]);
    expect(checksOf(required.outputs).unchecked).toBe(1);
    const on = await reconcile(manifest(), {}, ENV);
    expect(on.exitCode).toBe(0);
    expect(on.stdout).toContain('? inline-policy: not checked (access-analyzer:CheckNoNewAccess)');
    expect(checksOf(on.outputs).unchecked).toBe(1);
    expect(on.summary).toContain('1 check(s) could not run');
    expect(writesSince().map((w) => w.operation)).toContain('PutInlinePolicyToPermissionSet');
  });

  it('with Access Analyzer throttled past `timeout-seconds`: `on` says `not checked (throttled)`, and writes nothing after the deadline', async () => {
    policy(allow('s3:GetObject'));
    expect((await reconcile(manifest(), {}, ENV)).exitCode).toBe(0);
    emulator().aws.faults.failRequests.push({
      operation: 'ValidatePolicy',
      status: 429,
      code: 'ThrottlingException',
      message: 'Rate exceeded',
    });
    try {
      policy(allow('s3:GetObject'), allow('s3:PutObject'));
      const throttled = await reconcile(manifest(), { 'timeout-seconds': '3' }, ENV);
      expect(throttled.stdout).toContain('? inline-policy: validate not checked (throttled)');
      expect(checksOf(throttled.outputs).unchecked).toBe(1);
    } finally {
      emulator().aws.faults.failRequests.length = 0;
    }
  });

  it('a ValidatePolicy finding is an error at the line of the element it names: in the policy file, or in the manifest', async () => {
    const passRole = 'allow-escalation: [{actions: [iam:PassRole], reason: deploys Lambda}]';
    mkdirSync(join(workspace, 'policies'), { recursive: true });
    writeFileSync(
      join(workspace, 'policies', 'engineers.json'),
      JSON.stringify(
        {
          Version: '2012-10-17',
          Statement: [allow('s3:GetObject', 'Read'), allow('iam:PassRole', 'Deploy')],
        },
        null,
        2,
      ),
    );
    const inFile = await reconcile(manifest(passRole), {}, ENV);
    expect(inFile.exitCode).not.toBe(0);
    // Line 14 of the file: statement 1's `Resource`, where PASS_ROLE_WITH_STAR_IN_RESOURCE points.
    expect(inFile.stdout).toMatch(
      /::error file=policies\/engineers\.json,line=14::.*PASS_ROLE_WITH_STAR_IN_RESOURCE/,
    );

    const inManifest = await reconcile(
      [
        'version: 1',
        'aws:',
        '  manages: {permission-sets: [Engineers]}',
        '  permission-sets:',
        '    - name: Engineers',
        `      ${passRole}`,
        '      inline-policy:',
        '        Version: "2012-10-17"',
        '        Statement:',
        '          - {Sid: Read, Effect: Allow, Action: s3:GetObject, Resource: "*"}',
        '          - Sid: Deploy',
        '            Effect: Allow',
        '            Action: iam:PassRole',
        '            Resource: "*"',
        '  assignments: []',
      ].join('\n'),
      {},
      ENV,
    );
    expect(inManifest.exitCode).not.toBe(0);
    expect(inManifest.stdout).toMatch(/::error file=access\.yml,line=14::.*PASS_ROLE_WITH_STAR_IN_RESOURCE/);
  });

  it('makes no call with `off`, and its output says the checks were off', async () => {
    markCalls();
    policy(allow('s3:GetObject'), allow('s3:ListBucket'));
    const off = await reconcile(manifest(), { 'policy-checks': 'off' }, ENV);
    expect(off.exitCode).toBe(0);
    expect(analyzerCalls()).toEqual([]);
    expect(JSON.parse(off.outputs['policy-checks']!)).toEqual({
      sets: [],
      calls: 0,
      unchecked: 0,
      off: true,
    });
  });

  it('refuses a Sid that is not letters and digits at its line, before any call: no command reaches the runner', async () => {
    markCalls();
    policy(allow('s3:GetObject', '\n::warning::pwned'));
    const run = await reconcile(manifest(), {}, ENV);
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toContain('is not letters and digits');
    expect(run.stdout).not.toMatch(/^::warning::pwned/m);
    expect(analyzerCalls()).toEqual([]);
  });
});
