// A request decides on what is granted, not on spelling: the main step as the runner runs it
// (steps/main.ts), its GitHub reads in memory, over a driver that resolves names as the clouds do
// (IAM Identity Center's permission set names exactly, so `ReadOnly` and `readonly` are two
// permission sets; ARM's role names to one GUID, its scopes whatever their case). What users rely
// on: a name that resolves to something the rule does not name is refused, naming both, and
// nothing is written; the rule's own role or target spelled another way is granted.
import { describe, expect, it } from '@jest/globals';
import type { PolicyAtHead } from '../../../src/core/access-request.js';
import type { ExpandTargets } from '../../../src/aws/index.js';
import { roleDefinitionIdFor } from '../../../src/azure/arm/roles.js';
import { targetIdOf, type ResolvedIds } from '../../../src/core/types.js';
import { emptyStats, type GrantDriver } from '../../../src/engine/calls/driver.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import type { RequestSources } from '../../../src/operations/request/index.js';
import { runMainStep } from '../../../src/steps/main.js';
import type { StepSessions } from '../../../src/steps/sessions.js';
import { recordedRunner } from '../../steps/recorded-runner.js';
import { approvedRun, requestClaims } from '../../fixtures/request-run.js';

const ALICE_AWS = '906702c6-e051-70c4-3c8e-7f41b5e7a4d2';
const ALICE_AZURE = '0a11ce00-0000-4000-8000-000000000001';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1111111111111111';
const READ_ONLY = 'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-aaaaaaaaaaaaaaaa';
/** Another permission set, whose name differs from `ReadOnly` only in case. */
const READ_ONLY_LOWER = 'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-bbbbbbbbbbbbbbbb';
const PERMISSION_SETS: Record<string, string> = { ReadOnly: READ_ONLY, readonly: READ_ONLY_LOWER };
const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const ROLES: Record<string, string> = { Reader: READER, Contributor: CONTRIBUTOR };

/** An OU of the organization, and the ACTIVE accounts under it. */
const OU = 'ou-ab12-cdefgh34';
const OU_ACCOUNTS = ['444444444444', '555555555555'];
const expandTargets: ExpandTargets = async (targets) => {
  const expansions = targets.map(({ written, value }) => ({
    target: written,
    id: written,
    accounts: value.kind === 'account' ? [value.id] : written === OU ? OU_ACCOUNTS : [],
    excluded: [],
  }));
  return { accounts: [...new Set(expansions.flatMap((e) => e.accounts))], expansions, excluded: [] };
};

const policy = `version: 1
people:
  - github-id: 583231
    github: alice
    aws: ${ALICE_AWS}
    azure: ${ALICE_AZURE}
  - github-id: 999
    github: carol
rules:
  - name: prod-read
    cloud: aws
    who: [alice]
    role: ReadOnly
    target: ['111111111111', '222222222222']
    max-duration: 2h
    environment: production-access
  - name: org-read
    cloud: aws
    who: [alice]
    role: ReadOnly
    target: ['${OU}']
    max-duration: 2h
    environment: production-access
  - name: app-read
    cloud: azure
    who: [alice]
    role: Reader
    target: ['/subscriptions/${SUBSCRIPTION}/resourceGroups/RG-App']
    max-duration: 2h
    environment: production-access
`;

const claims = requestClaims();
const evidence = approvedRun(Date.now() - 60_000);
const github: RequestSources = {
  claims: async () => claims,
  github: async () => ({
    policyAtHead: async (): Promise<PolicyAtHead> => ({
      defaultBranch: 'main',
      commit: 'c0ffee'.padEnd(40, '0'),
      text: policy,
    }),
    evidence: async () => evidence,
    requests: () => 2,
  }),
};

