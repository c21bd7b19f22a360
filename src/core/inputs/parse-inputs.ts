// Reads the action's inputs into a typed `StepConfig`. Pure: every check happens here, before any
// network call, and every problem is reported at once with the input it concerns. What only one
// cloud or one operation reads is parsed by that cloud's or operation's parser (`InputParsers`),
// handed in: the step loads only its own (steps/input-parsers.ts), ./index.ts every one.
import { InputErrors } from '../errors.js';
import { parseAuditLog } from './audit-log.js';
import type { parseAwsInputs } from './aws.js';
import type { parseAzureInputs } from './azure.js';
import type { OperationRequest, StepConfig, StepOperation, WorkflowContext } from './config.js';
import {
  booleanInput,
  integerInput,
  listInput,
  MAX_TIMEOUT_SECONDS,
  oneOf,
  Problems,
  type InputReader,
} from './fields.js';
import type { ListInputs } from './grants.js';
import { checkManifestOperation } from './manifest-input.js';
import { STEP_OPERATIONS } from './operation-inputs.js';
import { checkOtherCloudInputs } from './other-cloud.js';
import { checkRequestOnlyInputs, checkSweepOnlyInputs, checkUnreadInputs } from './other-operation.js';
import type { parseReconcileInputs } from './reconcile-inputs.js';
import type { parseReportInputs } from './report-inputs.js';
import type { parseRequestInputs } from './request-inputs.js';
import type { parseReviewInputs } from './review-inputs.js';
import type { parseSweepInputs } from './sweep-inputs.js';

/**
 * The parsers of what one cloud or one operation reads, by name. A step needs its cloud's (none
 * when `cloud` names no cloud) and its operation's (none for `assign`, `revoke` and `provision`);
 * one it needs and lacks is the program's mistake, never the workflow's.
 */
export interface InputParsers {
  aws?: typeof parseAwsInputs;
  azure?: typeof parseAzureInputs;
  reconcile?: typeof parseReconcileInputs;
  sweep?: typeof parseSweepInputs;
  report?: typeof parseReportInputs;
  request?: typeof parseRequestInputs;
  review?: typeof parseReviewInputs;
}

function loaded<P>(parser: P | undefined, name: keyof InputParsers): P {
  if (!parser) throw new Error(`the parser of the ${name} inputs was not loaded`);
  return parser;
}

const MAX_CONCURRENCY = 100;
/**
 * `max-concurrency` left empty: as many grants at once as the service lets go. AWS: the 15
 * CreateAccountAssignment calls IAM Identity Center lets be outstanding (a 16th only waits for a
 * slot). Azure: enough PUTs in flight to spend ARM's write bucket (200, then 10 a second) as fast
 * as it refills: 300 writes in the 10 s that allows need 30 a second, and ARM takes up to about a
 * second to answer one (`npm run bench:azure` with ARM_LATENCY_MS=1000: 10 at once take 3.5× that
 * bound, 20 take 1.95×, 30 and 40 take 1.73×, the step's own round trips).
 */
export const DEFAULT_MAX_CONCURRENCY = { aws: 15, azure: 30 } as const;

/**
 * `parsers`: those of the chosen cloud and operation, at least. `context`: the run the step belongs to (github/run-context.ts reads it from the runner). `now`:
 * the clock an AWS `duration`'s expiry is counted from (epoch ms), read once, when the step runs.
 */
export function parseInputsWith(
  parsers: InputParsers,
  read: InputReader,
  env: NodeJS.ProcessEnv = {},
  context: WorkflowContext = {},
  now: () => number = Date.now,
): StepConfig {
  const problems = new Problems();
  const { cloud, operation } = cloudAndOperation(problems, read);
  const auditLog = parseAuditLog(problems, read, cloud, operation ?? 'assign');
  const common = {
    ...commonInputs(problems, read, cloud, operation, context),
    ...(auditLog ? { auditLog } : {}),
  };
  checkRevokeOnExit(problems, common);

  // A reconcile's grants come from its manifest, a sweep's from the runs that made them; a report
  // makes none (its `target` and `role` narrow what it reads).
  const listed = !['reconcile', 'sweep', 'report', 'request', 'review'].includes(common.operation);
  const lists = {
    principals: listInput(problems, read, 'principal', listed && common.operation !== 'provision'),
    targets: listInput(problems, read, 'target', listed),
    roles: listInput(problems, read, 'role', listed),
  };
  const request = operationRequest(parsers, common.operation, problems, read, lists, cloud);
  checkManifestOperation(problems, read, common.operation);
  checkSweepOnlyInputs(problems, read, common.operation);
  checkRequestOnlyInputs(problems, read, common.operation);
  if (cloud) checkOtherCloudInputs(problems, read, cloud);
  const withLists = {
    ...common,
    // A sweep's and a report's `target` and `role` are their request's, and make no grant.
    ...('sweep' in request || 'report' in request || 'review' in request
      ? { principals: [], targets: [], roles: [] }
      : lists),
  };
  const config =
    cloud === 'aws'
      ? loaded(parsers.aws, 'aws')(problems, read, env, withLists, request, now)
      : cloud === 'azure'
        ? // `provision` on Azure is refused above: this config is never returned.
          loaded(parsers.azure, 'azure')(
            problems,
            read,
            env,
            withLists,
            request.operation === 'provision' ? { operation: 'assign' } : request,
          )
        : undefined;
  // Last: an input another check refused already is not refused again.
  if (cloud && operation) checkUnreadInputs(problems, read, operation);
  if (problems.list.length > 0 || !config) throw new InputErrors(problems.list);
  return config;
}

