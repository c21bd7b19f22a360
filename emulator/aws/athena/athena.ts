// Amazon Athena's query runs (service AmazonAthena, awsJson1_1, `X-Amz-Target:
// AmazonAthena.<Operation>`, signed for `athena`), as athena-2017-05-18.json gives them:
// StartQueryExecution in a workgroup that exists (else InvalidRequestException), idempotent by
// ClientRequestToken; GetQueryExecution, whose Status.State goes QUEUED → RUNNING → SUCCEEDED or
// FAILED (with its StateChangeReason) as time passes (`config.athenaQueuedMs`, `athenaRunningMs`);
// GetQueryResults of a SUCCEEDED query, the header row first on the first page, MaxResults 1–1000
// (default 1000), a NextToken bound to its query. The SQL is the organization trail's table's
// (./trail-table.ts); a query it does not answer, or one `faults.athenaQueryFailures` names, ends
// FAILED. Throttled as TooManyRequestsException, each API on its own `config.athenaTps`.
import { randomUUID } from 'node:crypto';
import type { AwsContext } from '../account/config.js';
import { OWNER_ACCOUNT_ID } from '../account/model.js';
import { principalAccountOf } from '../account/cloudtrail-record.js';
import { createJsonService, type Operation } from '../json/json-service.js';
import { AwsServiceError } from '../protocol/protocol.js';
import { answerQuery, parseQuery, QueryFailure } from './trail-table.js';

export const ATHENA_TARGET_PREFIX = 'AmazonAthena';
export const ATHENA_ERROR_NAMESPACE = 'com.amazonaws.athena';

/** The model's MaxQueryResults: 1–1000; Athena's default is the most. */
const MAX_RESULTS = 1000;
const MAX_QUERY = 262_144;

/** The operations answered, and the errors each can answer (the model's lists). */
export const ATHENA_OPERATIONS = {
  StartQueryExecution: {
    write: false,
    errors: ['InternalServerException', 'InvalidRequestException', 'TooManyRequestsException'],
  },
  GetQueryExecution: { write: false, errors: ['InternalServerException', 'InvalidRequestException'] },
  GetQueryResults: {
    write: false,
    errors: ['InternalServerException', 'InvalidRequestException', 'TooManyRequestsException'],
  },
} as const;

const invalid = (message: string) =>
  new AwsServiceError('InvalidRequestException', 400, message, { AthenaErrorCode: 'INVALID_INPUT' });

interface QueryRun {
  id: string;
  token: string;
  query: string;
  workGroup: string;
  database?: string | undefined;
  catalog?: string | undefined;
  submittedAt: number;
  queuedMs: number;
  runningMs: number;
  outcome: { names: string[]; rows: (string | null)[][]; scannedBytes: number } | { failure: string };
}

type State = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

function stateOf(run: QueryRun, now: number): State {
  const elapsed = now - run.submittedAt;
  if (elapsed < run.queuedMs) return 'QUEUED';
  if (elapsed < run.queuedMs + run.runningMs) return 'RUNNING';
  return 'failure' in run.outcome ? 'FAILED' : 'SUCCEEDED';
}

function text(
  input: Record<string, unknown>,
  member: string,
  required: boolean,
  max: number,
): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) {
    if (required) throw invalid(`${member} is required.`);
    return undefined;
  }
  if (typeof value !== 'string' || value.length < 1 || value.length > max)
    throw invalid(`${member} must be a string of 1 to ${max} characters.`);
  return value;
}

const encodeToken = (id: string, offset: number) =>
  Buffer.from(JSON.stringify({ id, offset }), 'utf8').toString('base64url');

function decodeToken(token: unknown, id: string): number {
  const bad = invalid('The NextToken is not valid, or was given with another QueryExecutionId.');
  if (typeof token !== 'string') throw bad;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      id?: unknown;
      offset?: unknown;
    };
    if (parsed.id !== id || typeof parsed.offset !== 'number' || parsed.offset < 0) throw bad;
    return parsed.offset;
  } catch {
    throw bad;
  }
}

const seconds = (ms: number) => ms / 1000;

/** GetQueryExecution's QueryExecution of the run, as of `now`. */
function execution(run: QueryRun, now: number, region: string) {
  const state = stateOf(run, now);
  const ended = state === 'SUCCEEDED' || state === 'FAILED';
  const endedAt = run.submittedAt + run.queuedMs + run.runningMs;
  return {
    QueryExecutionId: run.id,
    Query: run.query,
    StatementType: 'DML',
    ResultConfiguration: {
      OutputLocation: `s3://aws-athena-query-results-${OWNER_ACCOUNT_ID}-${region}/${run.id}.csv`,
    },
    QueryExecutionContext: {
      ...(run.database ? { Database: run.database } : {}),
      Catalog: run.catalog ?? 'AwsDataCatalog',
    },
    Status: {
      State: state,
      SubmissionDateTime: seconds(run.submittedAt),
      ...(ended ? { CompletionDateTime: seconds(endedAt) } : {}),
      ...(state === 'FAILED' && 'failure' in run.outcome
        ? {
            StateChangeReason: run.outcome.failure,
            // ErrorCategory 2: a user's error (the query), not Athena's.
            AthenaError: { ErrorCategory: 2, Retryable: false, ErrorMessage: run.outcome.failure },
          }
        : {}),
    },
    Statistics: {
      QueryQueueTimeInMillis: Math.min(now - run.submittedAt, run.queuedMs),
      ...(ended
        ? {
            EngineExecutionTimeInMillis: run.runningMs,
            TotalExecutionTimeInMillis: run.queuedMs + run.runningMs,
            DataScannedInBytes: 'failure' in run.outcome ? 0 : run.outcome.scannedBytes,
          }
        : {}),
    },
    WorkGroup: run.workGroup,
    EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
  };
}

