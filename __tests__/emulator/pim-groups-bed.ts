// What the tests of the emulated Graph's PIM for groups share (./azure-pim-groups.test.ts and its
// contract test): one test bed per file, emptied before each test and signed in to Graph with the
// file's permissions, with a group (`platform-admins`) and a user (alice) to assign to it.
import type { afterAll as AfterAll, beforeAll as BeforeAll, beforeEach as BeforeEach } from '@jest/globals';
import { startTestBed, type AzureTestBed, type HttpResult } from './azure-helpers.js';

export interface PimGroupsBed {
  bed: AzureTestBed;
  /** The group's and the user's object IDs, new for each test. */
  group: string;
  alice: string;
  /** Signs in to Graph again with these application permissions (roles): later calls send its token. */
  signIn(roles: readonly string[]): Promise<void>;
  /** One Graph request with the signed-in token: a path (`/v1.0/…`) on the emulator's Graph, or a whole URL. */
  graph(
    method: string,
    pathOrUrl: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpResult>;
}

export function usePimGroupsBed(
  permissions: readonly string[],
  hooks: { beforeAll: typeof BeforeAll; afterAll: typeof AfterAll; beforeEach: typeof BeforeEach },
): PimGroupsBed {
  let token = '';
  const pim: PimGroupsBed = {
    bed: undefined as unknown as AzureTestBed,
    group: '',
    alice: '',
    async signIn(roles) {
      pim.bed.az.config.graphRoles = [...roles];
      const res = await pim.bed.tokenRequest({ scope: `${pim.bed.az.graphEndpoint}/.default` });
      token = res.json.access_token as string;
    },
    graph(method, pathOrUrl, body, headers = { 'content-type': 'application/json' }) {
      const url = pathOrUrl.startsWith('/') ? `${pim.bed.az.graphEndpoint}${pathOrUrl}` : pathOrUrl;
      const text = body === undefined || typeof body === 'string' ? body : JSON.stringify(body);
      return pim.bed.https(method, url, text, { authorization: `Bearer ${token}`, ...headers });
    },
  };
  hooks.beforeAll(async () => {
    pim.bed = await startTestBed();
  });
  hooks.afterAll(async () => {
    await pim.bed.az.close();
  });
  hooks.beforeEach(async () => {
    pim.bed.az.reset();
    // Instances listed as soon as their request provisions: the lag (config.groupPimInstanceDelayMs)
    // is the test of its own in ./azure-pim-groups.test.ts.
    pim.bed.az.config.groupPimInstanceDelayMs = 0;
    await pim.signIn(permissions);
    pim.group = pim.bed.az.addGroup({ displayName: 'platform-admins' }).id;
    pim.alice = pim.bed.az.addUser({ userPrincipalName: 'alice@octoorg.onmicrosoft.com' }).id;
  });
  return pim;
}
