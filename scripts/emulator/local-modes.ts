// The .env files `npm run emulator:start` writes beside its environment, one per mode of the
// action, so that each runs locally in one command against the running emulator:
//
//   npm run local-action -- .emulator/<mode>.env
//
// Each file is complete: the emulator's environment (its ports and CA change with every start),
// the runner's variables the mode reads (GITHUB_WORKSPACE holding examples/access/manifest.yml,
// GITHUB_STEP_SUMMARY, GITHUB_REPOSITORY, the event), and the action's inputs, taken from the
// workflows of examples/ against what the emulator seeds (emulator/examples-seed.ts).
import { join } from 'node:path';
import { EXAMPLES } from '../../emulator/examples-seed.js';
import { CONTROL_CALLS } from '../../emulator/control-calls.js';

export interface LocalMode {
  name: string;
  /** The mode in a few words, for the lists in README.md, docs/local-run.md and .env.example. */
  title: string;
  /** What the mode does, for the file's header and the list emulator:start prints. */
  does: string;
  /** A control call that gives the mode something to show, to run before it. */
  first?: string;
  /** The example workflow it stands for. */
  example: string;
  inputs: Record<string, string>;
  event: string;
}

const AWS = {
  cloud: 'aws',
  'aws-region': 'us-east-1',
  'role-to-assume': 'arn:aws:iam::123456789012:role/cloud-access',
};

/** A control call as its first example in --help (emulator/control-calls.ts), as a curl command. */
function controlCommand(route: string): string {
  const example = CONTROL_CALLS.find((c) => c.route === route)?.examples?.[0];
  return `curl -XPOST $EMULATOR_URL${route.split(' ')[1]} -d '${JSON.stringify(example)}'`;
}

export function localModes(env: Record<string, string>): LocalMode[] {
  const azure = {
    cloud: 'azure',
    'client-id': env.AZURE_CLIENT_ID ?? '',
    'tenant-id': env.AZURE_TENANT_ID ?? '',
    ...azureEndpointInputs(env),
  };
  const rgApp = `/subscriptions/${env.AZURE_SUBSCRIPTION_ID ?? ''}/resourceGroups/rg-app`;
  return [...grantModes(azure, rgApp), requestMode(env), ...manifestModes(azure, env), ...sweepModes(env)];
}

/** The Azure inputs that name the emulator's endpoints: their ports change with every start. */
export function azureEndpointInputs(env: Record<string, string>): Record<string, string> {
  return {
    'authority-host': env.AZURE_AUTHORITY_HOST ?? '',
    'resource-manager-endpoint': env.EMULATOR_ARM_ENDPOINT ?? '',
    'graph-endpoint': env.EMULATOR_GRAPH_ENDPOINT ?? '',
  };
}

type AzureInputs = Record<string, string>;

/** Assign, ephemeral and provision on AWS; assign on Azure. */
function grantModes(azure: AzureInputs, rgApp: string): LocalMode[] {
  return [
    {
      name: 'aws-assign',
      title: 'AWS assign',
      does: 'group Deployers gets AdministratorAccess in account 111111111111',
      example: 'assign.yml',
      event: 'workflow_dispatch',
      inputs: {
        ...AWS,
        principal: 'Deployers',
        'principal-type': 'GROUP',
        target: '111111111111',
        role: 'AdministratorAccess',
      },
    },
    {
      name: 'aws-ephemeral',
      title: 'AWS ephemeral (then its post step revokes)',
      does: 'group Deployers gets DeployAccess in 222222222222; the post step, run after it, revokes it',
      example: 'ephemeral.yml',
      event: 'push',
      inputs: {
        ...AWS,
        principal: 'Deployers',
        'principal-type': 'GROUP',
        target: '222222222222',
        role: EXAMPLES.deployPermissionSet,
        'revoke-on-exit': 'true',
      },
    },
    {
      name: 'aws-provision',
      title: 'AWS provision',
      does: 're-provisions every permission set where it is outdated (ReadOnlyAccess in 222222222222)',
      example: 'provision.yml',
      event: 'schedule',
      inputs: {
        ...AWS,
        'role-to-assume': 'arn:aws:iam::123456789012:role/cloud-access-provisioner',
        operation: 'provision',
        role: '*',
        target: 'ALL_PROVISIONED_ACCOUNTS',
      },
    },
    {
      name: 'azure-assign',
      title: 'Azure assign',
      does: `the deploy identity ${EXAMPLES.deployerObjectId} gets Contributor on rg-app`,
      example: 'azure-assign.yml',
      event: 'push',
      inputs: {
        ...azure,
        principal: EXAMPLES.deployerObjectId,
        'principal-type': 'ServicePrincipal',
        target: rgApp,
        role: 'Contributor',
      },
    },
  ];
}

