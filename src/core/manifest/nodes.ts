// The manifest's YAML (or JSON, which YAML 1.2 reads too) as nodes that know their line, so every
// problem names the line a user fixes. Values are read as the text written: an unquoted
// `012345678901` is the account ID it looks like, never the number YAML would make of it. Pure.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { printable } from '../inputs/fields.js';
import { closestNames } from '../lists.js';

import type { ManifestProblem } from './problems.js';

export { lookedUpAt, type ManifestProblem } from './problems.js';

/** A string value with the line it was written on. */
export interface LocatedText {
  text: string;
  line: number;
}

/** One key of a mapping: its line, and its node. */
export interface Field {
  key: string;
  line: number;
  node: Node | null;
}

export class ManifestNodes {
  readonly problems: ManifestProblem[] = [];
  private readonly lines = new LineCounter();

  constructor(private readonly source: string) {}

  /** The document's top node, or undefined (with problems) when the text is not YAML or JSON. */
  parse(): Node | undefined {
    const doc = parseDocument(this.source, {
      lineCounter: this.lines,
      uniqueKeys: true,
      prettyErrors: false,
    });
    for (const e of doc.errors) {
      this.problems.push({
        line: this.lines.linePos(e.pos[0]).line,
        message: `is not valid YAML or JSON: ${printable(e.message.split('\n')[0] ?? '')}`,
      });
    }
    if (doc.errors.length > 0) return undefined;
    return (doc.contents as Node | null) ?? undefined;
  }

  lineOf(node: Node | null | undefined, fallback = 1): number {
    const start = node?.range?.[0];
    return start === undefined ? fallback : this.lines.linePos(start).line;
  }

  add(line: number, message: string, fix?: string): undefined {
    this.problems.push({ line, message, ...(fix ? { fix } : {}) });
    return undefined;
  }

  /**
   * A mapping's keys, each once: a key outside `known` is a problem naming the keys there are, so
   * that a misspelt key is never silently ignored (a misspelt `manages` would manage nothing).
   */
  mapping(node: Node | null, path: string, known: readonly string[], line: number): Map<string, Field> {
    const fields = new Map<string, Field>();
    if (!isMap(node)) {
      this.add(this.lineOf(node, line), `\`${path}\` must be a mapping of keys to values`);
      return fields;
    }
    for (const pair of (node as YAMLMap<unknown, unknown>).items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      const keyLine = this.lineOf(keyNode, line);
      if (!known.includes(key)) {
        const close = closestNames(key, [...known], 1);
        this.add(
          keyLine,
          `\`${path}\` has the unknown key \`${printable(key)}\``,
          `${close.length > 0 ? `did you mean \`${close[0]}\`? ` : ''}the keys there are ${known.map((k) => `\`${k}\``).join(', ')}`,
        );
        continue;
      }
      fields.set(key, { key, line: keyLine, node: pair.value as Node | null });
    }
    return fields;
  }

  /**
   * A scalar as the text written (numbers and booleans too); undefined, with a problem, otherwise.
   * An empty (or blank) string is a problem too, never "not given": `principal: ""` read as no
   * principal would leave the entry's assignments unlisted, and a reconcile would delete them.
   */
  text(field: Field, path: string): LocatedText | undefined {
    const { node } = field;
    const line = this.lineOf(node, field.line);
    if (!isScalar(node) || node.value === null || typeof node.value === 'object') {
      return this.add(line, `\`${path}\` must be a string`);
    }
    const text = this.sourceOf(node).trim();
    if (text === '')
      return this.add(line, `\`${path}\` holds an empty value`, 'write the value, or remove it');
    return { text, line };
  }

  /** A string or a list of strings, each with its own line; an empty list is a problem. */
  list(field: Field, path: string): LocatedText[] {
    const { node } = field;
    const items = isSeq(node) ? (node.items as (Node | null)[]) : [node];
    const values = items.flatMap((item) => this.text({ ...field, node: item }, path) ?? []);
    if (values.length === 0 && items.length === 0)
      this.add(field.line, `\`${path}\` is empty`, 'give one value or a list of values');
    return values;
  }

  /**
   * The line of every member and item under `node`, by its path as `keyOf` spells it from its
   * parent's and its own key or index (an inline policy's `Statement[1].Action`): a member at its key.
   */
  linesUnder(
    node: Node | null,
    fallback: number,
    keyOf: (parent: string, step: string | number) => string,
  ): Record<string, number> {
    const lines: Record<string, number> = {};
    const visit = (n: Node | null, at: string): void => {
      const items: [string | number, Node | null, Node | null][] = isMap(n)
        ? n.items.map((p) => [
            isScalar(p.key) ? String(p.key.value) : '',
            p.key as Node,
            p.value as Node | null,
          ])
        : isSeq(n)
          ? n.items.map((item, index) => [index, item as Node | null, item as Node | null])
          : [];
      for (const [step, where, value] of items) {
        lines[keyOf(at, step)] ??= this.lineOf(where, fallback);
        visit(value, keyOf(at, step));
      }
    };
    visit(node, '');
    return lines;
  }

  /** The scalar's text as written: `012345678901` stays so, rather than becoming 12345678901. */
  private sourceOf(node: Node): string {
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    const [start, end] = node.range ?? [0, 0];
    return this.source.slice(start, end);
  }
}
