// The sub-actions (grant/, revoke/, … beside the root action.yml) are what `npm run
// actions:generate` writes from action.yml and src/core/inputs/operation-inputs.ts, each declares
// the inputs its operation reads (as the product's interface names them) and no other, and each
// holds to the schema and the Marketplace's limits.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generatedSubAction, subActionFile } from '../../scripts/actions/generate.js';
import { declaredBy, SUB_ACTION_NAMES } from '../../scripts/actions/sub-actions.js';
import { actionYmlProblems, marketplaceProblems } from '../../scripts/workflows/lint-action.js';
import { SUB_ACTIONS, type SubAction } from '../../src/core/inputs/operation-inputs.js';

const ROOT = join(import.meta.dirname, '..', '..');
const committed = (name: SubAction) => readFileSync(subActionFile(name), 'utf8');
const root = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string }>;
  runs: Record<string, string>;
};

const SIGN_IN = {
  aws: ['aws-region', 'role-to-assume', 'role-session-name', 'instance-arn', 'identity-store-id'],
  azure: ['client-id', 'tenant-id', 'environment', 'authority-host', 'resource-manager-endpoint'],
};
const AZURE_WRITES = [
  'assignment-name',
  'condition',
  'condition-version',
  'description',
  'delegated-managed-identity-resource-id',
];
const EVERY_STEP = ['cloud', 'timeout-seconds', 'dry-run', 'max-concurrency', 'audience'];
const GRANT_LISTS = ['principal', 'principal-type', 'target', 'role', 'wait', 'duration'];
/** Every operation that writes records its changes where `audit-log` says (docs/audit.md). */
const RECORDS = ['audit-log'];
/** AWS: whatever revokes ends the sessions the deleted assignment left live (docs/inputs-and-outputs.md). */
const ENDS_SESSIONS = ['end-sessions'];

/**
 * What each operation reads, as the product's interface says (docs/inputs-and-outputs.md, and
 * the operations' own pages): the oracle the generated files are held to, written apart from
 * the table they are generated from.
 */
const READS: Record<SubAction, string[]> = {
  grant: [
    ...EVERY_STEP,
    ...RECORDS,
    ...ENDS_SESSIONS,
    ...GRANT_LISTS,
    'revoke-on-exit',
    'post-timeout-seconds',
    ...SIGN_IN.aws,
    ...SIGN_IN.azure,
    ...AZURE_WRITES,
    // Azure PIM eligibility (docs/azure-setup.md, "Eligibility: who may activate a role").
    'assignment-type',
    'graph-endpoint',
    // A membership of a group not yet managed by PIM for groups (docs/azure-setup.md).
    'pim-onboard',
    // Azure revoke-on-exit: which runs named on a full shared grant have ended (docs/ephemeral-access.md).
    'github-token',
  ],
  revoke: [
    ...EVERY_STEP,
    ...RECORDS,
    ...ENDS_SESSIONS,
    ...GRANT_LISTS,
    ...SIGN_IN.aws,
    ...SIGN_IN.azure,
    ...AZURE_WRITES,
    'assignment-type',
    'graph-endpoint',
  ],
  provision: [...EVERY_STEP, ...RECORDS, 'target', 'role', 'wait', ...SIGN_IN.aws, 'only-outdated'],
  reconcile: [
    ...EVERY_STEP,
    ...RECORDS,
    ...ENDS_SESSIONS,
    ...SIGN_IN.aws,
    ...SIGN_IN.azure,
    'graph-endpoint',
    'manifest',
    'max-deletions',
    // Whose live claims leave what the plan would delete in place.
    'created-by',
    'github-token',
    'lookback',
    // AWS: where what it read is kept, and how often it reads completely anyway.
    'snapshot',
    'full-read-every',
    'event-history-roles',
    // Azure: whether a manifest's group (`azure.groups`) PIM does not manage yet may be onboarded.
    'pim-onboard',
    // AWS: what a permission-set change allows, proven before any write (docs/access-as-code.md).
    'policy-checks',
  ],
  sweep: [
    ...EVERY_STEP,
    ...RECORDS,
    ...ENDS_SESSIONS,
    'target',
    ...SIGN_IN.aws,
    ...SIGN_IN.azure,
    'graph-endpoint',
    'max-deletions',
    'created-by',
    'github-token',
    'lookback',
    'fail-on-stuck',
  ],
  report: [
    ...EVERY_STEP,
    'target',
    'role',
    ...SIGN_IN.aws,
    ...SIGN_IN.azure,
    'graph-endpoint',
    'manifest',
    'created-by',
    'github-token',
    'lookback',
    'expand-groups',
    'compare-to',
    'snapshot',
    'full-read-every',
    'event-history-roles',
    // Who last used each grant (docs/report.md, "Who last used a grant").
    'last-used',
    'usage-source',
    'unused-after',
    'prune',
  ],
  // The requester and the grant's kind come from the policy; the session name carries the claim.
  request: [
    ...EVERY_STEP,
    ...RECORDS,
    ...ENDS_SESSIONS,
    'target',
    'role',
    'wait',
    'duration',
    ...SIGN_IN.aws.filter((input) => input !== 'role-session-name'),
    ...SIGN_IN.azure,
    ...AZURE_WRITES,
    'graph-endpoint',
    'policy',
    'rule',
    'justification',
    'github-token',
  ],
  // The report's scope, the campaign's GitHub inputs, and at the due date revoke's (docs/review.md).
  review: [
    ...EVERY_STEP,
    ...RECORDS,
    ...ENDS_SESSIONS,
    'target',
    'role',
    ...SIGN_IN.aws,
    ...SIGN_IN.azure,
    'graph-endpoint',
    'manifest',
    'created-by',
    'github-token',
    'lookback',
    'snapshot',
    'full-read-every',
    'event-history-roles',
    'campaign',
    // A named campaign's start when the reviewers file gives none (docs/review.md).
    'campaign-start',
    // The access policy's `people`: which rows grant a reviewer (self-review).
    'policy',
    'reviewers',
    // Who last used each row (docs/review.md, "Who last used each row"); its window is the
    // reviewers file's `unused-after`.
    'last-used',
    'usage-source',
  ],
};

