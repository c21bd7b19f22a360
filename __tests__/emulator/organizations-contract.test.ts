// The emulated AWS Organizations against its official Smithy model
// (__tests__/fixtures/contracts/aws/organizations-2016-11-28.json), through the real SDK client:
// every member of every answer is in the operation's output shape, every error answered is one
// the model lists for the operation, with the model's HTTP status and members.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import * as organizations from '@aws-sdk/client-organizations';
import { EMULATED_OPERATIONS, startEmulator, type Emulator } from '../../emulator/index.js';
import { capturingHandler, rejection, staticCredentials, type RawExchange } from './sdk.js';

interface Shape {
  type: string;
  members?: Record<string, { target: string }>;
  member?: { target: string };
  output?: { target: string };
  errors?: { target: string }[];
  operations?: { target: string }[];
  traits?: Record<string, unknown>;
}
const catalog = EMULATED_OPERATIONS.organizations;
const model = JSON.parse(
  readFileSync(resolve(process.cwd(), '__tests__/fixtures/contracts/aws', catalog.model), 'utf8'),
) as { shapes: Record<string, Shape> };
const shortName = (id: string) => id.split('#')[1] ?? id;
function shape(id: string): Shape {
  const found = model.shapes[id];
  if (!found) throw new Error(`${id} is not in the Organizations model`);
  return found;
}
const operationShape = (operation: string) => shape(`${catalog.namespace}#${operation}`);
const modelErrors = (operation: string) =>
  (operationShape(operation).errors ?? []).map((e) => shortName(e.target));

function unknownMembers(value: unknown, shapeId: string, path = ''): string[] {
  const s = shape(shapeId);
  if (value === null || value === undefined) return [];
  if (s.type === 'structure') {
    if (typeof value !== 'object' || Array.isArray(value)) return [`${path || '/'} is not an object`];
    return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
      const member = s.members?.[key];
      if (!member) return [`${path}/${key} (not a member of ${shortName(shapeId)})`];
      return unknownMembers(v, member.target, `${path}/${key}`);
    });
  }
  if (s.type === 'list') {
    if (!Array.isArray(value)) return [`${path} is not a list`];
    return value.flatMap((v, i) => unknownMembers(v, s.member!.target, `${path}/${i}`));
  }
  return [];
}

