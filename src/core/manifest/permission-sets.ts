// The `aws.permission-sets` list of a manifest: each entry's keys read at their lines and each value
// checked by core/permission-sets/ before any request, so a value the service would refuse midway
// through an apply is an error at the line a user fixes. An inline policy's file is named here and
// read by the step; its text is checked once read (core/permission-sets/definition.ts). Pure.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import {
  awsManagedPolicy,
  customerPolicy,
  description,
  MAX_POLICIES,
  permissionSetName,
  relayState,
  sessionDuration,
  tags,
  type CustomerPolicyRef,
  type PermissionsBoundary,
} from '../permission-sets/fields.js';
import { ceilingAction, type CeilingEntry } from '../permission-sets/ceiling.js';
import type {
  InlinePolicyRef,
  PermissionSetDefinition,
  PermissionSetsSection,
} from '../permission-sets/definition.js';
import { inlinePolicySource } from '../permission-sets/inline-policy.js';
import { jsonPolicyLines, policyPathKey } from '../permission-sets/policy-lines.js';
import { policyCountWarning } from '../permission-sets/plan.js';
import { checkedAt, keptOnce, nameWithPath, textPairs } from './checked-values.js';
import { flag } from './fields.js';
import type { Field, ManifestNodes } from './nodes.js';

export const PERMISSION_SET_KEYS = [
  'name',
  'description',
  'session-duration',
  'relay-state',
  'aws-managed-policies',
  'customer-managed-policies',
  'inline-policy',
  'permissions-boundary',
  'tags',
  'adopt',
  'must-not-grant',
  'allow-escalation',
] as const;

export function permissionSetsSection(
  nodes: ManifestNodes,
  field: Field,
  manifestPath: string,
): PermissionSetsSection {
  const section: PermissionSetsSection = {
    line: field.line,
    definitions: [],
    warnings: [],
    inlinePolicies: [],
  };
  if (!isSeq(field.node)) {
    nodes.add(
      field.line,
      '`aws.permission-sets` must be a list of permission sets',
      'write `- name: …` entries',
    );
    return section;
  }
  const seen = new Map<string, number>();
  (field.node.items as (Node | null)[]).forEach((item, index) => {
    const path = `aws.permission-sets[${index}]`;
    const line = nodes.lineOf(item, field.line);
    const definition = entry(
      nodes,
      nodes.mapping(item, path, PERMISSION_SET_KEYS, line),
      { path, line, manifestPath },
      section.inlinePolicies,
    );
    if (!definition) return;
    // Names are compared ignoring case: IAM role names, which each set becomes, are.
    const first = seen.get(definition.name.toLowerCase());
    if (first !== undefined) {
      nodes.add(
        line,
        `\`${path}\` defines \`${definition.name}\` again (first at line ${first})`,
        'define each permission set once',
      );
      return;
    }
    seen.set(definition.name.toLowerCase(), line);
    const count = definition.awsManagedPolicies.length + definition.customerManagedPolicies.length;
    if (count > MAX_POLICIES)
      nodes.add(
        line,
        `\`${path}\` attaches ${count} managed and customer-managed policies; a permission set takes at most ${MAX_POLICIES}`,
        'merge policies, or move statements into the inline policy',
      );
    const warning = policyCountWarning(count);
    if (warning) section.warnings.push({ line, message: `\`${path}\` ${warning}` });
    section.definitions.push(definition);
  });
  return section;
}

/**
 * One entry, or undefined with its problems added; its inline policy's source goes to
 * `inlinePolicies` whatever else is wrong, so the step checks it in the same run.
 */
