// A small, honest subset of GitHub's GraphQL API (`POST /graphql`; a GHES API URL ending in /api/v3
// is /api/graphql, which Octokit's graphql derives from GITHUB_API_URL): a query's document is
// parsed and checked against the part of GitHub's schema the emulator serves before anything is
// answered, as GitHub does. An unknown field, argument or type, an undeclared variable, a selection
// on a scalar or none on an object are errors in GitHub's words, with no data. Served: `repository
// (owner:, name:)` → `Repository.defaultBranchRef`, `nameWithOwner` → `Ref.name`, `prefix`,
// `target` → `Commit.oid`, `file(path:)` → `TreeEntry.name`, `path`, `type`, `object` → `Blob.oid`,
// `byteSize`, `isBinary`, `isTruncated`, `text` / `Tree.oid`; `__typename` everywhere. Named
// fragments, directives, mutations and subscriptions are refused as not served.
import { createHash } from 'node:crypto';
import { GraphqlError, parse, type Selection } from './graphql-document.js';

/** What the emulator's repository state holds for one repository. */
export interface GraphqlRepository {
  nameWithOwner: string;
  defaultBranch: string;
  head: string;
  /** The files of the head commit: path → text. */
  files: Map<string, string>;
}

// --- the schema the emulator serves ---------------------------------------------------------

type Node = { type: string; [key: string]: unknown };
interface FieldDef {
  returns: string;
  args?: { required: string[]; optional?: string[] };
  resolve: (node: Node, args: Record<string, unknown>, context: Context) => unknown;
}
interface Context {
  repository: (owner: string, name: string) => GraphqlRepository | undefined;
  errors: Record<string, unknown>[];
  path: (string | number)[];
}

const SCALARS = new Set(['String', 'Int', 'Boolean', 'GitObjectID', 'TreeEntryType']);
/** Abstract types and the object types they may be. */
const ABSTRACT: Record<string, string[]> = { GitObject: ['Commit', 'Tree', 'Blob'] };
const oidOf = (kind: string, text: string) =>
  createHash('sha1')
    .update(`${kind} ${Buffer.byteLength(text)}\0${text}`)
    .digest('hex');

const SCHEMA: Record<string, Record<string, FieldDef>> = {
  Query: {
    repository: {
      returns: 'Repository',
      args: { required: ['owner', 'name'] },
      resolve: (_node, { owner, name }, context) => {
        const found = context.repository(String(owner), String(name));
        if (!found)
          context.errors.push({
            type: 'NOT_FOUND',
            path: [...context.path],
            message: `Could not resolve to a Repository with the name '${String(owner)}/${String(name)}'.`,
          });
        return found && { type: 'Repository', repo: found };
      },
    },
  },
  Repository: {
    nameWithOwner: { returns: 'String', resolve: (n) => (n.repo as GraphqlRepository).nameWithOwner },
    defaultBranchRef: {
      returns: 'Ref',
      resolve: (n) => ({ type: 'Ref', repo: n.repo }),
    },
  },
  Ref: {
    name: { returns: 'String', resolve: (n) => (n.repo as GraphqlRepository).defaultBranch },
    prefix: { returns: 'String', resolve: () => 'refs/heads/' },
    target: { returns: 'GitObject', resolve: (n) => ({ type: 'Commit', repo: n.repo }) },
  },
  Commit: {
    oid: { returns: 'GitObjectID', resolve: (n) => (n.repo as GraphqlRepository).head },
    file: {
      returns: 'TreeEntry',
      args: { required: ['path'] },
      resolve: (n, { path }) => treeEntry(n.repo as GraphqlRepository, String(path)),
    },
  },
  TreeEntry: {
    name: { returns: 'String', resolve: (n) => String(n.path).split('/').pop() },
    path: { returns: 'String', resolve: (n) => n.path },
    type: { returns: 'String', resolve: (n) => (n.object as Node).type.toLowerCase() },
    object: { returns: 'GitObject', resolve: (n) => n.object },
  },
  Blob: {
    oid: { returns: 'GitObjectID', resolve: (n) => oidOf('blob', String(n.text)) },
    byteSize: { returns: 'Int', resolve: (n) => Buffer.byteLength(String(n.text)) },
    isBinary: { returns: 'Boolean', resolve: () => false },
    isTruncated: { returns: 'Boolean', resolve: () => false },
    text: { returns: 'String', resolve: (n) => n.text },
  },
  Tree: { oid: { returns: 'GitObjectID', resolve: (n) => oidOf('tree', String(n.path)) } },
  GitObject: { oid: { returns: 'GitObjectID', resolve: () => undefined } },
};

function treeEntry(repo: GraphqlRepository, path: string): Node | null {
  const clean = path.replace(/^\/+|\/+$/g, '');
  const text = repo.files.get(clean);
  if (text !== undefined) return { type: 'TreeEntry', path: clean, object: { type: 'Blob', text } };
  if ([...repo.files.keys()].some((p) => p.startsWith(`${clean}/`)))
    return { type: 'TreeEntry', path: clean, object: { type: 'Tree', path: clean } };
  return null;
}

