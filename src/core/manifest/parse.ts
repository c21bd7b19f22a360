// Reads a reconcile manifest (`version: 1`) into a typed Manifest, or every problem in it at once,
// each with its line. Values are checked by the parsers the inputs use, so a manifest takes what
// the `principal`, `role` and `target` inputs take, and refuses what they refuse. Pure.
import { isSeq, type Node } from 'yaml';
import { parseAzureScope } from '../azure-scope.js';
import { accountIds, permissionSetRefs, principalRefs } from '../inputs/aws.js';
import { abacCondition, principalIds, roleRefs, scopes } from '../inputs/azure.js';
import { oneOf, printable, Problems } from '../inputs/fields.js';
import type { Parsed } from '../inputs/grants.js';
import { GUID, INSTANCE_ARN } from '../patterns.js';
import { ManifestNodes, type Field, type ManifestProblem } from './nodes.js';
import type {
  AwsManifestEntry,
  AwsManifestSection,
  AzureManifestEntry,
  AzureManifestSection,
  Located,
  Manifest,
} from './types.js';

export type { ManifestProblem } from './nodes.js';

/** The most assignments one section may describe (principals × roles × targets, summed over entries). */
export const MAX_MANIFEST_ASSIGNMENTS = 20_000;
const AWS_ENTRY_KEYS = ['principal', 'principal-type', 'role', 'target'] as const;
const AZURE_ENTRY_KEYS = [...AWS_ENTRY_KEYS, 'description', 'condition', 'condition-version'] as const;

export type ManifestResult = { manifest: Manifest } | { problems: ManifestProblem[] };

export function parseManifest(path: string, source: string): ManifestResult {
  const nodes = new ManifestNodes(source);
  const top = nodes.parse();
  if (top === undefined) {
    if (nodes.problems.length === 0) nodes.add(1, 'is empty', 'start it with `version: 1`');
    return { problems: nodes.problems };
  }
  const fields = nodes.mapping(top, 'the manifest', ['version', 'aws', 'azure'], 1);
  const version = fields.get('version');
  if (!version) nodes.add(1, 'has no `version`', 'start it with `version: 1`');
  else if (nodes.text(version, 'version')?.text !== '1')
    nodes.add(version.line, '`version` must be `1`', 'this release of cloud-access reads `version: 1`');
  const awsField = fields.get('aws');
  const azureField = fields.get('azure');
  if (!awsField && !azureField) nodes.add(1, 'has neither an `aws` nor an `azure` section');
  const manifest: Manifest = {
    path,
    aws: awsField ? awsSection(nodes, awsField) : undefined,
    azure: azureField ? azureSection(nodes, azureField) : undefined,
  };
  if (nodes.problems.length > 0) return { problems: nodes.problems.sort((a, b) => a.line - b.line) };
  return { manifest };
}

/**
 * Each value of a list through one of the inputs' parsers, one value at a time so that a problem
 * gets the value's own line; the parser's `input \`x\`` becomes the manifest path.
 */
function located<T>(
  nodes: ManifestNodes,
  field: Field,
  path: string,
  parse: (problems: Problems, values: string[]) => Parsed<T>[],
): Located<T>[] {
  return nodes.list(field, path).flatMap((value) => {
    const problems = new Problems();
    const parsed = parse(problems, [value.text]);
    reportAt(nodes, problems, value.line, path);
    return parsed.map((p) => ({ written: p.written, value: p.value, line: value.line }));
  });
}

/** An input parser's problems, at `line`, naming `path` rather than the input. */
function reportAt(nodes: ManifestNodes, problems: Problems, line: number, path: string): void {
  for (const p of problems.list) {
    const message = p.message.replace(/^input `[^`]+`: /, '');
    nodes.add(line, `\`${path}\`: ${message}`, p.fix);
  }
}

function required(nodes: ManifestNodes, fields: Map<string, Field>, key: string, path: string, line: number) {
  const field = fields.get(key);
  if (!field) nodes.add(line, `\`${path}\` has no \`${key}\``);
  return field;
}

function flag(nodes: ManifestNodes, field: Field | undefined, path: string): boolean {
  if (!field) return false;
  const text = nodes.text(field, path)?.text;
  if (text === 'true' || text === 'false') return text === 'true';
  nodes.add(field.line, `\`${path}\` must be \`true\` or \`false\``);
  return false;
}

