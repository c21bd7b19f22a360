// The .env files `npm run emulator:start` writes beside its environment, one per mode of the
// action, so that each runs locally in one command against the running emulator:
//
//   npm run local-action -- .emulator/<mode>.env
//
// Each file is complete: the emulator's environment (its ports and CA change with every start),
// the runner's variables the mode reads (GITHUB_WORKSPACE holding examples/access/manifest.yml,
// GITHUB_STEP_SUMMARY, GITHUB_REPOSITORY, the event), and the action's inputs, taken from the
// workflows of examples/ against what the emulator seeds (emulator/examples-seed.ts).
import { EXAMPLES } from '../../emulator/examples-seed.js';
import { CONTROL_CALLS } from '../../emulator/control-calls.js';
import { endSessionsMode } from './local-mode-end-sessions.js';
import { groupMode } from './local-mode-group.js';
import { reviewMode } from './local-mode-review.js';

export interface LocalMode {
  name: string;
  /** The mode in a few words, for the lists in README.md, docs/local-run.md and .env.example. */
  title: string;
  /** What the mode does, for the file's header and the list emulator:start prints. */
  does: string;
  /** A control call that gives the mode something to show, to run before it. */
  first?: string;
  /** Control calls that stage what the step refuses instead, each with what it shows. */
  refusals?: { shows: string; command: string }[];
  /** Control calls to run after it, each with what it shows, before running it again. */
  next?: { shows: string; command: string }[];
  /** Where to read what the mode wrote, after it ran. */
  then?: string;
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

/**
 * A control call with one of its examples in --help (emulator/control-calls.ts), as a curl command
 * naming `$EMULATOR_URL`, which `source .emulator/emulator.env` sets; the files emulator:start
 * writes put the URL itself in its place (withEmulatorUrl).
 */
function controlCommand(route: string, example = 0): string {
  const body = CONTROL_CALLS.find((c) => c.route === route)?.examples?.[example];
  if (body === undefined) throw new Error(`${route} has no example ${example}`);
  return `curl -XPOST $EMULATOR_URL${route.split(' ')[1]} -d '${JSON.stringify(body)}'`;
}

/** A command with the running emulator's URL in place of `$EMULATOR_URL`. */
export const withEmulatorUrl = (command: string, env: Record<string, string>): string =>
  env.EMULATOR_URL ? command.replaceAll('$EMULATOR_URL', env.EMULATOR_URL) : command;

/** The S3 bucket `npm run emulator` seeds for `audit-log` (emulator/examples-seed.ts). */
const AUDIT_BUCKET = EXAMPLES.auditBucket;

export function localModes(env: Record<string, string>): LocalMode[] {
  const azure = {
    cloud: 'azure',
    'client-id': env.AZURE_CLIENT_ID ?? '',
    'tenant-id': env.AZURE_TENANT_ID ?? '',
    ...azureEndpointInputs(env),
  };
  const rgApp = `/subscriptions/${env.AZURE_SUBSCRIPTION_ID ?? ''}/resourceGroups/rg-app`;
  return [
    ...grantModes(azure, rgApp),
    ...requestModes(azure),
    auditLogMode(),
    endSessionsMode(AWS),
    ...manifestModes(azure, env),
    reviewMode(AWS, env),
    ...sweepModes(),
  ];
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
    groupMode(azure),
  ];
}

const STAGE_REQUEST = 'POST /_emulator/github/access-request';

/** What the request step refuses, each staged by one of the control call's examples. */
const REQUEST_REFUSALS = [
  { shows: 'a run on another event (push)', command: controlCommand(STAGE_REQUEST, 1) },
  { shows: 'a run on another branch', command: controlCommand(STAGE_REQUEST, 2) },
  { shows: "a requester the policy's rules do not name (bob)", command: controlCommand(STAGE_REQUEST, 3) },
  { shows: 'a run nobody approved', command: controlCommand(STAGE_REQUEST, 4) },
];

/**
 * An access request on each cloud, staged approved by one control call (alice's request, carol's
 * approval); the AWS grant carries a `-t<expiry>` claim, the Azure one is a PIM schedule.
 */
function requestModes(azure: AzureInputs): LocalMode[] {
  const request = {
    operation: 'request',
    duration: '1h',
    justification: 'INC-42: the dashboards are down',
  };
  return [
    {
      name: 'aws-request',
      title: 'AWS access request (stage it first: POST /_emulator/github/access-request)',
      does: "alice's approved request under rule prod-read: ReadOnlyAccess in 111111111111 for 1h, under a `-t<expiry>` session name; the post step leaves it, a sweep after the expiry ends it",
      first: controlCommand(STAGE_REQUEST),
      refusals: REQUEST_REFUSALS,
      example: 'request-access.yml',
      event: 'workflow_dispatch',
      inputs: { ...AWS, ...request, rule: 'prod-read' },
    },
    {
      name: 'azure-request',
      title: 'Azure access request (stage it first: POST /_emulator/github/access-request)',
      does: "alice's approved request under rule prod-reader: Reader on rg-app for 1h, a PIM schedule Azure ends itself",
      first: controlCommand(STAGE_REQUEST),
      refusals: REQUEST_REFUSALS,
      example: 'request-access.yml',
      event: 'workflow_dispatch',
      inputs: { ...azure, ...request, rule: 'prod-reader' },
    },
  ];
}

