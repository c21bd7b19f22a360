// GitHub's REST API as the step's GitHub reads and writes call it: Octokit (@octokit/core, the
// client @actions/github's getOctokit builds on, loaded with import() only when a step calls
// GitHub: ./runs.ts says why not @actions/github's main module) at the runner's GITHUB_API_URL
// (GitHub Enterprise Server, GHE.com), else github.com, as getOctokit does. Node 24's own fetch goes
// through HTTPS_PROXY / NO_PROXY once http.setGlobalProxyFromEnv() is called, as the AWS and Azure
// clients' agents do (docs/proxy.md).
import { setGlobalProxyFromEnv } from 'node:http';
import { debug } from './log.js';

export interface GitHubClient {
  octokit: import('@octokit/core').Octokit;
  /** The API as an unreachable one is named: its URL and the variable that set it. */
  api: { url: string };
}

// Octokit's own log (a `deprecation` header's warning quotes the answer's headers) goes to the
// debug log, escaped: its default is console.warn, raw to stderr, where the runner obeys commands.
const log = { debug, info: debug, warn: debug, error: debug };

export async function githubClient(token: string): Promise<GitHubClient> {
  const { Octokit } = await import('@octokit/core');
  if (['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => process.env[name]))
    setGlobalProxyFromEnv();
  const baseUrl = process.env.GITHUB_API_URL || 'https://api.github.com';
  return {
    octokit: new Octokit({ auth: token, baseUrl, log, request: { log } }),
    api: { url: `GitHub's API at ${baseUrl} (GITHUB_API_URL)` },
  };
}
