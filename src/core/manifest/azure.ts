// The `azure` section of a manifest: the managed scopes, the mode (`ownedOnly` or `full`) and its
// exceptions, and its entries, each value checked by the Azure inputs' parsers. Pure.
import { assignmentIdOf, atOrUnder, parseAzureScope } from '../azure-scope.js';
import { parseDuration, PIM_LONGEST_MS, PIM_MINIMUM_MS, type Duration } from '../duration.js';
import { abacCondition, roleRefs, scopes } from '../inputs/azure-values.js';
import { principalForms } from '../inputs/azure-principals.js';
import { oneOf, printable, Problems } from '../inputs/fields.js';
import type { Parsed } from '../inputs/grants.js';
import { manifestKind, manifestTypes } from '../kinds/index.js';
import { GUID } from '../patterns.js';
import { AZURE_PARTS } from './azure-parts.js';
import { groupEntries, managedGroups } from './azure-groups.js';
import { checkAssignments, entries, flag, listsOf, located, required } from './fields.js';
import type { ManifestNodes, Field } from './nodes.js';
import type { AzureManifestEntry, AzureManifestSection } from './types.js';

export function azureSection(nodes: ManifestNodes, field: Field): AzureManifestSection {
  const fields = nodes.mapping(field.node, 'azure', AZURE_PARTS.keys(), field.line);
  const managesField = required(nodes, fields, 'manages', 'azure', field.line);
  const mLine = managesField?.line ?? field.line;
  const manages = managesField
    ? nodes.mapping(
        managesField.node,
        'azure.manages',
        ['scopes', 'groups', 'mode', 'exceptions', 'allow-delete-all'],
        mLine,
      )
    : new Map<string, Field>();
  // A section manages scopes (role assignments), groups (PIM for groups' memberships), or both.
  const scopesField = manages.get('scopes');
  if (managesField && !scopesField && !manages.has('groups'))
    nodes.add(
      mLine,
      '`azure.manages` has neither `scopes` nor `groups`',
      'list the scopes or the groups the section manages',
    );
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
  // An eligibility is another grant than an active assignment of one principal, role and target.
  checkAssignments(nodes, assignments, 'azure', (entry) => entry.type);
  const managedScopes = scopesField ? located(nodes, scopesField, 'azure.manages.scopes', scopes) : [];
  const exceptions = exceptionsField
    ? located(nodes, exceptionsField, 'azure.manages.exceptions', roleAssignmentIds)
    : [];
  // An exception outside the scopes protects nothing the section manages: most likely a mistyped
  // ID, and the assignment it meant is deleted. (One that matches no assignment under the scopes
  // is found once they are read, azure/reconcile.ts.)
  for (const exception of exceptions)
    if (managedScopes.length > 0 && !managedScopes.some((s) => atOrUnder(exception.value, s.value.scope)))
      nodes.add(
        exception.line,
        `\`azure.manages.exceptions\`: \`${printable(exception.written)}\` is not at or under any of \`azure.manages.scopes\``,
        'an exception keeps an assignment the section manages: check the ID, or the scopes',
      );
  const parts = AZURE_PARTS.partsOf(nodes, fields);
  return {
    cloud: 'azure',
    line: field.line,
    manages: {
      line: mLine,
      scopes: managedScopes,
      mode,
      exceptions,
      allowDeleteAll: flag(nodes, manages.get('allow-delete-all'), 'azure.manages.allow-delete-all'),
      groups: managedGroups(nodes, manages.get('groups')),
    },
    assignments,
    ...(parts ? { parts } : {}),
    groups: groupEntries(nodes, fields.get('groups')),
  };
}

function azureEntry(
  nodes: ManifestNodes,
  fields: Map<string, Field>,
  path: string,
  line: number,
): AzureManifestEntry {
  const texts = new Map<string, { text: string; line: number }>();
  for (const key of ['principal-type', 'description', 'condition', 'condition-version', 'type', 'duration']) {
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
  const { type, duration } = kindOfEntry(problems, (name) => texts.get(name)?.text ?? '', condition);
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
    principalTypeWritten: texts.has('principal-type'),
    principals: lists.principal ? located(nodes, lists.principal, `${path}.principal`, principalForms) : [],
    roles: lists.role ? located(nodes, lists.role, `${path}.role`, roleRefs) : [],
    targets: lists.target ? located(nodes, lists.target, `${path}.target`, scopes) : [],
    description,
    condition,
    conditionVersion,
    type,
    duration,
  };
}

/**
 * An entry's kind, by its word (`type`, `active` by default): each of the kinds an Azure manifest
 * makes (core/kinds/) says whether it takes a `duration` (an eligibility's length: none, no end,
 * where the role's policy allows) and a condition (an eligibility request has none). A reconcile's
 * active assignments are permanent.
 */
function kindOfEntry(
  problems: Problems,
  text: (key: string) => string,
  condition: string | undefined,
): { type: AzureManifestEntry['type']; duration: Duration | undefined } {
  const words = manifestTypes('azure');
  const type = oneOf(problems, 'type', text('type') || words[0]!, words) ?? words[0]!;
  const kind = manifestKind('azure', type);
  const timed = words.filter((w) => manifestKind('azure', w).duration !== 'none');
  const written = text('duration');
  let duration: Duration | undefined;
  if (written) {
    const parsed = parseDuration(written);
    if (typeof parsed === 'string') problems.add('duration', `\`${printable(written)}\` ${parsed}`);
    else if (parsed.ms < PIM_MINIMUM_MS || parsed.ms > PIM_LONGEST_MS)
      problems.add(
        'duration',
        `\`${printable(written)}\` is not between 5 minutes and a year`,
        'use `PT5M` to `P365D`',
      );
    else duration = parsed;
    if (kind.duration === 'none')
      problems.add(
        'duration',
        `applies to ${timed.map((w) => `\`type: ${w}\``).join(' or ')} entries only`,
        `add ${timed.map((w) => `\`type: ${w}\``).join(' or ')}, or remove \`duration\``,
      );
  }
  if (!kind.condition && condition)
    problems.add('condition', `cannot be used with \`type: ${type}\``, 'remove `condition`');
  return { type, duration: kind.duration === 'none' ? undefined : duration };
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
        value: assignmentIdOf(scope.scope, match[2]!.toLowerCase()),
      },
    ];
  });
}