/** An AWS access request, staged approved by one control call; its grant carries a `-t<expiry>` claim. */
function requestMode(env: Record<string, string>): LocalMode {
  return {
    name: 'aws-request',
    title: 'AWS access request (stage it first: POST /_emulator/github/access-request)',
    does: "alice's approved request under rule prod-read: ReadOnlyAccess in 111111111111 for 1h, under a `-t<expiry>` session name; the post step leaves it, a sweep after the expiry ends it",
    first: controlCommand('POST /_emulator/github/access-request'),
    example: 'request-access.yml',
    event: 'workflow_dispatch',
    inputs: {
      ...AWS,
      operation: 'request',
      rule: 'prod-read',
      duration: '1h',
      justification: 'INC-42: the dashboards are down',
      'github-token': env.EMULATOR_GITHUB_TOKEN ?? '',
    },
  };
}

/** Reconcile and report, on each cloud, from examples/access/manifest.yml. */
function manifestModes(azure: AzureInputs, env: Record<string, string>): LocalMode[] {
  return [
    {
      name: 'reconcile-aws',
      title: 'reconcile, AWS (INPUT_DRY-RUN=true: the plan only)',
      does: "applies examples/access/manifest.yml's aws section (INPUT_DRY-RUN=true: the plan only); after aws-request, alice's ReadOnlyAccess in 111111111111 is planned `claimed`, left until the request's expiry",
      example: 'reconcile-apply.yml',
      event: 'push',
      inputs: {
        ...AWS,
        'role-to-assume': 'arn:aws:iam::123456789012:role/access-apply',
        // The role grants and requests sign in as: its live claims (aws-request's) are left, `claimed`.
        'created-by': AWS['role-to-assume'],
        'github-token': env.EMULATOR_GITHUB_TOKEN ?? '',
        operation: 'reconcile',
        manifest: 'access/manifest.yml',
        'dry-run': 'false',
      },
    },
    {
      name: 'reconcile-azure',
      title: 'reconcile, Azure',
      does: "applies examples/access/manifest.yml's azure section (INPUT_DRY-RUN=true: the plan only)",
      example: 'reconcile-apply.yml',
      event: 'push',
      inputs: {
        ...azure,
        'github-token': env.EMULATOR_GITHUB_TOKEN ?? '',
        operation: 'reconcile',
        manifest: 'access/manifest.yml',
        'dry-run': 'false',
      },
    },
    {
      name: 'report-aws',
      title: 'report, AWS (groups expanded)',
      does: "who holds what in the instance, each grant by how it is held, and a group's members (give one some first); the files under .emulator/out/",
      first: controlCommand('POST /_emulator/aws/group-members'),
      example: 'access-review.yml',
      event: 'schedule',
      inputs: {
        ...AWS,
        'role-to-assume': 'arn:aws:iam::123456789012:role/access-review',
        'created-by': AWS['role-to-assume'],
        // Whether the runs that claim a grant have finished (a claim counts only while it is live).
        'github-token': env.EMULATOR_GITHUB_TOKEN ?? '',
        operation: 'report',
        manifest: 'access/manifest.yml',
        'expand-groups': 'true',
      },
    },
    {
      name: 'report-azure',
      title: 'report, Azure (groups expanded)',
      does: "who holds what under the subscription, each grant by how it is held, and a group's members (after reconcile-azure, give app-readers some first); the files under .emulator/out/",
      first: controlCommand('POST /_emulator/azure/group-members'),
      example: 'access-review.yml',
      event: 'schedule',
      inputs: {
        ...azure,
        'github-token': env.EMULATOR_GITHUB_TOKEN ?? '',
        operation: 'report',
        manifest: 'access/manifest.yml',
        'expand-groups': 'true',
        target: `/subscriptions/${env.AZURE_SUBSCRIPTION_ID ?? ''}`,
      },
    },
  ];
}

