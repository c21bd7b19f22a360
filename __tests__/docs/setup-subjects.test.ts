// The set-up of examples/setup/ fits the recipes of examples/workflows/: each workflow's job
// presents an OIDC subject (derived from its `on:` and `environment:` by GitHub's rules), and the
// role or identity it signs in as trusts that subject, in both forms GitHub sends, and nothing
// more — in the CloudFormation template, the Terraform file and the az script alike. The
// permissions are calls the source makes, and what the step's operation needs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as accessAnalyzer from '@aws-sdk/client-accessanalyzer';
import * as athena from '@aws-sdk/client-athena';
import * as cloudTrail from '@aws-sdk/client-cloudtrail';
import * as iam from '@aws-sdk/client-iam';
import * as identityStore from '@aws-sdk/client-identitystore';
import * as organizations from '@aws-sdk/client-organizations';
import * as ssoAdmin from '@aws-sdk/client-sso-admin';
import { parseYaml } from '../../scripts/workflows/play-workflow.js';
import { runAzScript } from './setup/az-script.js';
import { deployTemplate } from './setup/cloudformation.js';
import { bothForms, jobSubjects, type Workflow } from './setup/oidc-subjects.js';
import { permits, type Call, type IdentityStatement } from './setup/identity-policy.js';
import { needs, POLICY_CHECKS, WRITES } from './setup/operation-needs.js';
import { ownActionFolder } from '../../scripts/workflows/action-inputs.js';
import { SUB_ACTIONS, type SubAction } from '../../src/core/inputs/operation-inputs.js';
import {
  permissionSetStatements,
  permissionSetWriters,
  planTerraform,
  sessionFenceStatements,
  sessionFenceWriters,
} from './setup/terraform.js';
import { allows, githubClaims, type TrustPolicy } from './setup/trust.js';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const asArray = (value: string | string[]) => (Array.isArray(value) ? value : [value]);
const REPO = { owner: 'octo-org', ownerId: '123', name: 'octo-repo', id: '456' };
const PERMISSION_SET = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
/** The ownership tag's value on a set this repository's manifest made (src/core/permission-sets/ownership.ts). */
const OWN = 'octo-org/octo-repo:access/manifest.yml';

const stack = deployTemplate(read('examples/setup/aws/cloud-access.yml'), {
  GitHubOwner: REPO.owner,
  GitHubOwnerId: REPO.ownerId,
  GitHubRepository: REPO.name,
  GitHubRepositoryId: REPO.id,
  IdentityCenterInstanceArn: INSTANCE,
  AssignablePermissionSetArns: PERMISSION_SET,
  AssignableAccountIds: '111111111111,222222222222',
});
const terraformText = read('examples/setup/aws/cloud-access.tf');
const terraform = planTerraform(
  terraformText,
  {
    github_owner: REPO.owner,
    github_owner_id: REPO.ownerId,
    github_repository: REPO.name,
    github_repository_id: REPO.id,
  },
  stack.oidcProviderArn,
);
const azure = runAzScript(read('examples/setup/azure/cloud-access.sh'), {
  OWNER: REPO.owner,
  OWNER_ID: REPO.ownerId,
  REPO: REPO.name,
  REPO_ID: REPO.id,
});

/** A job's `job_workflow_ref` claim: its workflow file, run from the default branch. */
const workflowRef = (file: string, ref = 'refs/heads/main') =>
  `${REPO.owner}/${REPO.name}/.github/workflows/${file}@${ref}`;

/** Each cloud-access step of each example workflow, with the subjects its job presents. */
const steps = readdirSync(join(ROOT, 'examples', 'workflows'))
  .filter((file) => file.endsWith('.yml'))
  .flatMap((file) => {
    const workflow = parseYaml(read(`examples/workflows/${file}`)) as Workflow;
    return Object.entries(workflow.jobs).flatMap(([jobId, job]) =>
      (job.steps ?? [])
        .filter((step) => step.uses?.startsWith('cloud-access/cloud-access'))
        .map((step) => {
          // A sub-action (`cloud-access/cloud-access/report@v1`) is its operation's step.
          const folder = ownActionFolder(step.uses!);
          const operation: Record<string, string> = folder
            ? { operation: SUB_ACTIONS[folder as SubAction] }
            : {};
          return {
            at: `${file} ${jobId}`,
            workflow: workflowRef(file),
            subjects: jobSubjects(workflow, job),
            inputs: {
              ...operation,
              ...Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, String(v)])),
            },
          };
        }),
    );
  });
