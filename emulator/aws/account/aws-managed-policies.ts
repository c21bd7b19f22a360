// The AWS-managed policies the emulated account knows: real names at their real paths (a few of
// the ~1,300 AWS publishes, those a permission set commonly attaches), so a manifest's typo is
// refused as AWS refuses it and the closest real names can be suggested.

/** Path → names of AWS-managed policies at that path. */
const BY_PATH: Record<string, readonly string[]> = {
  '/': [
    'AdministratorAccess',
    'PowerUserAccess',
    'ReadOnlyAccess',
    'SecurityAudit',
    'IAMFullAccess',
    'IAMReadOnlyAccess',
    'AmazonS3FullAccess',
    'AmazonS3ReadOnlyAccess',
    'AmazonEC2FullAccess',
    'AmazonEC2ReadOnlyAccess',
    'AmazonDynamoDBReadOnlyAccess',
    'AmazonRDSReadOnlyAccess',
    'AmazonVPCReadOnlyAccess',
    'AWSBillingReadOnlyAccess',
    'AWSCloudFormationReadOnlyAccess',
    'AWSCloudTrail_ReadOnlyAccess',
    'AWSLambda_ReadOnlyAccess',
    'AWSSupportAccess',
    'CloudWatchReadOnlyAccess',
  ],
  '/job-function/': [
    'Billing',
    'DatabaseAdministrator',
    'DataScientist',
    'NetworkAdministrator',
    'SupportUser',
    'SystemAdministrator',
    'ViewOnlyAccess',
  ],
  '/service-role/': ['AWSConfigRole', 'AWSLambdaBasicExecutionRole'],
};

export interface AwsManagedPolicy {
  name: string;
  path: string;
  /** `arn:<partition>:iam::aws:policy<path><name>`. */
  arn: string;
}

/** Every AWS-managed policy the emulator knows, in the partition given. */
export function awsManagedPolicies(partition = 'aws'): AwsManagedPolicy[] {
  return Object.entries(BY_PATH).flatMap(([path, names]) =>
    names.map((name) => ({ name, path, arn: `arn:${partition}:iam::aws:policy${path}${name}` })),
  );
}

/** Whether `arn` is an AWS-managed policy the emulator knows, in any partition. */
export function isKnownAwsManagedPolicy(arn: string): boolean {
  const partition = /^arn:([\w-]+):iam::aws:policy\//.exec(arn)?.[1];
  return partition !== undefined && awsManagedPolicies(partition).some((p) => p.arn === arn);
}
