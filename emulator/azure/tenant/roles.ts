// Built-in role definitions with their real GUIDs, descriptions and permissions (as
// `az role definition list --name …` shows them), and RBAC action matching.

export interface Permission {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

export interface RoleDefinitionRecord {
  /** The GUID, lower case. */
  guid: string;
  roleName: string;
  type: 'BuiltInRole' | 'CustomRole';
  description: string;
  assignableScopes: string[];
  permissions: Permission[];
}

const permission = (
  actions: string[],
  notActions: string[] = [],
  dataActions: string[] = [],
): Permission => ({
  actions,
  notActions,
  dataActions,
  notDataActions: [],
});

export const ROLE_GUIDS = {
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  UserAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  RoleBasedAccessControlAdministrator: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
  StorageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  StorageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  KeyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  AcrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
} as const;

const BLOB_CONTAINERS = 'Microsoft.Storage/storageAccounts/blobServices/containers';

/** The built-in roles seeded, as a table: builtInRoles() gives each tenant its own copy. */
const BUILT_IN_ROLES = [
  {
    guid: ROLE_GUIDS.Owner,
    roleName: 'Owner',
    description:
      'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    permissions: [permission(['*'])],
  },
  {
    guid: ROLE_GUIDS.Contributor,
    roleName: 'Contributor',
    description:
      'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
    permissions: [
      permission(
        ['*'],
        [
          'Microsoft.Authorization/*/Delete',
          'Microsoft.Authorization/*/Write',
          'Microsoft.Authorization/elevateAccess/Action',
          'Microsoft.Blueprint/blueprintAssignments/write',
          'Microsoft.Blueprint/blueprintAssignments/delete',
          'Microsoft.Compute/galleries/share/action',
          'Microsoft.Purview/consents/write',
          'Microsoft.Purview/consents/delete',
          'Microsoft.Resources/deploymentStacks/manageDenySetting/action',
          'Microsoft.Subscription/cancel/action',
          'Microsoft.Subscription/enable/action',
        ],
      ),
    ],
  },
  {
    guid: ROLE_GUIDS.Reader,
    roleName: 'Reader',
    description: 'View all resources, but does not allow you to make any changes.',
    permissions: [permission(['*/read'])],
  },
  {
    guid: ROLE_GUIDS.UserAccessAdministrator,
    roleName: 'User Access Administrator',
    description: 'Lets you manage user access to Azure resources.',
    permissions: [permission(['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*'])],
  },
  {
    guid: ROLE_GUIDS.RoleBasedAccessControlAdministrator,
    roleName: 'Role Based Access Control Administrator',
    description:
      'Manage access to Azure resources by assigning roles using Azure RBAC. This role does not allow you to manage access using other ways, such as Azure Policy.',
    permissions: [
      permission([
        'Microsoft.Authorization/roleAssignments/write',
        'Microsoft.Authorization/roleAssignments/delete',
        '*/read',
        'Microsoft.Support/*',
      ]),
    ],
  },
  {
    guid: ROLE_GUIDS.StorageBlobDataContributor,
    roleName: 'Storage Blob Data Contributor',
    description: 'Allows for read, write and delete access to Azure Storage blob containers and data',
    permissions: [
      permission(
        [
          `${BLOB_CONTAINERS}/delete`,
          `${BLOB_CONTAINERS}/read`,
          `${BLOB_CONTAINERS}/write`,
          'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
        ],
        [],
        [
          `${BLOB_CONTAINERS}/blobs/delete`,
          `${BLOB_CONTAINERS}/blobs/read`,
          `${BLOB_CONTAINERS}/blobs/write`,
          `${BLOB_CONTAINERS}/blobs/move/action`,
          `${BLOB_CONTAINERS}/blobs/add/action`,
        ],
      ),
    ],
  },
  {
    guid: ROLE_GUIDS.StorageBlobDataReader,
    roleName: 'Storage Blob Data Reader',
    description: 'Allows for read access to Azure Storage blob containers and data',
    permissions: [
      permission(
        [
          `${BLOB_CONTAINERS}/read`,
          'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
        ],
        [],
        [`${BLOB_CONTAINERS}/blobs/read`],
      ),
    ],
  },
  {
    guid: ROLE_GUIDS.KeyVaultSecretsUser,
    roleName: 'Key Vault Secrets User',
    description:
      "Read secret contents. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    permissions: [
      permission(
        [],
        [],
        [
          'Microsoft.KeyVault/vaults/secrets/getSecret/action',
          'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
        ],
      ),
    ],
  },
  {
    guid: ROLE_GUIDS.AcrPull,
    roleName: 'AcrPull',
    description: 'acr pull',
    permissions: [permission(['Microsoft.ContainerRegistry/registries/pull/read'])],
  },
];

export const builtInRoles = (): RoleDefinitionRecord[] =>
  BUILT_IN_ROLES.map((role) => ({
    ...structuredClone(role),
    type: 'BuiltInRole' as const,
    assignableScopes: ['/'],
  }));

/** RBAC action patterns: case-insensitive, `*` matches any run of characters (slashes included). */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return regex.test(action);
}

/** Whether a role's permissions allow a control-plane action (an action listed, and not excluded). */
export function roleAllows(role: RoleDefinitionRecord, action: string): boolean {
  return role.permissions.some(
    (p) =>
      p.actions.some((a) => actionMatches(a, action)) && !p.notActions.some((a) => actionMatches(a, action)),
  );
}
