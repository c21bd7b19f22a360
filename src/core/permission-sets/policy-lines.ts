// Where each element of an inline policy is written, so that an Access Analyzer finding, which
// names its element by a path (its `locations[].path`: `Statement`, 1, `Action`), is an error at
// the line a user fixes: in the policy's own file, or in the manifest that writes it. JSON is read
// here by hand for its lines, not with the YAML parser, which a step that reads no manifest (an
// assign) must not load. Pure.

/** Each element's line, by its path written `Statement[1].Action`. */
export type PolicyLines = Readonly<Record<string, number>>;

/** One element of an Access Analyzer location's path. */
export interface PolicyPathElement {
  value?: string;
  key?: string;
  index?: number;
}

/** The path of an element as PolicyLines keys it. */
export const policyPathKey = (parent: string, step: string | number): string =>
  typeof step === 'number' ? `${parent}[${step}]` : parent ? `${parent}.${step}` : step;

/**
 * The line of every member and item of a JSON text whose first line is `firstLine`: a member at its
 * key's line, an item at its start. Text that is not JSON gives the lines read before it went wrong.
 */
export function jsonPolicyLines(text: string, firstLine = 1): PolicyLines {
  const lines: Record<string, number> = {};
  let i = 0;
  let line = firstLine;
  const skip = () => {
    while (i < text.length && /\s/.test(text[i]!)) if (text[i++] === '\n') line++;
  };
  const string = (): string => {
    let out = '';
    for (i++; i < text.length && text[i] !== '"'; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '\n') line++;
      out += text[i] ?? '';
    }
    i++;
    return out;
  };
  // Each member and item, in order; false once the text is not JSON.
  const value = (path: string): boolean => {
    skip();
    const start = i;
    if (text[i] === '{') {
      for (i++, skip(); text[i] === '"'; skip()) {
        const at = line;
        const member = policyPathKey(path, string());
        lines[member] ??= at;
        skip();
        if (text[i++] !== ':' || !value(member)) return false;
        skip();
        if (text[i] === ',') i++;
      }
      return text[i++] === '}';
    }
    if (text[i] === '[') {
      let n = 0;
      for (i++, skip(); i < text.length && text[i] !== ']'; skip(), n++) {
        const item = policyPathKey(path, n);
        lines[item] ??= line;
        if (!value(item)) return false;
        skip();
        if (text[i] === ',') i++;
      }
      return text[i++] === ']';
    }
    if (text[i] === '"') string();
    else while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
    return i > start;
  };
  value('');
  return lines;
}

/** The line of the deepest element of `path` that `lines` holds; undefined when it holds none. */
export function lineOfPath(lines: PolicyLines, path: readonly PolicyPathElement[]): number | undefined {
  let key = '';
  let found: number | undefined;
  for (const element of path) {
    const step = element.index ?? element.value ?? element.key;
    if (step === undefined) break;
    key = policyPathKey(key, step);
    found = lines[key] ?? found;
  }
  return found;
}

/**
 * Where an element of a definition's inline policy is written: in its file (read by the step,
 * `files`), or in the manifest where the manifest writes the policy over several lines (`lines`);
 * undefined where no line says more than the `inline-policy` key's.
 */
export function inlinePolicyPlace(
  inline: { source: { kind: 'file'; path: string } | { kind: 'json' }; lines?: PolicyLines },
  /** The policy files read, by path (definition.ts's PolicyFiles). */
  files: ReadonlyMap<string, { text: string } | { error: string }>,
  path: readonly PolicyPathElement[],
): { line: number; file?: string } | undefined {
  if (inline.source.kind === 'json') {
    const line = inline.lines && lineOfPath(inline.lines, path);
    return line === undefined ? undefined : { line };
  }
  const read = files.get(inline.source.path);
  const line = read && 'text' in read ? lineOfPath(jsonPolicyLines(read.text), path) : undefined;
  return line === undefined ? undefined : { line, file: inline.source.path };
}
