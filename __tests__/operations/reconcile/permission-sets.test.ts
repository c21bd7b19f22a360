// The reconcile step of a manifest that defines permission sets, through the real AWS reconciler
// over the emulated IAM Identity Center (no bundle): a set still to be created and assigned is
// created before its assignment, which carries its ARN; a changed inline policy is planned as a
// line diff, written, then provisioned; a set no longer defined whose assignments would remain is
// refused with the whole plan, naming them, and nothing is written.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createAwsReconciler } from '../../../src/aws/reconcile.js';
import type { AwsManifestSection } from '../../../src/core/manifest/types.js';
import { runReconcile } from '../../../src/operations/reconcile/index.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { ACCOUNT, awsPlan, emulatedDeps, emulatedSso } from '../../harness/emulated-sso.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';
import { config, MANIFEST, PUSH } from './in-memory-cloud.js';

const sso = emulatedSso();
// Creates and deletes end as soon as they are next read.
beforeEach(() => void (sso.emulator.aws.config.writeDelayMs = 0));
// The emulator's own Access Analyzer answers every reconcile's policy checks: without it, each
// check went to the real service's endpoint, and each reconcile waited out its retries (the file
// took 90 s, mostly asleep).
beforeAll(() => {
  process.env.AWS_ENDPOINT_URL_ACCESSANALYZER = sso.emulator.env.AWS_ENDPOINT_URL_ACCESSANALYZER;
});
afterAll(() => {
  delete process.env.AWS_ENDPOINT_URL_ACCESSANALYZER;
});
const policy = (action: string) =>
  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"${action}","Resource":"*"}]}`;

const defining = (defined: boolean) =>
  [
    'version: 1',
    'aws:',
    '  manages: {permission-sets: [Engineers]}',
    ...(defined
      ? ['  permission-sets:', '    - name: Engineers', '      inline-policy: policies/engineers.json']
      : ['  permission-sets: []']),
    '  assignments:',
    `    - {principal: Deployers, principal-type: GROUP, role: Engineers, target: '${ACCOUNT}'}`,
  ].join('\n');

async function reconcile(
  manifest: string,
  action = 's3:Get*',
  dryRun = false,
  inputs: { policyChecks?: 'on' | 'required' | 'off' } = {},
) {
  const runner = recordedRunner();
  const policyReads: string[] = [];
  await runReconcile(config({ dryRun }), onEvent(runner.effects, PUSH), {
    readManifest: async (path) => ({ path, text: manifest }),
    readPolicyFile: async (path) => {
      policyReads.push(path);
      return { path, text: policy(action) };
    },
    openReconciler: async (section) => {
      const { deps, seams } = emulatedDeps(sso);
      const reconciler = createAwsReconciler(
        awsPlan(),
        section as AwsManifestSection,
        deps,
        { createdBy: [], lookbackSeconds: 0, ...inputs },
        seams,
      );
      return { reconciler, deadline: new Deadline(30) };
    },
  });
  return { runner, policyReads, plan: JSON.parse(runner.outputs.plan || '{}') };
}

const writes = () =>
  sso.emulator.requests.filter((r) => r.service === 'sso-admin' && r.write).map((r) => r.operation);

describe('a manifest that defines a permission set it assigns', () => {
  it('creates the set, tagged as this manifest’s, before the assignment that names it', async () => {
    const { runner, policyReads, plan } = await reconcile(defining(true));
    expect(runner.said.failed).toEqual([]);
    expect(policyReads).toEqual(['access/policies/engineers.json']);
    expect(plan.permissionSets).toEqual({ create: 1, update: 0, delete: 0, provision: 0 });
    expect(plan.create).toBe(1);
    const order = writes();
    expect(order.indexOf('CreatePermissionSet')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('CreatePermissionSet')).toBeLessThan(order.indexOf('CreateAccountAssignment'));
    const [create] = sso.inputsOf('CreatePermissionSet');
    expect(create).toMatchObject({
      Name: 'Engineers',
      Tags: expect.arrayContaining([
        { Key: 'cloud-access:manifest', Value: `octo-org/octo-repo:${MANIFEST}` },
      ]),
    });
    const [assignment] = sso.inputsOf('CreateAccountAssignment');
    expect(String(assignment!.PermissionSetArn)).toMatch(/^arn:aws:sso:::permissionSet\//);
    const results = JSON.parse(runner.outputs.results!) as {
      action: string;
      change?: string;
      status: string;
    }[];
    expect(results.map((r) => [r.change ?? r.action, r.status])).toEqual(
      expect.arrayContaining([
        ['permission-set-create', 'SUCCEEDED'],
        ['create', 'SUCCEEDED'],
      ]),
    );
  });

  it('a changed inline policy is planned as a line diff, written, then provisioned to its account', async () => {
    await reconcile(defining(true));
    const { runner, plan } = await reconcile(defining(true), 'ec2:Describe*');
    expect(runner.said.failed).toEqual([]);
    expect(plan.permissionSets).toEqual({ create: 0, update: 1, delete: 0, provision: 1 });
    const log = runner.said.log.join('\n');
    expect(log).toMatch(/~ update permission set Engineers/);
    expect(log).toMatch(/- +"Action": "s3:Get\*"/);
    expect(log).toMatch(/\+ +"Action": "ec2:Describe\*"/);
    const order = writes();
    const put = order.lastIndexOf('PutInlinePolicyToPermissionSet');
    expect(put).toBeGreaterThan(order.indexOf('CreateAccountAssignment'));
    expect(order.lastIndexOf('ProvisionPermissionSet')).toBeGreaterThan(put);
    expect(sso.inputsOf('ProvisionPermissionSet').at(-1)).toMatchObject({
      TargetType: 'AWS_ACCOUNT',
      TargetId: ACCOUNT,
    });
  });

  it('a new assignee gets the set’s new content: its update and provisioning come before the assignment creates', async () => {
    await reconcile(defining(true));
    const before = writes().length;
    const withAlice = defining(true).replace(
      '  assignments:\n',
      `  assignments:\n    - {principal: alice, principal-type: USER, role: Engineers, target: '${ACCOUNT}'}\n`,
    );
    const { runner, plan } = await reconcile(withAlice, 'ec2:Describe*');
    expect(runner.said.failed).toEqual([]);
    expect(plan.create).toBe(1);
    expect(plan.permissionSets).toMatchObject({ update: 1, provision: 1 });
    expect(writes().slice(before)).toEqual([
      'PutInlinePolicyToPermissionSet',
      'ProvisionPermissionSet',
      'CreateAccountAssignment',
    ]);
  });

  it('a set whose update FAILED gets no new assignee: the create is FAILED naming the update, and not sent', async () => {
    await reconcile(defining(true));
    const withAlice = defining(true).replace(
      '  assignments:\n',
      `  assignments:\n    - {principal: alice, principal-type: USER, role: Engineers, target: '${ACCOUNT}'}\n`,
    );
    const sent = sso.count('CreateAccountAssignment');
    sso.failNext('PutInlinePolicyToPermissionSet', 'AccessDeniedException', 400, 'not allowed to put');
    const { runner } = await reconcile(withAlice, 'ec2:Describe*');
    expect(runner.said.failed).not.toEqual([]);
    expect(sso.count('CreateAccountAssignment')).toBe(sent);
    const results = JSON.parse(runner.outputs.results!) as {
      principal: string;
      change?: string;
      status: string;
      failureReason: string | null;
    }[];
    expect(results.find((r) => r.change === 'permission-set-update')).toMatchObject({ status: 'FAILED' });
    expect(results.find((r) => r.principal === 'alice')).toMatchObject({
      status: 'FAILED',
      failureReason: expect.stringMatching(/^the permission set `Engineers` was not updated/),
    });
  });

  it('a dry run writes nothing and lists each set change it would make as a row of `results`', async () => {
    await reconcile(defining(true));
    const before = writes().length;
    const { runner, plan } = await reconcile(defining(true), 'ec2:Describe*', true);
    expect(plan.permissionSets).toEqual({ create: 0, update: 1, delete: 0, provision: 1 });
    expect(writes()).toHaveLength(before);
    const rows = JSON.parse(runner.outputs.results ?? '[]') as { change?: string; changed?: boolean }[];
    expect(rows.filter((r) => r.change === 'permission-set-update' || r.change === 'provision')).toEqual([
      expect.objectContaining({ change: 'permission-set-update', changed: false }),
      expect.objectContaining({ change: 'provision', changed: false }),
    ]);
    expect(runner.outputs['drift-remaining']).toBe('true');
  });

  it('a dry run’s summary says what it would do to each set, whom it reaches, and its diff folded', async () => {
    await reconcile(defining(true));
    const { runner } = await reconcile(defining(true), 'ec2:Describe*', true);
    const sets = runner.said.summary.slice(runner.said.summary.indexOf('<h4>Permission sets'));
    expect(sets).toContain('<td>Engineers</td><td>would update</td>');
    expect(sets).toContain('<td>Engineers</td><td>would provision</td>');
    expect(sets).toContain(`reaches 1 account(s) (${ACCOUNT}) and 1 principal(s) (group Deployers)`);
    expect(sets).toMatch(/<details><summary>\d+ line\(s\)<\/summary><pre>~ update permission set Engineers/);
    expect(sets).toMatch(/\+ +&quot;Action&quot;: &quot;ec2:Describe\*&quot;/);
    expect(sets).not.toContain('SUCCEEDED');
  });

  it('a set no longer defined whose assignment stays is refused with the whole plan, naming it', async () => {
    await reconcile(defining(true));
    const before = writes().length;
    const { runner, plan } = await reconcile(defining(false));
    expect(plan.permissionSets).toMatchObject({ delete: 1 });
    expect(runner.said.failed.join('\n')).toMatch(
      /the permission set `Engineers` would be deleted while 1 assignment\(s\) of it remain: .*Deployers.* in 111111111111/,
    );
    expect(writes()).toHaveLength(before);
  });

  it('a set no longer defined or assigned is deleted after its assignment: a revoke row that says how long it took', async () => {
    await reconcile(defining(true));
    const dropped = [
      'version: 1',
      'aws:',
      '  manages: {permission-sets: [Engineers], allow-delete-all: true}',
      '  permission-sets: []',
      '  assignments: []',
    ].join('\n');
    const { runner, plan } = await reconcile(dropped);
    expect(runner.said.failed).toEqual([]);
    expect(plan.permissionSets).toMatchObject({ delete: 1 });
    const order = writes();
    expect(order.lastIndexOf('DeletePermissionSet')).toBeGreaterThan(
      order.lastIndexOf('DeleteAccountAssignment'),
    );
    const rows = JSON.parse(runner.outputs.results!) as {
      change?: string;
      operation: string;
      status: string;
      durationMs: number;
    }[];
    const deleted = rows.find((r) => r.change === 'permission-set-delete');
    expect(deleted).toMatchObject({ operation: 'revoke', status: 'SUCCEEDED' });
    expect(deleted!.durationMs).toBeGreaterThan(0);
  });

  it('a set this manifest deleted, still named in `manages.permission-sets`, is to be removed from there, not a "did you mean" to another set', async () => {
    await reconcile(defining(true));
    sso.emulator.aws.addPermissionSet('EngineersRO');
    const dropped = [
      'version: 1',
      'aws:',
      '  manages: {permission-sets: [Engineers], allow-delete-all: true}',
      '  permission-sets: []',
      '  assignments: []',
    ].join('\n');
    expect((await reconcile(dropped)).runner.said.failed).toEqual([]);
    const { runner } = await reconcile(dropped);
    const said = [...runner.said.failed, ...runner.said.errors.map((e) => e.message)].join('\n');
    expect(said).toMatch(/Engineers.*remove it from `manages.permission-sets`/s);
    expect(said).not.toMatch(/did you mean/i);
  });

  it('an inline policy that is not a policy stops at its line before any sign-in', async () => {
    const runner = recordedRunner();
    let opened = 0;
    await runReconcile(config(), onEvent(runner.effects, PUSH), {
      readManifest: async (path) => ({ path, text: defining(true) }),
      readPolicyFile: async (path) => ({ path, text: '{"Statement": []}' }),
      openReconciler: async () => {
        opened++;
        throw new Error('not opened');
      },
    });
    expect(opened).toBe(0);
    expect(runner.said.errors[0]).toMatchObject({ at: { file: MANIFEST, line: 6 } });
    expect(runner.said.errors[0]!.message).toMatch(/inline-policy.*policies\/engineers\.json/);
  });

  it('a set whose create FAILED: its assignment is FAILED too, and no placeholder reaches the service', async () => {
    sso.failNext('CreatePermissionSet', 'AccessDeniedException', 400, 'not allowed to create');
    const { runner } = await reconcile(defining(true));
    expect(runner.said.failed).not.toEqual([]);
    expect(sso.inputsOf('CreateAccountAssignment')).toEqual([]);
    const results = JSON.parse(runner.outputs.results!) as {
      principal: string;
      change?: string;
      status: string;
      failureReason: string | null;
    }[];
    expect(results.find((r) => r.change === 'permission-set-create')).toMatchObject({ status: 'FAILED' });
    expect(results.find((r) => r.principal === 'Deployers')).toMatchObject({
      status: 'FAILED',
      failureReason: expect.stringMatching(/^the permission set `Engineers` was not created/),
    });
  });
});

describe('a manifest’s checks before any sign-in, all in one run', () => {
  /** The step on `manifest`, every policy file holding `text`; whether it signed in. */
  async function checked(manifest: string, text: string, dryRun = false) {
    const runner = recordedRunner();
    let opened = 0;
    await runReconcile(config({ dryRun }), onEvent(runner.effects, PUSH), {
      readManifest: async (path) => ({ path, text: manifest }),
      readPolicyFile: async (path) =>
        path.endsWith('link.json')
          ? { path, unreadable: 'is outside the workspace (a link to /etc/passwd)' }
          : { path, text },
      openReconciler: async () => {
        opened++;
        throw new Error('not opened');
      },
    });
    return { runner, opened };
  }
  const lines = (runner: ReturnType<typeof recordedRunner>) =>
    runner.said.errors.map((e) => [e.at?.line, e.message]);

  it('an inline policy’s errors come with the manifest’s others, each at its line', async () => {
    const manifest = [
      'version: 1',
      'aws:',
      '  manages: {permission-sets: [Engineers]}',
      '  permission-sets:',
      '    - name: Engineers',
      '      session-duration: PT13H',
      '      inline-policy: policies/engineers.json',
      '    - name: Linked',
      '      inline-policy: policies/link.json',
      '    - name: Written',
      '      inline-policy: {"Statement": []}',
      '  assignments: []',
    ].join('\n');
    const { runner, opened } = await checked(manifest, 'not json');
    expect(opened).toBe(0);
    expect(lines(runner)).toEqual([
      [6, expect.stringMatching(/session-duration/)],
      [7, expect.stringMatching(/inline-policy.*policies\/engineers\.json.*JSON/)],
      [9, expect.stringMatching(/policies\/link\.json.*outside the workspace/)],
      [11, expect.stringMatching(/inline-policy.*Version/)],
    ]);
  });

  it('an inline policy’s errors come with a manifest error elsewhere in the file', async () => {
    const manifest = [
      'version: 1',
      'aws:',
      '  manages: {permission-sets: [Engineers]}',
      '  permission-sets:',
      '    - name: Engineers',
      '      inline-policy: policies/engineers.json',
      '  assignments:',
      "    - {principal: Deployers, principal-type: TEAM, role: Engineers, target: '111111111111'}",
    ].join('\n');
    const { runner } = await checked(manifest, '{"Version": "2012-10-17"}');
    expect(lines(runner)).toEqual([
      [6, expect.stringMatching(/inline-policy.*Statement/)],
      [8, expect.stringMatching(/principal-type/)],
    ]);
  });

  it('more than 10 managed and customer-managed policies is a warning at the entry’s line, IAM’s default per role', async () => {
    const manifest = [
      'version: 1',
      'aws:',
      '  manages: {permission-sets: [Engineers]}',
      '  permission-sets:',
      '    - name: Engineers',
      `      customer-managed-policies: [${Array.from({ length: 11 }, (_, i) => `p${i}`).join(', ')}]`,
      '  assignments: []',
    ].join('\n');
    const runner = recordedRunner();
    await runReconcile(config({ dryRun: true }), onEvent(runner.effects, PUSH), {
      readManifest: async (path) => ({ path, text: manifest }),
      openReconciler: async (section) => {
        const { deps, seams } = emulatedDeps(sso);
        const reconciler = createAwsReconciler(
          awsPlan(),
          section as AwsManifestSection,
          deps,
          { createdBy: [], lookbackSeconds: 0 },
          seams,
        );
        return { reconciler, deadline: new Deadline(30) };
      },
    });
    expect(runner.said.failed).toEqual([]);
    expect(runner.said.warnings).toEqual([
      {
        message: expect.stringMatching(
          /attaches 11 managed and customer-managed policies; IAM allows 10 per role by default/,
        ),
        at: { file: MANIFEST, line: 5 },
      },
    ]);
  });
  it('says the warning at the entry’s line even when the definitions stop the step before any sign-in', async () => {
    const manifest = [
      'version: 1',
      'aws:',
      '  manages: {permission-sets: [Engineers]}',
      '  permission-sets:',
      '    - name: Engineers',
      `      customer-managed-policies: [${Array.from({ length: 11 }, (_, i) => `p${i}`).join(', ')}]`,
      '  assignments: []',
    ].join('\n');
    const runner = recordedRunner();
    let signedIn = false;
    // No repository: the sets this manifest makes cannot be marked as its own, a stop at its line.
    const unknownRepository = {
      ...config({ dryRun: true }),
      run: { repository: undefined },
    } as unknown as ReturnType<typeof config>;
    await runReconcile(unknownRepository, onEvent(runner.effects, PUSH), {
      readManifest: async (path) => ({ path, text: manifest }),
      openReconciler: async () => {
        signedIn = true;
        throw new Error('no sign-in is expected');
      },
    });
    expect(signedIn).toBe(false);
    expect(runner.said.failed.join('\n')).toMatch(/permission sets cannot be written as they are/);
    expect(runner.said.warnings).toContainEqual({
      message: expect.stringMatching(/attaches 11 managed and customer-managed policies/),
      at: { file: MANIFEST, line: 5 },
    });
  });
});

describe('the AWS-managed policies a manifest names, checked with iam:GetPolicy before any write', () => {
  const naming = (...policies: string[]) =>
    [
      'version: 1',
      'aws:',
      '  manages: {permission-sets: [Engineers, Readers]}',
      '  permission-sets:',
      '    - name: Engineers',
      `      aws-managed-policies: [${policies.join(', ')}]`,
      '    - name: Readers',
      '      aws-managed-policies: [ReadOnlyAccess]',
      '  assignments: []',
    ].join('\n');
  const iamCalls = () =>
    sso.emulator.requests.filter((r) => r.service === 'iam' && r.operation === 'GetPolicy');

  it('a policy IAM does not have is an error at its line with the closest names, and nothing is written', async () => {
    const before = writes().length;
    const { runner } = await reconcile(naming('ReadOnlyAcess', 'job-function/ViewOnlyAccess'));
    expect(runner.said.errors).toEqual([
      {
        message: expect.stringMatching(
          /`arn:aws:iam::aws:policy\/ReadOnlyAcess` is not an AWS-managed policy.*did you mean `ReadOnlyAccess`/,
        ),
        at: { file: MANIFEST, line: 6 },
      },
    ]);
    expect(writes()).toHaveLength(before);
  });

  it('each distinct policy is looked up once, however many sets name it', async () => {
    const { runner } = await reconcile(
      naming('ReadOnlyAccess', 'job-function/ViewOnlyAccess'),
      's3:Get*',
      true,
    );
    expect(runner.said.failed).toEqual([]);
    expect(
      iamCalls()
        .map((r) => r.input?.PolicyArn)
        .sort(),
    ).toEqual([
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
    ]);
  });

  it('where the step may not call iam:GetPolicy, the plan says the policy was not checked', async () => {
    sso.emulator.aws.faults.accessDenied.push('GetPolicy');
    const { runner } = await reconcile(naming('ReadOnlyAccess'), 's3:Get*', true);
    expect(runner.said.failed).toEqual([]);
    expect(runner.said.log.join('\n')).toMatch(
      /aws-managed-policies: \+ attach arn:aws:iam::aws:policy\/ReadOnlyAccess \(not checked: the step’s role may not call iam:GetPolicy\)/,
    );
  });
});

describe('output `policy-checks` is set on every AWS reconcile that plans', () => {
  const checksOf = (runner: ReturnType<typeof recordedRunner>) =>
    JSON.parse(runner.outputs['policy-checks'] || 'null') as unknown;
  const analyzerCalls = () => sso.emulator.requests.filter((r) => r.service === 'access-analyzer');
  const assignmentsOnly = [
    'version: 1',
    'aws:',
    '  manages: {permission-sets: [ReadOnlyAccess]}',
    '  assignments:',
    `    - {principal: Deployers, principal-type: GROUP, role: ReadOnlyAccess, target: '${ACCOUNT}'}`,
  ].join('\n');

  it('a manifest that defines no set: nothing to check, no call, and its plan counts no permission set', async () => {
    const before = analyzerCalls().length;
    const { runner, plan } = await reconcile(assignmentsOnly, 's3:Get*', true);
    expect(runner.said.failed).toEqual([]);
    expect(checksOf(runner)).toEqual({ sets: [], calls: 0, unchecked: 0 });
    expect(plan.permissionSets).toBeUndefined();
    expect(analyzerCalls()).toHaveLength(before);
    expect(runner.said.summary).not.toContain('Policy checks');
  });

  it('a defined set the plan leaves alone: nothing to check', async () => {
    await reconcile(defining(true));
    const { runner } = await reconcile(defining(true));
    expect(checksOf(runner)).toEqual({ sets: [], calls: 0, unchecked: 0 });
  });

  it('with `policy-checks: off`, the output says the checks were off rather than that a changed set passed them', async () => {
    const before = analyzerCalls().length;
    const { runner } = await reconcile(defining(true), 's3:Get*', true, { policyChecks: 'off' });
    expect(runner.said.failed).toEqual([]);
    expect(checksOf(runner)).toEqual({ sets: [], calls: 0, unchecked: 0, off: true });
    expect(analyzerCalls()).toHaveLength(before);
  });
});

describe('a plan a check stops still says the checks it made', () => {
  const checksOf = (runner: ReturnType<typeof recordedRunner>) =>
    JSON.parse(runner.outputs['policy-checks'] || 'null') as {
      sets: { name: string; parts: { part: string; checks: { check: string; result: string }[] }[] }[];
      unchecked: number;
    } | null;

  it('an escalation action the ceiling forbids: the output and the summary hold the failing check, and nothing is written', async () => {
    const before = writes().length;
    const { runner } = await reconcile(defining(true), 'iam:PassRole');
    expect(runner.said.failed).not.toEqual([]);
    expect(writes()).toHaveLength(before);
    const checks = checksOf(runner);
    expect(checks?.sets.map((s) => s.name)).toEqual(['Engineers']);
    expect(checks?.sets[0]!.parts[0]!.checks).toContainEqual(
      expect.objectContaining({ check: 'must-not-grant', result: 'fail' }),
    );
    expect(runner.said.summary).toContain('What the change allows: Engineers');
    expect(runner.said.summary).toContain('<td>must-not-grant</td><td>fail</td>');
  });

  it('`required` with Access Analyzer denied: the output counts the checks that could not run', async () => {
    sso.emulator.aws.faults.accessDenied.push('ValidatePolicy');
    try {
      const { runner } = await reconcile(defining(true), 's3:Get*', false, { policyChecks: 'required' });
      expect(runner.said.errors.map((e) => e.message).join('\n')).toContain('access-analyzer:ValidatePolicy');
      expect(checksOf(runner)?.unchecked).toBe(1);
    } finally {
      sso.emulator.aws.faults.accessDenied.pop();
    }
  });
});
