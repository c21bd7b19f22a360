// What a name that did not resolve to exactly one object says: every match when there are several
// (display names are not unique, so the user picks one by its object ID), the closest names when
// there is none, and which names needed Graph when it could not be reached. Never a guess.
import { CloudAccessError, UnreachableEndpointError, unreachableFix } from '../../core/errors.js';
import { didYouMean } from '../../core/lists.js';
import {
  describePrincipal,
  needsGraph,
  principalKey,
  type AzurePrincipalRef,
} from '../../core/principal-forms.js';
import { describeObject, type DirectoryObject } from './directory-objects.js';

const SUGGESTIONS = 5;

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
  const close = didYouMean(wanted, candidates, SUGGESTIONS);
  const suggestion = close ? `${close} ` : '';
  const fix =
    form.kind === 'sp-app'
      ? `check the application ID; an app registration has no service principal in the tenant until one is created (\`az ad sp create --id ${form.appId}\`)`
      : `${suggestion}${suggestion ? 'N' : 'n'}ames are matched exactly (case-insensitively)${form.kind === 'user' ? '; a guest is found by its home e-mail too' : ''}: check the name, or pass the object ID`;
  return new CloudAccessError(`no ${WHAT[form.kind]} \`${wanted}\` was found in the directory`, {
    input: 'principal',
    fix,
  });
}

/**
 * Graph could not be reached to resolve names: the error says which names need it, and that
 * their object IDs need no Graph at all. Undefined for any other failure.
 */
export function namesNeedGraph(
  error: unknown,
  forms: readonly AzurePrincipalRef[],
): CloudAccessError | undefined {
  if (!(error instanceof UnreachableEndpointError) || error.endpoint.input !== 'graph-endpoint')
    return undefined;
  const named = forms.filter(needsGraph).map((f) => `\`${principalKey(f)}\``);
  return new CloudAccessError(
    `${named.join(', ')} ${named.length === 1 ? 'is a name' : 'are names'}: resolving ${named.length === 1 ? 'it' : 'them'} needs Microsoft Graph, and ${error.endpoint.url} could not be reached (${error.detail}; ${error.operation})`,
    {
      input: 'graph-endpoint',
      fix: `${unreachableFix(error.endpoint)}; or give ${named.length === 1 ? 'the principal by its object ID, which needs' : 'the principals by their object IDs, which need'} no Graph`,
      cause: error,
    },
  );
}