function entry(
  nodes: ManifestNodes,
  fields: Map<string, Field>,
  { path, line, manifestPath }: { path: string; line: number; manifestPath: string },
  inlinePolicies: InlinePolicyRef[],
): PermissionSetDefinition | undefined {
  const before = nodes.problems.length;
  const awsManagedLines: Record<string, number> = {};
  const inlinePolicy = inline(nodes, fields.get('inline-policy'), `${path}.inline-policy`, manifestPath);
  if (inlinePolicy) inlinePolicies.push({ path, ...inlinePolicy });
  const text = (key: string) => {
    const f = fields.get(key);
    const value = f ? nodes.text(f, `${path}.${key}`) : undefined;
    return value ? { ...value, path: `${path}.${key}` } : undefined;
  };
  const nameText = text('name');
  if (!fields.has('name')) nodes.add(line, `\`${path}\` has no \`name\``);
  const name = nameText && checkedAt(nodes, permissionSetName(nameText.text), nameText.line, nameText.path);
  const desc = text('description');
  const duration = text('session-duration');
  const relay = text('relay-state');
  const minutes = duration
    ? checkedAt(nodes, sessionDuration(duration.text), duration.line, duration.path)?.minutes
    : 60;
  const definition: PermissionSetDefinition = {
    path,
    line,
    name: name ?? '',
    description: desc && checkedAt(nodes, description(desc.text), desc.line, desc.path),
    sessionMinutes: minutes ?? 60,
    relayState: relay && checkedAt(nodes, relayState(relay.text), relay.line, relay.path),
    awsManagedPolicies: awsManaged(
      nodes,
      fields.get('aws-managed-policies'),
      `${path}.aws-managed-policies`,
      awsManagedLines,
    ),
    customerManagedPolicies: customerManaged(
      nodes,
      fields.get('customer-managed-policies'),
      `${path}.customer-managed-policies`,
    ),
    inlinePolicy,
    permissionsBoundary: boundary(
      nodes,
      fields.get('permissions-boundary'),
      `${path}.permissions-boundary`,
      awsManagedLines,
    ),
    tags: tagMap(nodes, fields.get('tags'), `${path}.tags`),
    adopt: flag(nodes, fields.get('adopt'), `${path}.adopt`),
    awsManagedLines,
    ...ceilingOfEntry(nodes, fields, path),
  };
  return nodes.problems.length === before ? definition : undefined;
}

function awsManaged(
  nodes: ManifestNodes,
  field: Field | undefined,
  path: string,
  lines: Record<string, number>,
): string[] {
  if (!field) return [];
  const arns = keptOnce<string>(nodes, (arn) => arn);
  for (const value of nodes.list(field, path)) {
    const arn = checkedAt(nodes, awsManagedPolicy(value.text), value.line, path);
    if (arn !== undefined) lines[arn] ??= value.line;
    arns.keep(arn, value.line, path);
  }
  return arns.kept();
}

/** `{name, path?}` (path `/` by default), or the name alone. */
function policyRef(
  nodes: ManifestNodes,
  node: Node | null,
  path: string,
  line: number,
): CustomerPolicyRef | undefined {
  const ref = nameWithPath(nodes, node, path, line);
  return ref && checkedAt(nodes, customerPolicy(ref.name.text, ref.path ?? '/'), ref.name.line, path);
}

function customerManaged(nodes: ManifestNodes, field: Field | undefined, path: string): CustomerPolicyRef[] {
  if (!field) return [];
  const items = isSeq(field.node) ? (field.node.items as (Node | null)[]) : [field.node];
  // A name holds no `/` and a path ends with one: the two written together are one reference.
  const refs = keptOnce<CustomerPolicyRef>(nodes, (ref) => `${ref.path}${ref.name}`);
  items.forEach((item, index) => {
    const line = nodes.lineOf(item, field.line);
    const itemPath = `${path}[${index}]`;
    refs.keep(policyRef(nodes, item, itemPath, line), line, itemPath);
  });
  return refs.kept();
}

/** A file beside the manifest or the JSON itself: as text, or as YAML's mapping of it (`{"Version": …}`). */
function inline(
  nodes: ManifestNodes,
  field: Field | undefined,
  path: string,
  manifestPath: string,
): PermissionSetDefinition['inlinePolicy'] {
  if (!field) return undefined;
  const line = nodes.lineOf(field.node, field.line);
  if (isMap(field.node))
    return {
      source: { kind: 'json', text: JSON.stringify(field.node.toJSON()) },
      line,
      lines: nodes.linesUnder(field.node, line, policyPathKey),
    };
  const written = nodes.text(field, path);
  if (!written) return undefined;
  const source = checkedAt(nodes, inlinePolicySource(written.text, manifestPath), written.line, path);
  if (!source) return undefined;
  // JSON in a block literal (`inline-policy: |`) keeps its lines: the first is the one after `|`.
  const node = field.node;
  if (
    source.kind === 'json' &&
    isScalar(node) &&
    node.type === 'BLOCK_LITERAL' &&
    typeof node.value === 'string'
  ) {
    const blank = (/^\s*\n/.exec(node.value)?.[0] ?? '').split('\n').length - 1;
    return { source, line: written.line, lines: jsonPolicyLines(source.text, written.line + 1 + blank) };
  }
  return { source, line: written.line };
}