const awsSteps = steps
  .filter((s) => s.inputs.cloud === 'aws')
  .map((s) => ({ ...s, role: /:role\/([\w+=,.@-]+)$/.exec(s.inputs['role-to-assume'] ?? '')?.[1] }));
const azureSteps = steps
  .filter((s) => s.inputs.cloud === 'azure')
  .map((s) => ({ ...s, variable: /^\$\{\{ vars\.(\w+) \}\}$/.exec(s.inputs['client-id'] ?? '')?.[1] }));

/** Every subject a test offers a trust policy: each recipe's, and ones no recipe presents. */
const probes = [
  ...new Set([
    ...steps.flatMap((s) => s.subjects),
    'pull_request',
    'environment:staging',
    'ref:refs/heads/feature',
    'ref:refs/tags/v1',
  ]),
];
const probeTokens = [
  ...probes.flatMap((subject) => bothForms(REPO, subject)),
  ...probes.map((subject) => `repo:octo-org/another-repo:${subject}`),
  ...probes.map((subject) => `repo:octo-org@123/octo-repo@999:${subject}`),
];
/** The tokens a role should accept: both forms of each subject its steps present. */
const expectedTokens = (subjects: string[]) => subjects.flatMap((s) => bothForms(REPO, s)).sort();

function trustedTokens(trust: TrustPolicy, workflow: string): string[] {
  return probeTokens
    .filter((sub) => allows(trust, stack.oidcProviderArn, githubClaims(sub, undefined, workflow)))
    .sort();
}

const cloudFormationActions = (name: string) =>
  stack.roles.find((r) => r.name === name)!.statements.flatMap((s) => s.Action);

describe('each example workflow signs in as a role or identity the set-up creates', () => {
  it('finds the cloud-access steps of every recipe', () => {
    expect(awsSteps.length).toBeGreaterThanOrEqual(8);
    expect(azureSteps.length).toBeGreaterThanOrEqual(4);
  });

  it.each(awsSteps)('$at assumes a role both the template and the Terraform file create', (step) => {
    expect(step.role).toBeDefined();
    expect(stack.roles.map((r) => r.name)).toContain(step.role);
    expect(terraform.map((r) => r.role_name)).toContain(step.role);
  });

  it.each(azureSteps)('$at reads its client ID from a variable the az script prints', (step) => {
    expect(azure.identities.map((i) => i.variable)).toContain(step.variable);
  });

  it('creates no role or identity that no recipe signs in as', () => {
    const used = new Set(awsSteps.map((s) => s.role));
    expect(stack.roles.map((r) => r.name).filter((name) => !used.has(name))).toEqual([]);
    expect(terraform.map((r) => r.role_name).filter((name) => !used.has(name))).toEqual([]);
    const variables = new Set(azureSteps.map((s) => s.variable));
    expect(azure.identities.filter((i) => !variables.has(i.variable)).map((i) => i.name)).toEqual([]);
  });
});

describe('each AWS role trusts exactly the subjects of the workflows that assume it', () => {
  const roleNames = [...new Set(awsSteps.map((s) => s.role!))];
  const subjectsOf = (role: string) => [
    ...new Set(awsSteps.filter((s) => s.role === role).flatMap((s) => s.subjects)),
  ];
  const workflowsOf = (role: string) => [
    ...new Set(awsSteps.filter((s) => s.role === role).map((s) => s.workflow)),
  ];

  it.each(roleNames)('%s, in the CloudFormation template', (name) => {
    const role = stack.roles.find((r) => r.name === name)!;
    for (const workflow of workflowsOf(name))
      expect(trustedTokens(role.trust, workflow)).toEqual(expectedTokens(subjectsOf(name)));
  });

  it.each(roleNames)('%s, in the Terraform file', (name) => {
    const recipe = terraform.find((r) => r.role_name === name)!;
    for (const workflow of workflowsOf(name))
      expect(trustedTokens(recipe.trust, workflow)).toEqual(expectedTokens(subjectsOf(name)));
    expect(terraformText).toContain('identifiers = [local.oidc_provider_arn]');
  });

  it.each([
    ['CloudFormation template', stack.roles.find((r) => r.name === 'cloud-access-request')!.trust],
    ['Terraform file', terraform.find((r) => r.role_name === 'cloud-access-request')!.trust],
  ])(
    'the request role (%s) admits only the request workflow on the default branch, not another workflow naming its environment',
    (_, trust) => {
      const sub = bothForms(REPO, 'environment:production-access');
      const admits = (workflow: string) =>
        sub.map((s) => allows(trust, stack.oidcProviderArn, githubClaims(s, undefined, workflow)));
      expect(admits(workflowRef('request-access.yml'))).toEqual([true, true]);
      expect(admits(workflowRef('deploy.yml'))).toEqual([false, false]);
      expect(admits(workflowRef('request-access.yml', 'refs/heads/evil'))).toEqual([false, false]);
      expect(sub.map((s) => allows(trust, stack.oidcProviderArn, githubClaims(s)))).toEqual([false, false]);
    },
  );

  it('accepts only the audience sts.amazonaws.com', () => {
    const request = workflowRef('request-access.yml');
    for (const trust of [...stack.roles.map((r) => r.trust), ...terraform.map((r) => r.trust)]) {
      const sub = bothForms(REPO, subjectsOfTrust(trust))[0]!;
      expect(allows(trust, stack.oidcProviderArn, githubClaims(sub, undefined, request))).toBe(true);
      expect(
        allows(trust, stack.oidcProviderArn, githubClaims(sub, 'api://AzureADTokenExchange', request)),
      ).toBe(false);
    }
  });

  it('never lets a pull request assume a role that writes', () => {
    for (const role of stack.roles)
      if (role.statements.some((s) => s.Action.some((a) => WRITES.includes(a))))
        expect({
          role: role.name,
          pullRequest: trustedTokens(role.trust, workflowRef('reconcile-plan.yml', 'refs/pull/1/merge')).some(
            (t) => t.endsWith(':pull_request'),
          ),
        }).toEqual({
          role: role.name,
          pullRequest: false,
        });
  });
});

