#!/usr/bin/env bash
# One Entra app registration (and its service principal) per Azure recipe of examples/workflows/,
# each with a federated credential per subject its workflow's job presents, the least-privileged
# role at the scope it works on, and the Microsoft Graph permissions that principals by name need.
# __tests__/docs/setup-subjects.test.ts reads IDENTITIES and the two subject forms below, and
# checks them against the workflows. Run it signed in with `az login` as someone who may create app
# registrations, grant admin consent, and create custom roles and write role assignments at SCOPE
# (Owner, or User Access Administrator):
#
#   OWNER=octo-org OWNER_ID=123 REPO=octo-repo REPO_ID=456 \
#   SCOPE=/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14/resourceGroups/rg-app \
#   ./cloud-access.sh
#
# It prints each identity's client ID under the repository variable its workflow reads, and the
# deploy identity's object ID as DEPLOY_IDENTITY_OBJECT_ID (the sweep's `created-by`; set them
# with `gh variable set`, with AZURE_TENANT_ID). Running it again changes nothing that is in place.
# With AUDIT_LOG_STORAGE_ACCOUNT and AUDIT_LOG_RESOURCE_GROUP set, it also makes the audit log's
# write-once container (below) and prints its URL as AUDIT_LOG_URL.
#
# Bicep has no app registrations or federated credentials of its own (they are Microsoft Graph
# objects, outside ARM), so this is az only.
set -euo pipefail

# Every required variable is checked before the first az call: a half-made set-up (an app
# registration without its credentials or role) is worse than none.
: "${OWNER:?set OWNER to the owner of the repository: octo-org for octo-org/octo-repo}"
: "${OWNER_ID:?set OWNER_ID to the numeric ID of the owner (gh api users/OWNER --jq .id)}"
: "${REPO:?set REPO to the name of the repository: octo-repo for octo-org/octo-repo}"
: "${REPO_ID:?set REPO_ID to the numeric ID of the repository (gh api repos/OWNER/REPO --jq .id)}"
: "${SCOPE:?set SCOPE to the scope the identities work at: a management group, subscription or resource group ID}"
# The roles the writing identities may assign and remove, and the sweep may remove (role
# definition GUIDs): Reader and Contributor, what the examples hand out. Nothing else can be
# assigned or removed by them, Owner and User Access Administrator included.
ASSIGNABLE_ROLE_IDS="${ASSIGNABLE_ROLE_IDS:-acdd72a7-3385-48ef-bd42-f606fba81ae7,b24988ac-6180-42a0-ab88-20f7382dd24c}"
# Principals by name (docs/azure-setup.md#azure-principals-by-name); none are needed for object IDs.
GRAPH_PERMISSIONS="${GRAPH_PERMISSIONS:-User.Read.All GroupMember.Read.All Application.Read.All}"
# Memberships of Entra groups through PIM for groups (`target: group:…`,
# docs/azure-setup.md#group-membership-through-pim-for-groups): GROUP_PIM=true also grants these
# application permissions, with admin consent, to each identity that has Graph permissions. They let
# it make anyone a member or owner of any group PIM manages: leave it false unless you use them.
GROUP_PIM="${GROUP_PIM:-false}"
GROUP_PIM_PERMISSIONS="PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup RoleManagementPolicy.Read.AzureADGroup"
# The custom role the sweep's identity holds (a role's name is unique in the tenant).
SWEEP_ROLE="${SWEEP_ROLE:-cloud-access sweeper}"
# The requests' identity: a custom role of PIM schedule requests, at the scope the access policy's
# Azure rules grant at (default SCOPE; narrow it to their resource group).
REQUEST_ROLE="${REQUEST_ROLE:-cloud-access time-bound role assigner}"
REQUEST_SCOPE="${REQUEST_SCOPE:-$SCOPE}"
# The repository's default branch (gh api repos/OWNER/REPO --jq .default_branch), which schedules run on.
DEFAULT_BRANCH="${DEFAULT_BRANCH:-main}"
# The audit log (docs/audit.md), made only when AUDIT_LOG_STORAGE_ACCOUNT is set: a storage account
# of that name in AUDIT_LOG_RESOURCE_GROUP (an existing resource group outside SCOPE, so no role a
# deploy identity may hand out reaches it), a container AUDIT_LOG_CONTAINER under a time-based
# retention policy of AUDIT_LOG_RETENTION_DAYS, and Storage Blob Data Contributor on that
# container for each identity that writes. AUDIT_LOG_POLICY=locked (the default) locks the policy:
# no one can then delete a record or shorten its retention before it ends, nor remove the policy;
# `unlocked` leaves a policy an owner of the account can remove (try the set-up out with it, not
# keep evidence).
AUDIT_LOG_STORAGE_ACCOUNT="${AUDIT_LOG_STORAGE_ACCOUNT:-}"
AUDIT_LOG_RESOURCE_GROUP="${AUDIT_LOG_RESOURCE_GROUP:-}"
AUDIT_LOG_CONTAINER="${AUDIT_LOG_CONTAINER:-cloud-access-audit}"
AUDIT_LOG_RETENTION_DAYS="${AUDIT_LOG_RETENTION_DAYS:-365}"
AUDIT_LOG_POLICY="${AUDIT_LOG_POLICY:-locked}"

