// The sub-actions' action.yml files, one folder per operation beside the root action
// (`uses: cloud-access/cloud-access/grant@v1`), written from the root action.yml (names, defaults,
// descriptions, branding, runtime) and src/core/inputs/operation-inputs.ts (the inputs each
// operation reads and the outputs it sets, on either cloud): nothing of an input is written twice,
// so a sub-action cannot drift from the root action or from what its operation reads. Pure: the
// text in, the text out; ./generate.ts writes the files.
import { isMap, isScalar, parseDocument, type Document, type YAMLMap } from 'yaml';
import {
  inputsOfOperation,
  outputsOfOperation,
  SUB_ACTIONS,
  type SubAction,
} from '../../src/core/inputs/operation-inputs.js';

export const SUB_ACTION_NAMES = Object.keys(SUB_ACTIONS) as SubAction[];

/**
 * Each sub-action's description: what its step does, in fewer characters than the Marketplace's
 * limit (scripts/workflows/lint-action.ts), as the root action's is.
 */
const DESCRIPTIONS: Record<SubAction, string> = {
  grant:
    'Grant AWS IAM Identity Center or Azure RBAC access with GitHub OIDC; with revoke-on-exit, revoked when the job ends.',
  revoke:
    'Revoke AWS IAM Identity Center account assignments or Azure RBAC role assignments with GitHub OIDC.',
  provision: 'Re-provision AWS IAM Identity Center permission sets to the accounts where they are outdated.',
  reconcile:
    'Make AWS IAM Identity Center or Azure RBAC access match a manifest: creates what is missing, deletes what it manages.',
  sweep:
    'End the ephemeral AWS and Azure grants cloud-access steps left behind once their runs have finished.',
  report: 'Report who holds what in AWS IAM Identity Center or Azure RBAC, read-only, as JSON and CSV files.',
  request:
    'A person asks for time-bound AWS or Azure access under an access policy, approved in a protected environment.',
  review:
    'Access reviews of AWS and Azure grants as GitHub issues: reviewers keep or revoke each grant in comments.',
};

/** The bundle's entry a sub-action's main step runs (scripts/release/package.ts builds one each). */
export const subActionEntry = (name: SubAction): string => `${name}.js`;

/** The header every generated file starts with: where it comes from, and how to write it again. */
export const GENERATED =
  '# Written by `npm run actions:generate` from ../action.yml and src/core/inputs/operation-inputs.ts: edit those, not this file.';

/** The keys of a map node of `doc` at `key`, in their order. */
function keysOf(doc: Document, key: string): string[] {
  const node = doc.get(key, true);
  if (!isMap(node)) throw new Error(`action.yml has no \`${key}\` map`);
  return node.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key)));
}

/** A copy of the map at `key` with only the entries `names` lists, as written in action.yml. */
function only(doc: Document, key: string, names: string[]): YAMLMap {
  const node = (doc.get(key, true) as YAMLMap).clone() as YAMLMap;
  node.items = node.items.filter((pair) => names.includes(isScalar(pair.key) ? String(pair.key.value) : ''));
  return node;
}

/** The root action's `runs.using` (`node24`). */
function runtimeOf(doc: Document): string {
  const using = doc.getIn(['runs', 'using']);
  if (typeof using !== 'string') throw new Error('action.yml has no `runs.using`');
  return using;
}

/** What `name`'s action.yml says, as an object (its inputs and outputs as the root's nodes). */
function subActionDocument(root: Document, name: SubAction): Document {
  const operation = SUB_ACTIONS[name];
  const inputs = inputsOfOperation(operation, keysOf(root, 'inputs'));
  const outputs = outputsOfOperation(operation, keysOf(root, 'outputs'));
  const doc = new (root.constructor as typeof Document)();
  doc.contents = doc.createNode({
    name: `${String(root.get('name'))} ${name}`,
    description: DESCRIPTIONS[name],
    author: root.get('author'),
    branding: root.get('branding', true),
  }) as YAMLMap;
  doc.set('inputs', only(root, 'inputs', inputs));
  doc.set('outputs', only(root, 'outputs', outputs));
  doc.set(
    'runs',
    doc.createNode({
      using: runtimeOf(root),
      main: `../dist/${subActionEntry(name)}`,
      // Only a grant saves grants for its post step (`revoke-on-exit`): the root action's post entry.
      ...(name === 'grant'
        ? { post: `../${String(root.getIn(['runs', 'post']))}`, 'post-if': 'always()' }
        : {}),
    }),
  );
  return doc;
}

/**
 * `name`'s action.yml, from the root action.yml's text: unformatted (the caller runs prettier, as
 * `npm run format` would).
 */
export function subActionYml(rootText: string, name: SubAction): string {
  const root = parseDocument(rootText);
  const body = subActionDocument(root, name).toString({ lineWidth: 0 });
  // Blank lines between the sections, as in the root action.
  return `${GENERATED}\n${body.replace(/\n(inputs|outputs|runs):/g, '\n\n$1:')}`;
}

/** The inputs and outputs `name`'s action.yml declares, by name (for tests and the docs). */
export function declaredBy(text: string): { inputs: string[]; outputs: string[] } {
  const doc = parseDocument(text);
  return { inputs: keysOf(doc, 'inputs'), outputs: keysOf(doc, 'outputs') };
}
