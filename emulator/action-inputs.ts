// The `with:` inputs that point the action at this emulator. The action takes the AWS endpoints
// from the SDK's standard variables (AWS_ENDPOINT_URL_*), but never an Azure endpoint from the
// environment: a job's variables must not redirect where its tokens go, so Entra and ARM are the
// `authority-host` and `resource-manager-endpoint` inputs. Printed by the CLI, as YAML to paste.
import type { Emulator } from './index.js';

export function actionInputs(emulator: Emulator): string[] {
  const lines = ['# cloud: aws', '  cloud: aws', `  role-to-assume: ${emulator.aws.roles[0]?.arn ?? ''}`];
  if (emulator.azure && emulator.endpoints.entra && emulator.endpoints.arm) {
    lines.push(
      '# cloud: azure (client-id and tenant-id come from the AZURE_CLIENT_ID and AZURE_TENANT_ID exports)',
      '  cloud: azure',
      `  authority-host: ${emulator.endpoints.entra}`,
      `  resource-manager-endpoint: ${emulator.endpoints.arm}`,
      ...(emulator.endpoints.graph ? [`  graph-endpoint: ${emulator.endpoints.graph}`] : []),
      `  target: /subscriptions/${emulator.azure.subscriptionId}`,
    );
  }
  return lines;
}
