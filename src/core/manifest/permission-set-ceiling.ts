// A permission set's ceiling as the manifest writes it: `must-not-grant` (a set's, or
// `aws.must-not-grant` for every defined set), `{actions, resources}` entries added to the default
// privilege-escalation list, and a set's `allow-escalation`, `{actions, reason}` entries (an action,
// or a ValidatePolicy finding's issue code), each checked at its line
// (core/permission-sets/ceiling.ts says what they do). Pure.
import { isSeq, type Node } from 'yaml';
import { printable } from '../inputs/fields.js';
import type { CeilingEntry, EscalationAllowance } from '../permission-sets/ceiling.js';
import type { Field, ManifestNodes } from './nodes.js';

/** A set's own `must-not-grant` and `allow-escalation`, each when written. */
export function ceilingOfEntry(nodes: ManifestNodes, fields: Map<string, Field>, path: string) {
  const own = mustNotGrant(nodes, fields.get('must-not-grant'), `${path}.must-not-grant`);
  const allowed = allowEscalation(nodes, fields.get('allow-escalation'), `${path}.allow-escalation`);
  return {
    ...(own.length > 0 ? { mustNotGrant: own } : {}),
    ...(allowed.length > 0 ? { allowEscalation: allowed } : {}),
  };
}

/** An IAM action as a policy names it (`iam:PassRole`, `s3:Get*`, `*`). */
const ACTION = /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;
/** A ValidatePolicy finding's issue code (`PASS_ROLE_WITH_STAR_IN_RESOURCE`). */
const ISSUE_CODE = /^[A-Z][A-Z0-9_]+$/;

/** Each entry of a list of mappings, with its path and line. */
function eachEntry(
  nodes: ManifestNodes,
  field: Field,
  path: string,
  keys: readonly string[],
  read: (fields: Map<string, Field>, itemPath: string, line: number) => void,
): void {
  if (!isSeq(field.node)) {
    nodes.add(field.line, `\`${path}\` must be a list of \`{actions: [...], …}\``);
    return;
  }
  (field.node.items as (Node | null)[]).forEach((item, index) => {
    const itemPath = `${path}[${index}]`;
    const line = nodes.lineOf(item, field.line);
    read(nodes.mapping(item, itemPath, keys, line), itemPath, line);
  });
}

function actionsAt(
  nodes: ManifestNodes,
  fields: Map<string, Field>,
  path: string,
  line: number,
  allowIssueCodes: boolean,
): string[] {
  const field = fields.get('actions');
  if (!field)
    return nodes.add(line, `\`${path}\` has no \`actions\``, 'write `actions: [iam:PassRole]`') ?? [];
  return nodes.list(field, `${path}.actions`).flatMap((value) => {
    if (ACTION.test(value.text) || (allowIssueCodes && ISSUE_CODE.test(value.text))) return [value.text];
    nodes.add(
      value.line,
      `\`${path}.actions\`: \`${printable(value.text)}\` is not an IAM action${allowIssueCodes ? ' or a finding’s issue code' : ''}`,
      allowIssueCodes
        ? 'write `service:Action` (globs `*` and `?` allowed), or an issue code such as `PASS_ROLE_WITH_STAR_IN_RESOURCE`'
        : 'write `service:Action` (globs `*` and `?` allowed)',
    );
    return [];
  });
}

/**
 * `must-not-grant` (a set's, or `aws.must-not-grant` for every defined set): `{actions, resources}`
 * entries, resources `*` when none are named; they add to the default privilege-escalation list.
 */
export function mustNotGrant(nodes: ManifestNodes, field: Field | undefined, path: string): CeilingEntry[] {
  if (!field) return [];
  const entries: CeilingEntry[] = [];
  eachEntry(nodes, field, path, ['actions', 'resources'], (fields, itemPath, line) => {
    const actions = actionsAt(nodes, fields, itemPath, line, false);
    const resourcesField = fields.get('resources');
    const resources = resourcesField
      ? nodes.list(resourcesField, `${itemPath}.resources`).map((v) => v.text)
      : ['*'];
    if (actions.length > 0) entries.push({ actions, resources, line });
  });
  return entries;
}

/** `allow-escalation`: `{actions, reason}` entries, the reason required (the plan shows it). */
function allowEscalation(
  nodes: ManifestNodes,
  field: Field | undefined,
  path: string,
): EscalationAllowance[] {
  if (!field) return [];
  const entries: EscalationAllowance[] = [];
  eachEntry(nodes, field, path, ['actions', 'reason'], (fields, itemPath, line) => {
    const actions = actionsAt(nodes, fields, itemPath, line, true);
    const reasonField = fields.get('reason');
    const reason = reasonField ? nodes.text(reasonField, `${itemPath}.reason`)?.text : undefined;
    if (!reasonField)
      nodes.add(
        line,
        `\`${itemPath}\` has no \`reason\``,
        'say why the set may allow it: the plan shows the reason',
      );
    if (actions.length > 0 && reason) entries.push({ actions, reason, line });
  });
  return entries;
}
