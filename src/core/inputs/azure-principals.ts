// The Azure `principal` input: each value's form (principal-forms.ts) checked before any request,
// and the client-ID mistake caught when it is the app the action signs in as.
import { parsePrincipalForm, principalKey, type AzurePrincipalRef } from '../principal-forms.js';
import { listSyntaxFix, printable, type Problems } from './fields.js';
import type { Parsed } from './grants.js';

/**
 * Object IDs (lower-cased, as ARM writes them) and the names Graph resolves (principal-forms.ts),
 * each checked here, before any request.
 */
export function principalForms(problems: Problems, principals: string[]): Parsed<AzurePrincipalRef>[] {
  // One grant per principal, however it was written (`group:Ops` and `group:ops`, a GUID and `object:` it).
  const seen = new Set<string>();
  return principals.flatMap((p) => {
    const form = parsePrincipalForm(p);
    if ('problem' in form) {
      problems.add(
        'principal',
        `\`${printable(p)}\` ${form.problem}`,
        listSyntaxFix('principal', p, '<object ID>, group:<name>') ?? form.fix,
      );
      return [];
    }
    const key = principalKey(form);
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ written: form.kind === 'object' && form.bare ? form.id : p, value: form }];
  });
}

/**
 * A principal that is the `client-id` is the app registration's application ID, which no role
 * assignment takes: ARM wants the object ID of its service principal, another GUID, and would
 * answer PrincipalNotFound only after its replication retries.
 */
export function notTheClientId(problems: Problems, principals: string[], clientId: string): void {
  for (const p of principals) {
    if (p.toLowerCase().replace(/^object:/, '') !== clientId.toLowerCase()) continue;
    problems.add(
      'principal',
      `\`${printable(p)}\` is the \`client-id\` the action signs in with: an application (client) ID, not an object ID`,
      `a role assignment takes the object ID of the app's service principal: write \`sp:${printable(clientId)}\` to have it looked up, or the object ID \`az ad sp show --id ${printable(clientId)} --query id --output tsv\` prints`,
    );
  }
}
