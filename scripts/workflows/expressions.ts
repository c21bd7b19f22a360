// The `${{ … }}` expressions of a played workflow (scripts/workflows/play-workflow.ts), evaluated as the runner
// does for what the project's workflows and examples/ use: contexts (`env`, `steps`, `github`,
// `vars`, `secrets`, `inputs`), string, number, boolean and null literals, `==` `!=` `<` `<=` `>`
// `>=` `&&` `||` `!` and parentheses, the status functions and `contains`, `startsWith`,
// `endsWith`, `format`, `fromJSON`, `toJSON`. GitHub's rules: strings compare without case, values
// of different types compare as numbers, `&&` / `||` give an operand, not a boolean. A context the
// player was not given (`matrix`), or a `vars` / `secrets` / `github` / `inputs` name it lacks,
// throws: a workflow is never played with a value guessed.
export type Value = string | number | boolean | null | { [key: string]: Value } | Value[];

export interface ExpressionContext {
  /** Contexts by name; only these exist. */
  contexts: Record<string, Value>;
  /** Contexts whose every name must be given (a missing one throws, not null). */
  strict: ReadonlySet<string>;
  /** Whether an earlier step of the job failed. */
  jobFailed: boolean;
}

const STATUS_FUNCTIONS = /\b(always|success|failure|cancelled)\s*\(/;

type Token = { kind: 'op' | 'string' | 'number' | 'word'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:('(?:[^']|'')*')|(-?\d+(?:\.\d+)?(?![\w-]))|(==|!=|<=|>=|&&|\|\||[!<>()[\],.*])|([A-Za-z_][\w-]*))/y;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    pattern.lastIndex = at;
    const m = pattern.exec(source);
    if (!m) throw new Error(`the player cannot read the expression at "${source.slice(at)}" in: ${source}`);
    at = pattern.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'string', text: m[1].slice(1, -1).replace(/''/g, "'") });
    else if (m[2] !== undefined) tokens.push({ kind: 'number', text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: 'op', text: m[3] });
    else tokens.push({ kind: 'word', text: m[4]! });
  }
  return tokens;
}

export const truthy = (v: Value): boolean =>
  !(v === false || v === null || v === '' || v === 0 || (typeof v === 'number' && Number.isNaN(v)));