/** The sweep, and its dry run. */
function sweepModes(env: Record<string, string>): LocalMode[] {
  return [
    {
      name: 'sweep',
      title: 'sweep',
      does: 'revokes the ephemeral AWS grants whose run has ended (stage one: POST /_emulator/aws/orphaned-grant)',
      example: 'sweep.yml',
      event: 'schedule',
      inputs: { ...AWS, operation: 'sweep', 'github-token': env.EMULATOR_GITHUB_TOKEN ?? '' },
    },
    {
      name: 'sweep-plan',
      title: 'sweep, dry run (what it would revoke)',
      does: "lists what a sweep would revoke, and writes nothing (stage a finished run's orphaned grant first)",
      first: controlCommand('POST /_emulator/aws/orphaned-grant'),
      example: 'sweep.yml',
      event: 'schedule',
      inputs: {
        ...AWS,
        operation: 'sweep',
        'dry-run': 'true',
        'github-token': env.EMULATOR_GITHUB_TOKEN ?? '',
      },
    },
  ];
}

/** Where a mode's runner files go: absolute for the files emulator:start writes, relative to the repository for examples/local/. */
export interface RunnerPaths {
  workspace: string;
  summary: string;
  temp: string;
}

/** The runner's variables the mode reads. */
export function runnerVariables(mode: LocalMode, paths: RunnerPaths): Record<string, string> {
  return {
    GITHUB_WORKSPACE: paths.workspace,
    GITHUB_STEP_SUMMARY: paths.summary,
    RUNNER_TEMP: paths.temp,
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_REPOSITORY_ID: '123456789',
    GITHUB_RUN_ID: '1234567890',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: mode.event,
    GITHUB_ACTOR: 'octocat',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SERVER_URL: 'https://github.com',
  };
}

/** `INPUT_` and the input's name in capitals, hyphens kept, as the runner passes it. */
export const inputLines = (inputs: Record<string, string>): string[] =>
  Object.entries(inputs).map(([name, value]) => `INPUT_${name.toUpperCase()}=${value}`);

/** The mode's .env file: written to `dir`, its summary to `dir`/out/<mode>.summary.md. */
export function modeEnvFile(mode: LocalMode, env: Record<string, string>, dir: string, root: string): string {
  const runner: Record<string, string> = {
    ...runnerVariables(mode, {
      workspace: join(root, 'examples'),
      summary: join(dir, 'out', `${mode.name}.summary.md`),
      temp: join(dir, 'out'),
    }),
    GITHUB_API_URL: env.GITHUB_API_URL ?? '',
  };
  const lines = [
    `# npm run local-action -- ${join(dir, `${mode.name}.env`)}`,
    `# ${mode.does} (as examples/workflows/${mode.example} does).`,
    ...(mode.first ? [`# First: ${mode.first}`] : []),
    '# Written by npm run emulator:start for this run of the emulator: its ports and CA change with',
    '# every start. ACTIONS_STEP_DEBUG=true adds every call and retry. To change its inputs, start',
    `# from examples/local/${mode.name}.env instead, which says how.`,
    '',
    '# the emulator',
    ...Object.entries(env)
      .filter(([key]) => key !== 'GITHUB_API_URL' && key !== 'EMULATOR_GITHUB_TOKEN')
      .map(([key, value]) => `${key}=${value}`),
    '',
    '# the runner',
    ...Object.entries(runner).map(([key, value]) => `${key}=${value}`),
    '',
    "# the action's inputs",
    ...inputLines(mode.inputs),
    '',
  ];
  return lines.join('\n');
}
