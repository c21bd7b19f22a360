// Who signed in with which grant, from an Athena table over the organization trail
// (`usage-source: athena://<workgroup>/<database>.<table>`): one query per run over the window
// (core/usage/sign-ins-query.ts), followed to its end by the engine's polling within the step's
// deadline, and its result pages (1,000 rows each, the header row first) read back into the
// records core/usage/sign-ins.ts reads, so the rows come out as they do from LookupEvents. The trail
// holds every account and Region, so no Region is listed. A query that FAILED, was CANCELLED or
// still runs at the deadline is evidence not read, said, and never a reason to call a grant unused.
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type GetQueryResultsCommandOutput,
  type Row,
} from '@aws-sdk/client-athena';
import { randomUUID } from 'node:crypto';
import { CloudAccessError, describeError } from '../../core/errors.js';
import type { UsageRequest, UsageSource } from '../../core/inputs/usage-inputs.js';
import { recordOfRow, signInsQuery } from '../../core/usage/sign-ins-query.js';
import { signInsOf } from '../../core/usage/sign-ins.js';
import type { AdapterDeps } from '../../engine/calls/driver.js';
import type { StatusSnapshot } from '../../engine/calls/status.js';
import type { UsageRead } from '../../engine/run/access-reader.js';
import { waitForTerminalStatus } from '../../engine/run/wait-for-status.js';
import { paginate } from '../sdk/paginate.js';
import type { SsoSession } from '../sso/session.js';
import { SIGN_IN_EVENT } from './sign-ins.js';

type AthenaSource = Extract<UsageSource, { kind: 'athena' }>;

/** GetQueryResults' most rows a page (the model's MaxQueryResults). */
export const ATHENA_PAGE = 1_000;
/** A first guess at a query's run: the follower learns the rest from its reads. */
const QUERY_PACING = { key: 'athena-query', expectedMs: 3_000 } as const;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Starts the query; its ID. The token makes a retried start the same query, not a second one. */
async function startQuery(session: SsoSession, source: AthenaSource, sql: string): Promise<string> {
  const command = new StartQueryExecutionCommand({
    QueryString: sql,
    WorkGroup: source.workgroup,
    QueryExecutionContext: { Database: source.database },
    ClientRequestToken: randomUUID(),
  });
  const { QueryExecutionId: id } = await session.sendAthena('StartQueryExecution', (client, signal) =>
    client.send(command, { abortSignal: signal }),
  );
  if (!id) throw new CloudAccessError('Athena started the query without naming it (no QueryExecutionId)');
  return id;
}

/**
 * The query's state, read until it ends or the deadline comes: the last state read (none when the
 * deadline came before the first read) and its reason.
 */
async function followQuery(
  session: SsoSession,
  deps: Pick<AdapterDeps, 'deadline' | 'signal'>,
  id: string,
): Promise<{ state?: string | undefined; reason?: string | undefined }> {
  let last: { state?: string | undefined; reason?: string | undefined } = {};
  const check = async (): Promise<StatusSnapshot> => {
    const { QueryExecution: run } = await session.sendAthena('GetQueryExecution', (client, signal) =>
      client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }), { abortSignal: signal }),
    );
    last = { state: run?.Status?.State ?? 'UNKNOWN', reason: run?.Status?.StateChangeReason };
    if (last.state === 'SUCCEEDED') return { status: 'SUCCEEDED' };
    if (last.state === 'QUEUED' || last.state === 'RUNNING') return { status: 'IN_PROGRESS' };
    return { status: 'FAILED', ...(last.reason ? { failureReason: last.reason } : {}) };
  };
  await waitForTerminalStatus(check, {
    deadline: deps.deadline,
    signal: deps.signal,
    pacing: QUERY_PACING,
    requestId: `Athena query ${id}`,
  });
  return last;
}

/** Every result row but the header, and the column names, with the pages read. */
async function readResults(
  session: SsoSession,
  id: string,
): Promise<{ names: string[]; rows: Row[]; pages: number }> {
  let names: string[] | undefined;
  let pages = 0;
  const rows = await paginate(
    'GetQueryResults',
    (NextToken) =>
      session.sendAthena('GetQueryResults', (client, signal) =>
        client.send(
          new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: ATHENA_PAGE, NextToken }),
          {
            abortSignal: signal,
          },
        ),
      ),
    (page: GetQueryResultsCommandOutput) => {
      pages++;
      names ??= page.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => c.Name ?? '');
      return page.ResultSet?.Rows;
    },
  );
  // The first page's first row is the header: the column names, not a record.
  return { names: names ?? [], rows: rows.slice(1), pages };
}

/** The sign-ins within the window from the trail's table, and what the evidence covers. */
export async function readSignInsFromAthena(
  session: SsoSession,
  deps: Pick<AdapterDeps, 'deadline' | 'signal'>,
  source: AthenaSource,
  request: UsageRequest,
  say: (line: string) => void,
): Promise<Omit<UsageRead, 'members'>> {
  const since = Date.now() - request.unusedAfterMs;
  const table = `${source.database}.${source.table}`;
  const read = { signIns: [], notUses: {}, since, regions: [`every Region of ${table}`], pages: 0 };
  const unread = (why: string): Omit<UsageRead, 'members'> => ({
    ...read,
    gaps: [why],
    unread: why,
    notes: [`usage: no ${SIGN_IN_EVENT} event read from ${table}: ${why}`],
  });
  say(
    `usage: one Athena query in workgroup ${source.workgroup} over ${table} for ${SIGN_IN_EVENT} since ${iso(since)}: 1 StartQueryExecution, its GetQueryExecution polls until it ends, and one GetQueryResults page per ${ATHENA_PAGE} sign-ins (10,000 are 11 pages); Athena bills the data the query scans`,
  );
  let id: string;
  try {
    id = await startQuery(session, source, signInsQuery(source, since));
  } catch (error) {
    return unread(`the Athena query was not started: ${describeError(error)}`);
  }
  try {
    const ended = await followQuery(session, deps, id);
    if (ended.state === undefined || ended.state === 'QUEUED' || ended.state === 'RUNNING')
      return unread(
        `the Athena query ${id} had not ended at the step's deadline${ended.state ? ` (${ended.state} when last read)` : ''}: it runs on in Athena; a longer \`timeout-seconds\` gives it time`,
      );
    if (ended.state !== 'SUCCEEDED')
      return unread(`the Athena query ${id} ended ${ended.state}${ended.reason ? `: ${ended.reason}` : ''}`);
    const { names, rows, pages } = await readResults(session, id);
    const records = rows.map((r) =>
      recordOfRow(
        names,
        (r.Data ?? []).map((d) => d.VarCharValue),
      ),
    );
    const { signIns, notUses } = signInsOf(records, session.identityStore);
    return {
      ...read,
      signIns,
      notUses,
      pages,
      gaps: [],
      notes: [
        `usage: ${records.length} ${SIGN_IN_EVENT} event(s) read from ${table} by Athena query ${id} in ${pages} result page(s): ${signIns.length} sign-in(s)`,
      ],
    };
  } catch (error) {
    return unread(`the Athena query ${id} was not read to its end: ${describeError(error)}`);
  }
}
