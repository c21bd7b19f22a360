// The `aws.permission-sets` list of a manifest: each entry's keys read at their lines and each value
// checked by core/permission-sets/ before any request, so a value the service would refuse midway
// through an apply is an error at the line a user fixes. An inline policy's file is named here and
// read by the step; its text is checked once read (core/permission-sets/definition.ts). Pure.
import { isSeq, type Node } from 'yaml';
import {
  description,
  MAX_POLICIES,
  permissionSetName,
  relayState,
  sessionDuration,
  tags,
} from '../permission-sets/fields.js';
import { ceilingAction, type CeilingEntry } from '../permission-sets/ceiling.js';
import type {
  InlinePolicyRef,
  PermissionSetDefinition,
  PermissionSetsSection,
} from '../permission-sets/definition.js';
import { policyCountWarning } from '../permission-sets/plan.js';
import { checkedAt, textPairs } from './checked-values.js';
import {
  boundaryPolicyAt,
  customerPolicyRefsAt,
  inlinePolicyAt,
  managedPolicyArnsAt,
} from './permission-set-policies.js';
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
  const inlinePolicy = inlinePolicyAt(
    nodes,
    fields.get('inline-policy'),
    `${path}.inline-policy`,
    manifestPath,
  );
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
    awsManagedPolicies: managedPolicyArnsAt(
      nodes,
      fields.get('aws-managed-policies'),
      `${path}.aws-managed-policies`,
      awsManagedLines,
    ),
    customerManagedPolicies: customerPolicyRefsAt(
      nodes,
      fields.get('customer-managed-policies'),
      `${path}.customer-managed-policies`,
    ),
    inlinePolicy,
    permissionsBoundary: boundaryPolicyAt(
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
