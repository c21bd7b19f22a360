// What GitHub's REST routes of issues, comments, labels, pull requests and git writes share in the
// emulator: a route table (method, path, the operation's name, whether it writes, the token's
// permission it needs), the answer with GitHub's headers, its errors (404, 403 "Resource not
// accessible by integration", 422 "Validation Failed") and list pages with a `Link` header, as
// Octokit's paginate follows them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, startRecord } from '../common/http.js';
import type { RecordRequest } from '../common/requests.js';
import type { IssuesState, TokenPermissions } from './issues-store.js';
import type { GithubRepositoryEmulator } from './repository.js';

export const REPOSITORY = 'octo-org/octo-repo';
export const HTML_BASE = 'https://github.com';

export interface RouteContext {
  params: string[];
  url: URL;
  body: Record<string, unknown>;
  state: IssuesState;
  repository: GithubRepositoryEmulator;
  apiBase: string;
}

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  path: RegExp;
  operation: string;
  /** The permission the job's token needs, and at which level. */
  needs?: [keyof TokenPermissions, 'read' | 'write'];
  answer(ctx: RouteContext): Answer;
}

export const notFound = (): Answer => ({
  status: 404,
  body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' },
});

export const invalid = (resource: string, field: string, message: string, code = 'custom'): Answer => ({
  status: 422,
  body: {
    message: 'Validation Failed',
    errors: [{ resource, code, field, ...(code === 'custom' ? { message } : {}) }],
    documentation_url: 'https://docs.github.com/rest',
  },
});

/** GitHub's answer when a token hits its secondary rate limit (too many requests at once, or content created too fast). */
const secondaryRateLimited = (retryAfterSeconds: number): Answer => ({
  status: 403,
  body: {
    message:
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0400:2F1A:1B2C3D:4E5F60:6789ABCD.',
    documentation_url:
      'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
  },
  headers: { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-remaining': '4999' },
});

const LEVELS = { none: 0, read: 1, write: 2 } as const;

/** A list's page as GitHub pages it: `per_page` (30, at most 100) and `page`, with a `Link` header. */
export function page<T>(ctx: RouteContext, items: readonly T[]): Answer {
  const perPage = Math.min(100, Math.max(1, Number(ctx.url.searchParams.get('per_page') ?? 30) || 30));
  const number = Math.max(1, Number(ctx.url.searchParams.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string) => {
    const u = new URL(`${ctx.apiBase}${ctx.url.pathname}`);
    ctx.url.searchParams.forEach((v, k) => u.searchParams.set(k, v));
    u.searchParams.set('page', String(n));
    u.searchParams.set('per_page', String(perPage));
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links = number < last ? [link(number + 1, 'next'), link(last, 'last')] : [];
  if (number > 1) links.unshift(link(1, 'first'), link(number - 1, 'prev'));
  return {
    status: 200,
    body: items.slice((number - 1) * perPage, number * perPage),
    ...(links.length > 0 ? { headers: { link: links.join(', ') } } : {}),
  };
}

/** Serves `routes` for the job's token, recording each request. */
export function serveRoutes(
  routes: readonly Route[],
  record: RecordRequest,
  tokenKnown: (token: string) => boolean,
  state: IssuesState,
  repository: GithubRepositoryEmulator,
) {
  const match = (req: IncomingMessage, url: URL) => {
    for (const route of routes) {
      const m = route.path.exec(url.pathname);
      if (m && route.method === req.method) return { route, params: m.slice(1).map(decodeURIComponent) };
    }
    return undefined;
  };
  const handles = (req: IncomingMessage, url: URL) => match(req, url) !== undefined;
  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const found = match(req, url);
    const entry = startRecord(
      record,
      'github',
      found?.route.operation ?? 'Unknown',
      req,
      req.method !== 'GET',
    );
    const send = (a: Answer) => {
      entry.status = a.status;
      if (a.status >= 400) entry.errorCode = String(a.status);
      sendJson(res, a.status, a.body, { 'content-type': 'application/json; charset=utf-8', ...a.headers });
    };
    const token = /^(?:bearer|token)\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!token || !tokenKnown(token)) return send({ status: 401, body: { message: 'Bad credentials' } });
    if (!found) return send(notFound());
    const [permission, level] = found.route.needs ?? [];
    if (permission && LEVELS[state.permissions[permission]] < LEVELS[level!])
      return send({
        status: 403,
        body: {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest',
        },
      });
    if (state.throttle.count > 0) {
      state.throttle.count--;
      return send(secondaryRateLimited(state.throttle.retryAfterSeconds));
    }
    let body: Record<string, unknown> = {};
    if (req.method !== 'GET') {
      try {
        const text = await readBody(req);
        body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        return send({ status: 400, body: { message: 'Problems parsing JSON' } });
      }
    }
    const apiBase = `http://${req.headers.host ?? '127.0.0.1'}`;
    send(found.route.answer({ params: found.params, url, body, state, repository, apiBase }));
  }
  return { handles, handle };
}

/** `/repos/octo-org/octo-repo<rest>`: the seeded repository's route, as a pattern. */
export const repoPath = (rest: string): RegExp => new RegExp(`^/repos/octo-org/octo-repo${rest}$`, 'i');
