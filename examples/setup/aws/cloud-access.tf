# The GitHub OIDC provider and one IAM role per recipe of examples/workflows/, for the account that
# holds IAM Identity Center (the management account, or the delegated administrator): the same as
# cloud-access.yml (CloudFormation). __tests__/docs/setup-subjects.test.ts reads `local.recipes`
# and the trust policy below, and checks them against the workflows.
#
#   terraform init && terraform apply \
#     -var github_owner=octo-org -var github_owner_id=123 \
#     -var github_repository=octo-repo -var github_repository_id=456 \
#     -var identity_center_instance_arn=arn:aws:sso:::instance/ssoins-1234567890abcdef \
#     -var 'assignable_permission_set_arns=["arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef"]' \
#     -var 'assignable_account_ids=["111111111111"]'
#
# Each trust policy lists the subjects (`sub`) its workflow's job presents, in both forms GitHub
# sends: `repo:<owner>/<repo>:…`, and for repositories created or renamed on or after July 15,
# 2026 the immutable `repo:<owner>@<owner id>/<repo>@<repo id>:…`. `github_default_branch`
# (`main` unless given) is the default branch a schedule and a workflow_dispatch run on. No
# `sts:TagSession`: a role assumed with AssumeRoleWithWebIdentity gets session tags only from the
# token's https://aws.amazon.com/tags claim, which GitHub's token does not have. The recipes that
# write also may put audit records, each under its own prefix of the audit bucket (docs/audit.md).

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "github_owner" {
  type        = string
  description = "The repository's owner (organization or user), as in octo-org/octo-repo"
}

variable "github_owner_id" {
  type        = string
  description = "The owner's numeric ID (gh api orgs/OWNER --jq .id), for the immutable subject form"
}

variable "github_repository" {
  type        = string
  description = "The repository's name, as in octo-org/octo-repo"
}

variable "github_repository_id" {
  type        = string
  description = "The repository's numeric ID (gh api repos/OWNER/REPO --jq .id)"
}

variable "github_default_branch" {
  type        = string
  default     = "main"
  description = "The repository's default branch (gh api repos/OWNER/REPO --jq .default_branch), which schedules and the request workflow run on"
  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]+$", var.github_default_branch))
    error_message = "Give the branch name alone, as in main (not refs/heads/main)."
  }
}

variable "oidc_provider_arn" {
  type        = string
  default     = ""
  description = "The account's token.actions.githubusercontent.com provider, if it has one; empty creates it"
}

variable "identity_center_instance_arn" {
  type        = string
  description = "The IAM Identity Center instance the roles write to"
}

variable "assignable_permission_set_arns" {
  type        = list(string)
  description = "The permission sets (ARNs) the recipes may assign and revoke"
}

variable "assignable_account_ids" {
  type        = list(string)
  description = "The accounts (12-digit IDs) the recipes may assign and revoke in"
}

variable "audit_log_retention_days" {
  type        = number
  default     = 365
  description = "How many days each audit record is kept, write-once, from when it is written (docs/audit.md)"
  validation {
    condition     = var.audit_log_retention_days >= 1 && floor(var.audit_log_retention_days) == var.audit_log_retention_days
    error_message = "audit_log_retention_days must be a whole number of days, 1 or more."
  }
}

variable "audit_log_retention_mode" {
  type        = string
  default     = "COMPLIANCE"
  description = "COMPLIANCE (nobody can delete a record before its retention ends) or GOVERNANCE (s3:BypassGovernanceRetention can)"
  validation {
    condition     = contains(["COMPLIANCE", "GOVERNANCE"], var.audit_log_retention_mode)
    error_message = "audit_log_retention_mode must be COMPLIANCE or GOVERNANCE."
  }
}

