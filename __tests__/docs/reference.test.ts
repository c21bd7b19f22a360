// docs/inputs-and-outputs.md's reference of every input and output is what `npm run
// docs:reference` writes from action.yml and scripts/docs/reference/uses.ts, and that table says
// what the source does: the clouds each cloud's own inputs belong to, the edges of each range, and
// the inputs refused on other operations are checked against src/core/inputs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { InputErrors } from '../../src/core/errors.js';
import { parseInputs } from '../../src/core/inputs/index.js';
import { CLOUD_INPUTS } from '../../src/core/inputs/other-cloud.js';
import { INPUT_READERS, OUTPUT_SETTERS } from '../../src/core/inputs/operation-inputs.js';
import { referencePage, REFERENCE_PAGE } from '../../scripts/docs/reference.js';
import { missingUses } from '../../scripts/docs/reference/render.js';
import { INPUT_USES, OUTPUT_USES } from '../../scripts/docs/reference/uses.js';
import { CLOUDS, OPERATIONS, type Cloud, type Operation } from '../../scripts/docs/reference/use.js';

const ROOT = join(import.meta.dirname, '..', '..');
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Parameters<typeof missingUses>[0];

/** A step of `operation` on `cloud` that parses without a problem, for the inputs under test. */
const BASE: Record<Cloud, Partial<Record<Operation, Record<string, string>>>> = {
  aws: {
    assign: { principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess' },
    revoke: { principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess' },
    provision: { role: '*', target: 'ALL_PROVISIONED_ACCOUNTS' },
    reconcile: { manifest: 'access/manifest.yml' },
    sweep: {
      'role-to-assume': 'arn:aws:iam::123456789012:role/cloud-access-sweep',
      'github-token': 'ghs_token',
    },
    report: {},
    review: { 'github-token': 'ghs_token' },
  },
  azure: {
    assign: {
      principal: '11111111-2222-3333-4444-555555555555',
      target: '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14/resourceGroups/rg-app',
      role: 'Reader',
    },
    revoke: {
      principal: '11111111-2222-3333-4444-555555555555',
      target: '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14/resourceGroups/rg-app',
      role: 'Reader',
    },
    reconcile: { manifest: 'access/manifest.yml' },
    sweep: {
      target: '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14/resourceGroups/rg-app',
      'github-token': 'ghs_token',
    },
    report: { target: '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14' },
    review: { target: '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14', 'github-token': 'ghs_token' },
  },
};

/** The inputs a step of `operation` on `cloud`, with `more`, is refused for (none: it parses). */
function refusedInputs(cloud: Cloud, operation: Operation, more: Record<string, string>): string[] {
  const inputs: Record<string, string> = {
    cloud,
    operation,
    'aws-region': cloud === 'aws' ? 'us-east-1' : '',
    ...BASE[cloud][operation],
    ...more,
  };
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
    return [...new Set(error.problems.map((e) => e.input ?? ''))];
  }
}

describe('the reference in docs/inputs-and-outputs.md', () => {
  it('is what `npm run docs:reference` writes from action.yml (run it after changing action.yml)', async () => {
    expect(readFileSync(REFERENCE_PAGE, 'utf8')).toBe(await referencePage());
  });

  it('has an entry in scripts/docs/reference/uses.ts for every input and output of action.yml, and for no other', () => {
    expect(missingUses(action, INPUT_USES, OUTPUT_USES)).toEqual([]);
  });

  it('refuses to render an input that has no entries, naming it and where to add each', () => {
    const withNew = { ...action, inputs: { ...action.inputs, 'not-yet-an-input': { description: 'x' } } };
    expect(missingUses(withNew, INPUT_USES, OUTPUT_USES)).toEqual([
      expect.stringMatching(
        /^input `not-yet-an-input` is in action.yml but not in src\/core\/inputs\/operation-inputs.ts: add its entry to INPUT_READERS/,
      ),
      expect.stringMatching(
        /^input `not-yet-an-input` is in action.yml but not in scripts\/docs\/reference\/uses.ts: add its entry to INPUT_USES/,
      ),
    ]);
  });
});

describe('src/core/inputs/operation-inputs.ts and scripts/docs/reference/uses.ts say what src/core/inputs does', () => {
  it('names only operations and clouds the action has', () => {
    for (const use of [...Object.values(INPUT_READERS), ...Object.values(OUTPUT_SETTERS)]) {
      expect(use.operations.length).toBeGreaterThan(0);
      for (const operation of use.operations) expect(OPERATIONS).toContain(operation);
      for (const cloud of use.clouds) expect(CLOUDS).toContain(cloud);
    }
  });

  it.each(CLOUDS)("gives each of %s's own inputs that cloud alone", (cloud) => {
    for (const input of Object.keys(CLOUD_INPUTS[cloud]))
      expect({ input, clouds: INPUT_READERS[input]?.clouds }).toEqual({ input, clouds: [cloud] });
  });

  it('has every base step parse without a problem', () => {
    for (const cloud of CLOUDS)
      for (const operation of Object.keys(BASE[cloud]) as Operation[])
        expect({ cloud, operation, refused: refusedInputs(cloud, operation, {}) }).toEqual({
          cloud,
          operation,
          refused: [],
        });
  });

  const edges = Object.entries(INPUT_USES).flatMap(([input, use]) =>
    (use.edges ?? []).map((edge) => ({ input, ...edge })),
  );
  it.each(edges)(
    '$input on $cloud: takes $accepts and refuses $refuses',
    ({ input, cloud, operation, accepts, refuses }) => {
      for (const value of accepts)
        expect({ value, refused: refusedInputs(cloud, operation, { [input]: value }) }).toEqual({
          value,
          refused: [],
        });
      for (const value of refuses)
        expect({ value, refused: refusedInputs(cloud, operation, { [input]: value }) }).toEqual({
          value,
          refused: [input],
        });
    },
  );

  /** A value each input refused elsewhere takes on its own operation. */
  const SAMPLE: Record<string, string> = {
    'revoke-on-exit': 'true',
    manifest: 'access/manifest.yml',
    'created-by': 'arn:aws:iam::123456789012:role/cloud-access-ephemeral',
    lookback: '36h',
    policy: '.github/access-policy.yml',
    rule: 'prod-reader',
    justification: 'INC-42',
    campaign: '2026-Q4',
    'campaign-start': '2026-12-01',
    reviewers: '.github/reviewers.yml',
    'fail-on-stuck': 'false',
    'audit-log': 's3://audit-bucket/cloud-access',
  };
  const refusedElsewhere = Object.entries(INPUT_USES).filter(([, use]) => use.refusedElsewhere);
  it.each(refusedElsewhere)('%s is refused on every operation that does not read it', (input) => {
    expect(SAMPLE[input]).toBeDefined();
    const use = INPUT_READERS[input]!;
    for (const cloud of use.clouds)
      for (const operation of Object.keys(BASE[cloud]) as Operation[])
        if (!use.operations.includes(operation))
          expect({
            cloud,
            operation,
            refused: refusedInputs(cloud, operation, { [input]: SAMPLE[input]! }),
          }).toEqual(expect.objectContaining({ refused: expect.arrayContaining([input]) }));
  });
});
