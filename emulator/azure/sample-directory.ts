// A small Entra directory to try the action on by name: people, groups, an app's service principal
// and a user-assigned managed identity, with fixed object IDs so they are the same at every start.
// `npm run emulator` seeds it and its --help lists it (from this data); reset() goes back to the
// base seed without it.
import type { AzureEmulator } from './emulator-api.js';

export const SAMPLE_DIRECTORY = {
  /** Members whose user principal names are in the tenant's verified domain contoso.com. */
  users: [
    {
      userPrincipalName: 'alice@contoso.com',
      displayName: 'Alice Example',
      id: '0a11ce00-1b2c-4d3e-8f40-5a6b7c8d9e01',
    },
    {
      userPrincipalName: 'bob@contoso.com',
      displayName: 'Bob Example',
      id: '0b0b0000-2c3d-4e4f-9a51-6b7c8d9e0f12',
    },
    {
      userPrincipalName: 'carol@contoso.com',
      displayName: 'Carol Example',
      id: '0ca20100-3d4e-4f5a-8b62-7c8d9e0f1a23',
    },
  ],
  /** A B2B guest, named by mail (`user:dave@fabrikam.com`) or by its `#EXT#` user principal name. */
  guests: [
    { mail: 'dave@fabrikam.com', displayName: 'Dave (Fabrikam)', id: '0da7e000-4e5f-4a6b-9c73-8d9e0f1a2b34' },
  ],
  groups: [
    { displayName: 'Deployers', id: '1de91000-5f6a-4b7c-8d84-9e0f1a2b3c45' },
    { displayName: 'Auditors', id: '1a0d1700-6a7b-4c8d-9e95-0f1a2b3c4d56' },
    { displayName: 'Platform', id: '1f1a7f00-7b8c-4d9e-8fa6-1a2b3c4d5e67' },
  ],
  /** An app registration with its service principal (`sp:deploy-bot`, or its appId). */
  application: {
    displayName: 'deploy-bot',
    appId: '2de910b0-8c9d-4eaf-9ab7-2b3c4d5e6f78',
    objectId: '2a990000-9d0e-4fb0-8bc8-3c4d5e6f7a89',
    servicePrincipalId: '25e10000-0e1f-4a0b-9cd9-4d5e6f7a8b90',
  },
  /** A user-assigned managed identity (`mi:id-deploy`) in resource group rg-identities. */
  managedIdentity: {
    name: 'id-deploy',
    resourceGroup: 'rg-identities',
    principalId: '31d00000-1f2a-4b1c-8dea-5e6f7a8b9c01',
  },
} as const;

export function seedSampleDirectory(azure: AzureEmulator): void {
  const d = SAMPLE_DIRECTORY;
  azure.state.tenantDomains.add('contoso.com');
  for (const user of d.users) azure.addUser({ ...user });
  for (const guest of d.guests) azure.addUser({ ...guest, guest: true });
  for (const group of d.groups) azure.addGroup({ ...group });
  // Platform is managed by PIM for groups already, as a portal admin leaves it: the azure-group
  // local mode asks for no onboarding, which cannot be undone (scripts/emulator/local-mode-group.ts).
  azure.onboardGroupToPim(d.groups[2].id);
  azure.addApplication({ ...d.application });
  azure.addResourceGroup(d.managedIdentity.resourceGroup);
  azure.addManagedIdentity({ ...d.managedIdentity });
}

/** Each object by the name the action's `principal` takes, with its object ID and kind. */
export function sampleDirectoryNames(): { name: string; id: string; kind: string }[] {
  const d = SAMPLE_DIRECTORY;
  return [
    ...d.users.map((u) => ({ name: u.userPrincipalName, id: u.id, kind: 'user' })),
    ...d.guests.map((g) => ({ name: `user:${g.mail}`, id: g.id, kind: 'guest' })),
    ...d.groups.map((g) => ({ name: `group:${g.displayName}`, id: g.id, kind: 'group' })),
    {
      name: `sp:${d.application.displayName}`,
      id: d.application.servicePrincipalId,
      kind: 'service principal',
    },
    { name: `mi:${d.managedIdentity.name}`, id: d.managedIdentity.principalId, kind: 'managed identity' },
  ];
}

/** For --help and the CLI's "seeded:" lines: the names, kind by kind. */
export function describeSampleDirectory(): string[] {
  const names = sampleDirectoryNames();
  const kinds = [...new Set(names.map((n) => n.kind))];
  return [
    'Entra directory (principal: NAME):',
    ...kinds.map(
      (kind) =>
        `  ${kind}: ${names
          .filter((n) => n.kind === kind)
          .map((n) => `${n.name} (${n.id})`)
          .join(', ')}`,
    ),
    `  (sp:${SAMPLE_DIRECTORY.application.appId} names the service principal by appId; mi:${SAMPLE_DIRECTORY.managedIdentity.name} is in resource group ${SAMPLE_DIRECTORY.managedIdentity.resourceGroup})`,
  ];
}
