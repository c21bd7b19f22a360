// What both sections of a manifest share: values read through the inputs' own parsers at their
// lines, required keys, flags, the `assignments` list, and duplicate entries. Pure.
import { isSeq, type Node } from 'yaml';
import { Problems } from '../inputs/fields.js';
import type { Parsed } from '../inputs/grants.js';
import { printable } from '../inputs/fields.js';
import type { ManifestNodes, Field, ManifestProblem } from './nodes.js';
import type { AwsManifestEntry, AzureManifestEntry, Located, ManifestEntry } from './types.js';

/** The most assignments one section may describe (principals × roles × targets, summed over entries). */
export const MAX_MANIFEST_ASSIGNMENTS = 20_000;
export const AWS_ENTRY_KEYS = ['principal', 'principal-type', 'role', 'target'] as const;
export const AZURE_ENTRY_KEYS = [
  ...AWS_ENTRY_KEYS,
  'description',
  'condition',
  'condition-version',
  // A PIM eligibility (`type: eligible`) and its length.
  'type',
  'duration',
] as const;

/**
 * Each value of a list through one of the inputs' parsers, one value at a time so that a problem
 * gets the value's own line; the parser's `input \`x\`` becomes the manifest path.
 */
export function located<T>(
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
export function reportAt(nodes: ManifestNodes, problems: Problems, line: number, path: string): void {
  for (const p of problems.list) {
    const message = p.message.replace(/^input `[^`]+`: /, '');
    nodes.add(line, `\`${path}\`: ${message}`, p.fix);
  }
}

export function required(
  nodes: ManifestNodes,
  fields: Map<string, Field>,
  key: string,
  path: string,
  line: number,
) {
  const field = fields.get(key);
  if (!field) nodes.add(line, `\`${path}\` has no \`${key}\``);
  return field;
}

export function flag(nodes: ManifestNodes, field: Field | undefined, path: string): boolean {
  if (!field) return false;
  const text = nodes.text(field, path)?.text;
  if (text === 'true' || text === 'false') return text === 'true';
  // Not text at all (or empty) is reported already.
  if (text !== undefined) nodes.add(field.line, `\`${path}\` must be \`true\` or \`false\``);
  return false;
}

export function listsOf(nodes: ManifestNodes, fields: Map<string, Field>, path: string, line: number) {
  return {
    principal: required(nodes, fields, 'principal', path, line),
    role: required(nodes, fields, 'role', path, line),
    target: required(nodes, fields, 'target', path, line),
  };
}

/** `assignments`: a list of entries, each a mapping of the inputs' keys. */
export function entries<E extends { principals: unknown[]; roles: unknown[]; targets: unknown[] }>(
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
  return read_;
}

/**
 * The section's assignments: at most MAX_MANIFEST_ASSIGNMENTS, counted from the lists' lengths
 * before anything walks them (a few kilobytes of lists can multiply to millions: the duplicate walk
 * below would take minutes and gigabytes), then the same principal, role and target written twice
 * (in one entry or two), which is an error.
 */
export function checkAssignments<E extends AwsManifestEntry | AzureManifestEntry>(
  nodes: ManifestNodes,
  entries: E[],
  section: 'aws' | 'azure',
  typeOf: (entry: E) => string,
): void {
  if (overLimit(nodes, entries, section)) return;
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

/** An entry's size: how many principals, roles and targets (or, expanded, accounts) it multiplies. */
export interface EntrySize {
  path: string;
  line: number;
  principals: number;
  roles: number;
  targets: number;
  /** What a target is counted as, for the message: `target(s)`, or `account(s)` once OUs are expanded. */
  unit?: string;
}

/**
 * More assignments than one section may hold, from the sizes alone (nothing is multiplied out):
 * the problem names the limit and the entry that crosses it, at its line. Undefined within it.
 */
export function sizeProblem(section: string, entries: EntrySize[]): ManifestProblem | undefined {
  const sizes = entries.map((e) => e.principals * e.roles * e.targets);
  const total = sizes.reduce((sum, n) => sum + n, 0);
  if (total <= MAX_MANIFEST_ASSIGNMENTS) return undefined;
  let sum = 0;
  const entry = entries[entries.findIndex((_, i) => (sum += sizes[i]!) > MAX_MANIFEST_ASSIGNMENTS)]!;
  return {
    line: entry.line,
    message: `\`${entry.path}\`: ${entry.principals} principal(s) × ${entry.roles} role(s) × ${entry.targets} ${entry.unit ?? 'target(s)'} bring \`${section}.assignments\` to ${total} assignments; at most ${MAX_MANIFEST_ASSIGNMENTS} fit in one manifest section`,
    fix: 'split the manifest, or list fewer values in the entry',
  };
}

function overLimit(
  nodes: ManifestNodes,
  entries: ManifestEntry<unknown, unknown, unknown>[],
  section: string,
) {
  const problem = sizeProblem(
    section,
    entries.map((e) => ({
      path: e.path,
      line: e.line,
      principals: e.principals.length,
      roles: e.roles.length,
      targets: e.targets.length,
    })),
  );
  if (problem) nodes.add(problem.line, problem.message, problem.fix);
  return problem !== undefined;
}
