// A review's reads where a 404 means "none" (a login's account, a team, a branch, a file on it) take
// only GitHub's own 404 (its JSON) so: a proxy's HTML 404 in front of GitHub says nothing, and a
// reviewer's login read as no account would drop their decisions (a `default-decision: revoke`
// then revokes what they kept). A local server answers as each would.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { githubReviewApi } from '../../src/github/review-api.js';
import { Deadline } from '../../src/engine/limits/deadline.js';

let server: Server;
let answer: { type: string; body: string } = { type: 'text/html', body: '<html>Not Found</html>' };
const saved = process.env.GITHUB_API_URL;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': answer.type });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.GITHUB_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (saved === undefined) delete process.env.GITHUB_API_URL;
  else process.env.GITHUB_API_URL = saved;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const api = () =>
  githubReviewApi({ token: 't', repository: 'octo-org/octo-repo', deadline: new Deadline(30) });

describe('a 404 while a review reads what may not exist', () => {
  it('as an HTML page (not GitHub’s): a refusal, never “no such account”', async () => {
    answer = { type: 'text/html; charset=utf-8', body: '<html><body>404 Not Found</body></html>' };
    await expect((await api()).user('alice')).rejects.toThrow(/not GitHub/);
    await expect((await api()).hasBranch('access-review/x')).rejects.toThrow(/not GitHub/);
  });

  it('as GitHub writes it (JSON): none', async () => {
    answer = {
      type: 'application/json; charset=utf-8',
      body: JSON.stringify({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }),
    };
    expect(await (await api()).user('alice')).toBeUndefined();
    expect(await (await api()).hasBranch('access-review/x')).toBe(false);
  });
});
