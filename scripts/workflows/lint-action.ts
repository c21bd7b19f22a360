// action.yml checked against the action metadata schema (SchemaStore's, as @action-validator/core
// 0.6.0 carries it), so a typo in an input, a branding icon GitHub does not offer or a misplaced key
// fails before a release does; and the repository's action against the Marketplace listing's own
// limits (`marketplaceProblems`). That schema predates `using: node24`: its JavaScript-action branch
// rejects that one value, which is the only problem let through, and only when it is the only
// reason that branch fails.
import { validateAction, type ValidationError } from '@action-validator/core';
import { createRequire } from 'node:module';

const { safeLoad } = createRequire(import.meta.url)('js-yaml') as { safeLoad(text: string): unknown };

/** The runtimes GitHub runs that the schema does not know yet. */
const NEWER_NODE = ['node24'];

/** Every problem the schema finds in `text` (an action.yml), one line each; none when it is valid. */
export function actionYmlProblems(text: string): string[] {
  const doc = parsed(text);
  const using = valueAt(doc, '/runs/using');
  return validateAction(text)
    .errors.filter(
      (error) => !(typeof using === 'string' && NEWER_NODE.includes(using) && onlyUsingRejected(error)),
    )
    .map((error) => describe(error, doc));
}

/** The Marketplace's listing form refuses a description of this many characters or more. */
export const MARKETPLACE_DESCRIPTION_LIMIT = 125;

/**
 * What the GitHub Marketplace asks of a listed action beyond the schema, which it checks only when
 * a release is published to it: a name, a description of fewer than 125 characters (the listing
 * form refuses 125 or more), and a badge (`branding.icon` and `branding.color`; the schema holds them
 * to the values GitHub offers). One line per problem; none when the listing would be accepted.
 */
export function marketplaceProblems(text: string): string[] {
  const doc = parsed(text);
  const problems: string[] = [];
  const name = valueAt(doc, '/name');
  if (typeof name !== 'string' || name.trim() === '' || /[\r\n]/.test(name))
    problems.push('/name: the Marketplace lists the action under its name: give one, on one line');
  const description = valueAt(doc, '/description');
  if (typeof description !== 'string' || description.trim() === '')
    problems.push('/description: the Marketplace shows it on the listing: give one');
  else if ([...description].length >= MARKETPLACE_DESCRIPTION_LIMIT)
    problems.push(
      `/description: ${[...description].length} characters; the Marketplace takes fewer than ${MARKETPLACE_DESCRIPTION_LIMIT}`,
    );
  for (const key of ['icon', 'color'])
    if (typeof valueAt(doc, `/branding/${key}`) !== 'string')
      problems.push(`/branding/${key}: the Marketplace badge needs one`);
  return problems;
}

function parsed(text: string): unknown {
  try {
    return safeLoad(text);
  } catch {
    return undefined; // the validator reports the parse error itself
  }
}

/** The value at a JSON pointer (`/branding/icon`), to show what the schema rejected. */
function valueAt(doc: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      doc,
    );
}

/** `runs` matched no branch, and one branch failed on `runs.using`'s value alone. */
function onlyUsingRejected(error: ValidationError): boolean {
  return (
    'path' in error &&
    error.code === 'one_of' &&
    error.path === '/runs' &&
    (error.states ?? []).some(
      (branch) =>
        branch.errors.length === 1 &&
        'path' in branch.errors[0]! &&
        branch.errors[0].path === '/runs/using' &&
        branch.errors[0].code === 'enum',
    )
  );
}

function describe(error: ValidationError, doc: unknown): string {
  const where = 'path' in error ? error.path || '/' : `line ${error.location?.line ?? '?'}`;
  const value = 'path' in error && error.code === 'enum' ? valueAt(doc, error.path) : undefined;
  const nested =
    'states' in error && error.states
      ? ` (${error.states.map((s) => s.errors.map((e) => describe(e, doc)).join(', ')).join(' | ')})`
      : '';
  return `${where}: ${error.title}${error.detail ? `: ${error.detail}` : ''}${value !== undefined ? ` (got ${JSON.stringify(value)})` : ''}${nested}`;
}
