// The control API's seeding of the Entra directory (POST /_emulator/azure/directory): one object
// per call, checked, made through the emulator's helpers.
import type { AzureEmulator } from './index.js';

export const DIRECTORY_USAGE =
  'body must be one of {"user": {"userPrincipalName": "alice@octoorg.onmicrosoft.com", "displayName"?}}, {"user": {"mail": "bob@contoso.com", "guest": true}}, {"group": {"displayName": "ops", "kind"?: "Security" | "Microsoft365" | "MailEnabledSecurity" | "Distribution"}}, {"application": {"displayName": "deploy-bot", "appId"?}}, {"managedIdentity": {"name": "id-deploy", "resourceGroup"?}}';

const text = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= 256;
const optional = (v: unknown) => v === undefined || text(v);

export function seedDirectory(azure: AzureEmulator, body: Record<string, unknown>): unknown {
  const [kind, spec] = Object.entries(body)[0] ?? [];
  const s = (spec ?? {}) as Record<string, unknown>;
  if (Object.keys(body).length !== 1 || typeof spec !== 'object' || spec === null) return DIRECTORY_USAGE;
  switch (kind) {
    case 'user':
      if (
        s.guest === true
          ? !text(s.mail)
          : !text(s.userPrincipalName) || !String(s.userPrincipalName).includes('@')
      )
        return 'a user needs a userPrincipalName with @ (a guest: a mail)';
      if (!optional(s.displayName)) return 'displayName must be text';
      return azure.addUser({
        ...(text(s.userPrincipalName) ? { userPrincipalName: s.userPrincipalName } : {}),
        ...(text(s.displayName) ? { displayName: s.displayName } : {}),
        ...(text(s.mail) ? { mail: s.mail } : {}),
        guest: s.guest === true,
      });
    case 'group': {
      const kinds = ['Security', 'Microsoft365', 'MailEnabledSecurity', 'Distribution'] as const;
      const groupKind = kinds.find((k) => k === s.kind);
      if (!text(s.displayName) || (s.kind !== undefined && !groupKind))
        return 'a group needs a displayName (and a known kind)';
      return azure.addGroup({ displayName: s.displayName, ...(groupKind ? { kind: groupKind } : {}) });
    }
    case 'application':
      if (!text(s.displayName) || !optional(s.appId)) return 'an application needs a displayName';
      return azure.addApplication({
        displayName: s.displayName,
        ...(text(s.appId) ? { appId: s.appId } : {}),
      });
    case 'managedIdentity':
      if (!text(s.name) || !/^[-\w]+$/.test(s.name) || !optional(s.resourceGroup))
        return 'a managed identity needs a name';
      return azure.addManagedIdentity({
        name: s.name,
        ...(text(s.resourceGroup) ? { resourceGroup: s.resourceGroup } : {}),
      });
    default:
      return DIRECTORY_USAGE;
  }
}
