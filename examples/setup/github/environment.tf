# The environment a request's job runs in (docs/request.md), as Terraform with the
# `integrations/github` provider: required reviewers who may not approve their own runs, no
# administrator bypass, and deployments from the default branch alone. The same as
# ./environment.sh (gh api). Needs a token of a repository administrator (GITHUB_TOKEN, or the
# provider's `app_auth`). On private repositories, required reviewers need GitHub Enterprise
# (Free, Pro and Team plans have them on public repositories only).
#
#   terraform apply -var 'owner=octo-org' -var 'repository=octo-repo' \
#     -var 'reviewer_logins=["carol","dave"]'

terraform {
  required_providers {
    github = {
      source  = "integrations/github"
      version = ">= 6.2"
    }
  }
}

variable "owner" {
  type        = string
  description = "The repository's owner: octo-org for octo-org/octo-repo."
}

variable "repository" {
  type        = string
  description = "The repository's name: octo-repo for octo-org/octo-repo."
}

variable "environment" {
  type        = string
  default     = "production-access"
  description = "The environment the access policy's rules name (examples/access/access-policy.yml)."
}

variable "reviewer_logins" {
  type        = list(string)
  description = "The required reviewers (at most 6): the people who approve requests."
  validation {
    condition     = length(var.reviewer_logins) > 0 && length(var.reviewer_logins) <= 6
    error_message = "Give 1 to 6 reviewers: a request needs an approval from someone other than the requester."
  }
}

provider "github" {
  owner = var.owner
}

data "github_repository" "this" {
  name = var.repository
}

data "github_user" "reviewers" {
  for_each = toset(var.reviewer_logins)
  username = each.value
}

resource "github_repository_environment" "access" {
  repository          = var.repository
  environment         = var.environment
  prevent_self_review = true
  can_admins_bypass   = false
  reviewers {
    users = [for user in data.github_user.reviewers : tonumber(user.id)]
  }
  # Custom policies, not "protected branches": with no protected branch, GitHub lets every branch
  # deploy to a "protected branches only" environment.
  deployment_branch_policy {
    protected_branches     = false
    custom_branch_policies = true
  }
}

# The default branch alone: the step refuses an environment whose policies admit any other.
resource "github_repository_environment_deployment_policy" "default_branch" {
  repository     = var.repository
  environment    = github_repository_environment.access.environment
  branch_pattern = data.github_repository.this.default_branch
}