/** The `cloud` and `operation` inputs, and whether they go together. */
function cloudAndOperation(
  problems: Problems,
  read: InputReader,
): { cloud: 'aws' | 'azure' | undefined; operation: StepOperation | undefined } {
  const cloudText = read('cloud').trim();
  const cloud =
    cloudText === ''
      ? problems.add('cloud', 'is required', 'set it to `aws` or `azure`')
      : oneOf(problems, 'cloud', cloudText.toLowerCase(), ['aws', 'azure'] as const);
  const operationText = read('operation').trim() || 'assign';
  const operation = oneOf(problems, 'operation', operationText.toLowerCase(), STEP_OPERATIONS);
  if (cloud === 'azure' && operation === 'provision') {
    problems.add(
      'operation',
      '`provision` re-provisions AWS permission sets and exists only for `cloud: aws`',
      'use `assign` or `revoke`',
    );
  }
  return { cloud, operation };
}

/** The inputs every operation shares: its budgets, `wait`, `dry-run`, `revoke-on-exit`. */
function commonInputs(
  problems: Problems,
  read: InputReader,
  cloud: 'aws' | 'azure' | undefined,
  operation: StepOperation | undefined,
  context: WorkflowContext,
) {
  return {
    operation: operation ?? ('assign' as StepOperation),
    wait: booleanInput(problems, read, 'wait', true),
    timeoutSeconds: integerInput(problems, read, 'timeout-seconds', 300, MAX_TIMEOUT_SECONDS),
    postTimeoutSeconds: integerInput(problems, read, 'post-timeout-seconds', 300, MAX_TIMEOUT_SECONDS),
    revokeOnExit: booleanInput(problems, read, 'revoke-on-exit', false),
    dryRun: booleanInput(problems, read, 'dry-run', false),
    maxConcurrency: integerInput(
      problems,
      read,
      'max-concurrency',
      DEFAULT_MAX_CONCURRENCY[cloud ?? 'aws'],
      MAX_CONCURRENCY,
    ),
    run: context,
  };
}

/** `revoke-on-exit` revokes what the step created: a revoke, a provision or a dry run creates nothing. */
function checkRevokeOnExit(
  problems: Problems,
  common: { revokeOnExit: boolean; operation: StepOperation; dryRun: boolean },
): void {
  if (common.revokeOnExit && common.operation === 'reconcile') {
    problems.add(
      'revoke-on-exit',
      'does not apply to `operation: reconcile`: a reconcile leaves the cloud as the manifest says',
      'remove `revoke-on-exit`',
    );
  } else if (common.revokeOnExit && common.operation === 'sweep') {
    problems.add(
      'revoke-on-exit',
      'does not apply to `operation: sweep`: a sweep creates nothing, it ends what ephemeral steps left behind',
      'remove `revoke-on-exit`',
    );
  } else if (common.revokeOnExit && common.operation === 'report') {
    problems.add(
      'revoke-on-exit',
      'does not apply to `operation: report`: a report reads, and writes nothing',
      'remove `revoke-on-exit`',
    );
  } else if (common.revokeOnExit && common.operation !== 'assign') {
    problems.add('revoke-on-exit', `applies to \`operation: assign\` only, not \`${common.operation}\``);
  } else if (common.revokeOnExit && common.dryRun) {
    problems.add(
      'revoke-on-exit',
      'does nothing in a dry run: a dry run creates nothing for the post step to revoke',
      "set it only when `dry-run` is false, e.g. `revoke-on-exit: ${{ github.event_name != 'pull_request' }}` beside `dry-run: ${{ github.event_name == 'pull_request' }}`",
    );
  }
}

/** The operation, with its request parsed from the inputs for those that have one. */
function operationRequest(
  parsers: InputParsers,
  operation: StepOperation,
  problems: Problems,
  read: InputReader,
  lists: ListInputs,
  cloud: 'aws' | 'azure' | undefined,
): OperationRequest | { operation: 'provision' } {
  if (operation === 'reconcile')
    return { operation, reconcile: loaded(parsers.reconcile, operation)(problems, read, lists, cloud) };
  if (operation === 'sweep')
    return { operation, sweep: loaded(parsers.sweep, operation)(problems, read, lists, cloud) };
  if (operation === 'report')
    return { operation, report: loaded(parsers.report, operation)(problems, read, lists, cloud) };
  if (operation === 'request')
    return { operation, request: loaded(parsers.request, operation)(problems, read, lists, cloud) };
  if (operation === 'review')
    return { operation, ...loaded(parsers.review, operation)(problems, read, lists, cloud) };
  return { operation };
}

/**
 * The cloud and the operation the inputs choose, as far as they name one: what the step loads the
 * parsers of. Their problems are the parse's to report.
 */
export const chosenCloudAndOperation = (read: InputReader) => cloudAndOperation(new Problems(), read);
