// `npm run demo` on Azure beyond a deploy job's grant: a PIM eligibility, a time-bound group
// membership (PIM for groups), and access as code with examples/access/manifest.yml's azure
// section, applied and then reported on.
import { join } from 'node:path';
import { SAMPLE_DIRECTORY } from '../../emulator/azure/sample-directory.js';
import type { Emulator } from '../../emulator/index.js';
import { runStep } from '../../harness/action-runner.js';
import { bold, show, showSummaryAndResults } from './demo-show.js';

const EXAMPLES_DIR = join(import.meta.dirname, '..', '..', 'examples');

/** The step's sign-in and the emulator's endpoints (its Graph too), as the action's inputs. */
export function azureSignIn(emulator: Emulator): Record<string, string> {
  const azure = emulator.azure!;
  return {
    cloud: 'azure',
    'client-id': azure.clientId,
    'tenant-id': azure.tenantId,
    'authority-host': azure.authorityHost,
    'resource-manager-endpoint': azure.resourceManagerEndpoint,
    'graph-endpoint': azure.graphEndpoint,
  };
}

/** bob, on call, made eligible for Reader for 30 days: he activates it in PIM himself. */
export async function showAzureEligibility(emulator: Emulator): Promise<void> {
  const azure = emulator.azure!;
  const onCall = SAMPLE_DIRECTORY.users[1];
  console.log(`\n${bold('Azure PIM: an eligibility the person activates when needed')}`);
  const step = await runStep('main', {
    inputs: {
      ...azureSignIn(emulator),
      principal: onCall.userPrincipalName,
      target: `/subscriptions/${azure.subscriptionId}`,
      role: 'Reader',
      'assignment-type': 'eligible',
      duration: 'P30D',
    },
    env: emulator.env,
  });
  show(
    `main step: make ${onCall.userPrincipalName} eligible for Reader for 30 days (assignment-type: eligible)`,
    step,
  );
  console.log(
    `  emulator: ${azure.state.eligibility.schedules.filter((s) => s.principalId === onCall.id && s.endedAt === undefined).length} PIM eligibility schedule(s) for ${onCall.userPrincipalName}; no role assignment until he activates it in PIM`,
  );
}

/**
 * carol made a member of the Platform group for 2 hours through PIM for groups (`target: group:`),
 * ended early by the post step: the group holds the Azure roles, so its membership is the access.
 */
export async function showAzureGroupMembership(emulator: Emulator): Promise<void> {
  const azure = emulator.azure!;
  const person = SAMPLE_DIRECTORY.users[2];
  const group = SAMPLE_DIRECTORY.groups[2];
  console.log(`\n${bold('Entra: a time-bound group membership through PIM for groups')}`);
  // The group is under PIM already (a portal admin onboarded it), with memberships of 8 hours at most.
  azure.setGroupPimPolicy(
    { assignmentExpirationRequired: true, assignmentMaximumDuration: 'PT8H' },
    {
      groupId: group.id,
    },
  );
  const inputs = {
    ...azureSignIn(emulator),
    principal: person.userPrincipalName,
    target: `group:${group.displayName}`,
    role: 'member',
    duration: '2h',
    'revoke-on-exit': 'true',
  };
  const members = () =>
    azure.groupPim().instances.filter((i) => i.groupId === group.id && i.principalId === person.id).length;
  const grant = await runStep('main', { inputs, env: emulator.env });
  show(
    `main step: make ${person.userPrincipalName} a member of ${group.displayName} for 2 hours (target: group:${group.displayName})`,
    grant,
  );
  console.log(
    `  emulator: ${members()} active membership(s) of ${group.displayName} for ${person.userPrincipalName}`,
  );
  const post = await runStep('post', { inputs, env: emulator.env, state: grant.state });
  show('post step: end the membership early (adminRemove)', post);
  console.log(
    `  emulator: ${members()} active membership(s) of ${group.displayName} for ${person.userPrincipalName}`,
  );
}

/** examples/access/manifest.yml's azure section applied on a push, then who holds what under the subscription. */
export async function showAzureManifest(emulator: Emulator): Promise<void> {
  console.log(
    `\n${bold('Azure RBAC: access as code (examples/access/manifest.yml), then an access review')}`,
  );
  const env = { ...emulator.env, GITHUB_WORKSPACE: EXAMPLES_DIR };
  const applied = await runStep('main', {
    inputs: {
      ...azureSignIn(emulator),
      operation: 'reconcile',
      manifest: 'access/manifest.yml',
      'dry-run': 'false',
    },
    env: { ...env, GITHUB_EVENT_NAME: 'push' },
  });
  show('push to main: the apply (groups by name through Microsoft Graph)', applied, { brief: true });
  const review = await runStep('main', {
    inputs: {
      ...azureSignIn(emulator),
      operation: 'report',
      manifest: 'access/manifest.yml',
      target: `/subscriptions/${emulator.azure!.subscriptionId}`,
    },
    env: { ...env, GITHUB_EVENT_NAME: 'schedule' },
  });
  show('quarterly review (operation: report): every role assignment under the subscription', review, {
    brief: true,
  });
  showSummaryAndResults(review, { results: false });
}
