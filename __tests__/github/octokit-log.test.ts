// What Octokit itself logs (a `deprecation` header's warning, which quotes the answer's `sunset`
// and `link` headers) goes to the step's debug log, escaped: its default writes it raw to stderr
// with console.warn, where the runner reads workflow commands too (a legacy `##[…]` anywhere on a
// line). A local server answers as a proxy or a server at GITHUB_API_URL could.
import { expect, it, jest } from '@jest/globals';
import { useGitHubStandIn } from './github-stand-in.js';
import { githubClient } from '../../src/github/octokit-client.js';

useGitHubStandIn((_req, res) => {
  res.writeHead(200, {
    'content-type': 'application/json',
    deprecation: 'true',
    sunset: '##[stop-commands]planted',
    link: '<https://example.test/::stop-commands::x>; rel="deprecation"',
  });
  res.end('{}');
});

it('a deprecated endpoint’s warning goes to the debug log, inert, never raw to stderr', async () => {
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const { octokit } = await githubClient('t');
    await octokit.request('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' });
    expect(warn).not.toHaveBeenCalled();
    expect(stderr).not.toHaveBeenCalled();
    const out = stdout.mock.calls.map((c) => String(c[0])).join('');
    expect(out).toMatch(/^::debug::.*deprecated/m);
    expect(out).not.toMatch(/##\[stop-commands\]/);
  } finally {
    stderr.mockRestore();
    warn.mockRestore();
    stdout.mockRestore();
  }
});
