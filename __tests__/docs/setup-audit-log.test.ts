// The audit log's set-up in examples/setup/aws/ (docs/audit.md): a bucket that keeps each record
// write-once for a year by default (Object Lock, versioning, no public access, encryption, new
// objects only), and, for each role whose recipe writes, s3:PutObject under its own prefix and
// nothing else of S3 — in the CloudFormation template and the Terraform file alike.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownActionFolder } from '../../scripts/workflows/action-inputs.js';
import { parseYaml } from '../../scripts/workflows/play-workflow.js';
import { SUB_ACTIONS, type SubAction } from '../../src/core/inputs/operation-inputs.js';
import { deployTemplate, type PolicyStatement } from './setup/cloudformation.js';
import type { Workflow } from './setup/oidc-subjects.js';
import { needs } from './setup/operation-needs.js';
import { terraformBlock, terraformLocal } from './setup/terraform.js';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const PARAMETERS = {
  GitHubOwner: 'octo-org',
  GitHubOwnerId: '123',
  GitHubRepository: 'octo-repo',
  GitHubRepositoryId: '456',
  IdentityCenterInstanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  AssignablePermissionSetArns: 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef',
  AssignableAccountIds: '111111111111',
};
const template = read('examples/setup/aws/cloud-access.yml');
const stack = deployTemplate(template, PARAMETERS);
const terraform = read('examples/setup/aws/cloud-access.tf');
/** The bucket's ARN as the evaluated template names it (a resource's `!Ref` is its logical ID here). */
const BUCKET = 'arn:aws:s3:::AuditLogBucket';

/** The role each cloud-access step of the example workflows assumes, and whether its step writes. */
const roleSteps = readdirSync(join(ROOT, 'examples', 'workflows'))
  .filter((file) => file.endsWith('.yml'))
  .flatMap((file) =>
    Object.values((parseYaml(read(`examples/workflows/${file}`)) as Workflow).jobs).flatMap((job) =>
      (job.steps ?? []).filter((step) => step.uses?.startsWith('cloud-access/cloud-access')),
    ),
  )
  .map((step): Record<string, string> => {
    // A sub-action (`cloud-access/cloud-access/sweep@v1`) is its operation's step.
    const folder = ownActionFolder(step.uses!);
    return {
      ...(folder ? { operation: SUB_ACTIONS[folder as SubAction] } : {}),
      ...Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, String(v)])),
    };
  })
  .filter((inputs) => inputs.cloud === 'aws')
  .map((inputs) => ({
    role: /:role\/([\w+=,.@-]+)$/.exec(inputs['role-to-assume'] ?? '')![1]!,
    writes: needs(inputs).writes,
    auditLog: inputs['audit-log'],
  }));
const writingRoles = [...new Set(roleSteps.filter((s) => s.writes).map((s) => s.role))].sort();