const SETS: Record<SubAction, string[]> = {
  grant: ['status', 'request-id', 'failure-reason', 'changed', 'assignment-id', 'expires-at', 'results'],
  revoke: ['status', 'request-id', 'failure-reason', 'changed', 'assignment-id', 'results'],
  provision: ['status', 'request-id', 'failure-reason', 'changed', 'results'],
  reconcile: [
    'status',
    'request-id',
    'failure-reason',
    'changed',
    'results',
    'plan',
    'drift',
    'drift-remaining',
    'missed',
    'policy-checks',
  ],
  sweep: ['status', 'request-id', 'failure-reason', 'changed', 'results', 'plan'],
  report: [
    'status',
    'request-id',
    'failure-reason',
    'changed',
    'results',
    'plan',
    'report-json',
    'report-csv',
    'changes',
    'missed',
    'evidence-complete',
    'prune-pull-request',
  ],
  request: ['status', 'request-id', 'failure-reason', 'changed', 'assignment-id', 'expires-at', 'results'],
  review: ['status', 'request-id', 'failure-reason', 'changed', 'results', 'review'],
};

describe('the sub-actions beside the root action', () => {
  it('are one per operation', () => {
    expect(Object.values(SUB_ACTIONS).sort()).toEqual(
      ['assign', 'provision', 'reconcile', 'report', 'request', 'review', 'revoke', 'sweep'].sort(),
    );
  });

  it.each(SUB_ACTION_NAMES)(
    '%s/action.yml is what `npm run actions:generate` writes from action.yml (run it after changing either)',
    async (name) => {
      expect(committed(name)).toBe(await generatedSubAction(name));
    },
  );

  it.each(SUB_ACTION_NAMES)('%s declares the inputs its operation reads, and no other', (name) => {
    expect(declaredBy(committed(name)).inputs.sort()).toEqual([...READS[name]].sort());
  });

  it.each(SUB_ACTION_NAMES)('%s declares the outputs its operation sets, and no other', (name) => {
    expect(declaredBy(committed(name)).outputs.sort()).toEqual([...SETS[name]].sort());
  });

  it.each(SUB_ACTION_NAMES)("%s's inputs and outputs are the root action's, word for word", (name) => {
    const sub = parse(committed(name)) as typeof root;
    for (const [input, declared] of Object.entries(sub.inputs)) expect(declared).toEqual(root.inputs[input]);
    for (const [output, declared] of Object.entries(sub.outputs))
      expect(declared).toEqual(root.outputs[output]);
  });

  it.each(SUB_ACTION_NAMES)(
    "%s runs the root action's bundle, its own entry, and only grant has the post step",
    (name) => {
      const { runs } = parse(committed(name)) as typeof root;
      expect(runs).toEqual({
        using: root.runs.using,
        main: `../dist/${name}.js`,
        ...(name === 'grant' ? { post: `../${root.runs.post}`, 'post-if': root.runs['post-if'] } : {}),
      });
    },
  );

  it.each(SUB_ACTION_NAMES)("%s holds to the action schema and the Marketplace listing's limits", (name) => {
    expect(actionYmlProblems(committed(name))).toEqual([]);
    expect(marketplaceProblems(committed(name))).toEqual([]);
  });

  it('leaves the root action whole: every input and output, and `operation`', () => {
    expect(Object.keys(root.inputs)).toContain('operation');
    const declared = new Set(SUB_ACTION_NAMES.flatMap((name) => declaredBy(committed(name)).inputs));
    expect(Object.keys(root.inputs).filter((input) => !declared.has(input))).toEqual(['operation']);
  });
});