# `last-used: true` with `usage-source: athena://<workgroup>/<database>.<table>` (docs/report.md):
# null (the default) grants the report role no Athena read; given, it grants the query's three calls
# on the workgroup, the Glue table's read, the trail bucket's read and the results location's write,
# which Athena does with the step's credentials.
variable "report_athena" {
  type = object({
    workgroup    = string
    database     = string
    table        = string
    trail_bucket = string
    # The workgroup's query result location without s3:// (bucket/prefix/).
    results_location = string
  })
  default     = null
  description = "The Athena workgroup, Glue database and table over the organization trail, its bucket and the results location the report's usage query uses (null, the default, grants no Athena read)"
  validation {
    # can() is false, never an error, on a null object's attribute: the `||` needs no short cut.
    condition = var.report_athena == null || (
      can(regex("^[A-Za-z0-9._-]{1,128}$", var.report_athena.workgroup)) &&
      can(regex("^[a-z0-9_]{1,255}$", var.report_athena.database)) &&
      can(regex("^[a-z0-9_]{1,255}$", var.report_athena.table))
    )
    error_message = "report_athena: workgroup [A-Za-z0-9._-], database and table lower-case Glue names."
  }
}

locals {
  # The calls each recipe's operation makes, in groups (docs/aws-setup.md says which is for what).
  read_actions = {
    names = [
      "sso:ListInstances",
      "sso:ListPermissionSets",
      "sso:DescribePermissionSet",
      "identitystore:GetUserId",
      "identitystore:GetGroupId",
      "identitystore:DescribeUser",
      "identitystore:DescribeGroup",
      "identitystore:ListUsers",
      "identitystore:ListGroups",
    ]
    assignments = [
      "sso:ListAccountAssignments",
    ]
    # Reconcile, the sweep and a grant read by principal where that is fewer calls; a report never
    # does (it would miss a deleted principal's assignments).
    assignments_by_principal = [
      "sso:ListAccountAssignmentsForPrincipal",
    ]
    requests = [
      "sso:ListAccountAssignmentCreationStatus",
      "sso:DescribeAccountAssignmentCreationStatus",
      "sso:ListAccountAssignmentDeletionStatus",
      "sso:DescribeAccountAssignmentDeletionStatus",
    ]
    # The claims on what a reconcile would delete (a running job's, a request's): who made them.
    claims = [
      "cloudtrail:LookupEvents",
    ]
    manifest = [
      "sso:ListTagsForResource",
      "sso:ListAccountsForProvisionedPermissionSet",
    ]
    # What a permission set the manifest defines allows, read back to plan its changes.
    permission_set_content = [
      "sso:GetInlinePolicyForPermissionSet",
      "sso:ListManagedPoliciesInPermissionSet",
      "sso:ListCustomerManagedPolicyReferencesInPermissionSet",
      "sso:GetPermissionsBoundaryForPermissionSet",
    ]
    permission_set_provisioning = [
      "sso:DescribePermissionSetProvisioningStatus",
      "sso:ListPermissionSetProvisioningStatus",
    ]
    organizations = [
      "organizations:ListRoots",
      "organizations:ListOrganizationalUnitsForParent",
      "organizations:ListAccountsForParent",
      "organizations:DescribeOrganizationalUnit",
    ]
    # Re-provisioning applies a permission set's own policies again and grants nobody anything, so
    # it is not limited to the assignable permission sets.
    provisioning = [
      "sso:ListInstances",
      "sso:ListPermissionSets",
      "sso:DescribePermissionSet",
      "sso:ListAccountsForProvisionedPermissionSet",
      "sso:ProvisionPermissionSet",
      "sso:DescribePermissionSetProvisioningStatus",
    ]
    report = [
      "identitystore:ListGroupMemberships",
      "cloudtrail:LookupEvents",
      "organizations:ListAccounts",
    ]
    # `last-used: true` reads every Region the instance serves (docs/report.md).
    usage_regions = [
      "sso:ListRegions",
    ]
    # A report tells a grant made minutes ago, which CloudTrail has not shown yet, from one made
    # before its history: the creation-status list (docs/report.md).
    new_grants = [
      "sso:ListAccountAssignmentCreationStatus",
      "sso:DescribeAccountAssignmentCreationStatus",
      "sso:ListAccountAssignmentDeletionStatus",
      "sso:DescribeAccountAssignmentDeletionStatus",
    ]
    # `policy-checks` (docs/access-as-code.md): IAM Access Analyzer proves what each changed part of
    # a permission set allows, before any write. Its checks take no resource and need no analyzer.
    policy_checks = [
      "access-analyzer:ValidatePolicy",
      "access-analyzer:CheckNoNewAccess",
      "access-analyzer:CheckAccessNotGranted",
    ]
    # A revoke's session fence (docs/ephemeral-access.md): whether the set opted in and its session
    # duration, on every set; the accounts it is provisioned to.
    session_fences = [
      "sso:DescribePermissionSet",
      "sso:ListTagsForResource",
      "sso:ListAccountsForProvisionedPermissionSet",
    ]
    sweep = [
      "cloudtrail:LookupEvents",
      "sso:ListInstances",
      "sso:DescribePermissionSet",
      "identitystore:DescribeUser",
      "identitystore:DescribeGroup",
      "identitystore:ListUsers",
      "identitystore:ListGroups",
    ]
  }

  # One role per recipe: the subjects its workflow's job presents (after `repo:<owner>/<repo>:`),
  # the read groups above, and the writes, limited to the assignable instance, permission sets and
  # accounts.
  recipes = {
    # examples/workflows/assign.yml: a job in environment `production` assigns.
    assign = {
      role_name = "cloud-access-assign"
      subjects  = ["environment:production"]
      reads     = ["names", "assignments", "assignments_by_principal", "requests"]
      writes    = ["sso:CreateAccountAssignment"]
    }
    # examples/workflows/ephemeral.yml: a deploy job in environment `production` assigns, and its
    # post step revokes what it created.
    ephemeral = {
      role_name = "cloud-access-ephemeral"
      subjects  = ["environment:production"]
      reads     = ["names", "assignments", "assignments_by_principal", "requests", "session_fences"]
      writes    = ["sso:CreateAccountAssignment", "sso:DeleteAccountAssignment"]
    }
    # examples/workflows/request-access.yml: a person's request (`operation: request`), approved in
    # environment `production-access` and judged by the access policy on the default branch. It
    # only creates: the sweep ends the grant at its expiry. Give assignable_permission_set_arns and
    # assignable_account_ids the permission sets and accounts the policy's AWS rules name, no more.
    request = {
      role_name = "cloud-access-request"
      subjects  = ["environment:production-access"]
      reads     = ["names", "assignments", "assignments_by_principal", "requests"]
      writes    = ["sso:CreateAccountAssignment"]
    }
    # examples/workflows/provision.yml: nightly (schedule, or workflow_dispatch) on the default branch.
    provision = {
      role_name = "cloud-access-provisioner"
      subjects  = ["ref:refs/heads/${var.github_default_branch}"]
      reads     = ["provisioning"]
      writes    = []
    }
    # examples/workflows/reconcile-plan.yml: the plan on pull requests, read-only.
    reconcile_plan = {
      role_name = "access-plan"
      subjects  = ["pull_request"]
      reads     = ["names", "assignments", "assignments_by_principal", "manifest", "permission_set_content", "policy_checks", "organizations", "requests", "claims"]
      writes    = []
    }
    # examples/workflows/reconcile-apply.yml: the apply on push to the default branch, through
    # environment `access` (required reviewers; deployment branches: the default branch only).
    reconcile_apply = {
      role_name = "access-apply"
      subjects  = ["environment:access"]
      reads     = ["names", "assignments", "assignments_by_principal", "requests", "manifest", "permission_set_content", "permission_set_provisioning", "policy_checks", "organizations", "claims"]
      writes    = ["sso:CreateAccountAssignment", "sso:DeleteAccountAssignment"]
    }
    # examples/workflows/reconcile-drift.yml: the nightly plan (schedule, or workflow_dispatch) on
    # the default branch, read-only.
    reconcile_drift = {
      role_name = "access-drift"
      subjects  = ["ref:refs/heads/${var.github_default_branch}"]
      reads     = ["names", "assignments", "assignments_by_principal", "manifest", "permission_set_content", "policy_checks", "organizations", "requests", "claims"]
      writes    = []
    }
    # examples/workflows/access-report.yml: the quarterly report (schedule, or workflow_dispatch) on
    # the default branch, read-only: every assignment, its names, group members and CloudTrail.
    access_report = {
      role_name = "access-report"
      subjects  = ["ref:refs/heads/${var.github_default_branch}"]
      reads     = ["names", "assignments", "manifest", "organizations", "report", "new_grants", "usage_regions"]
      writes    = []
    }
    # examples/workflows/access-review.yml: the access review (`operation: review`, schedule or
    # workflow_dispatch) on the default branch. It reads what the report reads (every Region's
    # sign-ins, for `revoke-unused`); at the due date it revokes the rows decided `revoke` as a
    # revoke does: deletes, and session fences.
    access_review = {
      role_name = "cloud-access-review"
      subjects  = ["ref:refs/heads/${var.github_default_branch}"]
      reads     = ["names", "assignments", "manifest", "organizations", "report", "usage_regions", "requests", "session_fences"]
      writes    = ["sso:DeleteAccountAssignment"]
    }
    # examples/workflows/sweep.yml: every 15 minutes (schedule, or workflow_dispatch) on the default
    # branch, it revokes what finished runs of the ephemeral and request roles left behind.
    sweep = {
      role_name = "cloud-access-sweep"
      subjects  = ["ref:refs/heads/${var.github_default_branch}"]
      reads     = ["sweep", "assignments", "assignments_by_principal", "requests", "session_fences"]
      writes    = ["sso:DeleteAccountAssignment"]
    }
  }

  # The recipes whose trust also names their workflow file on the default branch
  # (`job_workflow_ref`, a claim STS tests directly): another workflow of the repository that names
  # the same environment presents the same `sub`, but not this workflow file.
  pinned_workflows = {
    request = "request-access.yml"
  }

  # The permission sets a manifest defines (docs/access-as-code.md): each write names the instance
  # (and a provisioning its account, one of assignable_account_ids), and the set, which must carry
  # this repository's tag `cloud-access:manifest` = `<owner>/<repo>:<manifest>`. A create must write
  # that tag; a tag may be added to an untagged set (`adopt: true`) or to one of this repository's;
  # the tag is never removed. Who may tag a set may change and delete it: this role may change what
  # the sets it owns allow, and assign them in the assignable accounts, so its trust (environment
  # `access`, required reviewers) is what holds it. `resources` names a list of
  # local.permission_set_resources.
  permission_set_writers = ["reconcile_apply"]
  permission_set_statements = [
    {
      sid    = "PermissionSetWritesInInstance"
      effect = "Allow"
      actions = [
        "sso:UpdatePermissionSet",
        "sso:DeletePermissionSet",
        "sso:PutInlinePolicyToPermissionSet",
        "sso:DeleteInlinePolicyFromPermissionSet",
        "sso:AttachManagedPolicyToPermissionSet",
        "sso:DetachManagedPolicyFromPermissionSet",
        "sso:AttachCustomerManagedPolicyReferenceToPermissionSet",
        "sso:DetachCustomerManagedPolicyReferenceFromPermissionSet",
        "sso:PutPermissionsBoundaryToPermissionSet",
        "sso:DeletePermissionsBoundaryFromPermissionSet",
        "sso:ProvisionPermissionSet",
      ]
      resources  = "instance_and_accounts"
      conditions = []
    },
    {
      sid       = "CreateOwnedPermissionSets"
      effect    = "Allow"
      actions   = ["sso:CreatePermissionSet"]
      resources = "instance_and_permission_sets"
      conditions = [
        { test = "StringLike", variable = "aws:RequestTag/cloud-access:manifest", values = ["${var.github_owner}/${var.github_repository}:*"] },
      ]
    },
    {
      sid    = "ChangeOwnedPermissionSets"
      effect = "Allow"
      actions = [
        "sso:UpdatePermissionSet",
        "sso:DeletePermissionSet",
        "sso:PutInlinePolicyToPermissionSet",
        "sso:DeleteInlinePolicyFromPermissionSet",
        "sso:AttachManagedPolicyToPermissionSet",
        "sso:DetachManagedPolicyFromPermissionSet",
        "sso:AttachCustomerManagedPolicyReferenceToPermissionSet",
        "sso:DetachCustomerManagedPolicyReferenceFromPermissionSet",
        "sso:PutPermissionsBoundaryToPermissionSet",
        "sso:DeletePermissionsBoundaryFromPermissionSet",
        "sso:ProvisionPermissionSet",
        "sso:UntagResource",
        "sso:CreateAccountAssignment",
        "sso:DeleteAccountAssignment",
      ]
      resources = "permission_sets"
      conditions = [
        { test = "StringLike", variable = "aws:ResourceTag/cloud-access:manifest", values = ["${var.github_owner}/${var.github_repository}:*"] },
      ]
    },
    {
      sid       = "TagOwnedPermissionSets"
      effect    = "Allow"
      actions   = ["sso:TagResource"]
      resources = "permission_sets"
      conditions = [
        { test = "StringLike", variable = "aws:ResourceTag/cloud-access:manifest", values = ["${var.github_owner}/${var.github_repository}:*"] },
        { test = "StringLikeIfExists", variable = "aws:RequestTag/cloud-access:manifest", values = ["${var.github_owner}/${var.github_repository}:*"] },
      ]
    },
    {
      sid       = "AdoptUntaggedPermissionSets"
      effect    = "Allow"
      actions   = ["sso:TagResource"]
      resources = "permission_sets"
      conditions = [
        { test = "Null", variable = "aws:ResourceTag/cloud-access:manifest", values = ["true"] },
        { test = "StringLike", variable = "aws:RequestTag/cloud-access:manifest", values = ["${var.github_owner}/${var.github_repository}:*"] },
      ]
    },
    {
      sid       = "KeepTheOwnershipTag"
      effect    = "Deny"
      actions   = ["sso:UntagResource"]
      resources = "any"
      conditions = [
        { test = "ForAnyValue:StringEquals", variable = "aws:TagKeys", values = ["cloud-access:manifest"] },
      ]
    },
  ]

  # Session fences (docs/ephemeral-access.md): a revoke ends the role sessions it left live by a Deny
  # in the permission set's inline policy, put by read-modify-write (the last fence out deletes the
  # inline policy) and provisioned to the grant's accounts; the sweep takes expired fences out. Only
  # on sets this repository's manifests own or that their owner tagged
  # `cloud-access:end-sessions` = `true`; on any other set the revoke warns that sessions stay live.
  session_fence_writers = ["ephemeral", "sweep", "access_review"]
  # What a fence is read, written and provisioned with, wherever it may go.
  session_fence_actions = [
    "sso:GetInlinePolicyForPermissionSet",
    "sso:PutInlinePolicyToPermissionSet",
    "sso:DeleteInlinePolicyFromPermissionSet",
    "sso:ProvisionPermissionSet",
    "sso:DescribePermissionSetProvisioningStatus",
  ]
  # Where a fence may go, by its statement's Sid: the instance and the assignable accounts (where a
  # set is provisioned), the sets their owner opted in, and this repository's own sets.
  session_fence_places = {
    EndSessionsInInstance = {
      resources  = "instance_and_accounts"
      conditions = []
    }
    EndSessionsOptedIn = {
      resources = "permission_sets"
      conditions = [
        { test = "StringEquals", variable = "aws:ResourceTag/cloud-access:end-sessions", values = ["true"] },
      ]
    }
    EndSessionsOwned = {
      resources = "permission_sets"
      conditions = [
        { test = "StringLike", variable = "aws:ResourceTag/cloud-access:manifest", values = ["${var.github_owner}/${var.github_repository}:*"] },
      ]
    }
  }
  session_fence_statements = [
    for sid, place in local.session_fence_places : merge(place, { sid = sid, effect = "Allow", actions = local.session_fence_actions })
  ]
  # A reconcile's deletes end the sessions they leave live on the sets opted in by their owner too:
  # the recipes that write permission sets get these of the fence's statements beside their own
  # (their own sets they change already, ChangeOwnedPermissionSets).
  permission_set_writer_fences = ["EndSessionsOptedIn"]

  # The recipes that write, each allowed only s3:PutObject under its own prefix of the audit bucket
  # (its role's name): the read-only ones record nothing.
  audit_log_writers = ["assign", "ephemeral", "request", "provision", "reconcile_apply", "sweep", "access_review"]

  # The recipes that plan the permission sets a manifest defines, which look up the AWS-managed
  # policies those name before any write (docs/aws-setup.md): a typo is an error at its line.
  aws_managed_policy_readers = ["reconcile_plan", "reconcile_apply", "reconcile_drift"]

  # The recipes that keep a snapshot (`snapshot: s3://<bucket>/<prefix>`, docs/access-as-code.md):
  # the prefix each reads, and whether it writes there. The plan runs on pull requests and only
  # reads what the drift check and the apply keep.
  snapshot_users = {
    reconcile_plan  = { prefix = "reconcile", writes = false }
    reconcile_apply = { prefix = "reconcile", writes = true }
    reconcile_drift = { prefix = "reconcile", writes = true }
    access_report   = { prefix = "report", writes = true }
  }

  oidc_provider_arn           = var.oidc_provider_arn != "" ? var.oidc_provider_arn : one(aws_iam_openid_connect_provider.github[*].arn)
  permission_sets_of_instance = "arn:${data.aws_partition.current.partition}:sso:::permissionSet/${element(split("/", var.identity_center_instance_arn), 1)}/*"
  permission_set_resources = {
    instance_and_accounts = concat(
      [var.identity_center_instance_arn],
      [for id in var.assignable_account_ids : "arn:${data.aws_partition.current.partition}:sso:::account/${id}"],
    )
    instance_and_permission_sets = [var.identity_center_instance_arn, local.permission_sets_of_instance]
    permission_sets              = [local.permission_sets_of_instance]
    any                          = ["*"]
  }
  assignable = concat(
    [var.identity_center_instance_arn],
    var.assignable_permission_set_arns,
    [for id in var.assignable_account_ids : "arn:${data.aws_partition.current.partition}:sso:::account/${id}"],
  )
}