// --- validation and execution ---------------------------------------------------------------

function validate(
  selections: Selection[],
  type: string,
  variables: Map<string, string>,
  path: string[],
): void {
  for (const s of selections) {
    if (s.kind === 'fragment') {
      if (!SCHEMA[s.on] || s.on === 'Query')
        throw new GraphqlError(`No such type ${s.on}, so it can't be a fragment condition`, {
          extensions: { code: 'undefinedType', typeName: s.on },
        });
      validate(s.selections, s.on, variables, [...path, `... on ${s.on}`]);
      continue;
    }
    if (s.name === '__typename') {
      if (s.selections)
        throw new GraphqlError(`Selections can't be made on scalars (field '__typename' returns String!)`);
      continue;
    }
    const def = SCHEMA[type]![s.name];
    if (!def)
      throw new GraphqlError(`Field '${s.name}' doesn't exist on type '${type}'`, {
        path: [...path, s.name],
        extensions: { code: 'undefinedField', typeName: type, fieldName: s.name },
      });
    const accepted = [...(def.args?.required ?? []), ...(def.args?.optional ?? [])];
    for (const [arg, value] of s.args) {
      if (!accepted.includes(arg))
        throw new GraphqlError(`Field '${s.name}' doesn't accept argument '${arg}'`, {
          extensions: { code: 'argumentNotAccepted', name: s.name, argumentName: arg },
        });
      if ('variable' in value && !variables.has(value.variable))
        throw new GraphqlError(`Variable $${value.variable} is used by anonymous query but not declared`, {
          extensions: { code: 'variableNotDefined', variableName: value.variable },
        });
    }
    const missing = (def.args?.required ?? []).filter((a) => !s.args.has(a));
    if (missing.length > 0)
      throw new GraphqlError(`Field '${s.name}' is missing required arguments: ${missing.join(', ')}`, {
        extensions: { code: 'missingRequiredArguments', name: s.name, arguments: missing.join(', ') },
      });
    const scalar = SCALARS.has(def.returns);
    if (scalar && s.selections)
      throw new GraphqlError(
        `Selections can't be made on scalars (field '${s.name}' returns ${def.returns})`,
      );
    if (!scalar && !s.selections)
      throw new GraphqlError(
        `Field must have selections (field '${s.name}' returns ${def.returns} but has no selections. Did you mean '${s.name} { ... }'?)`,
      );
    if (s.selections) validate(s.selections, def.returns, variables, [...path, s.name]);
  }
}

function execute(selections: Selection[], node: Node, values: Record<string, unknown>, context: Context) {
  const out: Record<string, unknown> = {};
  for (const s of selections) {
    if (s.kind === 'fragment') {
      if (s.on === node.type || ABSTRACT[s.on]?.includes(node.type))
        Object.assign(out, execute(s.selections, node, values, context));
      continue;
    }
    if (s.name === '__typename') {
      out[s.alias] = node.type;
      continue;
    }
    const def = SCHEMA[node.type]![s.name]!;
    const args = Object.fromEntries(
      [...s.args].map(([k, v]) => [k, 'variable' in v ? values[v.variable] : v.literal]),
    );
    context.path.push(s.alias);
    const result = def.resolve(node, args, context) ?? null;
    out[s.alias] =
      result === null || !s.selections ? result : execute(s.selections, result as Node, values, context);
    context.path.pop();
  }
  return out;
}

/** The answer to one `POST /graphql` body: always HTTP 200, as GitHub answers a query it could read. */
export function answerGraphql(
  body: unknown,
  repository: (owner: string, name: string) => GraphqlRepository | undefined,
): Record<string, unknown> {
  const { query, variables } = (body ?? {}) as { query?: unknown; variables?: unknown };
  try {
    if (typeof query !== 'string')
      throw new GraphqlError('A query attribute must be specified and must be a string.');
    const document = parse(query);
    validate(document.selections, 'Query', document.variables, ['query']);
    const values = (variables && typeof variables === 'object' ? variables : {}) as Record<string, unknown>;
    for (const [name, type] of document.variables)
      if (type.endsWith('!') && (values[name] === undefined || values[name] === null))
        throw new GraphqlError(`Variable $${name} of type ${type} was provided invalid value`, {
          extensions: { value: null, problems: [{ path: [], explanation: 'Expected value to not be null' }] },
        });
    const context: Context = { repository, errors: [], path: [] };
    const data = execute(document.selections, { type: 'Query' }, values, context);
    return context.errors.length > 0 ? { data, errors: context.errors } : { data };
  } catch (failure) {
    if (!(failure instanceof GraphqlError)) throw failure;
    return { errors: [{ message: failure.message, ...failure.extra }] };
  }
}
