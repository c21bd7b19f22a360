// An access policy's rule (./access-policy.ts reads the file): who may ask for which roles at which
// targets, for how long at most, with which environment's approval, and how long a request may
// wait. Each key read at its line; a label's shape (./policy-label.ts) and a group target's form
// (core/inputs/azure-groups.ts) checked as written. Pure.
import { parseDuration } from '../duration.js';
import { printable } from '../inputs/fields.js';
import { groupTargetProblems } from '../inputs/azure-groups.js';
import type { Field, ManifestNodes } from './nodes.js';
import { labelProblem } from './policy-label.js';

/** GitHub ends every workflow run within 35 days: no grant or wait of a request is longer. */
export const MAX_POLICY_MS = 35 * 24 * 3_600_000;
/** A rule's `request-expiry` when it names none: a run older than this is stale. */
export const DEFAULT_REQUEST_EXPIRY_MS = 8 * 3_600_000;

export interface PolicyRule {
  name: string;
  cloud: 'aws' | 'azure';
  /** People by label (`github`); a bot only when its label (`name[bot]`) is listed. */
  who: string[];
  roles: string[];
  targets: string[];
  maxDurationMs: number;
  justificationRequired: boolean;
  environment: string;
  /** Labels; empty: anyone but the requester. */
  approvers: string[];
  requestExpiryMs: number;
  line: number;
}

/** A rule's keys (docs/request.md's table names each). */
export const RULE_KEYS = [
  'name',
  'cloud',
  'who',
  'role',
  'target',
  'max-duration',
  'justification',
  'environment',
  'approvers',
  'request-expiry',
] as const;

/** A rule's duration (`max-duration`, `request-expiry`) in milliseconds, past zero and within 35 days. */
function duration(
  nodes: ManifestNodes,
  key: string,
  text: { text: string; line: number } | undefined,
): number | undefined {
  if (!text) return undefined;
  const parsed = parseDuration(text.text);
  if (typeof parsed === 'string')
    return nodes.add(text.line, `\`${key}\` \`${printable(text.text)}\` ${parsed}`);
  if (parsed.ms <= 0) return nodes.add(text.line, `\`${key}\` must be longer than zero`);
  if (parsed.ms > MAX_POLICY_MS)
    return nodes.add(
      text.line,
      `\`${key}\` ${parsed.iso} is past 35 days`,
      'GitHub ends every workflow run within 35 days: write at most `35d`',
    );
  return parsed.ms;
}

/** One rule, or undefined with its problems added; its labels' and targets' shapes checked. */
export function rule(nodes: ManifestNodes, item: Field): PolicyRule | undefined {
  const fields = nodes.mapping(item.node, 'rules[]', RULE_KEYS, item.line);
  const path = 'rules[]';
  const text = (key: string) => {
    const field = fields.get(key);
    return field ? nodes.text(field, `${path}.${key}`) : undefined;
  };
  for (const key of ['name', 'cloud', 'who', 'role', 'target', 'environment', 'max-duration'])
    if (!fields.has(key)) nodes.add(item.line, `a rule has no \`${key}\``, `add \`${key}:\` to the rule`);
  const name = text('name');
  const cloud = text('cloud');
  if (cloud && cloud.text !== 'aws' && cloud.text !== 'azure')
    nodes.add(cloud.line, `\`cloud\` \`${printable(cloud.text)}\` is neither \`aws\` nor \`azure\``);
  const located = new Map(
    ['who', 'role', 'target', 'approvers'].map((key) => {
      const field = fields.get(key);
      return [key, field ? nodes.list(field, `${path}.${key}`) : []] as const;
    }),
  );
  const list = (key: string) => {
    const labels = key === 'who' || key === 'approvers';
    const values = located.get(key)!;
    return values.flatMap((v) => (labels && labelProblem(nodes, v, `${path}.${key}`) ? [] : [v.text]));
  };
  groupTargetProblems(
    (line, message, fix) => nodes.add(line, message, fix),
    cloud?.text,
    located.get('target')!,
    located.get('role')!,
  );
  const justification = text('justification');
  if (justification && !['required', 'optional'].includes(justification.text))
    nodes.add(justification.line, '`justification` must be `required` or `optional`');
  const environment = text('environment');
  const maxDurationMs = duration(nodes, 'max-duration', text('max-duration'));
  const requestExpiryMs =
    duration(nodes, 'request-expiry', text('request-expiry')) ?? DEFAULT_REQUEST_EXPIRY_MS;
  const [who, roles, targets, approvers] = ['who', 'role', 'target', 'approvers'].map(list) as [
    string[],
    string[],
    string[],
    string[],
  ];
  if (!name || !cloud || !environment || maxDurationMs === undefined) return undefined;
  return {
    name: name.text,
    cloud: cloud.text === 'aws' ? 'aws' : 'azure',
    who,
    roles,
    targets,
    maxDurationMs,
    justificationRequired: justification?.text === 'required',
    environment: environment.text,
    approvers,
    requestExpiryMs,
    line: item.line,
  };
}