data "aws_partition" "current" {}

resource "aws_iam_openid_connect_provider" "github" {
  count          = var.oidc_provider_arn == "" ? 1 : 0
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
  # AWS trusts GitHub's certificate authority for this provider; the thumbprints are kept for
  # provider versions that still ask for them.
  thumbprint_list = [
    "6938fd4d98bab03faadb97b34396831e3780aea1",
    "1c58a3a8518e8759bf075b76b750d4f2df264fcd",
  ]
}

data "aws_iam_policy_document" "trust" {
  for_each = local.recipes

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values = flatten([for subject in each.value.subjects : [
        "repo:${var.github_owner}/${var.github_repository}:${subject}",
        "repo:${var.github_owner}@${var.github_owner_id}/${var.github_repository}@${var.github_repository_id}:${subject}",
      ]])
    }
    dynamic "condition" {
      for_each = contains(keys(local.pinned_workflows), each.key) ? [local.pinned_workflows[each.key]] : []
      content {
        test     = "StringEquals"
        variable = "token.actions.githubusercontent.com:job_workflow_ref"
        values   = ["${var.github_owner}/${var.github_repository}/.github/workflows/${condition.value}@refs/heads/${var.github_default_branch}"]
      }
    }
  }
}

data "aws_iam_policy_document" "permissions" {
  for_each = local.recipes

  statement {
    sid       = "AnyResource"
    actions   = distinct(flatten([for group in each.value.reads : local.read_actions[group]]))
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = length(each.value.writes) > 0 ? [each.value.writes] : []
    content {
      sid       = "AssignableOnly"
      actions   = statement.value
      resources = local.assignable
    }
  }

  dynamic "statement" {
    for_each = concat(
      [for s in local.permission_set_statements : s if contains(local.permission_set_writers, each.key)],
      [for s in local.session_fence_statements : s if contains(local.session_fence_writers, each.key) || (
        contains(local.permission_set_writers, each.key) && contains(local.permission_set_writer_fences, s.sid)
      )],
    )
    content {
      sid       = statement.value.sid
      effect    = statement.value.effect
      actions   = statement.value.actions
      resources = local.permission_set_resources[statement.value.resources]
      dynamic "condition" {
        for_each = statement.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_role" "recipe" {
  for_each           = local.recipes
  name               = each.value.role_name
  assume_role_policy = data.aws_iam_policy_document.trust[each.key].json
}

resource "aws_iam_role_policy" "recipe" {
  for_each = local.recipes
  name     = each.key
  role     = aws_iam_role.recipe[each.key].id
  policy   = data.aws_iam_policy_document.permissions[each.key].json
}

# The audit log (docs/audit.md): one object per change a step makes, written once under the prefix
# of the role that made it (`audit-log: s3://<bucket>/<role name>`). Object Lock keeps every record
# for audit_log_retention_days. COMPLIANCE mode by default: no one, the account's root user
# included, can delete a record or shorten its retention before it ends, which is what makes a
# record evidence; in GOVERNANCE mode an identity with s3:BypassGovernanceRetention can do both
# (try the set-up out with it, not keep evidence). Object Lock needs versioning. `force_destroy`
# stays false: Terraform cannot empty it.
resource "aws_s3_bucket" "audit_log" {
  bucket_prefix       = "cloud-access-audit-"
  object_lock_enabled = true
}

resource "aws_s3_bucket_versioning" "audit_log" {
  bucket = aws_s3_bucket.audit_log.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_object_lock_configuration" "audit_log" {
  bucket = aws_s3_bucket.audit_log.id
  rule {
    default_retention {
      mode = var.audit_log_retention_mode
      days = var.audit_log_retention_days
    }
  }
  depends_on = [aws_s3_bucket_versioning.audit_log]
}

resource "aws_s3_bucket_public_access_block" "audit_log" {
  bucket                  = aws_s3_bucket.audit_log.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "audit_log" {
  bucket = aws_s3_bucket.audit_log.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# SSE-S3: a writer needs no KMS permission besides s3:PutObject.
resource "aws_s3_bucket_server_side_encryption_configuration" "audit_log" {
  bucket = aws_s3_bucket.audit_log.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# Only TLS, and only new objects: a PutObject without `If-None-Match: *` is refused, so no one can
# add a newer version over a record (the locked older one would stay, but a reader of the key would
# see the newer). One PutObject per record: this also refuses multipart uploads.
data "aws_iam_policy_document" "audit_log_bucket" {
  statement {
    sid     = "TlsOnly"
    effect  = "Deny"
    actions = ["s3:*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    resources = [aws_s3_bucket.audit_log.arn, "${aws_s3_bucket.audit_log.arn}/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
  statement {
    sid     = "NewObjectsOnly"
    effect  = "Deny"
    actions = ["s3:PutObject"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    resources = ["${aws_s3_bucket.audit_log.arn}/*"]
    condition {
      test     = "Null"
      variable = "s3:if-none-match"
      values   = ["true"]
    }
  }
}

resource "aws_s3_bucket_policy" "audit_log" {
  bucket     = aws_s3_bucket.audit_log.id
  policy     = data.aws_iam_policy_document.audit_log_bucket.json
  depends_on = [aws_s3_bucket_public_access_block.audit_log]
}

data "aws_iam_policy_document" "audit_log" {
  for_each = toset(local.audit_log_writers)

  statement {
    sid       = "AuditLog"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.audit_log.arn}/${local.recipes[each.key].role_name}/*"]
  }
}

resource "aws_iam_role_policy" "audit_log" {
  for_each = toset(local.audit_log_writers)
  name     = "audit-log"
  role     = aws_iam_role.recipe[each.key].id
  policy   = data.aws_iam_policy_document.audit_log[each.key].json
}

# iam:GetPolicy and iam:GetPolicyVersion (an added policy's default version, which `policy-checks`
# holds to the ceiling) of the AWS-managed policies alone; iam:ListPolicies, for the closest names
# to a typo, takes no resource.
data "aws_iam_policy_document" "aws_managed_policies" {
  statement {
    sid       = "LookUpAwsManagedPolicies"
    actions   = ["iam:GetPolicy", "iam:GetPolicyVersion"]
    resources = ["arn:${data.aws_partition.current.partition}:iam::aws:policy/*"]
  }
  statement {
    sid       = "ListAwsManagedPolicies"
    actions   = ["iam:ListPolicies"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "aws_managed_policies" {
  for_each = toset(local.aws_managed_policy_readers)
  name     = "aws-managed-policies"
  role     = aws_iam_role.recipe[each.key].id
  policy   = data.aws_iam_policy_document.aws_managed_policies.json
}

# The snapshots a reconcile or report keeps (docs/access-as-code.md): versioned, so an earlier one
# can be restored; a lost or tampered one can hide drift until the next complete read, never cause
# a wrong write. s3:ListBucket lets a reader be told that no snapshot is there yet (404, not 403).
resource "aws_s3_bucket" "snapshots" {
  bucket_prefix = "cloud-access-snapshots-"
}

resource "aws_s3_bucket_versioning" "snapshots" {
  bucket = aws_s3_bucket.snapshots.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "snapshots" {
  bucket                  = aws_s3_bucket.snapshots.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# `event-history-roles` (docs/aws-setup.md): when this account is the delegated administrator,
# writes made from the management account are in its CloudTrail event history only. Make a role in
# the management account (with a provider for it, not in this account) whose trust policy allows
# sts:AssumeRole to the roles of local.snapshot_users and whose one permission is
# cloudtrail:LookupEvents on `*`, and list its ARN in the reconcile's and report's
# `event-history-roles`.

data "aws_iam_policy_document" "snapshot" {
  for_each = local.snapshot_users

  statement {
    sid       = "Snapshot"
    actions   = each.value.writes ? ["s3:GetObject", "s3:PutObject"] : ["s3:GetObject"]
    resources = ["${aws_s3_bucket.snapshots.arn}/${each.value.prefix}/*"]
  }
  statement {
    sid       = "SnapshotList"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.snapshots.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${each.value.prefix}/*"]
    }
  }
}

# Whoever may write a snapshot may hide drift until the next complete read: no principal of the
# account but the roles that keep snapshots (the reconcile's drift and apply, the report's review)
# may write the bucket, whatever its identity policies allow.
data "aws_iam_policy_document" "snapshot_bucket" {
  statement {
    sid    = "OnlyKeepersWrite"
    effect = "Deny"
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.snapshots.arn}/*"]
    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = [for key, user in local.snapshot_users : aws_iam_role.recipe[key].arn if user.writes]
    }
  }
}

resource "aws_s3_bucket_policy" "snapshots" {
  bucket = aws_s3_bucket.snapshots.id
  policy = data.aws_iam_policy_document.snapshot_bucket.json
}

resource "aws_iam_role_policy" "snapshot" {
  for_each = local.snapshot_users
  name     = "snapshot"
  role     = aws_iam_role.recipe[each.key].id
  policy   = data.aws_iam_policy_document.snapshot[each.key].json
}

# `usage-source: athena://…` (docs/report.md), only with var.report_athena: the query's calls on its
# workgroup, and what Athena does with the report's credentials on its behalf: read the table's
# definition in Glue and the trail's bucket, write the results.
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "report_athena" {
  count = var.report_athena == null ? 0 : 1

  statement {
    sid       = "AthenaQuery"
    actions   = ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults"]
    resources = ["arn:${data.aws_partition.current.partition}:athena:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:workgroup/${var.report_athena.workgroup}"]
  }
  statement {
    sid     = "GlueTable"
    actions = ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"]
    resources = [
      "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:catalog",
      "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:database/${var.report_athena.database}",
      "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:table/${var.report_athena.database}/${var.report_athena.table}",
    ]
  }
  statement {
    sid     = "TrailRead"
    actions = ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"]
    resources = [
      "arn:${data.aws_partition.current.partition}:s3:::${var.report_athena.trail_bucket}",
      "arn:${data.aws_partition.current.partition}:s3:::${var.report_athena.trail_bucket}/AWSLogs/*",
    ]
  }
  statement {
    sid     = "ResultsWrite"
    actions = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation"]
    resources = [
      "arn:${data.aws_partition.current.partition}:s3:::${split("/", var.report_athena.results_location)[0]}",
      "arn:${data.aws_partition.current.partition}:s3:::${var.report_athena.results_location}*",
    ]
  }
}

resource "aws_iam_role_policy" "report_athena" {
  count  = var.report_athena == null ? 0 : 1
  name   = "usage-athena"
  role   = aws_iam_role.recipe["access_report"].id
  policy = data.aws_iam_policy_document.report_athena[0].json
}

output "snapshot_bucket" {
  value = aws_s3_bucket.snapshots.id
}

output "audit_log_bucket" {
  value = aws_s3_bucket.audit_log.id
}

output "oidc_provider_arn" {
  value = local.oidc_provider_arn
}

output "role_arns" {
  value = { for key, role in aws_iam_role.recipe : key => role.arn }
}
