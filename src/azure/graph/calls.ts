// Graph queries as the resolver asks them: one query alone as a plain GET, several in `$batch`
// requests of at most 20, each item throttled on its own retried after its own Retry-After, every
// collection read to its last `@odata.nextLink` (capped), all inside the step's deadline.
import type { CallRunner } from '../../engine/calls/call-runner.js';
import { waitNotice } from '../../engine/calls/call-notices.js';
import {
  type Deadline,
  DeadlineExceededError,
  RetryAfterPastDeadlineError,
  retryAfterPastDeadline,
} from '../../engine/limits/deadline.js';
import { GRAPH } from './graph-errors.js';
import { chunks } from '../../core/principal-forms.js';
import { GraphError, type JsonClient } from './client.js';
import { retryAfterMs } from '../sdk/azure-errors.js';

/** "A JSON batch request can contain at most 20 individual requests" (https://learn.microsoft.com/graph/json-batching). */
export const BATCH_LIMIT = 20;
/** Pages read of one query at most: a name that matches more than this is refused, not read forever. */
const MAX_PAGES = 5;
/** A throttled batch item without Retry-After (or with a shorter one) waits this long. */
const ITEM_RETRY_DEFAULT_MS = 1_000;

export interface GraphQuery {
  id: string;
  /** Relative to the endpoint: `/v1.0/groups?$filter=…`. */
  path: string;
  /** The first MAX_PAGES pages are enough (names to suggest); a lookup's answer is read whole or refused. */
  partial?: boolean;
}

/**
 * What one query came back with: every object of every page, or the final failure (and, when
 * Graph asked for a wait past the deadline, what it asked: said as it is, not as a deadline passed).
 */
export type QueryAnswer =
  | { ok: true; items: Record<string, unknown>[] }
  | { ok: false; failure: GraphError; waitPastDeadline?: string };