function awsSection(nodes: ManifestNodes, field: Field): AwsManifestSection {
  const fields = nodes.mapping(field.node, 'aws', ['instance-arn', 'manages', 'assignments'], field.line);
  const arnField = fields.get('instance-arn');
  const instanceArn = arnField ? nodes.text(arnField, 'aws.instance-arn')?.text : undefined;
  if (arnField && instanceArn !== undefined && !INSTANCE_ARN.test(instanceArn))
    nodes.add(
      arnField.line,
      `\`aws.instance-arn\`: \`${printable(instanceArn)}\` is not an IAM Identity Center instance ARN`,
    );
  const managesField = required(nodes, fields, 'manages', 'aws', field.line);
  // A missing `manages` is one problem, not one more for each key it lacks.
  const manages = managesField
    ? nodes.mapping(
        managesField.node,
        'aws.manages',
        ['permission-sets', 'targets', 'allow-delete-all'],
        managesField.line,
      )
    : new Map<string, Field>();
  const setsField =
    managesField && required(nodes, manages, 'permission-sets', 'aws.manages', managesField.line);
  const targetsField = manages.get('targets');
  const assignments = entries(nodes, fields.get('assignments'), 'aws', (entry, path, line) =>
    awsEntry(nodes, entry, path, line),
  );
  checkDuplicates(nodes, assignments, (e) => e.principalType);
  return {
    cloud: 'aws',
    line: field.line,
    instanceArn,
    manages: {
      line: managesField?.line ?? field.line,
      permissionSets: setsField
        ? located(nodes, setsField, 'aws.manages.permission-sets', (p, v) =>
            permissionSetRefs(p, v, false),
          ).map((l) => ({ ...l, value: l.value as Exclude<typeof l.value, '*'> }))
        : [],
      targets: targetsField
        ? located(nodes, targetsField, 'aws.manages.targets', (p, v) => accountIds(p, v, false))
        : undefined,
      allowDeleteAll: flag(nodes, manages.get('allow-delete-all'), 'aws.manages.allow-delete-all'),
    },
    assignments,
  };
}

function awsEntry(
  nodes: ManifestNodes,
  fields: Map<string, Field>,
  path: string,
  line: number,
): AwsManifestEntry {
  const typeField = fields.get('principal-type');
  const typeText = typeField ? (nodes.text(typeField, `${path}.principal-type`)?.text ?? 'USER') : 'USER';
  const problems = new Problems();
  const principalType = (
    oneOf(problems, 'principal-type', typeText, ['USER', 'GROUP'] as const, true) ?? 'USER'
  ).toUpperCase() as AwsManifestEntry['principalType'];
  reportAt(nodes, problems, typeField?.line ?? line, `${path}.principal-type`);
  const lists = listsOf(nodes, fields, path, line);
  return {
    path,
    line,
    principalType,
    principals: lists.principal ? located(nodes, lists.principal, `${path}.principal`, principalRefs) : [],
    roles: lists.role
      ? located(nodes, lists.role, `${path}.role`, (p, v) => permissionSetRefs(p, v, false)).map((l) => ({
          ...l,
          value: l.value as Exclude<typeof l.value, '*'>,
        }))
      : [],
    targets: lists.target
      ? located(nodes, lists.target, `${path}.target`, (p, v) => accountIds(p, v, false))
      : [],
  };
}

function listsOf(nodes: ManifestNodes, fields: Map<string, Field>, path: string, line: number) {
  return {
    principal: required(nodes, fields, 'principal', path, line),
    role: required(nodes, fields, 'role', path, line),
    target: required(nodes, fields, 'target', path, line),
  };
}

function azureSection(nodes: ManifestNodes, field: Field): AzureManifestSection {
  const fields = nodes.mapping(field.node, 'azure', ['manages', 'assignments'], field.line);
  const managesField = required(nodes, fields, 'manages', 'azure', field.line);
  const mLine = managesField?.line ?? field.line;
  const manages = managesField
    ? nodes.mapping(
        managesField.node,
        'azure.manages',
        ['scopes', 'mode', 'exceptions', 'allow-delete-all'],
        mLine,
      )
    : new Map<string, Field>();
  const scopesField = managesField && required(nodes, manages, 'scopes', 'azure.manages', mLine);
  const modeField = manages.get('mode');
  const modeText = modeField ? nodes.text(modeField, 'azure.manages.mode')?.text : 'ownedOnly';
  const mode = modeText === 'full' ? 'full' : 'ownedOnly';
  if (modeField && modeText !== undefined && modeText !== 'full' && modeText !== 'ownedOnly')
    nodes.add(
      modeField.line,
      `\`azure.manages.mode\`: \`${printable(modeText)}\` is not \`ownedOnly\` or \`full\``,
    );
  const exceptionsField = manages.get('exceptions');
  if (exceptionsField && mode !== 'full')
    nodes.add(
      exceptionsField.line,
      '`azure.manages.exceptions` applies to `mode: full` only',
      "`ownedOnly` deletes only assignments that carry this manifest's marker; remove `exceptions` or set `mode: full`",
    );
  const assignments = entries(nodes, fields.get('assignments'), 'azure', (entry, path, line) =>
    azureEntry(nodes, entry, path, line),
  );
  checkDuplicates(nodes, assignments, () => '');
  return {
    cloud: 'azure',
    line: field.line,
    manages: {
      line: mLine,
      scopes: scopesField ? located(nodes, scopesField, 'azure.manages.scopes', scopes) : [],
      mode,
      exceptions: exceptionsField
        ? located(nodes, exceptionsField, 'azure.manages.exceptions', roleAssignmentIds)
        : [],
      allowDeleteAll: flag(nodes, manages.get('allow-delete-all'), 'azure.manages.allow-delete-all'),
    },
    assignments,
  };
}

