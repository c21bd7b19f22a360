// A review's reads where a 404 means "none" (a login's account, a team, a branch, a file on it) take
// only GitHub's own 404 (its JSON) so: a proxy's HTML 404 in front of GitHub says nothing, and a
// reviewer's login read as no account would drop their decisions (a `default-decision: revoke`
// then revokes what they kept). A local server answers as each would.
import { describe, expect, it } from '@jest/globals';
import { useGitHubStandIn } from './github-stand-in.js';
import { githubReviewApi } from '../../src/github/review-api.js';
import { Deadline } from '../../src/engine/limits/deadline.js';

let answer: { type: string; body: string } = { type: 'text/html', body: '<html>Not Found</html>' };
useGitHubStandIn((_req, res) => {
  res.writeHead(404, { 'content-type': answer.type });
  res.end(answer.body);
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
