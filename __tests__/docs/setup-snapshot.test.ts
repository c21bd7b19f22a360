// The snapshot's set-up in examples/setup/aws/ (docs/access-as-code.md): a versioned bucket, never
// public; the reconcile roles read `reconcile/`, and only those whose runs may write it (drift,
// apply) put objects there, never the pull requests' plan; the report role keeps `report/`; each
// may list only its prefix — in the CloudFormation template and the Terraform file alike.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployTemplate, type PolicyStatement } from './setup/cloudformation.js';
import { terraformBlock, terraformLocal } from './setup/terraform.js';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const stack = deployTemplate(read('examples/setup/aws/cloud-access.yml'), {
  GitHubOwner: 'octo-org',
  GitHubOwnerId: '123',
  GitHubRepository: 'octo-repo',
  GitHubRepositoryId: '456',
  IdentityCenterInstanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  AssignablePermissionSetArns: 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef',
  AssignableAccountIds: '111111111111',
});
const terraform = read('examples/setup/aws/cloud-access.tf');
const BUCKET = 'arn:aws:s3:::SnapshotBucket';

/** Each role's snapshot actions on its prefix; none for a role that keeps no snapshot. */
const EXPECTED: Record<string, { prefix: string; actions: string[] }> = {
  'access-plan': { prefix: 'reconcile', actions: ['s3:GetObject'] },
  'access-apply': { prefix: 'reconcile', actions: ['s3:GetObject', 's3:PutObject'] },
  'access-drift': { prefix: 'reconcile', actions: ['s3:GetObject', 's3:PutObject'] },
  'access-report': { prefix: 'report', actions: ['s3:GetObject', 's3:PutObject'] },
};

describe('the snapshot set-up', () => {
  it.each(stack.roles.map((r) => [r.name, r]))(
    '%s (CloudFormation) reads its prefix, writes it only if its runs may, and lists nothing else',
    (name, role) => {
      const expected = EXPECTED[name];
      expect(role.snapshot).toEqual(
        expected
          ? [
              {
                Sid: 'Snapshot',
                Effect: 'Allow',
                Action: expected.actions,
                Resource: `${BUCKET}/${expected.prefix}/*`,
              },
              {
                Sid: 'SnapshotList',
                Effect: 'Allow',
                Action: ['s3:ListBucket'],
                Resource: BUCKET,
                Condition: { StringLike: { 's3:prefix': `${expected.prefix}/*` } },
              },
            ]
          : [],
      );
    },
  );

  it('keeps snapshots in a versioned bucket that is never public (CloudFormation)', () => {
    const bucket = stack.resources.SnapshotBucket!;
    expect(bucket.Type).toBe('AWS::S3::Bucket');
    expect(bucket.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  it('lets no one but the roles that keep snapshots write the bucket: whoever may write it may hide drift until the next complete read (CloudFormation)', () => {
    const policy = stack.resources.SnapshotBucketPolicy!;
    expect(policy.Type).toBe('AWS::S3::BucketPolicy');
    const statements = (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement;
    expect(statements).toContainEqual({
      Sid: 'OnlyKeepersWrite',
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:PutObject'],
      Resource: `${BUCKET}/*`,
      Condition: {
        ArnNotEquals: {
          'aws:PrincipalArn': ['AccessApplyRole.Arn', 'AccessDriftRole.Arn', 'AccessReportRole.Arn'],
        },
      },
    });
    const writers = stack.roles.filter((r) =>
      r.snapshot.some((st) => [st.Action].flat().includes('s3:PutObject')),
    );
    expect(writers.map((r) => r.logicalId).sort()).toEqual([
      'AccessApplyRole',
      'AccessDriftRole',
      'AccessReportRole',
    ]);
  });

  it('is the same in the Terraform file', () => {
    const recipes = terraformLocal(terraform, 'recipes') as Record<string, { role_name: string }>;
    const users = terraformLocal(terraform, 'snapshot_users') as Record<
      string,
      { prefix: string; writes: boolean }
    >;
    expect(
      Object.fromEntries(
        Object.entries(users).map(([key, u]) => [
          recipes[key]!.role_name,
          { prefix: u.prefix, actions: u.writes ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'] },
        ]),
      ),
    ).toEqual(EXPECTED);
    expect(terraformBlock(terraform, 'data "aws_iam_policy_document" "snapshot"')).toContain(
      'actions = each.value.writes ? ["s3:GetObject", "s3:PutObject"] : ["s3:GetObject"] resources = ["${aws_s3_bucket.snapshots.arn}/${each.value.prefix}/*"]',
    );
    const keepers = terraformBlock(terraform, 'data "aws_iam_policy_document" "snapshot_bucket"');
    expect(keepers).toContain(
      'sid = "OnlyKeepersWrite" effect = "Deny" principals { type = "*" identifiers = ["*"] } actions = ["s3:PutObject"] resources = ["${aws_s3_bucket.snapshots.arn}/*"] condition { test = "ArnNotEquals" variable = "aws:PrincipalArn" values = [for key, user in local.snapshot_users : aws_iam_role.recipe[key].arn if user.writes] }',
    );
    expect(terraformBlock(terraform, 'resource "aws_s3_bucket_policy" "snapshots"')).toContain(
      'policy = data.aws_iam_policy_document.snapshot_bucket.json',
    );
    expect(terraformBlock(terraform, 'resource "aws_s3_bucket_versioning" "snapshots"')).toContain(
      'versioning_configuration { status = "Enabled" }',
    );
    expect(terraformBlock(terraform, 'resource "aws_s3_bucket_public_access_block" "snapshots"')).toContain(
      'restrict_public_buckets = true',
    );
  });
});