interface BatchItemAnswer {
  id?: string;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export class GraphCalls {
  /** Graph requests sent (each `$batch` counts once), for the log and the benchmark. */
  requests = 0;

  constructor(
    private readonly client: () => JsonClient,
    private readonly call: CallRunner,
    private readonly deadline: Deadline,
    private readonly signal?: AbortSignal,
    /** Where a `$batch` item's wait is said (engine/calls/call-notices.ts); a label lookup's says nothing. */
    private readonly say?: (line: string) => void,
  ) {}

  get endpoint(): string {
    return this.client().endpoint;
  }

  /** Every query's answer by its ID: one GET for one query, else `$batch` requests of at most BATCH_LIMIT. */
  async run(queries: GraphQuery[]): Promise<Map<string, QueryAnswer>> {
    const answers = new Map<string, QueryAnswer>();
    if (queries.length === 1) {
      const [query] = queries as [GraphQuery];
      answers.set(query.id, await this.readAll(query).catch(asFailure));
      return answers;
    }
    for (const batch of chunks(queries, BATCH_LIMIT)) {
      for (const [id, answer] of await this.batch(batch)) answers.set(id, answer);
    }
    return answers;
  }

  /** One GET through the call runner (retried on 429 and 5xx), counted. */
  async get(operation: string, path: string): Promise<unknown> {
    return this.call(operation, (signal) => {
      this.requests++;
      return this.client().get(path, signal);
    });
  }

  /** One POST through the call runner (retried on 429 and 5xx), counted. */
  async post(operation: string, path: string, body: unknown): Promise<unknown> {
    return this.call(operation, (signal) => {
      this.requests++;
      return this.client().post(path, body, signal);
    });
  }

  private async readAll({ path, partial }: GraphQuery, first?: unknown): Promise<QueryAnswer> {
    const items: Record<string, unknown>[] = [];
    let page = first ?? (await this.get(operationOf(path), path));
    for (let n = 1; ; n++) {
      const { value, next } = pageOf(page);
      items.push(...value);
      if (!next || (partial && n >= MAX_PAGES)) break;
      // Part of an answer is not an answer: a second object of the name may be on a later page,
      // and a name that seemed to match one object would be granted to without being one.
      if (n >= MAX_PAGES)
        throw new GraphError(
          0,
          'TooManyPages',
          `the answer ran to more than ${MAX_PAGES} pages; not read in part`,
          undefined,
          undefined,
          path,
        );
      // The whole nextLink, never its $skiptoken (https://learn.microsoft.com/graph/paging).
      page = await this.get(operationOf(path), next);
    }
    return { ok: true, items };
  }

  private async batch(queries: GraphQuery[]): Promise<Map<string, QueryAnswer>> {
    const answers = new Map<string, QueryAnswer>();
    let pending = queries;
    while (pending.length > 0) {
      const body = {
        requests: pending.map((q) => ({ id: q.id, method: 'GET', url: q.path.replace(/^\/v1\.0/, '') })),
      };
      const answer = (await this.call('Graph_Batch', (signal) => {
        this.requests++;
        return this.client().post('/v1.0/$batch', body, signal);
      })) as { responses?: BatchItemAnswer[] } | undefined;
      const byId = new Map((answer?.responses ?? []).map((r) => [String(r.id), r]));
      const again: GraphQuery[] = [];
      let waitMs = Number.POSITIVE_INFINITY;
      for (const query of pending) {
        const item = byId.get(query.id);
        const status = item?.status ?? 0;
        if (status >= 200 && status < 300) {
          answers.set(query.id, await this.readAll(query, item?.body).catch(asFailure));
          continue;
        }
        const failure = itemFailure(query, item);
        // Each item is throttled on its own: retried after its own Retry-After (https://learn.microsoft.com/graph/json-batching).
        if (status === 429 || status === 503 || status === 504) {
          again.push(query);
          // Never less than the default: `Retry-After: 0` on every round would have this loop
          // send $batch requests back to back until the deadline (thousands in a few seconds).
          waitMs = Math.min(waitMs, Math.max(failure.retryAfterMs ?? 0, ITEM_RETRY_DEFAULT_MS));
        }
        answers.set(query.id, { ok: false, failure });
      }
      if (again.length === 0) break;
      const left = this.deadline.remainingMs();
      if (waitMs > left) {
        // Graph asked (Retry-After) for longer than the step has: the items end now, saying so.
        for (const query of again) {
          const answer = answers.get(query.id);
          const asked = answer && !answer.ok ? answer.failure.retryAfterMs : undefined;
          if (answer && !answer.ok && asked !== undefined && asked > left)
            answers.set(query.id, {
              ...answer,
              waitPastDeadline: retryAfterPastDeadline(
                GRAPH,
                'Graph_Batch',
                asked,
                left,
                this.deadline,
                answer.failure.message,
              ),
            });
        }
        break;
      }
      const said = waitNotice(
        `Graph_Batch (${again.length} item(s))`,
        {
          action: 'retry',
          kind: 'throttled',
          service: GRAPH,
          // Longer than the default: an item's Retry-After asked for it.
          ...(waitMs > ITEM_RETRY_DEFAULT_MS ? { retryAfterMs: waitMs } : {}),
        },
        waitMs,
      );
      if (said) this.say?.(said);
      if (!(await this.deadline.sleep(waitMs, this.signal))) break;
      pending = again;
    }
    return answers;
  }
}

function operationOf(path: string): string {
  const collection = /^(?:https:\/\/[^/]+)?\/v1\.0\/([A-Za-z]+)/.exec(path)?.[1] ?? 'Request';
  return `Graph_${collection[0]!.toUpperCase()}${collection.slice(1)}`;
}

function pageOf(page: unknown): { value: Record<string, unknown>[]; next: string | undefined } {
  const p = (page ?? {}) as { value?: unknown; '@odata.nextLink'?: unknown };
  const value = Array.isArray(p.value)
    ? (p.value as Record<string, unknown>[])
    : page
      ? [page as Record<string, unknown>]
      : [];
  return { value, next: typeof p['@odata.nextLink'] === 'string' ? p['@odata.nextLink'] : undefined };
}

function itemFailure(query: GraphQuery, item: BatchItemAnswer | undefined): GraphError {
  const error = (
    item?.body as { error?: { code?: string; message?: string; innerError?: Record<string, string> } }
  )?.error;
  const headers = item?.headers ?? {};
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return new GraphError(
    item?.status ?? 0,
    error?.code ?? (item ? undefined : 'MissingBatchItem'),
    error?.message ?? (item ? '' : 'the $batch answer did not hold this request'),
    lower.get('request-id') ?? error?.innerError?.['request-id'],
    retryAfterMs({ get: (name) => lower.get(name) }),
    query.path,
  );
}

/** A Graph answer that failed the query (throttled until the deadline, too), else the error as it is. */
function asFailure(error: unknown): QueryAnswer {
  if (error instanceof GraphError) return { ok: false, failure: error };
  if (error instanceof RetryAfterPastDeadlineError && error.lastError instanceof GraphError)
    return { ok: false, failure: error.lastError, waitPastDeadline: error.message };
  if (error instanceof DeadlineExceededError && error.lastError instanceof GraphError)
    return { ok: false, failure: error.lastError };
  throw error;
}
