// A server standing in for GitHub at GITHUB_API_URL for one test file: it answers every request as
// the file says (a proxy's page, GitHub's own refusal, a header GitHub may send), and the variable
// is put back once the file is done.
import { afterAll, beforeAll } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export function useGitHubStandIn(answer: (req: IncomingMessage, res: ServerResponse) => void): void {
  let server: Server;
  const saved = process.env.GITHUB_API_URL;
  beforeAll(async () => {
    server = createServer(answer);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.env.GITHUB_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.GITHUB_API_URL;
    else process.env.GITHUB_API_URL = saved;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
}
