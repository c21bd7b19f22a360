// Every example of the Microsoft.Authorization 2022-04-01 swagger, replayed against the emulator:
// the status must be one the example lists, and the body must have the example's shape (its keys,
// recursively, with the same JSON types; any other key must be one the swagger schema defines).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestBed, type AzureTestBed } from './azure-helpers.js';

const SPEC_DIR = join(process.cwd(), '__tests__', 'fixtures', 'contracts', 'azure', 'stable-2022-04-01');
const readJson = (file: string) =>
  JSON.parse(readFileSync(join(SPEC_DIR, file), 'utf8')) as Record<string, unknown>;

interface Operation {
  method: string;
  pathTemplate: string;
  operationId: string;
  swagger: Spec;
  responses: Record<string, { schema?: Schema }>;
}
interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
}
interface Spec {
  definitions: Record<string, Schema>;
}
interface Example {
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: unknown }>;
}

/** Example file name → the operation that references it. */
function operationsByExample(): Map<string, Operation> {
  const found = new Map<string, Operation>();
  for (const file of readdirSync(SPEC_DIR).filter(
    (f) => f.endsWith('.json') && f.startsWith('authorization-'),
  )) {
    const swagger = readJson(file) as unknown as Spec &
      Record<string, Record<string, Record<string, Record<string, unknown>>>>;
    for (const paths of [swagger.paths ?? {}, swagger['x-ms-paths'] ?? {}]) {
      for (const [pathTemplate, methods] of Object.entries(paths)) {
        for (const [method, op] of Object.entries(methods)) {
          if (method === 'parameters') continue;
          for (const ref of Object.values((op['x-ms-examples'] ?? {}) as Record<string, { $ref: string }>)) {
            found.set(ref.$ref.replace('./examples/', ''), {
              method: method.toUpperCase(),
              pathTemplate: pathTemplate.split('?')[0]!,
              operationId: op.operationId as string,
              swagger,
              responses: op.responses as Operation['responses'],
            });
          }
        }
      }
    }
  }
  return found;
}

// The examples' own values, and the state each presumes.
const SUBSCRIPTION = 'a925f2f7-5c63-4b7b-8799-25a5f97bc3b2';
const PRINCIPAL = 'ce2ce14e-85d7-4629-bdbc-454d0519d987';
const ROLE = '0b5fe924-9a61-425c-96af-cfe6e287ca2d';
/** A GUID for the role definition examples, whose parameters are the placeholders `scope` and `roleDefinitionId`. */
const EXAMPLE_ROLE = '6d8ee4ec-f05a-4a1d-8b00-a9b17e38b437';
/** `parameter=placeholder value` → the value sent. */
const PLACEHOLDERS: Record<string, string> = {
  'scope=scope': `subscriptions/${SUBSCRIPTION}`,
  'roleDefinitionId=roleDefinitionId': EXAMPLE_ROLE,
  'roleId=roleDefinitionId': `subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${EXAMPLE_ROLE}`,
};

function seedFor(bed: AzureTestBed, operationId: string): void {
  const { az } = bed;
  az.addSubscription(SUBSCRIPTION, { managementGroup: 'platform' });
  // The resource group the examples' role assignments are made in.
  az.addResourceGroup('testrg', SUBSCRIPTION);
  az.addPrincipal({ id: PRINCIPAL, type: 'User', createdAt: 0 });
  az.addRoleDefinition({
    guid: ROLE,
    roleName: 'Example Role',
    assignableScopes: ['/'],
    permissions: [{ actions: ['*/read'] }],
  });
  az.addRoleDefinition({
    guid: EXAMPLE_ROLE,
    roleName: 'Role name',
    description: 'Role description',
    assignableScopes: [`/subscriptions/${SUBSCRIPTION}`],
    permissions: [{ actions: ['action'], dataActions: ['dataAction'] }],
  });
  // Reads and deletes presume the assignments they return; creates presume none.
  if (!operationId.startsWith('RoleAssignments_Create')) {
    az.addRoleAssignment({
      scope: `/subscriptions/${SUBSCRIPTION}`,
      roleDefinitionId: ROLE,
      principalId: PRINCIPAL,
      name: 'b0f43c54-e787-4862-89b1-a653fa9cf747',
    });
    az.addRoleAssignment({
      scope: `/subscriptions/${SUBSCRIPTION}/resourceGroups/testrg`,
      roleDefinitionId: ROLE,
      principalId: PRINCIPAL,
      name: '96786e4b-dede-4c2e-8736-8ab911987f08',
    });
  }
}

