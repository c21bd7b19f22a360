// Which IAM Identity Center instance a step works in: the one `instance-arn` names, or the only one
// ListInstances shows in the Region; anything else is an error that lists what is visible.
import type { InstanceMetadata } from '@aws-sdk/client-sso-admin';
import { CloudAccessError } from '../../core/errors.js';

/** The instance asked for, or the only one visible; otherwise an error that lists what is visible. */
export function chooseInstance(
  instances: InstanceMetadata[],
  instanceArn: string | undefined,
  region: string,
): InstanceMetadata {
  const chosen = instanceArn
    ? instances.find((i) => i.InstanceArn === instanceArn)
    : instances.length === 1
      ? instances[0]
      : undefined;
  if (chosen) return chosen;
  const describe = (i: InstanceMetadata) =>
    `${i.InstanceArn} (identity store ${i.IdentityStoreId}${i.Name ? `, ${i.Name}` : ''})`;
  if (instanceArn) {
    throw new CloudAccessError(
      `instance ${instanceArn} is not among the IAM Identity Center instances visible in ${region}`,
      {
        input: 'instance-arn',
        fix: `check \`aws-region\`, or pass \`identity-store-id\`; visible: ${instances.map(describe).join('; ') || 'none'}`,
      },
    );
  }
  throw new CloudAccessError(
    instances.length === 0
      ? `no IAM Identity Center instance is visible in ${region}`
      : `${instances.length} IAM Identity Center instances are visible in ${region}: ${instances.map(describe).join('; ')}`,
    {
      input: 'instance-arn',
      fix:
        instances.length === 0
          ? "check `aws-region` (the instance's home Region) and that the role may call sso:ListInstances"
          : 'pass `instance-arn` (and `identity-store-id`) to choose one',
    },
  );
}
