// The policies a `aws.permission-sets` entry names (./permission-sets.ts): AWS-managed ARNs,
// customer-managed references (`{name, path?}` or the name alone), the inline policy (a file beside
// the manifest or the JSON itself) and the permissions boundary, each checked at its line by
// core/permission-sets/ before any request. Pure.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import {
  awsManagedPolicy,
  customerPolicy,
  type CustomerPolicyRef,
  type PermissionsBoundary,
} from '../permission-sets/fields.js';
import type { PermissionSetDefinition } from '../permission-sets/definition.js';
import { inlinePolicySource } from '../permission-sets/inline-policy.js';
import { jsonPolicyLines, policyPathKey } from '../permission-sets/policy-lines.js';
import { checkedAt, keptOnce, nameWithPath } from './checked-values.js';
import type { Field, ManifestNodes } from './nodes.js';

export function managedPolicyArnsAt(
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

export function customerPolicyRefsAt(
  nodes: ManifestNodes,
  field: Field | undefined,
  path: string,
): CustomerPolicyRef[] {
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
export function inlinePolicyAt(
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

export function boundaryPolicyAt(
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
