// GraphQL documents for the emulated GitHub GraphQL API (./graphql.ts): one anonymous or named
// query, with variable definitions, fields with aliases and arguments (strings, numbers, booleans,
// null, variables) and inline fragments. Named fragments, directives, mutations and
// subscriptions are refused as not served.

export type Value = { variable: string } | { literal: unknown };
interface Field {
  kind: 'field';
  name: string;
  alias: string;
  args: Map<string, Value>;
  selections: Selection[] | undefined;
}
interface Fragment {
  kind: 'fragment';
  on: string;
  selections: Selection[];
}
export type Selection = Field | Fragment;

export class GraphqlError extends Error {
  constructor(
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

// --- the document ---------------------------------------------------------------------------

const TOKEN =
  /\s+|#[^\n]*|,|(\.\.\.|[{}()[\]:!$=@])|([_A-Za-z][_0-9A-Za-z]*)|(-?\d+)|("(?:[^"\\\n]|\\.)*")|(.)/gy;

function tokens(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m && m[0] !== ''; m = TOKEN.exec(text)) {
    if (m[5] !== undefined) throw new GraphqlError(`Parse error on "${m[5]}"`);
    const token = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (token !== undefined) out.push(token);
  }
  return out;
}

/** The document's tokens, read front to back. */
class Reader {
  private i = 0;
  constructor(private readonly t: string[]) {}
  peek = () => this.t[this.i];
  done = () => this.i === this.t.length;
  take(expected?: string): string {
    const token = this.t[this.i++];
    if (token === undefined || (expected !== undefined && token !== expected))
      throw new GraphqlError(
        `Parse error on ${JSON.stringify(token ?? 'end of document')} (expected ${expected ?? 'more'})`,
      );
    return token;
  }
  name(): string {
    const token = this.take();
    if (!/^[_A-Za-z]/.test(token)) throw new GraphqlError(`Parse error on "${token}" (expected a name)`);
    return token;
  }
  value(): Value {
    const token = this.take();
    if (token === '$') return { variable: this.name() };
    if (token.startsWith('"')) return { literal: JSON.parse(token) as string };
    if (/^-?\d+$/.test(token)) return { literal: Number(token) };
    if (token === 'true' || token === 'false' || token === 'null') return { literal: JSON.parse(token) };
    throw new GraphqlError(
      `Parse error on "${token}": the emulator serves strings, numbers and variables as arguments`,
    );
  }
  type(): string {
    let shown: string;
    if (this.peek() === '[') {
      this.take('[');
      shown = `[${this.type()}]`;
      this.take(']');
    } else shown = this.name();
    return this.peek() === '!' ? `${shown}${this.take('!')}` : shown;
  }
}

function selectionSet(r: Reader): Selection[] {
  r.take('{');
  const out: Selection[] = [];
  while (r.peek() !== '}') {
    if (r.peek() === '...') {
      r.take('...');
      if (r.peek() !== 'on') throw new GraphqlError('Named fragments are not served by the emulator');
      r.take('on');
      out.push({ kind: 'fragment', on: r.name(), selections: selectionSet(r) });
      continue;
    }
    if (r.peek() === '@') throw new GraphqlError('Directives are not served by the emulator');
    const alias = r.name();
    const aliased = r.peek() === ':';
    if (aliased) r.take(':');
    const fieldName = aliased ? r.name() : alias;
    const args = new Map<string, Value>();
    if (r.peek() === '(') {
      r.take('(');
      while (r.peek() !== ')') {
        const arg = r.name();
        r.take(':');
        args.set(arg, r.value());
      }
      r.take(')');
    }
    const selections = r.peek() === '{' ? selectionSet(r) : undefined;
    out.push({ kind: 'field', name: fieldName, alias, args, selections });
  }
  r.take('}');
  return out;
}

/** `query Name($v: Type! = default, …)`: the variables declared, with their types. */
function header(r: Reader): Map<string, string> {
  const variables = new Map<string, string>();
  if (r.peek() === '{') return variables;
  const operation = r.name();
  if (operation !== 'query')
    throw new GraphqlError(
      `The emulator serves queries only, not ${operation === 'mutation' ? 'mutations' : `"${operation}"`}`,
    );
  if (r.peek() !== '(' && r.peek() !== '{') r.name();
  if (r.peek() !== '(') return variables;
  r.take('(');
  while (r.peek() !== ')') {
    r.take('$');
    const variable = r.name();
    r.take(':');
    variables.set(variable, r.type());
    if (r.peek() === '=') {
      r.take('=');
      r.value();
    }
  }
  r.take(')');
  return variables;
}

export function parse(text: string): { variables: Map<string, string>; selections: Selection[] } {
  const r = new Reader(tokens(text));
  const variables = header(r);
  const selections = selectionSet(r);
  if (!r.done())
    throw new GraphqlError(`Parse error on "${r.peek()}": the emulator serves one operation per document`);
  return { variables, selections };
}
