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

/**
 * The statements of a few policies as AWS publishes them, cut to what a check tells apart (the
 * real ones list hundreds of actions); any other policy allows its service's reads
 * (`<service>:Get*`, `List*`, `Describe*` on `*`), so a document is there for every one.
 */
const STATEMENTS: Record<string, ({ Action: string | string[] } | { NotAction: string[] })[]> = {
  AdministratorAccess: [{ Action: '*' }],
  PowerUserAccess: [
    { NotAction: ['iam:*', 'organizations:*', 'account:*'] },
    { Action: ['iam:CreateServiceLinkedRole', 'iam:ListRoles', 'organizations:DescribeOrganization'] },
  ],
  IAMFullAccess: [{ Action: ['iam:*', 'organizations:DescribeAccount', 'organizations:ListAccounts'] }],
  IAMReadOnlyAccess: [{ Action: ['iam:Get*', 'iam:List*', 'iam:GenerateCredentialReport'] }],
  AmazonS3FullAccess: [{ Action: ['s3:*', 's3-object-lambda:*'] }],
  AmazonS3ReadOnlyAccess: [{ Action: ['s3:Get*', 's3:List*', 's3:Describe*'] }],
  AmazonEC2FullAccess: [{ Action: ['ec2:*', 'elasticloadbalancing:*', 'cloudwatch:*', 'autoscaling:*'] }],
  ReadOnlyAccess: [{ Action: ['ec2:Describe*', 's3:Get*', 's3:List*', 'iam:Get*', 'iam:List*'] }],
  ViewOnlyAccess: [{ Action: ['ec2:Describe*', 's3:ListAllMyBuckets', 'iam:List*'] }],
  SystemAdministrator: [{ Action: ['ec2:*', 'iam:PassRole', 'iam:GetRole', 'cloudwatch:*'] }],
};

/** The policy's default version's document (v1), as IAM holds it: JSON text. */
export function awsManagedPolicyDocument(policy: AwsManagedPolicy): string {
  const own = STATEMENTS[policy.name];
  const service = policy.name
    .replace(/^(Amazon|AWS)/, '')
    .replace(/(ReadOnly|Full)?Access$|_.*$/, '')
    .toLowerCase();
  const statements = own ?? [
    { Action: [`${service || 'iam'}:Get*`, `${service || 'iam'}:List*`, `${service || 'iam'}:Describe*`] },
  ];
  return JSON.stringify(
    { Version: '2012-10-17', Statement: statements.map((s) => ({ Effect: 'Allow', ...s, Resource: '*' })) },
    null,
    4,
  );
}