/** A subject (after `repo:<owner>/<repo>:`) the trust policy accepts, found among the probes. */
function subjectsOfTrust(trust: TrustPolicy): string {
  const token = trustedTokens(trust, workflowRef('request-access.yml'))[0];
  if (!token) throw new Error('the trust policy accepts no recipe subject');
  return token.slice(token.lastIndexOf(`${REPO.name}:`) + REPO.name.length + 1);
}

describe("each AWS role's permissions", () => {
  const sdkExports: Record<string, object> = {
    sso: ssoAdmin,
    identitystore: identityStore,
    organizations,
    cloudtrail: cloudTrail,
    iam,
    'access-analyzer': accessAnalyzer,
    athena,
  };
  const sourceText = (dir: string): string =>
    readdirSync(dir, { withFileTypes: true })
      .map((e) => (e.isDirectory() ? sourceText(join(dir, e.name)) : readFileSync(join(dir, e.name), 'utf8')))
      .join('\n');
  const awsSource = sourceText(join(ROOT, 'src', 'aws'));

  // Granted ahead of the code that sends them: the permission-set writes of a reconcile whose
  // manifest defines sets (docs/access-as-code.md). Each leaves this list once src/aws/ sends it.
  const AWAITED = ['sso:ListPermissionSetProvisioningStatus'];

  it('are calls src/aws/ makes through the SDK, each of its service', () => {
    const actions = new Set([
      ...stack.roles.flatMap((r) => r.statements.flatMap((s) => s.Action)),
      ...terraform.flatMap((r) => r.actions),
    ]);
    for (const action of actions) {
      const [service, name] = action.split(':') as [string, string];
      const made = {
        action,
        exported: `${name}Command` in (sdkExports[service] ?? {}),
        sent: AWAITED.includes(action) || awsSource.includes(`new ${name}Command(`),
      };
      expect(made).toEqual({ action, exported: true, sent: true });
    }
  });

  it('include an awaited permission-set call only while src/aws/ does not send it yet (then drop it from AWAITED)', () => {
    const sentAlready = AWAITED.filter((action) => awsSource.includes(`new ${action.split(':')[1]}Command(`));
    expect(sentAlready).toEqual([]);
  });

  it('are the same in the template and the Terraform file', () => {
    for (const recipe of terraform)
      expect({
        role: recipe.role_name,
        actions: [...new Set(cloudFormationActions(recipe.role_name))].sort(),
      }).toEqual({
        role: recipe.role_name,
        actions: [...recipe.actions].sort(),
      });
  });

  it.each(awsSteps)("hold what $at's operation needs, and no write when it only reads", (step) => {
    const { actions, writes } = needs(step.inputs);
    const granted = cloudFormationActions(step.role!);
    expect(granted).toEqual(expect.arrayContaining(actions));
    if (!writes) expect(granted.filter((a) => WRITES.includes(a))).toEqual([]);
  });

  it('read AWS-managed policies only (iam:GetPolicy, iam:GetPolicyVersion on arn:aws:iam::aws:policy/*), for the roles that plan permission sets', () => {
    const lookups = stack.roles.flatMap((r) =>
      r.statements.filter((s) => s.Action.includes('iam:GetPolicy')).map((s) => ({ role: r.name, s })),
    );
    expect(lookups.map((l) => l.role).sort()).toEqual(['access-apply', 'access-drift', 'access-plan']);
    for (const { s } of lookups)
      expect({ action: s.Action, resource: s.Resource }).toEqual({
        action: ['iam:GetPolicy', 'iam:GetPolicyVersion'],
        resource: 'arn:aws:iam::aws:policy/*',
      });
    for (const recipe of terraform)
      expect({ role: recipe.role_name, lookups: recipe.actions.filter((a) => a.startsWith('iam:')) }).toEqual(
        {
          role: recipe.role_name,
          lookups: ['access-apply', 'access-drift', 'access-plan'].includes(recipe.role_name)
            ? ['iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListPolicies']
            : [],
        },
      );
  });

  it('let the roles that plan permission sets prove what a change allows (policy-checks), and no other role', () => {
    const checkers = (actions: (role: string) => string[], names: string[]) =>
      names.filter((name) => actions(name).some((a) => a.startsWith('access-analyzer:'))).sort();
    expect(
      checkers(
        cloudFormationActions,
        stack.roles.map((r) => r.name),
      ),
    ).toEqual(['access-apply', 'access-drift', 'access-plan']);
    for (const role of ['access-apply', 'access-drift', 'access-plan']) {
      expect(cloudFormationActions(role)).toEqual(expect.arrayContaining(POLICY_CHECKS));
      expect(terraform.find((r) => r.role_name === role)!.actions).toEqual(
        expect.arrayContaining(POLICY_CHECKS),
      );
    }
    // Access Analyzer's checks take no resource (Service Authorization Reference): '*', alone.
    for (const role of stack.roles)
      for (const s of role.statements.filter((s) => s.Action.some((a) => a.startsWith('access-analyzer:'))))
        expect({ role: role.name, resource: s.Resource }).toEqual({ role: role.name, resource: '*' });
  });

  it('name in docs/report.md the Athena calls a report makes with `usage-source: athena://…`, each one src/aws/ sends', () => {
    const { actions } = needs({
      operation: 'report',
      'last-used': 'true',
      'usage-source': 'athena://primary/db.t',
    });
    const athenaActions = actions.filter((a) => a.startsWith('athena:'));
    expect(athenaActions).toHaveLength(3);
    const doc = readFileSync(join(ROOT, 'docs', 'report.md'), 'utf8');
    for (const action of athenaActions) {
      const name = action.split(':')[1]!;
      expect({
        action,
        exported: `${name}Command` in athena,
        sent: awsSource.includes(`new ${name}Command(`),
        documented: doc.includes(`"${action}"`),
      }).toEqual({ action, exported: true, sent: true, documented: true });
    }
  });

  it('let the report role list the Regions the instance serves, which `last-used: true` reads', () => {
    const { actions } = needs({ operation: 'report', 'last-used': 'true' });
    expect(actions).toContain('sso:ListRegions');
    expect(cloudFormationActions('access-report')).toEqual(expect.arrayContaining(actions));
    expect(terraform.find((r) => r.role_name === 'access-report')!.actions).toEqual(
      expect.arrayContaining(actions),
    );
  });

  it('let the review role list the Regions the instance serves, which `revoke-unused` reads', () => {
    const { actions } = needs({ operation: 'review' });
    expect(actions).toEqual(expect.arrayContaining(['sso:ListRegions', 'cloudtrail:LookupEvents']));
    expect(cloudFormationActions('cloud-access-review')).toEqual(expect.arrayContaining(actions));
    expect(terraform.find((r) => r.role_name === 'cloud-access-review')!.actions).toEqual(
      expect.arrayContaining(actions),
    );
  });

  it('limit creates and deletes to the instance, the permission sets and the accounts given', () => {
    const assignmentWrites = ['sso:CreateAccountAssignment', 'sso:DeleteAccountAssignment'];
    const writes = stack.roles.flatMap((r) =>
      r.statements.filter((s) => s.Action.some((a) => assignmentWrites.includes(a)) && !('Condition' in s)),
    );
    expect(writes.length).toBeGreaterThan(0);
    for (const statement of writes)
      expect(statement.Resource).toEqual([
        INSTANCE,
        PERMISSION_SET,
        'arn:aws:sso:::account/111111111111',
        'arn:aws:sso:::account/222222222222',
      ]);
    // Besides them, only the apply role may assign, and only the sets this repository's manifests own.
    for (const role of stack.roles) {
      const assign = (set: string, tags: Record<string, string>, account = '111111111111'): Call => ({
        action: 'sso:CreateAccountAssignment',
        resources: [INSTANCE, set, `arn:aws:sso:::account/${account}`],
        context: Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])),
      });
      const other = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-ffffffffffffffff';
      expect({ role: role.name, other: permits(role.statements, assign(other, {})) }).toEqual({
        role: role.name,
        other: false,
      });
      expect(permits(role.statements, assign(other, { 'cloud-access:manifest': OWN }))).toBe(
        role.name === 'access-apply',
      );
      expect(permits(role.statements, assign(other, { 'cloud-access:manifest': OWN }, '999999999999'))).toBe(
        false,
      );
    }
  });

  it('never include sts:TagSession, which a web identity session cannot use without a tags claim', () => {
    const trustActions = [...stack.roles, ...terraform].flatMap((r) =>
      r.trust.Statement.flatMap((s) => s.Action),
    );
    expect(trustActions.length).toBeGreaterThan(0);
    expect(trustActions.filter((a) => a !== 'sts:AssumeRoleWithWebIdentity')).toEqual([]);
    expect(terraformText.match(/"sts:[A-Za-z]+"/g)).toEqual(['"sts:AssumeRoleWithWebIdentity"']);
  });
});

