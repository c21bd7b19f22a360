// How a section reads the values a pure checker of its own judges, at their lines: the checked
// value or its problem, a list's items kept once each, a mapping's keys and texts, a name written
// alone or with its path. Apart from the section that uses them (./permission-sets.ts), so its
// parser holds only its keys and checks; none of this knows what the values stand for. Pure.
import { isMap, isScalar, type Node } from 'yaml';
import type { Field, LocatedText, ManifestNodes } from './nodes.js';

/** What a pure checker answers: the value, or why it is wrong and how to fix it. */
type CheckedValue<T> = { ok: true; value: T } | { ok: false; message: string; fix?: string };

/** A checked value, or undefined with its problem at `line` naming `path`. */
export function checkedAt<T>(
  nodes: ManifestNodes,
  checked: CheckedValue<T>,
  line: number,
  path: string,
): T | undefined {
  if (checked.ok) return checked.value;
  return nodes.add(line, `\`${path}\`: ${checked.message}`, checked.fix);
}

/**
 * A list's items kept once each, in order, by the text a person knows one by (`shownAs`): one
 * listed again is a problem at its line; one that is not an item (undefined) is passed over.
 */
export function keptOnce<T>(nodes: ManifestNodes, shownAs: (item: T) => string) {
  const kept = new Map<string, T>();
  const keep = (item: T | undefined, line: number, path: string): void => {
    if (item === undefined) return;
    const shown = shownAs(item);
    if (kept.has(shown)) nodes.add(line, `\`${path}\`: \`${shown}\` is listed twice`);
    else kept.set(shown, item);
  };
  return { kept: () => [...kept.values()], keep };
}

/**
 * A mapping's keys and the texts written for them, or undefined with its problem (`keys` says
 * what its keys are). A value may be empty, unlike other values of the manifest (a tag's may);
 * any other is read as written.
 */
export function textPairs(
  nodes: ManifestNodes,
  field: Field,
  path: string,
  keys: string,
): [string, string][] | undefined {
  const fields = isMap(field.node) ? (field.node.items as { key: unknown; value: unknown }[]) : undefined;
  if (!fields) return nodes.add(field.line, `\`${path}\` must be a mapping of ${keys} to values`);
  const entries: [string, string][] = [];
  for (const pair of fields) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    const empty = value === null || (isScalar(value) && (value.value === null || value.value === ''));
    const text = empty ? { text: '' } : nodes.text({ key, line: field.line, node: value }, `${path}.${key}`);
    if (text) entries.push([key, text.text]);
  }
  return entries;
}

/** A name written alone or as `{name, path?}`: the name's text at its line, and the path when written. */
export function nameWithPath(
  nodes: ManifestNodes,
  node: Node | null,
  path: string,
  line: number,
): { name: LocatedText; path?: string } | undefined {
  if (isScalar(node)) {
    const name = nodes.text({ key: '', line, node }, path);
    return name && { name };
  }
  const fields = nodes.mapping(node, path, ['name', 'path'], line);
  const nameField = fields.get('name');
  if (!nameField) return nodes.add(line, `\`${path}\` has no \`name\``);
  const name = nodes.text(nameField, `${path}.name`);
  const pathField = fields.get('path');
  const written = pathField ? nodes.text(pathField, `${path}.path`) : undefined;
  if (!name || (pathField && !written)) return undefined;
  return written ? { name, path: written.text } : { name };
}
