#!/usr/bin/env bash
# One Entra app registration (and its service principal) per Azure recipe of examples/workflows/,
# each with a federated credential per subject its workflow's job presents, the least-privileged
# role at the scope it works on, and the Microsoft Graph permissions that principals by name need.
# __tests__/docs/setup-subjects.test.ts reads IDENTITIES and the two subject forms below, and
# checks them against the workflows. Run it signed in with `az login` as someone who may create app
# registrations, grant admin consent and write role assignments at SCOPE:
#
#   OWNER=octo-org OWNER_ID=123 REPO=octo-repo REPO_ID=456 \
#   SCOPE=/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14/resourceGroups/rg-app \
#   ./cloud-access.sh
#
# It prints each identity's client ID under the repository variable its workflow reads (set them
# with `gh variable set`, with AZURE_TENANT_ID). Running it again changes nothing that is in place.
#
# Bicep has no app registrations or federated credentials of its own (they are Microsoft Graph
# objects, outside ARM), so this is az only.
set -euo pipefail

: "${OWNER:?the repository's owner, as in octo-org/octo-repo}"
: "${OWNER_ID:?the owner's numeric ID (gh api orgs/OWNER --jq .id)}"
: "${REPO:?the repository's name, as in octo-org/octo-repo}"
: "${REPO_ID:?the repository's numeric ID (gh api repos/OWNER/REPO --jq .id)}"
: "${SCOPE:?the scope the identities work at: a management group, subscription or resource group ID}"
# The roles the writing identities may assign and remove (role definition GUIDs): Reader and
# Contributor, what the examples hand out. Nothing else can be assigned, Owner and User Access
# Administrator included.
ASSIGNABLE_ROLE_IDS="${ASSIGNABLE_ROLE_IDS:-acdd72a7-3385-48ef-bd42-f606fba81ae7,b24988ac-6180-42a0-ab88-20f7382dd24c}"
# Principals by name (docs/azure-setup.md#azure-principals-by-name); none are needed for object IDs.
GRAPH_PERMISSIONS="${GRAPH_PERMISSIONS:-User.Read.All GroupMember.Read.All Application.Read.All}"

# name | the repository variable its workflow reads | subjects (after repo:<owner>/<repo>:) | access | graph
#   access: `write` is Role Based Access Control Administrator, limited to ASSIGNABLE_ROLE_IDS by
#   its condition; `read` is Reader (roleAssignments/read and roleDefinitions/read).
#   `main` is the default branch a schedule and a workflow_dispatch run on.
IDENTITIES='
cloud-access-deploy | AZURE_CLIENT_ID        | environment:production | write | no
access-plan         | ACCESS_PLAN_CLIENT_ID  | pull_request           | read  | yes
access-apply        | ACCESS_APPLY_CLIENT_ID | environment:access     | write | yes
access-drift        | ACCESS_DRIFT_CLIENT_ID | ref:refs/heads/main    | read  | yes
access-review       | ACCESS_REVIEW_CLIENT_ID | ref:refs/heads/main   | read  | yes
'

GITHUB_ISSUER=https://token.actions.githubusercontent.com
GRAPH_APP_ID=00000003-0000-0000-c000-000000000000
RBAC_ADMINISTRATOR=f58310d9-a9f6-439a-9e8d-f62e7b41a168

trim() { sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$1"; }

# Writes (and removals) of a role assignment only for the allowed roles: an ABAC condition on the
# Role Based Access Control Administrator assignment.
write_condition() {
  local roles="${ASSIGNABLE_ROLE_IDS//,/, }"
  printf '%s' "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {$roles})) AND ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {$roles}))"
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

role_assignment() {
  local sp="$1" access="$2"
  if [ "$access" = write ]; then
    az role assignment create --assignee-object-id "$sp" --assignee-principal-type ServicePrincipal \
      --role "$RBAC_ADMINISTRATOR" --scope "$SCOPE" \
      --condition "$(write_condition)" --condition-version 2.0 >/dev/null
  else
    az role assignment create --assignee-object-id "$sp" --assignee-principal-type ServicePrincipal \
      --role Reader --scope "$SCOPE" >/dev/null
  fi
}

graph_permissions() {
  local app="$1" permission role
  for permission in $GRAPH_PERMISSIONS; do
    role=$(az ad sp show --id "$GRAPH_APP_ID" --query "appRoles[?value=='$permission'].id" -o tsv)
    az ad app permission add --id "$app" --api "$GRAPH_APP_ID" --api-permissions "$role=Role" 2>/dev/null || true
  done
  az ad app permission admin-consent --id "$app"
}

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
  if [ "$graph" = yes ]; then graph_permissions "$app"; fi
  echo "$variable=$app"
done <<<"$IDENTITIES"
echo "AZURE_TENANT_ID=$(az account show --query tenantId -o tsv)"