/** A driver that resolves names as the cloud does, and records every write. */
function cloud() {
  const writes: string[] = [];
  const resolve: GrantDriver['resolve'] = async (grant): Promise<ResolvedIds> => {
    if (grant.cloud === 'aws') {
      const ref = grant.permissionSet;
      const roleId = ref.kind === 'arn' ? ref.arn : PERMISSION_SETS[ref.name]!;

      const principalId = grant.principal.kind === 'id' ? grant.principal.id : '?';
      return { cloud: 'aws', principalId, accountId: grant.accountId, roleId };
    }
    if (!grant.scope) throw new Error('no group target in this test');
    const ref = grant.role;
    const guid = ref.kind === 'guid' ? ref.guid : ref.kind === 'name' ? ROLES[ref.name] : undefined;
    if (!guid) throw new Error(`no role ${JSON.stringify(ref)}`);
    const principalId = grant.principal.kind === 'object' ? grant.principal.id : '?';
    return {
      cloud: 'azure',
      principalId,
      scope: grant.scope,
      roleId: roleDefinitionIdFor(guid, grant.scope),
    };
  };
  const driver = (which: 'aws' | 'azure'): GrantDriver => ({
    cloud: which,
    stats: emptyStats(),
    prepare: async () => {},
    resolve,
    findExisting: async () => undefined,
    create: async (ids) => {
      writes.push(`create ${targetIdOf(ids)} ${ids.roleId}`);
      return { kind: 'done', changed: true, requestId: '00000000-0000-4000-8000-000000000001' };
    },
    remove: async () => ({ kind: 'failed', failureReason: 'not in this test' }),
    findOwnCreate: async () => ({ ownership: 'not-created', why: 'not in this test' }),
    postState: () => ({ instanceArn: INSTANCE }),
  });
  const notForThisStep = () => Promise.reject(new Error('not an operation of this test'));
  const sessions: StepSessions = {
    grants: async (config) => ({
      deadline: new Deadline(30),
      driver: driver(config.cloud),
      ...(config.cloud === 'aws' ? { expandTargets } : {}),
    }),
    provisioning: notForThisStep,
    sweep: notForThisStep,
    reconcile: async () => ({ readManifest: notForThisStep, openReconciler: notForThisStep }),
    report: async () => ({
      readManifest: notForThisStep,
      readPrevious: notForThisStep,
      openReader: notForThisStep,
      writeFiles: notForThisStep,
      openPulls: notForThisStep,
    }),
    request: async () => github,
    review: notForThisStep,
  };
  return { writes, sessions };
}

const CLOUD_INPUTS = {
  aws: {
    cloud: 'aws',
    rule: 'prod-read',
    'role-to-assume': 'arn:aws:iam::123456789012:role/cloud-access',
    'aws-region': 'us-east-1',
    'instance-arn': INSTANCE,
  },
  azure: {
    cloud: 'azure',
    rule: 'app-read',
    'client-id': 'aaaaaaaa-2222-3333-4444-555555555551',
    'tenant-id': 'aaaaaaaa-2222-3333-4444-555555555552',
  },
};

async function request(which: 'aws' | 'azure', asked: { role?: string; target?: string; rule?: string }) {
  const world = cloud();
  const step = recordedRunner({
    inputs: {
      ...CLOUD_INPUTS[which],
      operation: 'request',
      duration: '1h',
      'github-token': 'ghs_token',
      ...asked,
    },
    env: { GITHUB_EVENT_NAME: 'workflow_dispatch' },
    run: {
      repository: 'octo-org/octo-repo',
      repositoryId: '123456789',
      runId: '9876543210',
      runAttempt: '1',
    },
  });
  await runMainStep(step.runner, world.sessions);
  const errors = step.said.errors.map((e) => e.message).join('\n');
  return { step, writes: world.writes, errors };
}

describe('a request decides on what is granted, not on spelling (AWS)', () => {
  it("refuses a permission set whose name differs from the rule's only in case, naming both, and writes nothing", async () => {
    const { writes, errors, step } = await request('aws', { role: 'readonly' });
    expect(writes).toEqual([]);
    expect(errors).toContain(`\`role\` \`readonly\` (${READ_ONLY_LOWER})`);
    expect(errors).toContain(`\`ReadOnly\` (${READ_ONLY})`);
    expect(step.outputs.status).toBe('FAILED');
  });

  it("grants the rule's permission set asked by its ARN", async () => {
    const { writes, errors } = await request('aws', { role: READ_ONLY });
    expect(errors).toBe('');
    expect(writes).toEqual([`create 111111111111 ${READ_ONLY}`, `create 222222222222 ${READ_ONLY}`]);
  });

  it("grants one of the rule's accounts, and refuses an account the rule does not name", async () => {
    expect((await request('aws', { target: '222222222222' })).writes).toEqual([
      `create 222222222222 ${READ_ONLY}`,
    ]);
    const outside = await request('aws', { target: '333333333333' });
    expect(outside.writes).toEqual([]);
    expect(outside.errors).toMatch(/`target` `333333333333` is none of the accounts, scopes or groups/);
  });
});

