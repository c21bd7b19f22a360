// Which operations read each input and set each output, on which clouds, and the sub-action of each
// operation: the one table the sub-actions' action.yml files (`npm run actions:generate`), the
// reference (`npm run docs:reference`), the refusal of inputs only one operation reads and a
// sub-action's refusal of the inputs it does not declare (./sub-action-inputs.ts) are written
// from. action.yml stays the source of names, defaults and descriptions.
import type { Cloud } from '../types.js';
import { EFFECT_INPUTS } from './effect-inputs.js';
import type { StepOperation } from './step-operation.js';

export const STEP_OPERATIONS = [
  'assign',
  'revoke',
  'provision',
  'reconcile',
  'sweep',
  'report',
  'request',
  'review',
] as const satisfies readonly StepOperation[];

export const CLOUDS = ['aws', 'azure'] as const satisfies readonly Cloud[];

/** Who reads an input or sets an output: these operations, on these clouds. */
export interface Reach {
  operations: readonly StepOperation[];
  clouds: readonly Cloud[];
}

const ALL = STEP_OPERATIONS;
const BOTH = CLOUDS;
/**
 * The operations that write grants from the step's inputs. A request's grant is an assign made
 * from the policy's rule: it reads every input an assign reads but those the rule decides
 * (`principal`, `principal-type`, `revoke-on-exit`; operations/request/index.ts).
 */
const WRITES_GRANTS = ['assign', 'revoke', 'request'] as const;
/** A request signs in under the session name that carries its claim (`-t<expiry>`), never another. */
const NAMES_ITS_SESSION = ALL.filter((operation) => operation !== 'request');

const reach = (operations: readonly StepOperation[], clouds: readonly Cloud[] = BOTH): Reach => ({
  operations,
  clouds,
});

/** Every input of action.yml but `operation`, which a sub-action fixes. */
export const INPUT_READERS: Record<string, Reach> = {
  cloud: reach(ALL),
  operation: reach(ALL),
  principal: reach(['assign', 'revoke']),
  'principal-type': reach(['assign', 'revoke']),
  target: reach(['assign', 'revoke', 'provision', 'sweep', 'report', 'request', 'review']),
  role: reach(['assign', 'revoke', 'provision', 'report', 'request', 'review']),
  wait: reach(['assign', 'revoke', 'provision', 'request']),
  'timeout-seconds': reach(ALL),
  'revoke-on-exit': reach(['assign']),
  'post-timeout-seconds': reach(['assign']),
  duration: reach(WRITES_GRANTS),
  'dry-run': reach(ALL),
  'max-concurrency': reach(ALL),
  audience: reach(ALL),
  'aws-region': reach(ALL, ['aws']),
  'role-to-assume': reach(ALL, ['aws']),
  'role-session-name': reach(NAMES_ITS_SESSION, ['aws']),
  'instance-arn': reach(ALL, ['aws']),
  'identity-store-id': reach(ALL, ['aws']),
  'only-outdated': reach(['provision'], ['aws']),
  ...Object.fromEntries(
    Object.entries(EFFECT_INPUTS).map(([name, input]) => [name, reach(input.operations, input.clouds)]),
  ),
  'client-id': reach(ALL, ['azure']),
  'tenant-id': reach(ALL, ['azure']),
  environment: reach(ALL, ['azure']),
  'authority-host': reach(ALL, ['azure']),
  'resource-manager-endpoint': reach(ALL, ['azure']),
  'assignment-name': reach(WRITES_GRANTS, ['azure']),
  // A reconcile's entry says `type: eligible`; a request's rule makes an active assignment.
  'assignment-type': reach(['assign', 'revoke'], ['azure']),
  condition: reach(WRITES_GRANTS, ['azure']),
  'condition-version': reach(WRITES_GRANTS, ['azure']),
  description: reach(WRITES_GRANTS, ['azure']),
  'delegated-managed-identity-resource-id': reach(WRITES_GRANTS, ['azure']),
  'graph-endpoint': reach(ALL, ['azure']),
  manifest: reach(['reconcile', 'report', 'review']),
  'max-deletions': reach(['reconcile', 'sweep']),
  'policy-checks': reach(['reconcile'], ['aws']),
  'created-by': reach(['sweep', 'report', 'reconcile', 'review']),
  rule: reach(['request']),
  policy: reach(['request', 'review']),
  justification: reach(['request']),
  // Azure `revoke-on-exit` reads it to make room on a shared grant (azure/arm/ended-reliers.ts);
  // an AWS grant step leaves it unread, as every step that does not need it.
  // Every operation that writes records its changes; a report writes nothing.
  'audit-log': reach(['assign', 'revoke', 'provision', 'reconcile', 'sweep', 'request', 'review']),
  'github-token': reach(['assign', 'sweep', 'request', 'reconcile', 'report', 'review']),
  lookback: reach(['sweep', 'report', 'reconcile', 'review'], ['aws']),
  snapshot: reach(['reconcile', 'report', 'review'], ['aws']),
  'full-read-every': reach(['reconcile', 'report', 'review'], ['aws']),
  'event-history-roles': reach(['reconcile', 'report', 'review'], ['aws']),
  'fail-on-stuck': reach(['sweep']),
  'expand-groups': reach(['report']),
  'compare-to': reach(['report']),
  'last-used': reach(['report', 'review']),
  'usage-source': reach(['report', 'review'], ['aws']),
  'unused-after': reach(['report']),
  prune: reach(['report']),
  campaign: reach(['review']),
  'campaign-start': reach(['review']),
  reviewers: reach(['review']),
};

