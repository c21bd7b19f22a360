// The report role's Athena reads for `usage-source: athena://…` (docs/report.md) in
// examples/setup/aws/: off by default, and when the workgroup is given, the query's three calls on
// it, the Glue table's read, the trail bucket's read and the results location's write — in the
// CloudFormation template and the Terraform file alike.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployTemplate, type PolicyStatement } from './setup/cloudformation.js';
import { terraformBlock } from './setup/terraform.js';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const template = read('examples/setup/aws/cloud-access.yml');
const terraform = read('examples/setup/aws/cloud-access.tf');
const REQUIRED = {
  GitHubOwner: 'octo-org',
  GitHubOwnerId: '123',
  GitHubRepository: 'octo-repo',
  GitHubRepositoryId: '456',
  IdentityCenterInstanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  AssignablePermissionSetArns: 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef',
  AssignableAccountIds: '111111111111',
};
const ATHENA = {
  ReportAthenaWorkgroup: 'primary',
  ReportAthenaDatabase: 'cloudtrail',
  ReportAthenaTable: 'org_trail',
  ReportAthenaTrailBucket: 'org-trail-bucket',
  ReportAthenaResultsLocation: 'athena-results/cloud-access/',
};
const QUERY = ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'];
const GLUE = ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'];

const athenaPolicies = (parameters: Record<string, string>) =>
  Object.values(deployTemplate(template, { ...REQUIRED, ...parameters }).resources).filter(
    (r) => r.Type === 'AWS::IAM::RolePolicy' && r.Properties.PolicyName === 'usage-athena',
  );

describe("the report role's Athena reads (CloudFormation)", () => {
  it('are not granted by default: the workgroup, table and buckets are the organization’s', () => {
    expect(athenaPolicies({})).toEqual([]);
  });

  it('are granted to the report role alone when the workgroup is given: the query, the table, the trail and the results', () => {
    const [policy, ...others] = athenaPolicies(ATHENA);
    expect(others).toEqual([]);
    expect(policy!.Properties.RoleName).toBe('AccessReportRole');
    const statements = (policy!.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement;
    expect(statements).toEqual([
      {
        Sid: 'AthenaQuery',
        Effect: 'Allow',
        Action: QUERY,
        Resource: 'arn:aws:athena:us-east-1:123456789012:workgroup/primary',
      },
      {
        Sid: 'GlueTable',
        Effect: 'Allow',
        Action: GLUE,
        Resource: [
          'arn:aws:glue:us-east-1:123456789012:catalog',
          'arn:aws:glue:us-east-1:123456789012:database/cloudtrail',
          'arn:aws:glue:us-east-1:123456789012:table/cloudtrail/org_trail',
        ],
      },
      {
        Sid: 'TrailRead',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'],
        Resource: ['arn:aws:s3:::org-trail-bucket', 'arn:aws:s3:::org-trail-bucket/AWSLogs/*'],
      },
      {
        Sid: 'ResultsWrite',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:GetBucketLocation'],
        Resource: ['arn:aws:s3:::athena-results', 'arn:aws:s3:::athena-results/cloud-access/*'],
      },
    ]);
  });
});

describe("the report role's Athena reads (Terraform)", () => {
  const policy = terraformBlock(terraform, 'data "aws_iam_policy_document" "report_athena"');
  const attached = terraformBlock(terraform, 'resource "aws_iam_role_policy" "report_athena"');

  it('are made only when var.report_athena is given (null by default)', () => {
    expect(terraform).toMatch(/variable "report_athena" \{[^]*?default\s+= null/);
    expect(policy).toContain('count = var.report_athena == null ? 0 : 1');
    expect(attached).toContain('count = var.report_athena == null ? 0 : 1');
    expect(attached).toContain('role = aws_iam_role.recipe["access_report"].id');
  });

  it('grant the query on the workgroup, the table, the trail bucket and the results location', () => {
    const actions = [...policy.matchAll(/"((?:athena|glue|s3):\w+)"/g)].map((m) => m[1]);
    expect(new Set(actions)).toEqual(
      new Set([...QUERY, ...GLUE, 's3:GetObject', 's3:ListBucket', 's3:GetBucketLocation', 's3:PutObject']),
    );
    for (const resource of [
      ':workgroup/${var.report_athena.workgroup}"',
      ':table/${var.report_athena.database}/${var.report_athena.table}"',
      ':s3:::${var.report_athena.trail_bucket}/AWSLogs/*"',
      ':s3:::${var.report_athena.results_location}*"',
    ])
      expect(policy).toContain(resource);
  });
});
