// Sentences of the docs' prose (not the generated reference) that name what the code does: the
// fields of `results`, the inputs one cloud alone reads, what an Azure report reads and costs, the
// permissions it reads with and the CSV's later columns. Each is read from the doc and compared with
// the code, so a change to either that leaves the other behind fails here.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseAzureScope, type AzureScope } from '../../src/core/azure-scope.js';
import { InputErrors } from '../../src/core/errors.js';
import { parseInputs } from '../../src/core/inputs/index.js';
import { INPUT_READERS } from '../../src/core/inputs/operation-inputs.js';
import { CLOUD_INPUTS } from '../../src/core/inputs/other-cloud.js';
import { resultsOutput } from '../../src/core/output/results.js';
import { inertJson } from '../../src/core/inert.js';
import { readEstimate } from '../../src/azure/report/kinds.js';
import { REPORTED_KINDS } from '../../src/azure/kinds.js';
import { permissionFor } from '../../src/azure/sdk/arm-permissions.js';
import { CSV_COLUMNS } from '../../src/operations/report/access-files.js';
import { grantResult } from '../harness/grant-result.js';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** A Markdown section's text: from its heading to the next heading of its level or above. */
function section(doc: string, heading: string): string {
  const start = doc.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const level = heading.match(/^#+/)![0];
  const rest = doc.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  return end < 0 ? rest : rest.slice(0, end);
}

/** The words in backticks of a text. */
const quoted = (text: string): Set<string> => new Set([...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 };

describe('docs/inputs-and-outputs.md, `results`', () => {
  const prose = section(read('docs/inputs-and-outputs.md'), '## `results`');

  it('names every field a `results` entry can have', () => {
    const assign = grantResult({
      cloud: 'azure',
      principal: 'alice@contoso.com',
      target: '/subscriptions/00000000-0000-4000-8000-000000000001',
      role: 'Reader',
      requestId: 'r',
      failureReason: 'f',
      assignmentId: 'a',
      expiresAt: '2026-01-01T00:00:00.000Z',
      assignmentType: 'eligible',
      principalName: 'alice',
      roleName: 'Reader',
      targetName: 'subscription Production',
      request: {
        requester: 'alice',
        requesterId: '583231',
        rule: 'sub-reader',
        justification: 'INC-42',
        approvers: ['carol'],
        policy: '.github/access-policy.yml',
        policyCommit: 'c0ffee',
        expiresAt: '2026-01-01T00:00:00.000Z',
      },
      resolved: {
        cloud: 'aws',
        principalId: 'p',
        principalType: 'USER',
        accountId: '111111111111',
        roleId: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
      },
    });
    const provision = grantResult({ operation: 'provision', detail: {} as never });
    const fields = new Set(
      (JSON.parse(inertJson(resultsOutput([assign, provision]))) as Record<string, unknown>[]).flatMap(
        Object.keys,
      ),
    );
    const named = quoted(prose);
    expect([...fields].filter((f) => !named.has(f))).toEqual([]);
  });
});

describe('docs/inputs-and-outputs.md, how inputs are read', () => {
  const prose = section(read('docs/inputs-and-outputs.md'), '## How inputs are read').replace(/\s+/g, ' ');
  const order = Object.keys((parse(read('action.yml')) as { inputs: Record<string, unknown> }).inputs);
  const range = (from: string, to: string): string[] =>
    order.slice(order.indexOf(from), order.indexOf(to) + 1);

  it("names as each cloud's own the inputs that are an error on the other cloud's step", () => {
    const aws = prose.match(/The inputs from `([^`]+)` to `([^`]+)` are AWS's/);
    const azure = prose.match(/and those from `([^`]+)` to `([^`]+)`((?:,? (?:and )?`[^`]+`)*),? Azure's/);
    expect(aws).not.toBeNull();
    expect(azure).not.toBeNull();
    expect(range(aws![1]!, aws![2]!).sort()).toEqual(Object.keys(CLOUD_INPUTS.aws).sort());
    const azureNamed = [...range(azure![1]!, azure![2]!), ...quoted(azure![3]!)];
    expect(azureNamed.sort()).toEqual(Object.keys(CLOUD_INPUTS.azure).sort());
  });
});

/** Steps that parse without a problem, each of an operation that reads few inputs. */
const STEPS: { cloud: 'aws' | 'azure'; operation: string; inputs: Record<string, string> }[] = [
  {
    cloud: 'aws',
    operation: 'assign',
    inputs: { 'aws-region': 'us-east-1', principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess' },
  },
  {
    cloud: 'aws',
    operation: 'provision',
    inputs: { 'aws-region': 'us-east-1', role: '*', target: 'ALL_PROVISIONED_ACCOUNTS' },
  },
  {
    cloud: 'azure',
    operation: 'report',
    inputs: { target: '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14' },
  },
];

/** A value of each input the doc names, other than its default. */
const SET: Record<string, string> = {
  manifest: 'access/manifest.yml',
  'created-by': 'arn:aws:iam::123456789012:role/cloud-access-ephemeral',
  lookback: '30d',
  'fail-on-stuck': 'false',
  rule: 'prod-read',
  policy: '.github/access-policy.yml',
  justification: 'a ticket',
  'revoke-on-exit': 'true',
  'assignment-type': 'eligible',
  duration: '1h',
};

/** The inputs a step is refused for. */
function refused(inputs: Record<string, string>): string[] {
  try {
    parseInputs(
      (name) => inputs[name] ?? '',
      {},
      {},
      () => Date.UTC(2026, 0, 1),
    );
    return [];
  } catch (error) {
    if (!(error instanceof InputErrors)) throw error;
    return error.problems.map((p) => p.input ?? '');
  }
}

describe('docs/inputs-and-outputs.md, inputs set on an operation that does not read them', () => {
  const prose = section(read('docs/inputs-and-outputs.md'), '## How inputs are read').replace(/\s+/g, ' ');
  const sentence = prose.match(/Set on an operation that does not read them, ([^.]*) are errors/);
  const named = [...(sentence?.[1] ?? '').matchAll(/`([a-z-]+)(?:: [a-z]+)?`/g)].map((m) => m[1]!);

  it('are errors, each of those it names', () => {
    expect(named.length).toBeGreaterThan(5);
    for (const { cloud, operation, inputs } of STEPS)
      expect(refused({ cloud, operation, ...inputs })).toEqual([]);
    for (const input of named) {
      const cloud = CLOUD_INPUTS.azure[input] !== undefined ? 'azure' : 'aws';
      const step = STEPS.find(
        (s) => s.cloud === cloud && !INPUT_READERS[input]!.operations.includes(s.operation as never),
      )!;
      const inputs = { cloud, operation: step.operation, ...step.inputs, [input]: SET[input]! };
      expect({ input, step: step.operation, refused: refused(inputs).includes(input) }).toEqual({
        input,
        step: step.operation,
        refused: true,
      });
    }
  });
});

describe('docs/report.md, an Azure report', () => {
  const doc = read('docs/report.md');
  const flat = doc.replace(/\s+/g, ' ');
  const subscription = parseAzureScope('/subscriptions/00000000-0000-4000-8000-000000000001') as AzureScope;
  const lists = REPORTED_KINDS.flatMap((k) => k.lists);

  it('says how many lists it reads a scope, and what a report of one subscription costs', () => {
    const perScope = flat.match(/\((\w+) paged calls a scope/);
    expect(NUMBER_WORDS[perScope![1]!]).toBe(lists.length);
    const cost = flat.match(/An Azure report's fewest calls for a complete read are (\w+) lists per scope/);
    expect(NUMBER_WORDS[cost![1]!]).toBe(lists.length);
    const one = flat.match(/a report of one subscription: (\d+) calls/);
    expect(Number(one![1])).toBe(readEstimate([subscription], REPORTED_KINDS).calls);
  });

  it('lists, among the read-only permissions, the permission of every list it reads', () => {
    const permissions = section(doc, '## Read-only permissions').replace(/\s+/g, ' ');
    for (const { call } of lists) {
      const action = permissionFor(call).replace(/^Microsoft\.Authorization\//, '');
      expect({ call, named: permissions.includes(action) }).toEqual({ call, named: true });
    }
  });
});

describe('docs/report.md, the CSV', () => {
  it('names the columns added after the first version, which come last', () => {
    const sentence = read('docs/report.md')
      .replace(/\s+/g, ' ')
      .match(/Its columns ([^.]*) come last, after those of earlier versions/);
    const later = CSV_COLUMNS.slice(CSV_COLUMNS.indexOf('warning') + 1);
    expect([...quoted(sentence![1]!)]).toEqual(later);
  });
});