describe('each Azure identity has a federated credential for exactly the subjects of its workflows', () => {
  it('from GitHub, for the audience api://AzureADTokenExchange', () => {
    expect(azure.issuer).toBe('https://token.actions.githubusercontent.com');
    expect(azure.audiences).toEqual(['api://AzureADTokenExchange']);
  });

  it.each(azure.identities)('$name', (identity) => {
    const subjects = [
      ...new Set(azureSteps.filter((s) => s.variable === identity.variable).flatMap((s) => s.subjects)),
    ];
    // Entra matches a credential's subject exactly: the credentials are the subjects trusted.
    expect([...identity.credentialSubjects].sort()).toEqual(expectedTokens(subjects));
  });

  it.each(azureSteps)(
    '$at signs in as an identity that may do what it does, and reads only when it only reads',
    (step) => {
      const identity = azure.identities.find((i) => i.variable === step.variable)!;
      const { writes } = needs(step.inputs);
      // A sweep that writes only deletes: its identity may not assign. A request's grants go
      // through PIM, which no condition narrows: its identity is its own (docs/azure-setup.md).
      // A review reads as a report does and deletes as the sweep does, never assigns.
      const access =
        { sweep: 'sweep', request: 'request', review: 'review' }[step.inputs.operation ?? ''] ?? 'write';
      expect(identity.access).toBe(!writes ? 'read' : access);
    },
  );

  it('never lets a pull request sign in as an identity that writes', () => {
    for (const identity of azure.identities.filter((i) => i.access !== 'read'))
      expect(identity.credentialSubjects.filter((s) => s.endsWith(':pull_request'))).toEqual([]);
  });
});

