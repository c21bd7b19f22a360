// Inert server text: a GitHub API answer may not make the sweep's summary say one thing and link
// to another. The step's own run line names a server that is not GitHub's (summary-table.ts
// runSummaryLine); the sweep's run links must do no less. Through the bundle, against the emulator
// and a GitHub API that answers like a hostile server.
import { describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { awsAssignment, awsInputs, runMain, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 100 });
const REPOSITORY_ID = '123456789';
const RUN = '481';

async function githubAnswering(body: unknown) {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("AWS sweep: the run link in the summary comes from GitHub's answer", () => {
  // A run is linked to the page GitHub's answer gives only on the runner's own GitHub server
  // (GITHUB_SERVER_URL); any other link's text names its host, as the step's own run line does.
  it('never links a run to a host other than the GitHub server, or says where it leads', async () => {
    emulator().aws.createAssignmentAs(awsAssignment('111111111111'), {
      principalArn: `arn:aws:sts::123456789012:assumed-role/cloud-access/cloud-access-${REPOSITORY_ID}-${RUN}-1-e`,
      sessionName: `cloud-access-${REPOSITORY_ID}-${RUN}-1-e`,
    });
    const github = await githubAnswering({
      id: Number(RUN),
      status: 'completed',
      conclusion: 'success',
      run_attempt: 1,
      html_url: `https://github-login.example/octo-org/octo-repo/actions/runs/${RUN}`,
      repository: { full_name: 'octo-org/octo-repo' },
    });
    try {
      const step = await runMain(
        awsInputs({ operation: 'sweep', 'github-token': emulator().github.runs.jobToken }),
        {
          GITHUB_EVENT_NAME: 'schedule',
          GITHUB_API_URL: github.url,
          GITHUB_SERVER_URL: 'https://github.com',
        },
      );
      expect(step.exitCode).toBe(0);
      const links = [...step.summary.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((m) => ({
        host: new URL(m[1]!).host,
        text: m[2]!,
      }));
      expect(links.length).toBeGreaterThan(0);
      for (const { host, text } of links) if (host !== 'github.com') expect(text).toContain(host);
    } finally {
      await github.close();
    }
  }, 60_000);
});