/** A new query run (or the one its ClientRequestToken started): its ID. */
function startQuery(aws: AwsContext, runs: Map<string, QueryRun>, input: Record<string, unknown>): string {
  const query = text(input, 'QueryString', true, MAX_QUERY)!;
  const workGroup = text(input, 'WorkGroup', false, 128) ?? 'primary';
  const token = text(input, 'ClientRequestToken', false, 128);
  if (token !== undefined && token.length < 32)
    throw invalid('ClientRequestToken must be 32 to 128 characters.');
  const context = (input.QueryExecutionContext ?? {}) as Record<string, unknown>;
  const database = text(context, 'Database', false, 255);
  const catalog = text(context, 'Catalog', false, 256);
  if (!aws.config.athenaWorkGroups.includes(workGroup)) throw invalid(`WorkGroup ${workGroup} is not found.`);
  if (token !== undefined) {
    const earlier = [...runs.values()].find((r) => r.token === token);
    if (earlier) {
      if (earlier.query !== query || earlier.workGroup !== workGroup)
        throw invalid('The ClientRequestToken was used before with other parameters.');
      return earlier.id;
    }
  }
  const now = Date.now();
  const injected = aws.faults.athenaQueryFailures.shift();
  let outcome: QueryRun['outcome'];
  try {
    if (injected !== undefined) throw new QueryFailure(injected);
    outcome = answerQuery(aws, parseQuery(query, { database }), now);
  } catch (error) {
    if (!(error instanceof QueryFailure)) throw error;
    outcome = { failure: error.message };
  }
  const run: QueryRun = {
    id: randomUUID(),
    token: token ?? randomUUID(),
    query,
    workGroup,
    database,
    catalog,
    submittedAt: now,
    queuedMs: aws.config.athenaQueuedMs,
    runningMs: aws.config.athenaRunningMs,
    outcome,
  };
  runs.set(run.id, run);
  return run.id;
}

/** A page of a SUCCEEDED run's results. */
function resultsPage(run: QueryRun, input: Record<string, unknown>) {
  const max = input.MaxResults ?? MAX_RESULTS;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_RESULTS)
    throw invalid(`MaxResults must be from 1 to ${MAX_RESULTS}.`);
  const state = stateOf(run, Date.now());
  if (state !== 'SUCCEEDED' || 'failure' in run.outcome)
    throw invalid(
      state === 'FAILED'
        ? `Query did not finish successfully. Final query state: ${state}`
        : `Query has not yet finished. Current state: ${state}`,
    );
  const offset =
    input.NextToken === undefined || input.NextToken === null ? 0 : decodeToken(input.NextToken, run.id);
  // The header row (the column names) is the first row of the first page, and counts toward MaxResults.
  const all = [run.outcome.names, ...run.outcome.rows];
  const page = all.slice(offset, offset + max);
  return {
    UpdateCount: 0,
    ResultSet: {
      Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
      ResultSetMetadata: {
        ColumnInfo: run.outcome.names.map((name) => ({
          CatalogName: 'hive',
          SchemaName: '',
          TableName: '',
          Name: name,
          Label: name,
          Type: 'varchar',
          Precision: 2147483647,
          Scale: 0,
          Nullable: 'UNKNOWN',
          CaseSensitive: true,
        })),
      },
    },
    ...(offset + max < all.length ? { NextToken: encodeToken(run.id, offset + max) } : {}),
  };
}

export function createAthenaService(aws: AwsContext) {
  const runs = new Map<string, QueryRun>();

  const runOf = (input: Record<string, unknown>): QueryRun => {
    const id = text(input, 'QueryExecutionId', true, 128)!;
    const run = runs.get(id);
    if (!run) throw invalid(`QUERY_NOT_FOUND: Query ${id} was not found`);
    return run;
  };

  const operations: Record<string, Operation> = {
    StartQueryExecution: {
      ...ATHENA_OPERATIONS.StartQueryExecution,
      rules: {},
      run: (input) => ({ QueryExecutionId: startQuery(aws, runs, input) }),
    },
    GetQueryExecution: {
      ...ATHENA_OPERATIONS.GetQueryExecution,
      rules: {},
      run(input) {
        return { QueryExecution: execution(runOf(input), Date.now(), aws.region) };
      },
    },
    GetQueryResults: {
      ...ATHENA_OPERATIONS.GetQueryResults,
      rules: {},
      run: (input) => resultsPage(runOf(input), input),
    },
  };

  const service = createJsonService(
    {
      service: 'athena',
      targetPrefix: ATHENA_TARGET_PREFIX,
      errorNamespace: ATHENA_ERROR_NAMESPACE,
      signingName: 'athena',
      eventSource: 'athena.amazonaws.com',
      operations,
      rateLimitKey: (operation, caller) =>
        `athena:${operation}:${principalAccountOf(caller.principalArn) ?? OWNER_ACCOUNT_ID}`,
      tps: (context) => context.config.athenaTps,
      throttlingFields: () => ({}),
      throttlingError: (message) => new AwsServiceError('TooManyRequestsException', 400, message),
      errorsCarryRequestId: false,
      accessDeniedResource: (_operation, input) =>
        `arn:aws:athena:${aws.region}:${OWNER_ACCOUNT_ID}:workgroup/${typeof input.WorkGroup === 'string' ? input.WorkGroup : 'primary'}`,
    },
    aws,
  );
  return {
    handle: service.handle,
    reset() {
      runs.clear();
      service.reset();
    },
  };
}
