// The `azure.groups` of a manifest (memberships of Entra groups through PIM for groups: each
// entry's group, its members and owners, their assignment type and duration) and
// `azure.manages.groups` (the groups whose every membership the file does not list is drift), each
// value checked at its line. The same principal, access and type of one group twice is an error at
// the second. Pure.
import { isSeq, type Node } from 'yaml';
import { parseDuration, PIM_LONGEST_MS, PIM_MINIMUM_MS, type Duration } from '../duration.js';
import { groupRefs, type AzureGroupRef } from '../inputs/azure-group-refs.js';
import { principalForms } from '../inputs/azure-principals.js';
import { printable } from '../inputs/fields.js';
import { GROUP_MEMBERSHIP_TYPES } from '../kinds/azure-pim-group.js';
import { principalKey } from '../principal-forms.js';
import { located } from './fields.js';
import type { Field, ManifestNodes } from './nodes.js';
import type { AzureGroupEntry, Located } from './types.js';

export const AZURE_GROUP_ENTRY_KEYS = ['group', 'members', 'owners', 'assignment-type', 'duration'] as const;

/** The key a group is compared by in the file: its ID, or its name ignoring case (Graph's `eq` does). */
export const groupRefKey = (ref: AzureGroupRef): string => principalKey(ref);

/** `azure.manages.groups`. */
export const managedGroups = (nodes: ManifestNodes, field: Field | undefined): Located<AzureGroupRef>[] =>
  field ? located(nodes, field, 'azure.manages.groups', groupRefs) : [];

/** `azure.groups`: its entries, each checked, then the duplicates among them. */
export function groupEntries(nodes: ManifestNodes, field: Field | undefined): AzureGroupEntry[] {
  if (!field) return [];
  if (!isSeq(field.node)) {
    nodes.add(field.line, '`azure.groups` must be a list of entries');
    return [];
  }
  const read = (field.node.items as (Node | null)[]).flatMap((item, i) => {
    const path = `azure.groups[${i}]`;
    const line = nodes.lineOf(item, field.line);
    return groupEntry(nodes, nodes.mapping(item, path, AZURE_GROUP_ENTRY_KEYS, line), path, line) ?? [];
  });
  checkDuplicates(nodes, read);
  return read;
}

function groupEntry(
  nodes: ManifestNodes,
  fields: Map<string, Field>,
  path: string,
  line: number,
): AzureGroupEntry | undefined {
  const groupField = fields.get('group');
  if (!groupField) nodes.add(line, `\`${path}\` has no \`group\``);
  const group = groupField ? located(nodes, groupField, `${path}.group`, groupRefs)[0] : undefined;
  const list = (key: 'members' | 'owners') => {
    const f = fields.get(key);
    return f ? located(nodes, f, `${path}.${key}`, principalForms) : [];
  };
  const members = list('members');
  const owners = list('owners');
  if (!fields.has('members') && !fields.has('owners'))
    nodes.add(line, `\`${path}\` lists no \`members\` or \`owners\``, 'give `members`, `owners`, or both');
  const type = assignmentType(nodes, fields.get('assignment-type'), path);
  const duration = durationOf(nodes, fields.get('duration'), path);
  if (!group) return undefined;
  return { path, line, group, members, owners, type, duration };
}

function assignmentType(
  nodes: ManifestNodes,
  field: Field | undefined,
  path: string,
): AzureGroupEntry['type'] {
  const value = field && nodes.text(field, `${path}.assignment-type`);
  if (!value) return 'active';
  if ((GROUP_MEMBERSHIP_TYPES as readonly string[]).includes(value.text))
    return value.text as AzureGroupEntry['type'];
  nodes.add(
    value.line,
    `\`${path}.assignment-type\`: \`${printable(value.text)}\` is not \`active\` or \`eligible\``,
    'write `active` (the default) or `eligible`',
  );
  return 'active';
}

function durationOf(nodes: ManifestNodes, field: Field | undefined, path: string): Duration | undefined {
  const value = field && nodes.text(field, `${path}.duration`);
  if (!value) return undefined;
  const parsed = parseDuration(value.text);
  const at = `\`${path}.duration\`: \`${printable(value.text)}\``;
  if (typeof parsed === 'string') return nodes.add(value.line, `${at} ${parsed}`);
  if (parsed.ms < PIM_MINIMUM_MS || parsed.ms > PIM_LONGEST_MS)
    return nodes.add(value.line, `${at} is not between 5 minutes and a year`, 'use `PT5M` to `P365D`');
  return parsed;
}

/** One principal with one access of one type in one group, twice: an error at the second. */
function checkDuplicates(nodes: ManifestNodes, entries: AzureGroupEntry[]): void {
  const seen = new Map<string, string>();
  for (const entry of entries)
    for (const [access, principals] of [
      ['member', entry.members],
      ['owner', entry.owners],
    ] as const)
      for (const p of principals) {
        const key = [entry.type, access, groupRefKey(entry.group.value), principalKey(p.value)].join('\n');
        const first = seen.get(key);
        if (first === undefined) {
          seen.set(key, `${entry.path} (line ${entry.line})`);
          continue;
        }
        nodes.add(
          p.line,
          `\`${entry.path}\`: ${printable(p.written)} as ${entry.type} ${access} of ${printable(entry.group.written)} is a duplicate: ${first} has it already`,
          'write each principal once per group, access and assignment type',
        );
      }
}