fail() {
  echo "cloud-access.sh: $1" >&2
  exit 1
}
GUID='[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}'
[[ "$OWNER_ID" =~ ^[0-9]+$ ]] || fail "OWNER_ID must be the numeric ID of the owner, got: $OWNER_ID"
[[ "$REPO_ID" =~ ^[0-9]+$ ]] || fail "REPO_ID must be the numeric ID of the repository, got: $REPO_ID"
[[ "$SCOPE" == /* ]] || fail "SCOPE must be a scope ID starting with /, got: $SCOPE"
[[ "$REQUEST_SCOPE" == /* ]] || fail "REQUEST_SCOPE must be a scope ID starting with /, got: $REQUEST_SCOPE"
[[ "$DEFAULT_BRANCH" =~ ^[A-Za-z0-9._/-]+$ ]] ||
  fail "DEFAULT_BRANCH must be a branch name alone, as in main (not refs/heads/main), got: $DEFAULT_BRANCH"
[[ "$ASSIGNABLE_ROLE_IDS" =~ ^$GUID(,$GUID)*$ ]] ||
  fail "ASSIGNABLE_ROLE_IDS must be role definition GUIDs separated by commas, got: $ASSIGNABLE_ROLE_IDS"
if [ -n "$AUDIT_LOG_STORAGE_ACCOUNT" ]; then
  : "${AUDIT_LOG_RESOURCE_GROUP:?set AUDIT_LOG_RESOURCE_GROUP to the existing resource group, outside SCOPE, of the audit log storage account}"
elif [ -n "$AUDIT_LOG_RESOURCE_GROUP" ]; then
  fail 'AUDIT_LOG_RESOURCE_GROUP is set but AUDIT_LOG_STORAGE_ACCOUNT is not: set it to make the audit log, or unset both'
fi
[[ -z "$AUDIT_LOG_STORAGE_ACCOUNT" || "$AUDIT_LOG_STORAGE_ACCOUNT" =~ ^[a-z0-9]{3,24}$ ]] ||
  fail "AUDIT_LOG_STORAGE_ACCOUNT must be 3 to 24 lowercase letters and digits, got: $AUDIT_LOG_STORAGE_ACCOUNT"
[[ -z "$AUDIT_LOG_RESOURCE_GROUP" || ("$AUDIT_LOG_RESOURCE_GROUP" =~ ^[-A-Za-z0-9_.()]{1,90}$ && "$AUDIT_LOG_RESOURCE_GROUP" != *.) ]] ||
  fail "AUDIT_LOG_RESOURCE_GROUP must be a resource group name (letters, digits, - _ . ( ), not ending in .), got: $AUDIT_LOG_RESOURCE_GROUP"
[[ "$AUDIT_LOG_CONTAINER" =~ ^[a-z0-9]+(-[a-z0-9]+)*$ && ${#AUDIT_LOG_CONTAINER} -ge 3 && ${#AUDIT_LOG_CONTAINER} -le 63 ]] ||
  fail "AUDIT_LOG_CONTAINER must be 3 to 63 lowercase letters, digits and single hyphens between them, got: $AUDIT_LOG_CONTAINER"
[[ "$AUDIT_LOG_RETENTION_DAYS" =~ ^[1-9][0-9]{0,5}$ && "$AUDIT_LOG_RETENTION_DAYS" -le 146000 ]] ||
  fail "AUDIT_LOG_RETENTION_DAYS must be a whole number of days from 1 to 146000, got: $AUDIT_LOG_RETENTION_DAYS"
[[ "$AUDIT_LOG_POLICY" == locked || "$AUDIT_LOG_POLICY" == unlocked ]] ||
  fail "AUDIT_LOG_POLICY must be locked or unlocked, got: $AUDIT_LOG_POLICY"
# A deploy identity may hand out Contributor at SCOPE, which could delete an account whose policy is
# not locked, or loosen its network and key settings.
if [ -n "$AUDIT_LOG_RESOURCE_GROUP" ] && [[ "${SCOPE,,}/" == */resourcegroups/"${AUDIT_LOG_RESOURCE_GROUP,,}"/* ]]; then
  fail "AUDIT_LOG_RESOURCE_GROUP must be outside SCOPE (roles the identities hand out there would reach the audit log), got: $AUDIT_LOG_RESOURCE_GROUP"
fi
command -v az >/dev/null || fail 'az (the Azure CLI) is not on the PATH'

# name | the repository variable its workflow reads | subjects (after repo:<owner>/<repo>:) | access | graph
#   access: `write` is Role Based Access Control Administrator, limited to ASSIGNABLE_ROLE_IDS by
#   its condition; `read` is Reader (roleAssignments/read and roleDefinitions/read); `sweep` is
#   SWEEP_ROLE (roleAssignments/read and /delete), its deletes limited to ASSIGNABLE_ROLE_IDS;
#   `review` is Reader (what `report` reads) and SWEEP_ROLE with the sweep's condition: the access
#   review's deletes at its due date (docs/review.md), of the roles in ASSIGNABLE_ROLE_IDS only;
#   `request` is REQUEST_ROLE, PIM schedule requests (examples/workflows/request-access.yml): no
#   condition limits the roles PIM hands out (docs/azure-setup.md#what-a-time-bound-identity-can-do-and-how-to-narrow-it),
#   so give REQUEST_SCOPE the resource group the policy's Azure rules name, no more.
#   DEFAULT_BRANCH (`main` unless set) is the branch a schedule and a workflow_dispatch run on.
#   An Entra federated credential matches `sub` alone: access-request's subject pins the repository
#   and environment `production-access`, not the workflow; the environment's default-branch-only
#   deployment rule and the step's checks narrow it (docs/request.md, "Who can sign in").
IDENTITIES="
cloud-access-deploy | AZURE_CLIENT_ID        | environment:production | write | no
access-plan         | ACCESS_PLAN_CLIENT_ID  | pull_request           | read  | yes
access-apply        | ACCESS_APPLY_CLIENT_ID | environment:access     | write | yes
access-drift        | ACCESS_DRIFT_CLIENT_ID | ref:refs/heads/${DEFAULT_BRANCH} | read  | yes
access-report       | ACCESS_REPORT_CLIENT_ID | ref:refs/heads/${DEFAULT_BRANCH} | read  | yes
cloud-access-sweep  | AZURE_SWEEP_CLIENT_ID  | ref:refs/heads/${DEFAULT_BRANCH} | sweep | no
cloud-access-review | AZURE_REVIEW_CLIENT_ID | ref:refs/heads/${DEFAULT_BRANCH} | review | yes
access-request      | ACCESS_REQUEST_CLIENT_ID | environment:production-access | request | no
"

GITHUB_ISSUER=https://token.actions.githubusercontent.com
GRAPH_APP_ID=00000003-0000-0000-c000-000000000000
RBAC_ADMINISTRATOR=f58310d9-a9f6-439a-9e8d-f62e7b41a168
STORAGE_BLOB_DATA_CONTRIBUTOR=ba92f5b4-2d11-453d-a403-e96b0029c9fe

trim() { sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$1"; }

# ABAC conditions on role assignments (delegated role assignment management): a write only of an
# allowed role, a delete only of an assignment of one.
only_writes_of_allowed_roles() {
  printf '%s' "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${ASSIGNABLE_ROLE_IDS//,/, }}))"
}
only_deletes_of_allowed_roles() {
  printf '%s' "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${ASSIGNABLE_ROLE_IDS//,/, }}))"
}
write_condition() { printf '%s AND %s' "$(only_writes_of_allowed_roles)" "$(only_deletes_of_allowed_roles)"; }

# The sweep's role: it reads role assignments and deletes them, nothing else (docs/sweep.md).
sweep_role() {
  if [ -n "$(az role definition list --custom-role-only true --name "$SWEEP_ROLE" --scope "$SCOPE" --query '[0].id' -o tsv)" ]; then return; fi
  az role definition create --role-definition "$(
    printf '{"Name":"%s","IsCustom":true,"Description":"%s","Actions":["%s","%s"],"AssignableScopes":["%s"]}' \
      "$SWEEP_ROLE" 'Ends ephemeral cloud-access grants: reads and deletes role assignments.' \
      Microsoft.Authorization/roleAssignments/read Microsoft.Authorization/roleAssignments/delete "$SCOPE"
  )" >/dev/null
}

# The requests' role: PIM schedule requests, and the reads and writes PIM itself requires
# (docs/azure-setup.md: "cloud-access time-bound role assigner"); with the eligibility requests and
# schedules a step with `assignment-type: eligible` writes and reads (docs/azure-setup.md#eligibility-who-may-activate-a-role-assignment-type-eligible).
request_role() {
  if [ -n "$(az role definition list --custom-role-only true --name "$REQUEST_ROLE" --scope "$REQUEST_SCOPE" --query '[0].id' -o tsv)" ]; then return; fi
  local actions
  actions=$(printf '"Microsoft.Authorization/%s",' roleAssignments/read roleAssignments/write \
    roleAssignments/delete roleDefinitions/read roleAssignmentScheduleRequests/write \
    roleAssignmentScheduleRequests/read roleAssignmentScheduleRequests/cancel/action \
    roleAssignmentScheduleInstances/read roleAssignmentSchedules/read \
    roleEligibilityScheduleRequests/write roleEligibilityScheduleRequests/read \
    roleEligibilityScheduleRequests/cancel/action roleEligibilitySchedules/read \
    roleManagementPolicyAssignments/read)
  az role definition create --role-definition "$(
    printf '{"Name":"%s","IsCustom":true,"Description":"%s","Actions":[%s],"AssignableScopes":["%s"]}' \
      "$REQUEST_ROLE" 'Grants access requests through PIM schedule requests.' "${actions%,}" "$REQUEST_SCOPE"
  )" >/dev/null
}

app_id_of() {
  local name="$1" id
  id=$(az ad app list --filter "displayName eq '$name'" --query '[0].appId' -o tsv)
  if [ -z "$id" ]; then id=$(az ad app create --display-name "$name" --query appId -o tsv); fi
  az ad sp show --id "$id" --query id -o tsv >/dev/null 2>&1 || az ad sp create --id "$id" >/dev/null
  printf '%s' "$id"
}

# A credential accepts exactly one subject: no wildcards.
federated_credential() {
  local app="$1" subject="$2" name
  name=$(tr -c 'A-Za-z0-9_\n-' '-' <<<"$subject" | cut -c1-120)
  if [ -n "$(az ad app federated-credential list --id "$app" --query "[?name=='$name'].name" -o tsv)" ]; then return; fi
  az ad app federated-credential create --id "$app" --parameters "$(
    printf '{"name":"%s","issuer":"%s","subject":"%s","audiences":["api://AzureADTokenExchange"]}' \
      "$name" "$GITHUB_ISSUER" "$subject"
  )" >/dev/null
}

# SWEEP_ROLE at SCOPE, its deletes limited to ASSIGNABLE_ROLE_IDS: the sweep's, and the review's.
sweep_role_assignment() {
  local sp="$1" try
  sweep_role
  # A custom role just made may not be found by its name at once: try for a minute.
  for try in 1 2 3 4 5 6; do
    if az role assignment create --assignee-object-id "$sp" --assignee-principal-type ServicePrincipal \
      --role "$SWEEP_ROLE" --scope "$SCOPE" \
      --condition "$(only_deletes_of_allowed_roles)" --condition-version 2.0 >/dev/null; then return; fi
    [ "$try" -lt 6 ] || return 1
    sleep 10
  done
}

role_assignment() {
  local sp="$1" access="$2"
  case "$access" in
    write)
      az role assignment create --assignee-object-id "$sp" --assignee-principal-type ServicePrincipal \
        --role "$RBAC_ADMINISTRATOR" --scope "$SCOPE" \
        --condition "$(write_condition)" --condition-version 2.0 >/dev/null
      ;;
    sweep)
      sweep_role_assignment "$sp"
      ;;
    review)
      az role assignment create --assignee-object-id "$sp" --assignee-principal-type ServicePrincipal \
        --role Reader --scope "$SCOPE" >/dev/null
      sweep_role_assignment "$sp"
      ;;
    request)
      request_role
      local attempt
      for attempt in 1 2 3 4 5 6; do
        if az role assignment create --assignee-object-id "$sp" --assignee-principal-type ServicePrincipal \
          --role "$REQUEST_ROLE" --scope "$REQUEST_SCOPE" >/dev/null; then break; fi
        [ "$attempt" -lt 6 ] || return 1
        sleep 10
      done
      ;;
    *)
      az role assignment create --assignee-object-id "$sp" --assignee-principal-type ServicePrincipal \
        --role Reader --scope "$SCOPE" >/dev/null
      ;;
  esac
}

# The audit log's account and container (docs/audit.md). Shared keys are off: a record is written
# only with an Entra identity's token. A locked policy cannot be made again, only extended: it is
# left as it is.
audit_log_container() {
  local account state etag
  account=$(az storage account create --name "$AUDIT_LOG_STORAGE_ACCOUNT" --resource-group "$AUDIT_LOG_RESOURCE_GROUP" \
    --kind StorageV2 --https-only true --min-tls-version TLS1_2 --allow-blob-public-access false \
    --allow-shared-key-access false --query id -o tsv)
  if ! az storage container-rm show --storage-account "$AUDIT_LOG_STORAGE_ACCOUNT" --resource-group "$AUDIT_LOG_RESOURCE_GROUP" \
    --name "$AUDIT_LOG_CONTAINER" --query name -o tsv >/dev/null 2>&1; then
    az storage container-rm create --storage-account "$AUDIT_LOG_STORAGE_ACCOUNT" --resource-group "$AUDIT_LOG_RESOURCE_GROUP" \
      --name "$AUDIT_LOG_CONTAINER" --public-access off >/dev/null
  fi
  state=$(az storage container immutability-policy show --account-name "$AUDIT_LOG_STORAGE_ACCOUNT" \
    --resource-group "$AUDIT_LOG_RESOURCE_GROUP" --container-name "$AUDIT_LOG_CONTAINER" --query state -o tsv 2>/dev/null || true)
  if [ "$state" = Locked ]; then
    echo "cloud-access.sh: the retention policy of $AUDIT_LOG_CONTAINER is locked, kept as it is (az storage container immutability-policy extend lengthens it)" >&2
  else
    etag=$(az storage container immutability-policy create --account-name "$AUDIT_LOG_STORAGE_ACCOUNT" \
      --resource-group "$AUDIT_LOG_RESOURCE_GROUP" --container-name "$AUDIT_LOG_CONTAINER" \
      --period "$AUDIT_LOG_RETENTION_DAYS" --allow-protected-append-writes false --query etag -o tsv)
    if [ "$AUDIT_LOG_POLICY" = locked ]; then
      az storage container immutability-policy lock --account-name "$AUDIT_LOG_STORAGE_ACCOUNT" \
        --resource-group "$AUDIT_LOG_RESOURCE_GROUP" --container-name "$AUDIT_LOG_CONTAINER" --if-match "$etag" >/dev/null
    fi
  fi
  AUDIT_LOG_SCOPE="$account/blobServices/default/containers/$AUDIT_LOG_CONTAINER"
}

graph_permissions() {
  local app="$1" permission role permissions="$GRAPH_PERMISSIONS"
  if [ "$GROUP_PIM" = true ]; then permissions="$permissions $GROUP_PIM_PERMISSIONS"; fi
  for permission in $permissions; do
    role=$(az ad sp show --id "$GRAPH_APP_ID" --query "appRoles[?value=='$permission'].id" -o tsv)
    az ad app permission add --id "$app" --api "$GRAPH_APP_ID" --api-permissions "$role=Role" 2>/dev/null || true
  done
  az ad app permission admin-consent --id "$app"
}

AUDIT_LOG_SCOPE=
if [ -n "$AUDIT_LOG_STORAGE_ACCOUNT" ]; then audit_log_container; fi

while IFS='|' read -r name variable subjects access graph; do
  name=$(trim "$name")
  [ -n "$name" ] || continue
  variable=$(trim "$variable") subjects=$(trim "$subjects") access=$(trim "$access") graph=$(trim "$graph")
  app=$(app_id_of "$name")
  sp=$(az ad sp show --id "$app" --query id -o tsv)
  for subject in ${subjects//,/ }; do
    federated_credential "$app" "repo:${OWNER}/${REPO}:${subject}"
    federated_credential "$app" "repo:${OWNER}@${OWNER_ID}/${REPO}@${REPO_ID}:${subject}"
  done
  role_assignment "$sp" "$access"
  # Each identity that writes records what it changes (`audit-log:`); the read-only ones do not.
  if [ -n "$AUDIT_LOG_SCOPE" ] && [ "$access" != read ]; then
    az role assignment create --assignee-object-id "$sp" --assignee-principal-type ServicePrincipal \
      --role "$STORAGE_BLOB_DATA_CONTRIBUTOR" --scope "$AUDIT_LOG_SCOPE" >/dev/null
  fi
  if [ "$graph" = yes ]; then graph_permissions "$app"; fi
  echo "$variable=$app"
  # The sweep's and the access review's `created-by`: the identity the deploy jobs sign in as.
  if [ "$variable" = AZURE_CLIENT_ID ]; then echo "DEPLOY_IDENTITY_OBJECT_ID=$sp"; fi
done <<<"$IDENTITIES"
echo "AZURE_TENANT_ID=$(az account show --query tenantId -o tsv)"
if [ -n "$AUDIT_LOG_SCOPE" ]; then
  echo "AUDIT_LOG_URL=https://$AUDIT_LOG_STORAGE_ACCOUNT.blob.core.windows.net/$AUDIT_LOG_CONTAINER"
fi