describe('a repository whose default branch is not `main`', () => {
  const TRUNK = 'refs/heads/trunk';
  const trunkStack = deployTemplate(read('examples/setup/aws/cloud-access.yml'), {
    GitHubOwner: REPO.owner,
    GitHubOwnerId: REPO.ownerId,
    GitHubRepository: REPO.name,
    GitHubRepositoryId: REPO.id,
    GitHubDefaultBranch: 'trunk',
    IdentityCenterInstanceArn: INSTANCE,
    AssignablePermissionSetArns: PERMISSION_SET,
    AssignableAccountIds: '111111111111',
  });
  const trunkTerraform = planTerraform(
    terraformText,
    {
      github_owner: REPO.owner,
      github_owner_id: REPO.ownerId,
      github_repository: REPO.name,
      github_repository_id: REPO.id,
      github_default_branch: 'trunk',
    },
    stack.oidcProviderArn,
  );
  const admits = (trust: TrustPolicy, subject: string, workflow = workflowRef('request-access.yml', TRUNK)) =>
    bothForms(REPO, subject).map((s) =>
      allows(trust, stack.oidcProviderArn, githubClaims(s, undefined, workflow)),
    );

  it.each([
    ['CloudFormation template', trunkStack.roles.find((r) => r.name === 'cloud-access-request')!.trust],
    ['Terraform file', trunkTerraform.find((r) => r.role_name === 'cloud-access-request')!.trust],
  ])('pins the request workflow to the default branch given (%s), not to `main`', (_, trust) => {
    expect(admits(trust, 'environment:production-access')).toEqual([true, true]);
    const onMain = workflowRef('request-access.yml');
    expect(admits(trust, 'environment:production-access', onMain)).toEqual([false, false]);
  });

  it.each([
    ['CloudFormation template', trunkStack.roles.find((r) => r.name === 'cloud-access-sweep')!.trust],
    ['Terraform file', trunkTerraform.find((r) => r.role_name === 'cloud-access-sweep')!.trust],
  ])("trusts a schedule's runs on the default branch given (%s)", (_, trust) => {
    expect(admits(trust, `ref:${TRUNK}`)).toEqual([true, true]);
    expect(admits(trust, 'ref:refs/heads/main')).toEqual([false, false]);
  });

  it('gives the Azure sweep identity a credential for the default branch given', () => {
    const trunkAzure = runAzScript(read('examples/setup/azure/cloud-access.sh'), {
      OWNER: REPO.owner,
      OWNER_ID: REPO.ownerId,
      REPO: REPO.name,
      REPO_ID: REPO.id,
      DEFAULT_BRANCH: 'trunk',
    });
    const sweep = trunkAzure.identities.find((i) => i.name === 'cloud-access-sweep')!;
    expect(sweep.credentialSubjects.sort()).toEqual(bothForms(REPO, `ref:${TRUNK}`).sort());
  });
});

