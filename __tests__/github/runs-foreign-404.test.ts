// A 404 that is not GitHub's (an HTML page from a proxy, a captive portal, a wrong GITHUB_API_URL)
// says nothing about a run: it is never the "no such run" that makes a claim unproven, since a
// reconcile deletes an unproven claim's grant as drift. Only GitHub's own 404 (its JSON) is. A
// local server answers as each would (github/runs.ts).
import { describe, expect, it } from '@jest/globals';
import { useGitHubStandIn } from './github-stand-in.js';
import { readRunStates } from '../../src/github/runs.js';
import { claimantState } from '../../src/core/claims/claimant-state.js';
import { runKeyOf, type ClaimMark } from '../../src/core/claims/claims.js';
import { Deadline } from '../../src/engine/limits/deadline.js';

const OWN = { repository: 'octo-org/octo-repo', repositoryId: '123456789' };

let answer: { type: string; body: string } = { type: 'text/html', body: '<html>Not Found</html>' };
useGitHubStandIn((_req, res) => {
  res.writeHead(404, { 'content-type': answer.type });
  res.end(answer.body);
});

const mark: ClaimMark = {
  run: { repositoryId: OWN.repositoryId, runId: '88', attempt: '1' },
  ephemeral: true,
};

async function stateOf() {
  const reads = await readRunStates([mark.run], { token: 't', own: OWN, deadline: new Deadline(30) });
  const run = reads.states.get(runKeyOf(mark.run));
  return { run, claimant: claimantState(mark, reads.states, Date.now()) };
}

describe('a 404 while asking GitHub about a run', () => {
  it('as an HTML page (not GitHub’s): unknown, never the “no such run” that makes it unproven', async () => {
    answer = { type: 'text/html; charset=utf-8', body: '<html><body>404 Not Found</body></html>' };
    const { run, claimant } = await stateOf();
    expect(run).toMatchObject({ state: 'unreadable' });
    expect(run).not.toHaveProperty('notFound');
    expect(claimant).toMatchObject({ kind: 'unproven', unknown: true });
    expect(claimant.reason).toMatch(/not GitHub/);
  });

  it('as GitHub writes it (JSON): no such run, or none the token may read: unproven', async () => {
    answer = {
      type: 'application/json; charset=utf-8',
      body: JSON.stringify({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }),
    };
    const { run, claimant } = await stateOf();
    expect(run).toMatchObject({ state: 'unreadable', notFound: true });
    expect(claimant).toMatchObject({ kind: 'unproven' });
    expect(claimant).not.toHaveProperty('unknown');
  });
});
