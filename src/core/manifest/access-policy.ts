// The access policy `operation: request` is judged by (`version: 1`: `people` and `rules`), read as
// a manifest is: every problem at once, each at its line, unknown keys named. Whoever may ask is
// matched by GitHub account ID (`github-id`, the OIDC token's `actor_id`): a login can be renamed
// or reused, so `github` is a label for reading and for a rule's `who`, never matched against the
// run. A rule is read by ./policy-rule.ts; here, the people and what holds across both. Pure.
import { isSeq, type Node } from 'yaml';
import { printable } from '../inputs/fields.js';
import { GUID } from '../patterns.js';
import { ManifestNodes, type Field, type ManifestProblem } from './nodes.js';
import { labelProblem } from './policy-label.js';
import { type PolicyRule, rule } from './policy-rule.js';

export interface PolicyPerson {
  githubId: string;
  /** A label, for reading and for `who`. */
  github: string | undefined;
  /** Identity Store user ID. */
  aws: string | undefined;
  /** Entra object ID. */
  azure: string | undefined;
  line: number;
}

export interface AccessPolicy {
  people: PolicyPerson[];
  rules: PolicyRule[];
}

/** The policy's keys: at its top, of each person, of each rule (docs/request.md's table names each). */
export const POLICY_KEYS = ['version', 'people', 'rules'] as const;
export const PERSON_KEYS = ['github-id', 'github', 'aws', 'azure'] as const;

export function parseAccessPolicy(
  source: string,
): { policy: AccessPolicy } | { problems: ManifestProblem[] } {
  const nodes = new ManifestNodes(source);
  const top = nodes.parse();
  if (top === undefined) {
    if (nodes.problems.length === 0) nodes.add(1, 'is empty', 'start it with `version: 1`');
    return { problems: nodes.problems };
  }
  const fields = nodes.mapping(top, 'the policy', POLICY_KEYS, 1);
  const version = fields.get('version');
  if (!version) nodes.add(1, 'has no `version`', 'start it with `version: 1`');
  else if (nodes.text(version, 'version')?.text !== '1')
    nodes.add(version.line, '`version` must be `1`', 'this release of cloud-access reads `version: 1`');
  const people = itemsOf(nodes, fields.get('people'), 'people').flatMap((f) => person(nodes, f) ?? []);
  const rules = itemsOf(nodes, fields.get('rules'), 'rules').flatMap((f) => rule(nodes, f) ?? []);
  crossCheck(nodes, people, rules);
  if (nodes.problems.length > 0) return { problems: nodes.problems.sort((a, b) => a.line - b.line) };
  return { policy: { people, rules } };
}

function itemsOf(nodes: ManifestNodes, field: Field | undefined, key: string): Field[] {
  if (!field) return nodes.add(1, `has no \`${key}\``, `add \`${key}:\` with a list`) ?? [];
  if (!isSeq(field.node)) return nodes.add(field.line, `\`${key}\` must be a list`) ?? [];
  return (field.node.items as (Node | null)[]).map((node) => ({
    key,
    line: nodes.lineOf(node, field.line),
    node,
  }));
}

function optionalText(nodes: ManifestNodes, fields: Map<string, Field>, key: string, path: string) {
  const field = fields.get(key);
  return field ? nodes.text(field, `${path}.${key}`) : undefined;
}

function person(nodes: ManifestNodes, item: Field): PolicyPerson | undefined {
  const fields = nodes.mapping(item.node, 'people[]', PERSON_KEYS, item.line);
  const id = optionalText(nodes, fields, 'github-id', 'people[]');
  if (!fields.has('github-id'))
    return nodes.add(
      item.line,
      'a person has no `github-id`',
      'add the numeric GitHub account ID (`gh api users/<login> --jq .id`)',
    );
  if (!id) return undefined;
  if (!/^[1-9][0-9]{0,19}$/.test(id.text))
    return nodes.add(
      id.line,
      `\`github-id\` \`${printable(id.text)}\` is not a GitHub account ID (digits)`,
      'write the numeric ID: `gh api users/<login> --jq .id`',
    );
  const written = optionalText(nodes, fields, 'github', 'people[]');
  const github = written && !labelProblem(nodes, written, 'people[].github') ? written : undefined;
  const aws = optionalText(nodes, fields, 'aws', 'people[]');
  const azure = optionalText(nodes, fields, 'azure', 'people[]');
  if (
    aws &&
    !/^(?:[0-9a-f]{10}-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(aws.text)
  )
    nodes.add(
      aws.line,
      `\`aws\` \`${printable(aws.text)}\` is not an Identity Store user ID`,
      'write the user ID from IAM Identity Center (Users → the user → User ID)',
    );
  if (azure && !GUID.test(azure.text))
    nodes.add(
      azure.line,
      `\`azure\` \`${printable(azure.text)}\` is not an Entra object ID (a GUID)`,
      "write the user's object ID",
    );
  return {
    githubId: id.text,
    github: github?.text,
    aws: aws?.text,
    azure: azure?.text?.toLowerCase(),
    line: item.line,
  };
}

/**
 * Names are unique, each cloud identity is one person's, and every label a rule uses is a
 * person's (or, in `who`, a bot's login).
 */
function crossCheck(nodes: ManifestNodes, people: PolicyPerson[], rules: PolicyRule[]): void {
  const ids = new Set<string>();
  const labels = new Set<string>();
  const identities = new Map<string, PolicyPerson>();
  const labelOf = (p: PolicyPerson) => p.github ?? `#${p.githubId}`;
  for (const p of people) {
    if (ids.has(p.githubId))
      nodes.add(p.line, `\`github-id\` ${p.githubId} is listed twice`, 'list each person once');
    ids.add(p.githubId);
    for (const cloud of ['aws', 'azure'] as const) {
      const identity = p[cloud]?.toLowerCase();
      if (identity === undefined) continue;
      const first = identities.get(`${cloud}:${identity}`);
      // One cloud identity for two people: whoever of them asks is granted as both.
      if (first)
        nodes.add(
          p.line,
          `\`${printable(labelOf(p))}\` has the same \`${cloud}\` identity as \`${printable(labelOf(first))}\` (line ${first.line}): ${printable(p[cloud]!)}`,
          'map each person to their own cloud identity',
        );
      else identities.set(`${cloud}:${identity}`, p);
    }
    if (p.github !== undefined) {
      if (labels.has(p.github.toLowerCase()))
        nodes.add(
          p.line,
          `the label \`${printable(p.github)}\` is given to two people`,
          'give each person their own label',
        );
      labels.add(p.github.toLowerCase());
    }
  }
  const names = new Set<string>();
  for (const r of rules) {
    if (names.has(r.name))
      nodes.add(r.line, `the rule \`${printable(r.name)}\` is defined twice`, 'give each rule its own name');
    names.add(r.name);
    for (const [key, list] of [
      ['who', r.who],
      ['approvers', r.approvers],
    ] as const)
      for (const label of list)
        if (!labels.has(label.toLowerCase()))
          nodes.add(
            r.line,
            `rule \`${printable(r.name)}\`: \`${key}\` names \`${printable(label)}\`, who is not in \`people\``,
            'add them to `people` with their `github-id`, or remove the name',
          );
  }
}
