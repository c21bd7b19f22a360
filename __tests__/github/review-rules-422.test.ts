// GitHub's 422 for a write a repository ruleset refuses (a branch the rules forbid making, a
// commit they forbid) is a setting to change, not a write another workflow made meanwhile: the
// fix says so. A conflict's 422 (the branch made meanwhile) still says another workflow may have.
// A local server answers as GitHub does.
import { describe, expect, it } from '@jest/globals';
import { useGitHubStandIn } from './github-stand-in.js';
import { githubReviewApi } from '../../src/github/review-api.js';
import { CloudAccessError } from '../../src/core/errors.js';
import { Deadline } from '../../src/engine/limits/deadline.js';

let message = '';
useGitHubStandIn((_req, res) => {
  res.writeHead(422, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ message, documentation_url: 'https://docs.github.com/rest' }));
});

async function refusal(): Promise<CloudAccessError> {
  const api = await githubReviewApi({ token: 't', repository: 'o/r', deadline: new Deadline(30) });
  return api.createBranch('access-review/x', 'a'.repeat(40)).then(
    () => {
      throw new Error('created');
    },
    (e: unknown) => e as CloudAccessError,
  );
}

describe('a 422 to a write', () => {
  it('from a ruleset: the fix names the rules, never another workflow', async () => {
    message = 'Repository rule violations found\n\nCannot create ref due to creations being restricted.\n\n';
    const e = await refusal();
    expect(e.fix).toMatch(/rule/);
    expect(e.fix).not.toMatch(/another workflow/);
  });

  it('for what exists already: another workflow may have written it', async () => {
    message = 'Reference already exists';
    expect((await refusal()).fix).toMatch(/another workflow/);
  });
});