function azureEntry(
  nodes: ManifestNodes,
  fields: Map<string, Field>,
  path: string,
  line: number,
): AzureManifestEntry {
  const texts = new Map<string, { text: string; line: number }>();
  for (const key of ['principal-type', 'description', 'condition', 'condition-version']) {
    const field = fields.get(key);
    const value = field ? nodes.text(field, `${path}.${key}`) : undefined;
    if (value) texts.set(key, value);
  }
  const problems = new Problems();
  const typeText = texts.get('principal-type')?.text ?? 'User';
  const principalType = (oneOf(
    problems,
    'principal-type',
    typeText,
    ['User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device'] as const,
    true,
  ) ?? 'User') as AzureManifestEntry['principalType'];
  const { condition, conditionVersion } = abacCondition(problems, (name) => texts.get(name)?.text ?? '');
  const description = texts.get('description')?.text || undefined;
  if (description && description.length > 1024)
    problems.add(
      'description',
      'is longer than 1024 characters (the rest of 2048 holds the ownership marker)',
    );
  for (const p of problems.list) {
    const key = p.input ?? 'principal-type';
    nodes.add(
      texts.get(key)?.line ?? line,
      `\`${path}.${key}\`: ${p.message.replace(/^input `[^`]+`: /, '')}`,
      p.fix,
    );
  }
  const lists = listsOf(nodes, fields, path, line);
  return {
    path,
    line,
    principalType,
    principals: lists.principal ? located(nodes, lists.principal, `${path}.principal`, principalIds) : [],
    roles: lists.role ? located(nodes, lists.role, `${path}.role`, roleRefs) : [],
    targets: lists.target ? located(nodes, lists.target, `${path}.target`, scopes) : [],
    description,
    condition,
    conditionVersion,
  };
}

/** A role assignment ID: a scope, then `/providers/Microsoft.Authorization/roleAssignments/{GUID}`. */
function roleAssignmentIds(problems: Problems, values: string[]): Parsed<string>[] {
  return values.flatMap((value) => {
    const match = /^(.*)\/providers\/Microsoft\.Authorization\/roleAssignments\/([^/]+)$/i.exec(value);
    const scope = match ? parseAzureScope(match[1]!) : undefined;
    if (!match || !GUID.test(match[2]!) || scope === undefined || typeof scope === 'string') {
      problems.add(
        'exceptions',
        `\`${printable(value)}\` is not a role assignment ID`,
        'use {scope}/providers/Microsoft.Authorization/roleAssignments/{GUID}, as the portal or `az role assignment list` shows it',
      );
      return [];
    }
    return [
      {
        written: value,
        value: `${scope.scope}/providers/Microsoft.Authorization/roleAssignments/${match[2]!.toLowerCase()}`,
      },
    ];
  });
}

/** `assignments`: a list of entries, each a mapping of the inputs' keys. */
function entries<E extends { principals: unknown[]; roles: unknown[]; targets: unknown[] }>(
  nodes: ManifestNodes,
  field: Field | undefined,
  section: 'aws' | 'azure',
  read: (fields: Map<string, Field>, path: string, line: number) => E,
): E[] {
  if (!field) return [];
  if (!isSeq(field.node)) {
    nodes.add(field.line, `\`${section}.assignments\` must be a list of entries`);
    return [];
  }
  const items = field.node.items as (Node | null)[];
  const keys = section === 'aws' ? AWS_ENTRY_KEYS : AZURE_ENTRY_KEYS;
  const read_ = items.map((item, i) => {
    const path = `${section}.assignments[${i}]`;
    const line = nodes.lineOf(item, field.line);
    return read(nodes.mapping(item, path, keys, line), path, line);
  });
  const total = read_.reduce((sum, e) => sum + e.principals.length * e.roles.length * e.targets.length, 0);
  if (total > MAX_MANIFEST_ASSIGNMENTS)
    nodes.add(
      field.line,
      `\`${section}.assignments\` describes ${total} assignments; at most ${MAX_MANIFEST_ASSIGNMENTS} fit in one manifest section`,
      'split the manifest',
    );
  return read_;
}

/** The same principal, role and target written twice (in one entry or two) is an error. */
function checkDuplicates<E extends AwsManifestEntry | AzureManifestEntry>(
  nodes: ManifestNodes,
  entries: E[],
  typeOf: (entry: E) => string,
): void {
  const seen = new Map<string, string>();
  for (const entry of entries) {
    for (const p of entry.principals)
      for (const r of entry.roles)
        for (const t of entry.targets) {
          const key = [typeOf(entry), p.written, r.written, t.written.toLowerCase()].join('\n');
          const first = seen.get(key);
          if (first === undefined) {
            seen.set(key, `${entry.path} (line ${entry.line})`);
            continue;
          }
          nodes.add(
            Math.max(p.line, r.line, t.line),
            `\`${entry.path}\`: ${printable(p.written)} / ${printable(r.written)} / ${printable(t.written)} is a duplicate: ${first} has it already`,
            'write each principal, role and target once',
          );
        }
  }
}