function boundary(
  nodes: ManifestNodes,
  field: Field | undefined,
  path: string,
  lines: Record<string, number>,
): PermissionsBoundary | undefined {
  if (!field) return undefined;
  const fields = nodes.mapping(field.node, path, ['aws-managed', 'customer-managed'], field.line);
  const aws = fields.get('aws-managed');
  const customer = fields.get('customer-managed');
  if ((aws === undefined) === (customer === undefined))
    return nodes.add(field.line, `\`${path}\` must name one policy: \`aws-managed\` or \`customer-managed\``);
  if (aws) {
    const value = nodes.text(aws, `${path}.aws-managed`);
    const arn = value && checkedAt(nodes, awsManagedPolicy(value.text), value.line, `${path}.aws-managed`);
    if (arn !== undefined) lines[arn] ??= value!.line;
    return arn === undefined ? undefined : { kind: 'aws-managed', arn };
  }
  const policy = policyRef(nodes, customer!.node, `${path}.customer-managed`, customer!.line);
  return policy && { kind: 'customer-managed', policy };
}

/** The set's tags, whose values may be empty. */
function tagMap(nodes: ManifestNodes, field: Field | undefined, path: string): Record<string, string> {
  if (!field) return {};
  const entries = textPairs(nodes, field, path, 'tag keys');
  return (entries && checkedAt(nodes, tags(entries), field.line, path)) ?? {};
}

/** A set's own `must-not-grant` and `allow-escalation` (core/permission-sets/ceiling.ts), each when written. */
function ceilingOfEntry(nodes: ManifestNodes, fields: Map<string, Field>, path: string) {
  const own = mustNotGrant(nodes, fields.get('must-not-grant'), `${path}.must-not-grant`);
  const allowed = ceilingEntries(nodes, fields.get('allow-escalation'), `${path}.allow-escalation`, 'reason');
  const allowEscalation = allowed.flatMap(({ actions, values, line }) =>
    values[0] ? [{ actions, reason: values[0], line }] : [],
  );
  return {
    ...(own.length > 0 ? { mustNotGrant: own } : {}),
    ...(allowEscalation.length > 0 ? { allowEscalation } : {}),
  };
}

/**
 * `must-not-grant` (a set's, or `aws.must-not-grant` for every defined set): `{actions, resources}`
 * entries, resources `*` when none are named; they add to the default privilege-escalation list.
 */
export const mustNotGrant = (nodes: ManifestNodes, field: Field | undefined, path: string): CeilingEntry[] =>
  ceilingEntries(nodes, field, path, 'resources').map(({ actions, values, line }) => ({
    actions,
    resources: values.length > 0 ? values : ['*'],
    line,
  }));

/** Each `{actions, <other>}` entry of a ceiling's list, its actions checked; `reason` is required. */
function ceilingEntries(
  nodes: ManifestNodes,
  field: Field | undefined,
  path: string,
  other: 'resources' | 'reason',
) {
  if (!field) return [];
  if (!isSeq(field.node))
    return nodes.add(field.line, `\`${path}\` must be a list of \`{actions: [...], ${other}: …}\``) ?? [];
  return (field.node.items as (Node | null)[]).flatMap((item, index) => {
    const at = `${path}[${index}]`;
    const line = nodes.lineOf(item, field.line);
    const fields = nodes.mapping(item, at, ['actions', other], line);
    const actionsField = fields.get('actions');
    if (!actionsField) return nodes.add(line, `\`${at}\` has no \`actions\``) ?? [];
    const actions = nodes.list(actionsField, `${at}.actions`).flatMap((v): string[] => {
      const action = checkedAt(nodes, ceilingAction(v.text, other === 'reason'), v.line, `${at}.actions`);
      return action === undefined ? [] : [action];
    });
    const otherField = fields.get(other);
    if (!otherField && other === 'reason')
      nodes.add(
        line,
        `\`${at}\` has no \`reason\``,
        'say why the set may allow it: the plan shows the reason',
      );
    const values = otherField ? nodes.list(otherField, `${at}.${other}`).map((v) => v.text) : [];
    return actions.length > 0 ? [{ actions, values, line }] : [];
  });
}
