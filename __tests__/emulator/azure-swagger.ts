// The PIM swaggers and examples of __tests__/fixtures/contracts/azure/2020-10-01 as the emulator's
// contract tests read them (azure-pim.test.ts, azure-pim-eligibility-contract.test.ts): each
// example's operation, its response schema with `$ref`s and `allOf`s followed, and the
// differences between an answer and the example's shape.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SPEC_DIR = join(process.cwd(), '__tests__', 'fixtures', 'contracts', 'azure', '2020-10-01');
const parsed = new Map<string, unknown>();
export const readJson = (file: string): unknown => {
  if (!parsed.has(file)) parsed.set(file, JSON.parse(readFileSync(join(SPEC_DIR, file), 'utf8')));
  return parsed.get(file);
};

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  discriminator?: string;
}
interface Spec {
  definitions: Record<string, Schema>;
}
export interface Operation {
  method: string;
  pathTemplate: string;
  operationId: string;
  file: string;
  responses: Record<string, { schema?: Schema }>;
}

const SWAGGERS = readdirSync(SPEC_DIR).filter((f) => f.endsWith('.json'));

/** Example file name → the operation that references it. */
export function operationsByExample(): Map<string, Operation> {
  const found = new Map<string, Operation>();
  for (const file of SWAGGERS) {
    const swagger = readJson(file) as { paths?: Record<string, Record<string, Record<string, unknown>>> };
    for (const [pathTemplate, methods] of Object.entries(swagger.paths ?? {})) {
      for (const [method, op] of Object.entries(methods)) {
        for (const ref of Object.values((op['x-ms-examples'] ?? {}) as Record<string, { $ref: string }>)) {
          found.set(ref.$ref.replace('./examples/', ''), {
            method: method.toUpperCase(),
            pathTemplate,
            operationId: op.operationId as string,
            file,
            responses: op.responses as Operation['responses'],
          });
        }
      }
    }
  }
  return found;
}

/** A schema with its `$ref`s (into this file or common-types.json) and `allOf`s followed. */
function resolve(schema: Schema | undefined, file: string): { schema?: Schema; file: string } {
  let current = schema;
  let where = file;
  while (current?.$ref) {
    const [target, pointer] = current.$ref.split('#/definitions/') as [string, string];
    if (target) where = target.replace('./', '');
    if (!where.endsWith('.json') || !SWAGGERS.includes(where)) return { file: where };
    current = (readJson(where) as Spec).definitions[pointer];
  }
  if (current?.allOf) {
    const properties = { ...current.properties };
    for (const part of current.allOf) Object.assign(properties, resolve(part, where).schema?.properties);
    current = { ...current, properties };
  }
  return { ...(current ? { schema: current } : {}), file: where };
}

/** A polymorphic rule's own definition (its `ruleType` names it), in common-types.json. */
const ruleSchema = (ruleType: unknown): Schema | undefined =>
  typeof ruleType === 'string'
    ? resolve({ $ref: `./common-types.json#/definitions/${ruleType}` }, 'common-types.json').schema
    : undefined;

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Differences between the answer and the example's shape: every key of the example is there with
 * the same JSON type (null standing for an absent value of any type, as the examples themselves
 * send `"justification": null`), and any other key is one the schema defines. Policy rules are
 * polymorphic (`ruleType`): each is compared with the example's rule of the same id.
 */
export function shapeDifferences(
  expected: unknown,
  actual: unknown,
  schema: Schema | undefined,
  file: string,
  path = '$',
): string[] {
  const resolved = resolve(schema, file);
  let s = resolved.schema;
  if (expected === null || actual === null) return [];
  if (jsonType(expected) !== jsonType(actual))
    return [`${path}: expected ${jsonType(expected)}, got ${jsonType(actual)}`];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length === 0)
      return actual.length === 0 ? [] : [`${path}: expected no items, got ${actual.length}`];
    return actual.flatMap((item, i) => {
      const id = (item as { id?: unknown } | null)?.id;
      const like =
        expected.find((e) => id !== undefined && (e as { id?: unknown } | null)?.id === id) ?? expected[0];
      return shapeDifferences(like, item, s?.items, resolved.file, `${path}[${i}]`);
    });
  }
  if (expected && typeof expected === 'object' && actual && typeof actual === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    if (s?.discriminator && typeof a.ruleType === 'string') s = ruleSchema(a.ruleType) ?? s;
    const problems = Object.keys(e).flatMap((key) =>
      key in a
        ? shapeDifferences(e[key], a[key], s?.properties?.[key], resolved.file, `${path}.${key}`)
        : [`${path}.${key}: missing`],
    );
    for (const key of Object.keys(a).filter((k) => !(k in e))) {
      if (!s?.properties || !(key in s.properties))
        problems.push(`${path}.${key}: not in the example nor in the schema`);
    }
    return problems;
  }
  return [];
}
