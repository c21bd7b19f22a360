// Inputs that only one cloud reads. On the other cloud's step they would be ignored without a word
// (a `client-id` on an AWS step signs nothing in), so each is an error there.
import type { Cloud } from '../types.js';
import { effectInputDefaults } from './effect-inputs.js';
import { printable, type InputReader, type Problems } from './fields.js';

/**
 * Each cloud's own inputs, with the value the runner passes when a workflow leaves one out
 * (action.yml's default): only another value was set by the workflow.
 */
export const CLOUD_INPUTS: Record<Cloud, Record<string, string>> = {
  aws: {
    'aws-region': '',
    'role-to-assume': '',
    'role-session-name': '',
    'instance-arn': '',
    'identity-store-id': '',
    'only-outdated': 'true',
    ...effectInputDefaults('aws'),
  },
  azure: {
    'client-id': '',
    'tenant-id': '',
    environment: 'AzureCloud',
    'authority-host': '',
    'resource-manager-endpoint': '',
    'assignment-name': '',
    condition: '',
    'condition-version': '',
    description: '',
    'delegated-managed-identity-resource-id': '',
    // Eligibility is Azure PIM's: AWS has one kind of assignment.
    'assignment-type': 'active',
    ...effectInputDefaults('azure'),
  },
};

/**
 * `environment` under `with:` names the Azure cloud; a workflow that writes `environment:
 * production` there most likely meant the job's deployment environment.
 */
export function jobEnvironmentFix(value: string): string {
  return `for a GitHub deployment environment (its protection rules and secrets), set \`environment: ${printable(value)}\` on the job, beside \`runs-on:\`, not under the step's \`with:\``;
}

/** A problem for each input of the other cloud that the workflow set. */
export function checkOtherCloudInputs(problems: Problems, read: InputReader, cloud: Cloud): void {
  const other: Cloud = cloud === 'aws' ? 'azure' : 'aws';
  for (const [input, unset] of Object.entries(CLOUD_INPUTS[other])) {
    const value = read(input).trim();
    if (value === '' || value.toLowerCase() === unset.toLowerCase()) continue;
    if (input === 'environment')
      problems.add(
        input,
        'applies to `cloud: azure` only: it names the Azure cloud (`AzureCloud`, `AzureUSGovernment`, `AzureChinaCloud`)',
        `remove it; ${jobEnvironmentFix(value)}`,
      );
    else
      problems.add(
        input,
        `applies to \`cloud: ${other}\` only, and this step is \`cloud: ${cloud}\``,
        `remove \`${input}\``,
      );
  }
}