/** An ephemeral AWS grant recording to the emulator's S3, its records read back with one call. */
function auditLogMode(): LocalMode {
  return {
    name: 'aws-audit-log',
    title: `AWS ephemeral with audit-log (records in the emulator's S3 bucket ${AUDIT_BUCKET})`,
    does: `bob gets ViewOnlyAccess in 333333333333 and the post step revokes it; each step writes its records to s3://${AUDIT_BUCKET}/cloud-access, signed in as the step's own role`,
    then: `curl "$EMULATOR_URL/_emulator/aws/s3/objects?bucket=${AUDIT_BUCKET}"`,
    example: 'ephemeral.yml',
    event: 'push',
    inputs: {
      ...AWS,
      principal: 'bob',
      target: '333333333333',
      role: 'ViewOnlyAccess',
      'revoke-on-exit': 'true',
      'audit-log': `s3://${AUDIT_BUCKET}/cloud-access`,
    },
  };
}

/** Reconcile and report, on each cloud, from examples/access/manifest.yml. */
function manifestModes(azure: AzureInputs, env: Record<string, string>): LocalMode[] {
  return [
    {
      name: 'reconcile-aws',
      title: 'reconcile, AWS (applies; set INPUT_DRY-RUN=true for the plan only)',
      does: "applies examples/access/manifest.yml's aws section (set INPUT_DRY-RUN=true for the plan only); after aws-request, alice's ReadOnlyAccess in 111111111111 is planned `claimed`, left until the request's expiry",
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
    permissionSetsMode(),
    snapshotMode(env),
    {
      name: 'reconcile-azure',
      title: 'reconcile, Azure (applies; set INPUT_DRY-RUN=true for the plan only)',
      does: "applies examples/access/manifest.yml's azure section (set INPUT_DRY-RUN=true for the plan only)",
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
      example: 'access-report.yml',
      event: 'schedule',
      inputs: {
        ...AWS,
        'role-to-assume': 'arn:aws:iam::123456789012:role/access-report',
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
      example: 'access-report.yml',
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

/**
 * Reconcile of examples/access/permission-sets.yml, which defines the sets it assigns: run it, edit
 * a set's policy, run it again to see the update.
 */
function permissionSetsMode(): LocalMode {
  return {
    name: 'reconcile-sets',
    title: 'reconcile, AWS permission sets (edit their policy, run again: `~ update`)',
    does: 'creates the permission sets examples/access/permission-sets.yml defines (ReadOnly, Deployer), then their assignments; edit examples/access/policies/deployer.json (or the sets in the manifest) and run it again: `~ update` shows the policy as a line diff, `~ provision` the accounts it reaches (git checkout examples/access puts them back)',
    example: 'reconcile-apply.yml',
    event: 'push',
    inputs: {
      ...AWS,
      'role-to-assume': 'arn:aws:iam::123456789012:role/access-apply',
      operation: 'reconcile',
      manifest: 'access/permission-sets.yml',
      'dry-run': 'false',
    },
  };
}

/** The S3 bucket `npm run emulator` seeds for `snapshot` (emulator/examples-seed.ts). */
const SNAPSHOT = `s3://${EXAMPLES.snapshotBucket}/reconcile`;

/**
 * A drift check of examples/access/manifest.yml's aws section that keeps what it read in the
 * emulator's S3 (`snapshot`): run once, a complete read writes the snapshot; run again, the step
 * reads from it and CloudTrail's writes since, and its notice says so.
 */
function snapshotMode(env: Record<string, string>): LocalMode {
  return {
    name: 'reconcile-snapshot',
    title: 'reconcile, AWS with snapshot, dry run (run it twice)',
    does: `plans examples/access/manifest.yml's aws section and writes no assignment (INPUT_DRY-RUN=true), keeping what it read at ${SNAPSHOT}: the first run reads in full and writes the snapshot; run it again and it reads from the snapshot and CloudTrail's writes since, as its \`snapshot:\` notice says`,
    then: `curl "$EMULATOR_URL/_emulator/aws/s3/objects?bucket=${EXAMPLES.snapshotBucket}"`,
    example: 'reconcile-drift.yml',
    event: 'schedule',
    inputs: {
      ...AWS,
      'role-to-assume': 'arn:aws:iam::123456789012:role/access-drift',
      'created-by': AWS['role-to-assume'],
      'github-token': env.EMULATOR_GITHUB_TOKEN ?? '',
      operation: 'reconcile',
      manifest: 'access/manifest.yml',
      'dry-run': 'true',
      snapshot: SNAPSHOT,
    },
  };
}

/** The sweep, and its dry run: `github-token` left to its default, the emulator's job token (local-action-target.ts). */
function sweepModes(): LocalMode[] {
  return [
    {
      name: 'sweep',
      title: 'sweep',
      does: 'revokes the ephemeral AWS grants whose run has ended (stage one: POST /_emulator/aws/orphaned-grant)',
      example: 'sweep.yml',
      event: 'schedule',
      inputs: { ...AWS, operation: 'sweep' },
    },
    {
      name: 'sweep-plan',
      title: 'sweep, dry run (INPUT_DRY-RUN=true: what it would revoke)',
      does: "lists what a sweep would revoke, and writes nothing (stage a finished run's orphaned grant first)",
      first: controlCommand('POST /_emulator/aws/orphaned-grant'),
      example: 'sweep.yml',
      event: 'schedule',
      inputs: { ...AWS, operation: 'sweep', 'dry-run': 'true' },
    },
  ];
}
