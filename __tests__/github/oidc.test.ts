// The GitHub OIDC token request, against a local token endpoint and a local forward proxy (the
// `proxy` package): what @actions/core's getIDToken did for the action, it still does — the same
// request, retries on 5xx and on no answer inside the deadline, errors that name the fix, and the
// proxy variables — without the toolkit's HTTP stack.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createProxy } from 'proxy';
import { CloudAccessError, describeError } from '../../src/core/errors.js';
import { Deadline } from '../../src/engine/limits/deadline.js';
import { githubOidcTokenSource } from '../../src/github/oidc.js';

/** A JWT-shaped token (the source decodes its claims for the debug log). */
const TOKEN = ['{"alg":"RS256"}', '{"sub":"repo:octo-org/octo-repo:ref:refs/heads/main"}', 'sig']
  .map((part) => Buffer.from(part).toString('base64url'))
  .join('.');
const REQUEST_TOKEN = 'runner-request-token';
const SUFFIX = '.oidc.test';

type Answer = (req: IncomingMessage, res: ServerResponse) => void;
const token: Answer = (_req, res) => res.end(JSON.stringify({ value: TOKEN }));
const status =
  (code: number): Answer =>
  (_req, res) => {
    res.statusCode = code;
    res.end(JSON.stringify({ message: `answered ${code}` }));
  };
const hangUp: Answer = (req) => req.socket.destroy();

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function listen(server: Server): Promise<number> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

/** The runner's token endpoint: answers in turn, then with a token; records what it was asked. */
async function tokenEndpoint(...answers: Answer[]) {
  const requests: { url: string; authorization: string | undefined }[] = [];
  const port = await listen(
    createServer((req, res) => {
      requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
      (answers.shift() ?? token)(req, res);
    }),
  );
  const path = '/_apis/distributedtask/idtoken?api-version=2.0';
  return {
    port,
    requests,
    url: (host = '127.0.0.1', scheme = 'http') => `${scheme}://${host}:${port}${path}`,
  };
}

/** A forward proxy that records what it was asked for and sends `*.oidc.test` to 127.0.0.1. */
async function forwardProxy({ deny = false } = {}) {
  const handled: string[] = [];
  const server = createProxy(createServer());
  server.authenticate = (req: IncomingMessage) => {
    handled.push(`${req.method} ${req.url}`);
    req.url = (req.url ?? '').replace(SUFFIX, '').replace(/^(http:\/\/)?[a-z]+:/, '$1127.0.0.1:');
    return !deny;
  };
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, handled };
}

let stdout: string[];
beforeEach(() => {
  stdout = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  jest.restoreAllMocks();
});

function requestToken(url: string, env: Record<string, string> = {}, seconds = 10) {
  const source = githubOidcTokenSource(new Deadline(seconds), {
    ACTIONS_ID_TOKEN_REQUEST_URL: url,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
    ...env,
  });
  return source('sts.amazonaws.com');
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return describeError(error);
  }
  throw new Error('expected the token request to fail');
}