/** Outputs on 2xx, error codes, statuses and members otherwise, all against the model. */
function checkExchanges(exchanges: RawExchange[]): string[] {
  const problems: string[] = [];
  for (const exchange of exchanges) {
    const operation = exchange.target.split('.')[1]!;
    const body = JSON.parse(exchange.body) as Record<string, unknown>;
    if (exchange.status < 300) {
      problems.push(...unknownMembers(body, operationShape(operation).output!.target, operation));
      continue;
    }
    const code = String(body.__type).split('#')[1]!;
    if (!modelErrors(operation).includes(code)) problems.push(`${operation}: ${code} is not a model error`);
    const { __type: _type, ...members } = body;
    problems.push(...unknownMembers(members, `${catalog.namespace}#${code}`, `${operation}!${code}`));
    const status = shape(`${catalog.namespace}#${code}`).traits?.['smithy.api#httpError'];
    if (status !== exchange.status)
      problems.push(`${operation}: ${code} answered ${exchange.status}, the model says ${String(status)}`);
  }
  return problems;
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

function client(exchanges: RawExchange[]) {
  return new organizations.OrganizationsClient({
    region: 'eu-west-1',
    endpoint: emulator.env.AWS_ENDPOINT_URL_ORGANIZATIONS,
    credentials: staticCredentials(emulator),
    maxAttempts: 1,
    requestHandler: capturingHandler(exchanges),
  });
}

function calls(c: organizations.OrganizationsClient) {
  const prod = emulator.aws.organization.ouId('Root/Workloads/Prod');
  return {
    ListRoots: () => c.send(new organizations.ListRootsCommand({})),
    ListOrganizationalUnitsForParent: () =>
      c.send(
        new organizations.ListOrganizationalUnitsForParentCommand({ ParentId: 'r-emu1', MaxResults: 1 }),
      ),
    ListAccountsForParent: () =>
      c.send(new organizations.ListAccountsForParentCommand({ ParentId: prod, MaxResults: 20 })),
    ListAccounts: () => c.send(new organizations.ListAccountsCommand({ MaxResults: 2 })),
    ListChildren: () =>
      c.send(new organizations.ListChildrenCommand({ ParentId: 'r-emu1', ChildType: 'ORGANIZATIONAL_UNIT' })),
    DescribeAccount: () => c.send(new organizations.DescribeAccountCommand({ AccountId: '111111111111' })),
    DescribeOrganizationalUnit: () =>
      c.send(new organizations.DescribeOrganizationalUnitCommand({ OrganizationalUnitId: prod })),
  } satisfies Record<string, () => Promise<unknown>>;
}

describe('Organizations: the emulator answers as the model says', () => {
  it('every emulated operation is in the model, and every error it can answer is a model error of that operation', () => {
    const service = shape(`${catalog.namespace}#${catalog.serviceShape}`);
    const served = (service.operations ?? []).map((o) => shortName(o.target));
    for (const [operation, { errors }] of Object.entries(catalog.operations)) {
      expect(served).toContain(operation);
      expect({ operation, unknown: errors.filter((e) => !modelErrors(operation).includes(e)) }).toEqual({
        operation,
        unknown: [],
      });
    }
  });

  it('every operation answers with members of its output shape, paginated with NextToken', async () => {
    const exchanges: RawExchange[] = [];
    const c = client(exchanges);
    const all = calls(c);
    expect(Object.keys(all).sort()).toEqual(Object.keys(catalog.operations).sort());
    for (const call of Object.values(all)) await call();
    expect(exchanges.map((e) => e.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
    expect(checkExchanges(exchanges)).toEqual([]);
    const firstOus = JSON.parse(exchanges[1]!.body) as { OrganizationalUnits: unknown[]; NextToken?: string };
    expect(firstOus.OrganizationalUnits).toHaveLength(1);
    const next = await c.send(
      new organizations.ListOrganizationalUnitsForParentCommand({
        ParentId: 'r-emu1',
        NextToken: firstOus.NextToken!,
      }),
    );
    expect(next.OrganizationalUnits?.map((u) => u.Name)).toEqual(['Sandbox']);
    const accounts = await c.send(
      new organizations.ListAccountsForParentCommand({
        ParentId: emulator.aws.organization.ouId('Root/Workloads/Dev'),
      }),
    );
    expect(accounts.Accounts?.map((a) => [a.Id, a.Status])).toEqual([
      ['333333333333', 'ACTIVE'],
      ['444444444444', 'SUSPENDED'],
    ]);
    const every = await organizations.paginateListAccounts({ client: c, pageSize: 2 }, {});
    const listed: string[] = [];
    for await (const page of every) listed.push(...(page.Accounts ?? []).map((a) => a.Id!));
    expect(listed.sort()).toEqual(
      ['123456789012', '111111111111', '222222222222', '333333333333', '444444444444'].sort(),
    );
  });

  it.each([
    ['throttleRate', { throttleRate: 1 }, 'TooManyRequestsException'],
    ['serverErrorRate', { serverErrorRate: 1 }, 'ServiceException'],
    ['accessDenied', { accessDenied: Object.keys(catalog.operations) }, 'AccessDeniedException'],
  ] as const)(
    'every operation answers injected %s with a model error shape',
    async (_fault, faults, code) => {
      Object.assign(emulator.aws.faults, faults);
      const exchanges: RawExchange[] = [];
      for (const [operation, call] of Object.entries(calls(client(exchanges)))) {
        const error = await rejection(call());
        expect({ operation, name: error.name }).toEqual({ operation, name: code });
      }
      expect(checkExchanges(exchanges)).toEqual([]);
    },
  );

  it('an unknown parent, a malformed ID and a bad page token are the model errors', async () => {
    const exchanges: RawExchange[] = [];
    const c = client(exchanges);
    const missing = await rejection(
      c.send(new organizations.ListAccountsForParentCommand({ ParentId: 'ou-zzzz-zzzzzzzz' })),
    );
    expect(missing.name).toBe('ParentNotFoundException');
    const malformed = await rejection(
      c.send(new organizations.ListOrganizationalUnitsForParentCommand({ ParentId: 'OU-NOPE' })),
    );
    expect(malformed).toMatchObject({ name: 'InvalidInputException', Reason: 'INVALID_PATTERN' });
    const token = await rejection(
      c.send(new organizations.ListRootsCommand({ NextToken: 'bm90LWEtdG9rZW4' })),
    );
    expect(token).toMatchObject({ name: 'InvalidInputException', Reason: 'INVALID_PAGINATION_TOKEN' });
    const noOu = await rejection(
      c.send(
        new organizations.DescribeOrganizationalUnitCommand({ OrganizationalUnitId: 'ou-zzzz-zzzzzzzz' }),
      ),
    );
    expect(noOu.name).toBe('OrganizationalUnitNotFoundException');
    const noAccount = await rejection(
      c.send(new organizations.DescribeAccountCommand({ AccountId: '999999999999' })),
    );
    expect(noAccount.name).toBe('AccountNotFoundException');
    expect(checkExchanges(exchanges)).toEqual([]);
  });
});
