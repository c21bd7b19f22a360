// What a name that did not resolve to exactly one object says: every match when there are several
// (display names are not unique, so the user picks one by its object ID), and the closest names
// when there is none. Never a guess.
import { CloudAccessError } from '../core/errors.js';
import { closestNames } from '../core/lists.js';
import {
  describePrincipal,
  type AzurePrincipalRef,
  type AzurePrincipalType,
} from '../core/principal-forms.js';

/** An object Graph returned, with what tells it apart from others of the same name. */
export interface DirectoryObject {
  kind: 'user' | 'group' | 'servicePrincipal';
  id: string;
  type: AzurePrincipalType;
  displayName: string | undefined;
  userPrincipalName: string | undefined;
  appId: string | undefined;
  servicePrincipalType: string | undefined;
  /** A group's kind: Security, Microsoft 365, Mail-enabled security, Distribution. */
  groupKind: string | undefined;
  /** A managed identity's ARM resource ID (its `alternativeNames`). */
  identityResource: string | undefined;
}

const SUGGESTIONS = 5;

function describeObject(o: DirectoryObject): string {
  const name = `'${o.displayName ?? ''}'`;
  switch (o.kind) {
    case 'user':
      return `user ${o.id} ${name} (${o.userPrincipalName ?? 'no UPN'})`;
    case 'group':
      return `group ${o.id} ${name} (${o.groupKind ?? 'group'})`;
    default:
      return o.servicePrincipalType === 'ManagedIdentity'
        ? `managed identity ${o.id} ${name}${o.identityResource ? ` (${o.identityResource})` : ''}`
        : `service principal ${o.id} ${name} (app ID ${o.appId ?? 'unknown'}${o.servicePrincipalType ? `, ${o.servicePrincipalType}` : ''})`;
  }
}

export function ambiguous(form: AzurePrincipalRef, matches: DirectoryObject[]): CloudAccessError {
  return new CloudAccessError(
    `\`${describePrincipal(form)}\` matches ${matches.length} objects in the directory: ${matches.map(describeObject).join('; ')}`,
    {
      input: 'principal',
      fix: `display names are not unique, and the action never picks one: write \`object:<id>\` with the object ID of the one you mean (e.g. \`object:${matches[0]!.id}\`)`,
    },
  );
}

const WHAT: Record<AzurePrincipalRef['kind'], string> = {
  object: 'object',
  user: 'user (by user principal name, or a guest by e-mail)',
  group: 'group',
  'sp-app': 'service principal with that application (client) ID',
  'sp-name': 'service principal',
  'mi-name': 'managed identity',
  'mi-resource': 'managed identity',
  name: 'group or service principal',
};

export function notFound(form: AzurePrincipalRef, candidates: string[]): CloudAccessError {
  const wanted = describePrincipal(form).replace(/^(group|sp|mi|user):/, '');
  const close = closestNames(wanted, candidates, SUGGESTIONS);
  const suggestion = close.length > 0 ? `did you mean ${close.map((n) => `\`${n}\``).join(', ')}? ` : '';
  const fix =
    form.kind === 'sp-app'
      ? `check the application ID; an app registration has no service principal in the tenant until one is created (\`az ad sp create --id ${form.appId}\`)`
      : `${suggestion}Names are matched exactly (case-insensitively); check the name, or pass the object ID`;
  return new CloudAccessError(`no ${WHAT[form.kind]} \`${wanted}\` was found in the directory`, {
    input: 'principal',
    fix,
  });
}