function resolve(schema: Schema | undefined, spec: Spec): Schema | undefined {
  let current = schema;
  while (current?.$ref?.startsWith('#/definitions/'))
    current = spec.definitions[current.$ref.slice('#/definitions/'.length)];
  return current;
}

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Differences between the response and the example's shape, as readable paths. */
function shapeDifferences(
  expected: unknown,
  actual: unknown,
  schema: Schema | undefined,
  spec: Spec,
  path = '$',
): string[] {
  const s = resolve(schema, spec);
  if (jsonType(expected) !== jsonType(actual))
    return [`${path}: expected ${jsonType(expected)}, got ${jsonType(actual)}`];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length === 0 || actual.length === 0)
      return expected.length === actual.length
        ? []
        : [`${path}: expected ${expected.length} items, got ${actual.length}`];
    return actual.flatMap((item, i) => shapeDifferences(expected[0], item, s?.items, spec, `${path}[${i}]`));
  }
  if (expected && typeof expected === 'object' && actual && typeof actual === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const problems = Object.keys(e).flatMap((key) =>
      key in a
        ? shapeDifferences(e[key], a[key], s?.properties?.[key], spec, `${path}.${key}`)
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

const examples = operationsByExample();
const files = readdirSync(join(SPEC_DIR, 'examples')).filter((f) => f.endsWith('.json'));

let bed: AzureTestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.az.close());
beforeEach(() => bed.az.reset());

describe('the swagger examples replayed against the emulator', () => {
  it('covers every example file', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    expect(files.filter((f) => !examples.has(f))).toEqual([]);
  });

  it.each(files)('%s', async (file) => {
    const op = examples.get(file)!;
    const example = JSON.parse(readFileSync(join(SPEC_DIR, 'examples', file), 'utf8')) as Example;
    seedFor(bed, op.operationId);
    let body: unknown;
    const path = op.pathTemplate.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      const value = String(example.parameters[name]);
      return PLACEHOLDERS[`${name}=${value}`] ?? value;
    });
    for (const [name, value] of Object.entries(example.parameters)) {
      if (name === 'parameters' || name === 'roleDefinition') body = value;
    }
    // RoleAssignments_Get.json carries api-version 2020-10-01-preview although it belongs to the
    // 2022-04-01 spec; the emulator serves 2022-04-01 only, so every example is sent with it.
    const res = await bed.arm(
      op.method,
      `${path.startsWith('/') ? '' : '/'}${path}`,
      body === undefined ? {} : { body },
    );
    const listed = Object.keys(example.responses);
    const status = String(res.status);
    // Shown with the error body, so a failure says why ARM refused.
    expect({ status, error: res.json?.error }).toEqual({
      status: listed.includes(status) ? status : `one of ${listed.join(', ')}`,
      error: undefined,
    });
    const expected = example.responses[String(res.status)]!.body;
    if (
      expected === undefined ||
      (typeof expected === 'object' &&
        expected !== null &&
        Object.keys(expected).length === 0 &&
        res.status === 204)
    ) {
      expect(res.text).toBe('');
      return;
    }
    const schema = op.responses[String(res.status)]?.schema;
    expect(shapeDifferences(expected, res.json, schema, op.swagger)).toEqual([]);
  });
});