/** Every output of action.yml: the operations that give it a value (the others leave it empty). */
export const OUTPUT_SETTERS: Record<string, Reach> = {
  status: reach(ALL),
  'request-id': reach(ALL),
  'failure-reason': reach(ALL),
  changed: reach(ALL),
  'assignment-id': reach(WRITES_GRANTS, ['azure']),
  'expires-at': reach(['assign', 'request']),
  results: reach(ALL),
  plan: reach(['reconcile', 'sweep', 'report']),
  'report-json': reach(['report']),
  'report-csv': reach(['report']),
  changes: reach(['report']),
  drift: reach(['reconcile']),
  'drift-remaining': reach(['reconcile']),
  missed: reach(['reconcile', 'report'], ['aws']),
  'evidence-complete': reach(['report']),
  'prune-pull-request': reach(['report']),
  'policy-checks': reach(['reconcile'], ['aws']),
  review: reach(['review']),
};

/** The clouds each operation runs on: `provision` re-provisions AWS permission sets. */
export const OPERATION_CLOUDS: Record<StepOperation, readonly Cloud[]> = {
  assign: BOTH,
  revoke: BOTH,
  provision: ['aws'],
  reconcile: BOTH,
  sweep: BOTH,
  report: BOTH,
  request: BOTH,
  review: BOTH,
};

/**
 * The sub-actions, one per operation, each a folder of the repository beside the root action
 * (`uses: cloud-access/cloud-access/grant@v1`): the folder's name, and the operation it runs.
 */
export const SUB_ACTIONS = {
  grant: 'assign',
  revoke: 'revoke',
  provision: 'provision',
  reconcile: 'reconcile',
  sweep: 'sweep',
  report: 'report',
  request: 'request',
  review: 'review',
} as const satisfies Record<string, StepOperation>;
export type SubAction = keyof typeof SUB_ACTIONS;

/** Whether `operation` reads `reached` (an input or output) on a cloud it runs on. */
export function reaches(reached: Reach, operation: StepOperation): boolean {
  return (
    reached.operations.includes(operation) &&
    reached.clouds.some((cloud) => OPERATION_CLOUDS[operation].includes(cloud))
  );
}

/**
 * The inputs `operation` reads, on any cloud it runs on, in `names`' order (action.yml's):
 * `operation` itself aside, which a sub-action fixes.
 */
export function inputsOfOperation(operation: StepOperation, names: readonly string[]): string[] {
  return names.filter((name) => {
    const readers = INPUT_READERS[name];
    return name !== 'operation' && readers !== undefined && reaches(readers, operation);
  });
}

/** The outputs `operation` sets, on any cloud it runs on, in `names`' order (action.yml's). */
export function outputsOfOperation(operation: StepOperation, names: readonly string[]): string[] {
  return names.filter((name) => {
    const setters = OUTPUT_SETTERS[name];
    return setters !== undefined && reaches(setters, operation);
  });
}

/** The inputs that only `operation` reads: set on another operation, they are a mistake. */
export function inputsOnlyOf(operation: StepOperation): string[] {
  return Object.entries(INPUT_READERS)
    .filter(([, readers]) => readers.operations.length === 1 && readers.operations[0] === operation)
    .map(([name]) => name);
}
