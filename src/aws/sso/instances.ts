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
  const elsewhere = `set \`aws-region\` to the Region the instance lives in (its home Region; IAM Identity Center shows no instance in any other)`;
  if (instanceArn) {
    throw new CloudAccessError(
      `instance ${instanceArn} is not among the IAM Identity Center instances visible in ${region}`,
      instances.length === 0
        ? { input: 'aws-region', fix: `none is visible there: ${elsewhere}` }
        : {
            input: 'instance-arn',
            fix: `check \`aws-region\`, or pass \`identity-store-id\`; visible: ${instances.map(describe).join('; ')}`,
          },
    );
  }
  if (instances.length === 0)
    throw new CloudAccessError(`no IAM Identity Center instance is visible in ${region}`, {
      input: 'aws-region',
      fix: `${elsewhere}, and check that the role may call sso:ListInstances`,
    });
  throw new CloudAccessError(
    `${instances.length} IAM Identity Center instances are visible in ${region}: ${instances.map(describe).join('; ')}`,
    { input: 'instance-arn', fix: 'pass `instance-arn` (and `identity-store-id`) to choose one' },
  );
}