describe('the CloudFormation template keeps audit records write-once', () => {
  const bucket = stack.resources.AuditLogBucket!;

  it('in a bucket with Object Lock in compliance mode for 365 days by default, kept when the stack goes', () => {
    expect(bucket.Type).toBe('AWS::S3::Bucket');
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
    const lock = bucket.Properties.ObjectLockConfiguration as {
      ObjectLockEnabled: string;
      Rule: { DefaultRetention: { Mode: string; Days: unknown; Years?: unknown } };
    };
    expect(bucket.Properties.ObjectLockEnabled).toBe(true);
    expect(lock.ObjectLockEnabled).toBe('Enabled');
    expect({ ...lock.Rule.DefaultRetention, Days: Number(lock.Rule.DefaultRetention.Days) }).toEqual({
      Mode: 'COMPLIANCE',
      Days: 365,
    });
  });

  it('whose retention days and mode are parameters', () => {
    const other = deployTemplate(template, {
      ...PARAMETERS,
      AuditLogRetentionDays: '2555',
      AuditLogRetentionMode: 'GOVERNANCE',
    });
    const lock = other.resources.AuditLogBucket!.Properties.ObjectLockConfiguration as {
      Rule: { DefaultRetention: unknown };
    };
    expect(lock.Rule.DefaultRetention).toEqual({ Mode: 'GOVERNANCE', Days: '2555' });
  });

  it('versioned (Object Lock needs it), encrypted, never public, owned by the account', () => {
    expect(bucket.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
  });

  it('whose policy allows nothing, and refuses plain HTTP and a PutObject without If-None-Match', () => {
    const policy = stack.resources.AuditLogBucketPolicy!;
    expect(policy.Type).toBe('AWS::S3::BucketPolicy');
    expect(policy.Properties.Bucket).toBe('AuditLogBucket');
    const statements = (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement;
    expect(statements).toEqual([
      {
        Sid: 'TlsOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:*'],
        Resource: [BUCKET, `${BUCKET}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'NewObjectsOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:PutObject'],
        Resource: `${BUCKET}/*`,
        Condition: { Null: { 's3:if-none-match': 'true' } },
      },
    ]);
  });
});

describe("each role's part in the audit log", () => {
  it('finds the roles whose recipes write', () => {
    expect(writingRoles).toEqual([
      'access-apply',
      'cloud-access-assign',
      'cloud-access-ephemeral',
      'cloud-access-provisioner',
      'cloud-access-request',
      'cloud-access-review',
      'cloud-access-sweep',
    ]);
  });

  it('is where each recipe that keeps an audit log writes: under its own role’s name, the one prefix it may', () => {
    const keeping = roleSteps.filter((s) => s.auditLog !== undefined);
    expect(keeping.length).toBeGreaterThan(0);
    for (const { role, auditLog } of keeping)
      expect([role, auditLog]).toEqual([
        role,
        `\${{ vars.AUDIT_LOG_BUCKET && format('s3://{0}/${role}', vars.AUDIT_LOG_BUCKET) }}`,
      ]);
  });

  it.each(stack.roles.map((r) => [r.name, r]))(
    '%s (CloudFormation) may put objects under its own prefix only if its recipe writes, and nothing else of S3',
    (name, role) => {
      const expected = writingRoles.includes(name)
        ? [{ Sid: 'AuditLog', Effect: 'Allow', Action: ['s3:PutObject'], Resource: `${BUCKET}/${name}/*` }]
        : [];
      expect(role.auditLog).toEqual(expected);
      expect(role.statements.flatMap((s) => s.Action).filter((a) => a.startsWith('s3:'))).toEqual([]);
    },
  );

  it('is the same in the Terraform file: s3:PutObject under each writing role name, nothing else', () => {
    const recipes = terraformLocal(terraform, 'recipes') as Record<string, { role_name: string }>;
    const writers = terraformLocal(terraform, 'audit_log_writers') as string[];
    expect(writers.map((key) => recipes[key]!.role_name).sort()).toEqual(writingRoles);
    expect(terraformBlock(terraform, 'data "aws_iam_policy_document" "audit_log"')).toBe(
      'data "aws_iam_policy_document" "audit_log" { for_each = toset(local.audit_log_writers) statement { sid = "AuditLog" actions = ["s3:PutObject"] resources = ["${aws_s3_bucket.audit_log.arn}/${local.recipes[each.key].role_name}/*"] } }',
    );
    expect(terraformBlock(terraform, 'resource "aws_iam_role_policy" "audit_log"')).toBe(
      'resource "aws_iam_role_policy" "audit_log" { for_each = toset(local.audit_log_writers) name = "audit-log" role = aws_iam_role.recipe[each.key].id policy = data.aws_iam_policy_document.audit_log[each.key].json }',
    );
    // Beside the audit log's, only the snapshot's policies name S3 (./setup-snapshot.test.ts), and
    // the report's Athena reads, on the organization's trail and results buckets
    // (./setup-usage-athena.test.ts).
    const snapshotPolicy =
      /data "aws_iam_policy_document" "(?:snapshot(?:_bucket)?|report_athena)" \{[\s\S]*?\n\}\n/g;
    expect(
      terraform
        .replace(snapshotPolicy, '')
        .match(/"s3:(?:\*|[A-Z][A-Za-z]*)"/g)
        ?.sort(),
    ).toEqual(['"s3:*"', '"s3:PutObject"', '"s3:PutObject"']);
  });
});

describe('the Terraform file keeps audit records write-once', () => {
  const block = (header: string) => terraformBlock(terraform, header);

  it('in a bucket with Object Lock in compliance mode for 365 days by default', () => {
    expect(block('resource "aws_s3_bucket" "audit_log"')).toContain('object_lock_enabled = true');
    expect(block('resource "aws_s3_bucket" "audit_log"')).not.toContain('force_destroy');
    expect(block('resource "aws_s3_bucket_object_lock_configuration" "audit_log"')).toContain(
      'rule { default_retention { mode = var.audit_log_retention_mode days = var.audit_log_retention_days } }',
    );
    expect(block('variable "audit_log_retention_days"')).toContain('type = number default = 365');
    expect(block('variable "audit_log_retention_mode"')).toContain('type = string default = "COMPLIANCE"');
    expect(block('variable "audit_log_retention_mode"')).toContain(
      'condition = contains(["COMPLIANCE", "GOVERNANCE"], var.audit_log_retention_mode)',
    );
  });

  it('versioned, encrypted, never public, owned by the account', () => {
    expect(block('resource "aws_s3_bucket_versioning" "audit_log"')).toContain(
      'versioning_configuration { status = "Enabled" }',
    );
    expect(block('resource "aws_s3_bucket_public_access_block" "audit_log"')).toContain(
      'block_public_acls = true block_public_policy = true ignore_public_acls = true restrict_public_buckets = true',
    );
    expect(block('resource "aws_s3_bucket_ownership_controls" "audit_log"')).toContain(
      'object_ownership = "BucketOwnerEnforced"',
    );
    expect(block('resource "aws_s3_bucket_server_side_encryption_configuration" "audit_log"')).toContain(
      'sse_algorithm = "AES256"',
    );
  });

  it('whose policy allows nothing, and refuses plain HTTP and a PutObject without If-None-Match', () => {
    const policy = block('data "aws_iam_policy_document" "audit_log_bucket"');
    expect(policy).not.toContain('"Allow"');
    expect(policy.match(/effect = "Deny"/g)).toHaveLength(2);
    expect(policy).toContain(
      'actions = ["s3:*"] principals { type = "*" identifiers = ["*"] } resources = [aws_s3_bucket.audit_log.arn, "${aws_s3_bucket.audit_log.arn}/*"] condition { test = "Bool" variable = "aws:SecureTransport" values = ["false"] }',
    );
    expect(policy).toContain(
      'actions = ["s3:PutObject"] principals { type = "*" identifiers = ["*"] } resources = ["${aws_s3_bucket.audit_log.arn}/*"] condition { test = "Null" variable = "s3:if-none-match" values = ["true"] }',
    );
    expect(block('resource "aws_s3_bucket_policy" "audit_log"')).toContain(
      'policy = data.aws_iam_policy_document.audit_log_bucket.json',
    );
  });
});
