#!/usr/bin/env bash
# The environment a request's job runs in (docs/request.md): required reviewers who may not approve
# their own runs, no administrator bypass, and deployments from the default branch alone.
# Usage: environment.sh OWNER/REPO ENVIRONMENT REVIEWER_LOGIN... (1 to 6 reviewers)
# Needs `gh` signed in as a repository administrator. On private repositories, required reviewers
# need GitHub Enterprise (Free, Pro and Team plans have them on public repositories only).
set -euo pipefail
repo=$1 environment=$2
shift 2
# As environment.tf: GitHub takes at most 6 required reviewers, and none would let a request
# through unapproved.
if [ $# -lt 1 ] || [ $# -gt 6 ]; then
  echo "environment.sh: give 1 to 6 reviewers: a request needs an approval from someone other than the requester (got $#)" >&2
  exit 1
fi
default_branch=$(gh api "repos/$repo" --jq .default_branch)
reviewers=$(for login in "$@"; do gh api "users/$login" --jq '{type: "User", id: .id}'; done | jq -s .)
jq -n --argjson reviewers "$reviewers" '{
  reviewers: $reviewers,
  prevent_self_review: true,
  can_admins_bypass: false,
  deployment_branch_policy: {protected_branches: false, custom_branch_policies: true}
}' | gh api --method PUT "repos/$repo/environments/$environment" --input - >/dev/null
gh api --method POST "repos/$repo/environments/$environment/deployment-branch-policies" \
  -f name="$default_branch" -f type=branch >/dev/null
echo "environment $environment: reviewers $*, prevent self-review, no admin bypass, branch $default_branch only"