export function asText(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function asNumber(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return NaN;
}

function looselyEqual(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  const structured = (v: Value) => v !== null && typeof v === 'object';
  if (structured(a) || structured(b)) return a === b;
  if (typeof a === typeof b) return a === b;
  return asNumber(a) === asNumber(b);
}

function compare(a: Value, op: string, b: Value): boolean {
  if (op === '==' || op === '!=') {
    const equal = looselyEqual(a, b);
    return op === '==' ? equal : !equal;
  }
  const [x, y] =
    typeof a === 'string' && typeof b === 'string'
      ? [a.toLowerCase(), b.toLowerCase()]
      : [asNumber(a), asNumber(b)];
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

/** Evaluates one expression (the text inside `${{ }}`, or a bare `if:`). */
export function evaluateExpression(source: string, context: ExpressionContext): Value {
  const parser = new Parser(source, context);
  const value = parser.or();
  if (parser.i < parser.tokens.length)
    throw new Error(`the player cannot read "${parser.tokens[parser.i]!.text}" in: ${source}`);
  return value;
}

/** A recursive descent over the expression's tokens: `||` over `&&` over comparisons over `!` and values. */
class Parser {
  readonly tokens: Token[];
  i = 0;

  constructor(
    readonly source: string,
    readonly context: ExpressionContext,
  ) {
    this.tokens = tokenize(source);
  }

  peek(): Token | undefined {
    return this.tokens[this.i];
  }

  take(text?: string): Token {
    const token = this.tokens[this.i++];
    if (!token || (text !== undefined && token.text !== text))
      throw new Error(`the player expected ${text ?? 'more'} in: ${this.source}`);
    return token;
  }

  isOp(text: string): boolean {
    return this.peek()?.kind === 'op' && this.peek()!.text === text;
  }

  /** `.name` and `[expr]` after a value; `strictRoot`: a context whose first name must exist. */
  members(start: Value, strictRoot?: string): Value {
    let value = start;
    let depth = 0;
    while (this.isOp('.') || this.isOp('[')) {
      const key = this.take().text === '.' ? this.take().text : asText(this.or());
      if (this.isOp(']')) this.take(']');
      const known: boolean = value !== null && typeof value === 'object' && key in value;
      if (!known && depth === 0 && strictRoot)
        throw new Error(`the played workflow reads ${strictRoot}.${key}, which the player was not given`);
      value = known ? (value as Record<string, Value>)[key]! : null;
      depth++;
    }
    return value;
  }

  primary(): Value {
    const token = this.take();
    if (token.kind === 'string') return token.text;
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'op' && token.text === '(') {
      const value = this.or();
      this.take(')');
      return this.members(value);
    }
    if (token.kind === 'word') {
      if (token.text === 'true' || token.text === 'false') return token.text === 'true';
      if (token.text === 'null') return null;
      if (this.isOp('(')) {
        this.take('(');
        const args: Value[] = [];
        while (!this.isOp(')')) {
          args.push(this.or());
          if (this.isOp(',')) this.take(',');
        }
        this.take(')');
        return this.members(call(token.text, args, this.context, this.source));
      }
      if (!(token.text in this.context.contexts))
        throw new Error(`the player does not evaluate \${{ ${this.source} }}`);
      return this.members(
        this.context.contexts[token.text]!,
        this.context.strict.has(token.text) ? token.text : undefined,
      );
    }
    throw new Error(`the player cannot read "${token.text}" in: ${this.source}`);
  }

  comparison(): Value {
    const left = this.unary();
    const op = this.peek();
    if (op?.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(op.text)) {
      this.take();
      return compare(left, op.text, this.unary());
    }
    return left;
  }

  unary(): Value {
    if (this.isOp('!')) {
      this.take('!');
      return !truthy(this.unary());
    }
    return this.primary();
  }

  and(): Value {
    let value = this.comparison();
    while (this.isOp('&&')) {
      this.take('&&');
      const right = this.comparison();
      value = truthy(value) ? right : value;
    }
    return value;
  }

  or(): Value {
    let value = this.and();
    while (this.isOp('||')) {
      this.take('||');
      const right = this.and();
      value = truthy(value) ? value : right;
    }
    return value;
  }
}

/** The functions the played workflows call. */
function call(name: string, args: Value[], context: ExpressionContext, source: string): Value {
  switch (name) {
    case 'always':
      return true;
    case 'success':
      return !context.jobFailed;
    case 'failure':
      return context.jobFailed;
    case 'cancelled':
      return false;
    case 'contains': {
      const [hay, needle] = args as [Value, Value];
      return Array.isArray(hay)
        ? hay.some((v) => compare(v, '==', needle))
        : asText(hay).toLowerCase().includes(asText(needle).toLowerCase());
    }
    case 'startsWith':
      return asText(args[0]!).toLowerCase().startsWith(asText(args[1]!).toLowerCase());
    case 'endsWith':
      return asText(args[0]!).toLowerCase().endsWith(asText(args[1]!).toLowerCase());
    case 'format':
      return asText(args[0]!).replace(/\{(\d+)\}/g, (_, n: string) => asText(args[Number(n) + 1] ?? null));
    case 'fromJSON':
      return JSON.parse(asText(args[0]!)) as Value;
    case 'toJSON':
      return JSON.stringify(args[0], null, 2);
    default:
      throw new Error(`the player does not evaluate ${name}() in: ${source}`);
  }
}

/** A step's `if:`: `${{ }}` or bare, and `success() && (…)` when it calls no status function. */
export function shouldRun(condition: string | boolean | undefined, context: ExpressionContext): boolean {
  if (condition === undefined) return !context.jobFailed;
  const text = String(condition)
    .trim()
    .replace(/^\$\{\{\s*([\s\S]*?)\s*\}\}$/, '$1');
  const value = evaluateExpression(text, context);
  return STATUS_FUNCTIONS.test(text) ? truthy(value) : !context.jobFailed && truthy(value);
}

/** A string with `${{ … }}` parts, each replaced by its value as text. */
export function interpolate(text: string, context: ExpressionContext): string {
  return text.replace(/\$\{\{\s*([\s\S]*?)\s*\}\}/g, (_, expression: string) =>
    asText(evaluateExpression(expression, context)),
  );
}