describe("the apply role's writes to the permission sets a manifest defines, held to the ownership tag", () => {
  const SET = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1111111111111111';
  const ACCOUNT = 'arn:aws:sso:::account/111111111111';
  const TAG = 'cloud-access:manifest';
  const FOREIGN = 'octo-org/another-repo:access/manifest.yml';
  const resolved: Record<string, string[]> = {
    instance_and_accounts: [INSTANCE, ACCOUNT, 'arn:aws:sso:::account/222222222222'],
    instance_and_permission_sets: [INSTANCE, 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/*'],
    permission_sets: ['arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/*'],
    any: ['*'],
  };
  const terraformStatements: IdentityStatement[] = permissionSetStatements(terraformText, {
    github_owner: REPO.owner,
    github_repository: REPO.name,
  }).map((s) => ({
    Sid: s.sid,
    Effect: s.effect,
    Action: s.actions,
    Resource: resolved[s.resources]!,
    Condition: Object.fromEntries(
      [...new Set(s.conditions.map((c) => c.test))].map((test) => [
        test,
        Object.fromEntries(s.conditions.filter((c) => c.test === test).map((c) => [c.variable, c.values])),
      ]),
    ),
  }));
  const cloudFormationStatements = stack.roles.find((r) => r.name === 'access-apply')!.statements;

  /** A call on an existing set carrying `resourceTags`, with `requestTags` or `tagKeys` it sends. */
  const call = (
    action: string,
    resourceTags: Record<string, string>,
    request: { tags?: Record<string, string>; keys?: string[]; resources?: string[] } = {},
  ): Call => ({
    action,
    resources: request.resources ?? [INSTANCE, SET],
    context: {
      ...Object.fromEntries(Object.entries(resourceTags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])),
      ...Object.fromEntries(Object.entries(request.tags ?? {}).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
      ...(request.tags || request.keys ? { 'aws:TagKeys': request.keys ?? Object.keys(request.tags!) } : {}),
    },
  });

  it('is given to the apply role alone, in the template and the Terraform file', () => {
    const writers = stack.roles
      .filter((r) => r.statements.some((s) => s.Action.includes('sso:CreatePermissionSet')))
      .map((r) => r.name);
    expect(writers).toEqual(['access-apply']);
    expect(
      permissionSetWriters(terraformText).map((k) => terraform.find((r) => r.key === k)!.role_name),
    ).toEqual(['access-apply']);
  });

  it('are the statements docs/aws-setup.md shows', () => {
    const doc = read('docs/aws-setup.md');
    const start = doc.indexOf('## Permission sets a manifest defines');
    const json = /```json\n([\s\S]*?)```/.exec(doc.slice(start))![1]!;
    const shown = (JSON.parse(json) as { Statement: IdentityStatement[] }).Statement;
    const oneAccount = deployTemplate(read('examples/setup/aws/cloud-access.yml'), {
      GitHubOwner: REPO.owner,
      GitHubOwnerId: REPO.ownerId,
      GitHubRepository: REPO.name,
      GitHubRepositoryId: REPO.id,
      IdentityCenterInstanceArn: INSTANCE,
      AssignablePermissionSetArns: PERMISSION_SET,
      AssignableAccountIds: '111111111111',
    });
    const apply = oneAccount.roles.find((r) => r.name === 'access-apply')!.statements;
    const [reads, ...writes] = shown;
    for (const statement of writes) expect(apply).toContainEqual(statement);
    expect(apply.filter((s) => s.Sid !== 'Read' && s.Sid !== 'Write')).toHaveLength(writes.length);
    expect(apply.find((s) => s.Sid === 'Read')!.Action).toEqual(
      expect.arrayContaining(asArray(reads!.Action)),
    );
  });

  it('never grants a wildcard action (`sso:*`) to any role', () => {
    const actions = [
      ...stack.roles.flatMap((r) => r.statements.flatMap((s) => s.Action)),
      ...terraform.flatMap((r) => r.actions),
    ];
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });

  describe.each([
    ['CloudFormation template', cloudFormationStatements],
    ['Terraform file', terraformStatements],
  ])('%s', (_, statements) => {
    const may = (c: Call) => permits(statements as IdentityStatement[], c);

    it('creates a set only with the tag of one of this repository’s manifests', () => {
      const create = (tags: Record<string, string>) =>
        call('sso:CreatePermissionSet', {}, { tags, resources: [INSTANCE, SET] });
      expect(may(create({ [TAG]: OWN, team: 'platform' }))).toBe(true);
      expect(may(create({ team: 'platform' }))).toBe(false);
      expect(may(create({ [TAG]: FOREIGN }))).toBe(false);
      // CreatePermissionSet with tags is also authorised as sso:TagResource on the new set.
      expect(may(call('sso:TagResource', {}, { tags: { [TAG]: OWN }, resources: [SET] }))).toBe(true);
    });

    it.each([
      'sso:UpdatePermissionSet',
      'sso:DeletePermissionSet',
      'sso:PutInlinePolicyToPermissionSet',
      'sso:DeleteInlinePolicyFromPermissionSet',
      'sso:AttachManagedPolicyToPermissionSet',
      'sso:DetachManagedPolicyFromPermissionSet',
      'sso:AttachCustomerManagedPolicyReferenceToPermissionSet',
      'sso:DetachCustomerManagedPolicyReferenceFromPermissionSet',
      'sso:PutPermissionsBoundaryToPermissionSet',
      'sso:DeletePermissionsBoundaryFromPermissionSet',
    ])('%s: only on a set carrying this repository’s tag', (action) => {
      expect(may(call(action, { [TAG]: OWN }))).toBe(true);
      expect(may(call(action, {}))).toBe(false);
      expect(may(call(action, { [TAG]: FOREIGN }))).toBe(false);
      expect(may(call(action, { [TAG]: OWN }, { resources: [SET] }))).toBe(true);
    });

    it('provisions its own sets, in the accounts given only', () => {
      const provision = (tags: Record<string, string>, account = ACCOUNT) =>
        call('sso:ProvisionPermissionSet', tags, { resources: [INSTANCE, SET, account] });
      expect(may(provision({ [TAG]: OWN }))).toBe(true);
      expect(may(provision({}))).toBe(false);
      expect(may(provision({ [TAG]: OWN }, 'arn:aws:sso:::account/999999999999'))).toBe(false);
    });

    it('tags an untagged set with its own tag (adopt) and its own sets, never with another repository’s value', () => {
      const tag = (resourceTags: Record<string, string>, tags: Record<string, string>) =>
        call('sso:TagResource', resourceTags, { tags, resources: [SET] });
      expect(may(tag({}, { [TAG]: OWN }))).toBe(true);
      expect(may(tag({}, { team: 'platform' }))).toBe(false);
      expect(may(tag({ [TAG]: OWN }, { team: 'platform' }))).toBe(true);
      expect(may(tag({ [TAG]: OWN }, { [TAG]: 'octo-org/octo-repo:other.yml' }))).toBe(true);
      expect(may(tag({ [TAG]: OWN }, { [TAG]: FOREIGN }))).toBe(false);
      // Another repository's set is not taken over by a tag: it is untagged first, by whoever may.
      expect(may(tag({ [TAG]: FOREIGN }, { [TAG]: OWN }))).toBe(false);
    });

    it('removes tags of its own sets, never the ownership tag', () => {
      const untag = (keys: string[]) => call('sso:UntagResource', { [TAG]: OWN }, { keys, resources: [SET] });
      expect(may(untag(['team']))).toBe(true);
      expect(may(untag([TAG]))).toBe(false);
      expect(may(untag(['team', TAG]))).toBe(false);
      expect(may(call('sso:UntagResource', {}, { keys: ['team'], resources: [SET] }))).toBe(false);
    });
  });
});

describe('the revoking roles’ session fences, only on sets this repository owns or that opted in', () => {
  const SET = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1111111111111111';
  const ACCOUNT = 'arn:aws:sso:::account/111111111111';
  const FENCE_WRITES = ['sso:PutInlinePolicyToPermissionSet', 'sso:DeleteInlinePolicyFromPermissionSet'];
  const FENCE_READS = ['sso:GetInlinePolicyForPermissionSet', 'sso:DescribePermissionSetProvisioningStatus'];
  const REVOKERS = ['cloud-access-ephemeral', 'cloud-access-sweep', 'cloud-access-review', 'access-apply'];
  const tagged = (tags: Record<string, string>) =>
    Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
  const resolved: Record<string, string[]> = {
    instance_and_accounts: [INSTANCE, ACCOUNT, 'arn:aws:sso:::account/222222222222'],
    permission_sets: ['arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/*'],
  };
  const terraformOf = (role: string): IdentityStatement[] => {
    const key = terraform.find((r) => r.role_name === role)!.key;
    const given = { github_owner: REPO.owner, github_repository: REPO.name };
    const statements = [
      ...(sessionFenceWriters(terraformText).includes(key)
        ? sessionFenceStatements(terraformText, given)
        : []),
      ...(permissionSetWriters(terraformText).includes(key)
        ? permissionSetStatements(terraformText, given)
        : []),
    ];
    return statements.map((st) => ({
      Sid: st.sid,
      Effect: st.effect,
      Action: st.actions,
      Resource: resolved[st.resources]!,
      Condition: Object.fromEntries(
        [...new Set(st.conditions.map((c) => c.test))].map((test) => [
          test,
          Object.fromEntries(st.conditions.filter((c) => c.test === test).map((c) => [c.variable, c.values])),
        ]),
      ),
    }));
  };
  const sources = REVOKERS.flatMap((role) => [
    {
      role,
      source: 'CloudFormation template',
      statements: stack.roles.find((r) => r.name === role)!.statements,
    },
    { role, source: 'Terraform file', statements: terraformOf(role) },
  ]);

  it.each(sources)(
    '$role ($source): fences and provisions a set tagged end-sessions=true or this repository’s, no other',
    ({ role, statements }) => {
      const may = (action: string, tags: Record<string, string>, resources = [INSTANCE, SET]) =>
        permits(statements, { action, resources, context: tagged(tags) });
      // The apply role reads every defined set's content and provisioning anyway (a reconcile's plan).
      const actions = role === 'access-apply' ? FENCE_WRITES : [...FENCE_WRITES, ...FENCE_READS];
      for (const action of actions) {
        expect({ action, optedIn: may(action, { 'cloud-access:end-sessions': 'true' }) }).toEqual({
          action,
          optedIn: true,
        });
        expect({ action, owned: may(action, { 'cloud-access:manifest': OWN }) }).toEqual({
          action,
          owned: true,
        });
        expect({ action, other: may(action, {}) }).toEqual({ action, other: false });
        expect({ action, off: may(action, { 'cloud-access:end-sessions': 'false' }) }).toEqual({
          action,
          off: false,
        });
        expect({
          action,
          foreign: may(action, { 'cloud-access:manifest': 'octo-org/another:access.yml' }),
        }).toEqual({
          action,
          foreign: false,
        });
      }
      const provision = (tags: Record<string, string>, account = ACCOUNT) =>
        may('sso:ProvisionPermissionSet', tags, [INSTANCE, SET, account]);
      expect(provision({ 'cloud-access:end-sessions': 'true' })).toBe(true);
      expect(provision({ 'cloud-access:manifest': OWN })).toBe(true);
      expect(provision({})).toBe(false);
      expect(provision({ 'cloud-access:end-sessions': 'true' }, 'arn:aws:sso:::account/999999999999')).toBe(
        false,
      );
    },
  );

  it.each(REVOKERS)(
    '%s reads every set’s description and tags (whether it opted in, its session duration)',
    (role) => {
      const statements = stack.roles.find((r) => r.name === role)!.statements;
      for (const action of ['sso:DescribePermissionSet', 'sso:ListTagsForResource'])
        expect({
          action,
          any: permits(statements, { action, resources: [INSTANCE, SET], context: {} }),
        }).toEqual({
          action,
          any: true,
        });
    },
  );
});
