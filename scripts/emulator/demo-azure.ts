// `npm run demo` on Azure beyond a deploy job's grant: a PIM eligibility, and access as code with
// examples/access/manifest.yml's azure section, applied and then reported on.
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
