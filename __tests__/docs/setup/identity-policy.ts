// Whether a role's permission statements allow one call, as IAM evaluates an identity policy (IAM
// User Guide, "Policy evaluation logic"): each resource the call names (an IAM Identity Center write
// names the instance and the permission set, a provisioning the account too; the Service
// Authorization Reference lists them) must be allowed by a statement whose action, resource and
// conditions all match, and denied by none. Conditions: every operator of a statement must hold,
// and within one every key; StringLike matches `*` to any run and `?` to one character; an
// `…IfExists` operator holds when the key is absent; `Null: true` holds when it is absent;
// `ForAnyValue:StringEquals` when one of the request's values is listed. An operator this file does
// not know fails the test rather than pass it.

export interface IdentityStatement {
  Sid?: string;
  Effect?: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** One call: its IAM action, the resources it names, and its condition keys' values. */
export interface Call {
  action: string;
  resources: string[];
  context: Record<string, string | string[]>;
}

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const like = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    's',
  ).test(value);

function holds(operator: string, actual: string[] | undefined, values: string[]): boolean {
  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  if (base === 'Null') return values.includes(String(actual === undefined));
  if (actual === undefined) return ifExists;
  switch (base) {
    case 'StringEquals':
      return actual.length === 1 && values.includes(actual[0]!);
    case 'StringLike':
      return actual.length === 1 && values.some((v) => like(v, actual[0]!));
    case 'ForAnyValue:StringEquals':
      return actual.some((a) => values.includes(a));
    default:
      throw new Error(`condition operator ${operator}: not evaluated here`);
  }
}

function matches(statement: IdentityStatement, call: Call, resource: string): boolean {
  return (
    asList(statement.Action).some((a) => like(a, call.action)) &&
    asList(statement.Resource).some((r) => like(r, resource)) &&
    Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
      Object.entries(keys).every(([key, values]) => {
        const actual = call.context[key];
        return holds(operator, actual === undefined ? undefined : asList(actual), asList(values));
      }),
    )
  );
}

/** Whether `statements` allow `call` on every resource it names. */
export function permits(statements: IdentityStatement[], call: Call): boolean {
  return call.resources.every((resource) => {
    const matching = statements.filter((s) => matches(s, call, resource));
    return !matching.some((s) => s.Effect === 'Deny') && matching.some((s) => s.Effect === 'Allow');
  });
}