describe('a request refused within its rule says so first, as a request', () => {
  it('starts its job summary with the refusal, under a heading that says `request`', async () => {
    const { step, writes } = await request('aws', { target: '333333333333' });
    expect(writes).toEqual([]);
    expect(step.said.summary).toMatch(/^<h3>cloud-access: aws request: refused<\/h3>\n/);
    expect(step.said.summary).not.toContain('assign');
    expect(step.said.log.join('\n')).not.toMatch(/^Request allowed/m);
  });

  it('an admitted request still says who asked and under which rule, before its grants', async () => {
    const { step, errors } = await request('aws', { target: '222222222222' });
    expect(errors).toBe('');
    expect(step.said.summary).toMatch(/^<h3>Access request<\/h3>\n/);
    expect(step.said.log.join('\n')).toMatch(/^Request allowed: alice/m);
  });
});

describe("a request under a rule whose target is an OU: the OU's accounts, read when asked", () => {
  it('grants an account under the OU, and refuses one outside it', async () => {
    const under = await request('aws', { rule: 'org-read', target: '555555555555' });
    expect(under.errors).toBe('');
    expect(under.writes).toEqual([`create 555555555555 ${READ_ONLY}`]);
    const outside = await request('aws', { rule: 'org-read', target: '111111111111' });
    expect(outside.writes).toEqual([]);
    expect(outside.errors).toMatch(
      /`target` `111111111111` is none of the accounts, scopes or groups the rule's targets mean \(`ou-ab12-cdefgh34`\)/,
    );
  });
});

describe('a request decides on what is granted, not on spelling (Azure)', () => {
  const scope = `/subscriptions/${SUBSCRIPTION}/resourceGroups/RG-App`;

  it("grants the rule's role asked by its GUID, at its scope spelt in another case with a trailing slash", async () => {
    const { writes, errors } = await request('azure', {
      role: READER,
      target: `/subscriptions/${SUBSCRIPTION}/resourcegroups/rg-app/`,
    });
    expect(errors).toBe('');
    expect(writes).toEqual([
      `create /subscriptions/${SUBSCRIPTION}/resourceGroups/rg-app ${roleDefinitionIdFor(READER, { scope, kind: 'resourceGroup', subscriptionId: SUBSCRIPTION })}`,
    ]);
  });

  it('refuses a role the rule does not name, by name or by GUID, naming both', async () => {
    for (const role of ['Contributor', CONTRIBUTOR]) {
      const { writes, errors } = await request('azure', { role });
      expect(writes).toEqual([]);
      expect(errors).toContain(`\`role\` \`${role}\``);
      expect(errors).toContain(CONTRIBUTOR);
      expect(errors).toContain(`\`Reader\` (${READER})`);
    }
  });

  it('refuses a scope the rule does not name', async () => {
    const { writes, errors } = await request('azure', {
      target: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-other`,
    });
    expect(writes).toEqual([]);
    expect(errors).toMatch(/`target` `.*rg-other` is none of the accounts, scopes or groups/);
  });
});

describe('a request that asks for more than its rule beside what it names writes nothing', () => {
  const scope = `/subscriptions/${SUBSCRIPTION}/resourceGroups/RG-App`;

  it("refuses an account outside the rule asked with one of the rule's: nothing is created", async () => {
    const { writes, errors } = await request('aws', { target: '222222222222\n333333333333' });
    expect(writes).toEqual([]);
    expect(errors).toMatch(/`target` `333333333333` is none of the accounts/);
  });

  it("refuses another permission set asked with the rule's: nothing is created", async () => {
    const { writes, errors } = await request('aws', { role: 'ReadOnly\nreadonly' });
    expect(writes).toEqual([]);
    expect(errors).toContain(`\`role\` \`readonly\` (${READ_ONLY_LOWER})`);
  });

  it.each([
    ['its subscription (wider)', `/subscriptions/${SUBSCRIPTION}`],
    ['a resource under it (a scope is no prefix)', `${scope}/providers/Microsoft.Storage/storageAccounts/x`],
    ['a sibling spelt through `..`', `${scope}/../RG-Other`],
    [
      'another subscription with the same group',
      `/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/RG-App`,
    ],
  ])("refuses a scope other than the rule's: %s", async (_what, target) => {
    const { writes, errors } = await request('azure', { target });
    expect(writes).toEqual([]);
    expect(errors).not.toBe('');
  });
});