describe('the GitHub OIDC token request', () => {
  it("sends the job's request token and the audience, and masks the token it gets", async () => {
    const endpoint = await tokenEndpoint();
    await expect(requestToken(endpoint.url())).resolves.toBe(TOKEN);
    expect(endpoint.requests).toEqual([
      {
        url: '/_apis/distributedtask/idtoken?api-version=2.0&audience=sts.amazonaws.com',
        authorization: `Bearer ${REQUEST_TOKEN}`,
      },
    ]);
    expect(stdout).toContain(`::add-mask::${TOKEN}\n`);
  });

  it('says when the request is on the wire, before the endpoint answers', async () => {
    // Set once the endpoint has the request: the step may say "on the wire" before the server's
    // handler runs, and answering before then would answer nothing.
    let answer: (() => void) | undefined;
    const endpoint = await tokenEndpoint((_req, res) => (answer = () => token(_req, res)));
    const sent: number[] = [];
    const source = githubOidcTokenSource(
      new Deadline(10),
      { ACTIONS_ID_TOKEN_REQUEST_URL: endpoint.url(), ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN },
      () => sent.push(endpoint.requests.length),
    );
    const pending = source('sts.amazonaws.com');
    await new Promise<void>((resolve) => {
      const wait = () => (sent.length > 0 && answer ? resolve() : setTimeout(wait, 5));
      wait();
    });
    expect(sent).toHaveLength(1);
    answer!();
    await expect(pending).resolves.toBe(TOKEN);
    expect(sent).toHaveLength(1);
  });

  it('retries 5xx answers until the endpoint answers with a token', async () => {
    const endpoint = await tokenEndpoint(status(500), status(502), status(503));
    await expect(requestToken(endpoint.url())).resolves.toBe(TOKEN);
    expect(endpoint.requests).toHaveLength(4);
  });

  it('retries a request that got no answer (the connection was dropped)', async () => {
    const endpoint = await tokenEndpoint(hangUp, hangUp);
    await expect(requestToken(endpoint.url())).resolves.toBe(TOKEN);
    expect(endpoint.requests).toHaveLength(3);
  });

  it('fails at once on 403, naming the permission the job needs', async () => {
    const endpoint = await tokenEndpoint(status(403));
    const error = await failure(requestToken(endpoint.url()));
    expect(error).toContain('could not get a GitHub OIDC token for audience `sts.amazonaws.com`');
    expect(error).toContain('answered 403');
    expect(error).toContain('`permissions: id-token: write`');
    expect(endpoint.requests).toHaveLength(1);
  });

  it('gives up after two retries when nothing listens, naming the refused connection', async () => {
    const endpoint = await tokenEndpoint();
    // Port 1 (tcpmux), where nothing listens: the endpoint's own port, once closed, can be taken by
    // another suite's server before the request (seen under load, answering 404).
    const url = endpoint.url().replace(`:${endpoint.port}`, ':1');
    await closers.pop()!();
    const error = await failure(requestToken(url, {}, 30));
    expect(error).toContain(
      "the runner's token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) could not be reached (connect ECONNREFUSED 127.0.0.1:1; 3 tries)",
    );
    // Not retried until the 30 s deadline: a refused connection is retried only twice (`3 tries`).
  });

  it('tells a job without id-token permission how to get it, before any request', async () => {
    const source = githubOidcTokenSource(new Deadline(10), {});
    const error = await source('sts.amazonaws.com').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudAccessError);
    expect(describeError(error)).toContain('add `permissions: id-token: write` to the job');
  });
});

describe('behind a proxy', () => {
  it('an https token endpoint is reached through HTTPS_PROXY, with a CONNECT tunnel', async () => {
    const proxy = await forwardProxy({ deny: true });
    const error = await failure(
      requestToken(`https://github${SUFFIX}:8443/idtoken?api-version=2.0`, { HTTPS_PROXY: proxy.url }),
    );
    expect(proxy.handled).toEqual([`CONNECT github${SUFFIX}:8443`]);
    // The proxy's 407 is final: not retried, and the fix says what the proxy wants.
    expect(error).toContain('407');
    expect(error).toContain('the proxy (HTTPS_PROXY / HTTP_PROXY) wants credentials');
  });

  it('https_proxy wins over HTTPS_PROXY, as @actions/http-client reads them', async () => {
    const lower = await forwardProxy({ deny: true });
    const upper = await forwardProxy({ deny: true });
    await failure(
      requestToken(`https://github${SUFFIX}/idtoken?api-version=2.0`, {
        https_proxy: lower.url,
        HTTPS_PROXY: upper.url,
      }),
    );
    expect(lower.handled).toEqual([`CONNECT github${SUFFIX}:443`]);
    expect(upper.handled).toEqual([]);
  });

  it('an http token endpoint is reached through HTTP_PROXY', async () => {
    const endpoint = await tokenEndpoint(status(503));
    const proxy = await forwardProxy();
    await expect(requestToken(endpoint.url(`github${SUFFIX}`), { http_proxy: proxy.url })).resolves.toBe(
      TOKEN,
    );
    expect(proxy.handled).toEqual([
      `GET ${endpoint.url(`github${SUFFIX}`)}&audience=sts.amazonaws.com`,
      `GET ${endpoint.url(`github${SUFFIX}`)}&audience=sts.amazonaws.com`,
    ]);
    expect(endpoint.requests).toHaveLength(2);
  });

  it('a host listed in NO_PROXY is reached direct', async () => {
    const endpoint = await tokenEndpoint();
    const proxy = await forwardProxy();
    const env = { HTTP_PROXY: proxy.url, NO_PROXY: 'example.com,0.0.0.0' };
    await expect(requestToken(endpoint.url('0.0.0.0'), env)).resolves.toBe(TOKEN);
    expect(proxy.handled).toEqual([]);
  });

  it('a loopback host is reached direct, whatever the proxy variables say', async () => {
    const endpoint = await tokenEndpoint();
    const proxy = await forwardProxy();
    await expect(requestToken(endpoint.url('127.0.0.1'), { HTTP_PROXY: proxy.url })).resolves.toBe(TOKEN);
    await expect(requestToken(endpoint.url('localhost'), { http_proxy: proxy.url })).resolves.toBe(TOKEN);
    expect(proxy.handled).toEqual([]);
    expect(endpoint.requests).toHaveLength(2);
  });
});
