// `npm run demo`: the bundled action, end to end, against the embedded emulator. Runs the main
// and post steps exactly as the Actions runner does and prints what a workflow log would show.
import { join } from 'node:path';
import { seedSampleDirectory } from '../../emulator/azure/sample-directory.js';
import { seedExamples } from '../../emulator/examples-seed.js';
import { startEmulator } from '../../emulator/index.js';
import { runStep } from '../../harness/action-runner.js';
import { auditStores, showAzuriteRecords, showS3Records } from './demo-audit.js';
import {
  azureSignIn,
  showAzureEligibility,
  showAzureGroupMembership,
  showAzureManifest,
} from './demo-azure.js';
import { optInWithAnExpiredFence, showFences } from './demo-fences.js';
import { showPermissionSets } from './demo-permission-sets.js';
import { showRequest } from './demo-request.js';
import { showReview } from './demo-review.js';
import { showLastUsed } from './demo-usage.js';
import { bold, show, showSummaryAndResults } from './demo-show.js';

const emulator = await startEmulator({ awsWriteDelayMs: 1000, quiet: true, azurite: true });
// What examples/ names (the DeployAccess permission set tagged team=platform, the reconcile roles).
seedExamples(emulator);
// A directory to name people by (alice@contoso.com, …), as `npm run emulator` has.
seedSampleDirectory(emulator.azure!);
try {
  console.log(bold('cloud-access demo: the bundled action (dist/) against the local emulator'));
  console.log(
    "  Times below are the emulator's. Real writes take longer: an IAM Identity Center assignment or a permission set provisioning usually seconds to a few minutes, an Azure role assignment or PIM request seconds, plus minutes before Azure applies it everywhere.",
  );
  const env = emulator.env;
  const auditLog = await auditStores(emulator);
  const awsInputs = {
    cloud: 'aws',
    'aws-region': 'us-east-1',
    'role-to-assume': 'arn:aws:iam::123456789012:role/cloud-access',
  };

  console.log(`\n${bold('AWS IAM Identity Center: ephemeral access for a deploy job')}`);
  // Revoked means revoked: the post step's revoke ends the sessions the grant gave (a session fence).
  optInWithAnExpiredFence(emulator, 'AdministratorAccess');
  // The deploy job's step, as its main and post steps are given it.
  const deploy = {
    ...awsInputs,
    principal: 'Deployers',
    'principal-type': 'GROUP',
    target: '111111111111, 222222222222',
    role: 'AdministratorAccess',
    'revoke-on-exit': 'true',
    'audit-log': auditLog.aws,
  };
  const grant = await runStep('main', {
    inputs: deploy,
    env,
  });
  show('main step: grant group Deployers AdministratorAccess in two accounts (revoke-on-exit: true)', grant);
  showSummaryAndResults(grant);
  const deployers = emulator.aws.groupId('Deployers');
  const held = emulator.aws.assignments().filter((a) => a.principalId === deployers).length;
  console.log(`  emulator: group Deployers now holds ${held} assignment(s)`);

  const again = await runStep('main', {
    inputs: {
      ...awsInputs,
      principal: 'Deployers',
      'principal-type': 'GROUP',
      target: '111111111111',
      role: 'AdministratorAccess',
    },
    env,
  });
  show('the same grant again: already assigned, nothing written', again);

  const post = await runStep('post', {
    inputs: deploy,
    env,
    state: grant.state,
  });
  show('post step: revoke what the main step created, and end the sessions it gave', post);
  const left = emulator.aws.assignments().filter((a) => a.principalId === deployers).length;
  console.log(`  emulator: group Deployers now holds ${left} assignment(s)`);
  showFences(emulator, 'AdministratorAccess');
  showS3Records(emulator);

  console.log(`\n${bold('AWS IAM Identity Center: a job whose post step never ran, swept')}`);
  const lostJob = await runStep('main', {
    inputs: {
      ...awsInputs,
      principal: 'bob',
      target: '333333333333',
      role: 'PowerUserAccess',
      'revoke-on-exit': 'true',
    },
    env: { ...env, GITHUB_RUN_ID: '4242' },
  });
  show(
    'main step of run 4242: grant bob PowerUserAccess (revoke-on-exit: true); then the runner is lost',
    lostJob,
  );
  emulator.github.runs.setRun({
    repository: 'octo-org/octo-repo',
    repositoryId: '123456789',
    runId: '4242',
    attempt: '1',
    status: 'completed',
    conclusion: 'failure',
  });
  console.log(
    '  emulator: run 4242 has completed (failure); its post step never ran, so bob keeps the grant',
  );
  const sweepInputs = { ...awsInputs, operation: 'sweep', 'github-token': emulator.github.runs.jobToken };
  const sweepEnv = { ...env, GITHUB_EVENT_NAME: 'schedule' };
  const plan = await runStep('main', { inputs: { ...sweepInputs, 'dry-run': 'true' }, env: sweepEnv });
  show('scheduled sweep, dry run: CloudTrail names the run, GitHub says it finished', plan);
  const swept = await runStep('main', { inputs: sweepInputs, env: sweepEnv });
  show('scheduled sweep: revoke it', swept);
  const bobHolds = emulator.aws
    .assignments()
    .filter((a) => a.principalId === emulator.aws.userId('bob')).length;
  console.log(`  emulator: bob now holds ${bobHolds} assignment(s)`);

  console.log(`\n${bold('AWS IAM Identity Center: access as code (examples/access/manifest.yml)')}`);
  // As examples/workflows/reconcile-*.yml run it: the repository checked out (the manifest at
  // access/manifest.yml in the workspace), the plan on a pull request, the apply on a push to main.
  const reconcile = (role: string, event: string, dryRun: boolean) =>
    runStep('main', {
      inputs: {
        ...awsInputs,
        'role-to-assume': `arn:aws:iam::123456789012:role/${role}`,
        operation: 'reconcile',
        manifest: 'access/manifest.yml',
        'dry-run': String(dryRun),
      },
      env: {
        ...env,
        GITHUB_WORKSPACE: join(import.meta.dirname, '..', '..', 'examples'),
        GITHUB_EVENT_NAME: event,
      },
    });
  const planned = await reconcile('access-plan', 'pull_request', true);
  show('pull request: the plan (dry-run: true), what the apply would create and delete', planned, {
    brief: true,
  });
  showSummaryAndResults(planned, { results: false });
  const applied = await reconcile('access-apply', 'push', false);
  show('push to main: the apply', applied, { brief: true });
  const drift = await reconcile('access-plan', 'schedule', true);
  show('nightly drift check (dry-run: true): the cloud matches the manifest', drift, { brief: true });
  if (drift.outputs.drift !== 'false') {
    console.log('  expected no drift after the apply');
    process.exitCode = 1;
  }

  console.log(`\n${bold('AWS IAM Identity Center: who holds what, for an access review')}`);
  const review = await runStep('main', {
    inputs: {
      ...awsInputs,
      'role-to-assume': 'arn:aws:iam::123456789012:role/access-report',
      operation: 'report',
      manifest: 'access/manifest.yml',
      'created-by': awsInputs['role-to-assume'],
    },
    env: {
      ...env,
      GITHUB_WORKSPACE: join(import.meta.dirname, '..', '..', 'examples'),
      GITHUB_EVENT_NAME: 'schedule',
    },
  });
  show('quarterly review (operation: report, read-only): every grant and how it is held', review, {
    brief: true,
  });

  // After the review of examples/access/manifest.yml, which would otherwise list the sets'
  // assignments as `foreign` (listed by no manifest it reads, made by no run of its `created-by`).
  await showPermissionSets(emulator, awsInputs);

  // Before the re-provisioning below, which assigns ReadOnlyAccess to alice in five accounts.
  await showRequest(emulator, awsInputs);

  console.log(
    `\n${bold('AWS IAM Identity Center: scheduled re-provisioning of an outdated permission set')}`,
  );
  const readOnly = emulator.aws.permissionSetArn('ReadOnlyAccess');
  const accounts = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555'];
  for (const accountId of accounts) {
    emulator.aws.addAssignment({
      accountId,
      permissionSetArn: readOnly,
      principalType: 'USER',
      principalId: emulator.aws.userId('alice'),
    });
  }
  // Its inline policy changed: IAM Identity Center marks two of the five accounts outdated.
  emulator.aws.markOutdated(readOnly, ['222222222222', '444444444444']);
  console.log(
    '  emulator: ReadOnlyAccess is provisioned to 5 accounts; 222222222222 and 444444444444 are outdated',
  );
  const provision = await runStep('main', {
    inputs: {
      ...awsInputs,
      operation: 'provision',
      role: 'ReadOnlyAccess',
      target: 'ALL_PROVISIONED_ACCOUNTS',
    },
    env,
  });
  show('main step: operation provision, only-outdated (default)', provision);
  const outdatedAfter = emulator.aws.provisionedAccounts(readOnly).filter((a) => !a.current).length;
  console.log(
    `  emulator: ${outdatedAfter} outdated account(s) left; ProvisionPermissionSet calls: ${emulator.requests.filter((r) => r.operation === 'ProvisionPermissionSet').length}`,
  );
  // alice's ReadOnlyAccess grants above are older than the event history: one used, one not.
  await showLastUsed(emulator, awsInputs);

  console.log(`\n${bold('Azure RBAC: ephemeral access for a deploy job')}`);
  const azure = emulator.azure!;
  const deployer = azure.addPrincipal({ type: 'ServicePrincipal', createdAt: 0 });
  const resourceGroup = `/subscriptions/${azure.subscriptionId}/resourceGroups/rg-app`;
  const azureInputs = {
    // The emulator's Graph too: the audit records name the principal given by object ID.
    ...azureSignIn(emulator),
    principal: deployer,
    'principal-type': 'ServicePrincipal',
    target: resourceGroup,
    role: 'Contributor',
    'revoke-on-exit': 'true',
    'audit-log': auditLog.azure,
  };
  const azureGrant = await runStep('main', { inputs: azureInputs, env });
  show(`main step: grant a deploy identity Contributor on rg-app (revoke-on-exit: true)`, azureGrant);
  console.log(
    `  emulator: the identity now holds ${azure.roleAssignments().filter((a) => a.properties.principalId === deployer).length} role assignment(s)`,
  );
  const azurePost = await runStep('post', { inputs: azureInputs, env, state: azureGrant.state });
  show('post step: revoke what the main step created', azurePost);
  console.log(
    `  emulator: the identity now holds ${azure.roleAssignments().filter((a) => a.properties.principalId === deployer).length} role assignment(s)`,
  );
  await showAzuriteRecords(emulator);

  // Time-bound: Azure ends the assignment itself at its end time, even if the post step never runs.
  // The emulator lets a removal through 1 s after the start (Azure: 5 minutes) so the demo is short.
  azure.config.pimMinimumActiveMs = 1_000;
  const timeBound = { ...azureInputs, duration: '2h' };
  const timeBoundGrant = await runStep('main', { inputs: timeBound, env });
  show('main step: the same grant, time-bound (duration: 2h, a PIM schedule request)', timeBoundGrant);
  const timeBoundPost = await runStep('post', { inputs: timeBound, env, state: timeBoundGrant.state });
  show('post step: end it early with an AdminRemove request', timeBoundPost);
  console.log(
    `  emulator: the identity now holds ${azure.roleAssignments().filter((a) => a.properties.principalId === deployer).length} role assignment(s)`,
  );

  await showAzureEligibility(emulator);
  await showAzureGroupMembership(emulator);
  await showAzureManifest(emulator);
  // Last: it stages a grant of bob's to review, which the AWS steps above do not expect.
  await showReview(emulator, awsInputs);

  console.log(`\n${bold('requests the emulator served')}`);
  const byOperation = new Map<string, number>();
  for (const r of emulator.requests)
    byOperation.set(`${r.service} ${r.operation}`, (byOperation.get(`${r.service} ${r.operation}`) ?? 0) + 1);
  for (const [op, n] of byOperation) console.log(`  ${String(n).padStart(4)}  ${op}`);
} finally {
  await emulator.close();
}
