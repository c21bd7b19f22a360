// ARM's token buckets in the emulator, seen through the unmodified @azure/arm-authorization client:
// per subscription, one bucket for reads, one for writes, one for deletes (ARM's sizes unless the
// config says otherwise), each answer saying what is left of its bucket, and a 429 with
// Retry-After when it is empty (learn.microsoft.com "Request limits and throttling").
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { isRestError } from '@azure/core-rest-pipeline';
import { randomUUID } from 'node:crypto';
import { READER, startTestBed, type AzureTestBed } from './azure-helpers.js';

let bed: AzureTestBed;
let token: string;
beforeAll(async () => {
  bed = await startTestBed();
  token = await bed.accessToken();
});
afterAll(() => bed.az.close());
beforeEach(() => {
  bed.az.reset();
  bed.requests.length = 0;
});

const credential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
};
/** The SDK as the action builds it, trusting the emulator's CA, without retries. */
const sdk = () =>
  new AuthorizationManagementClient(credential, bed.az.subscriptionId, {
    endpoint: bed.az.resourceManagerEndpoint,
    credentialScopes: ['https://management.azure.com/.default'],
    retryOptions: { maxRetries: 0 },
    tlsOptions: { ca: bed.az.caCert },
  });
/** The SDK's scope argument: no leading slash. */
const scope = () => `subscriptions/${bed.az.subscriptionId}`;
const HEADER = 'x-ms-ratelimit-remaining-subscription';
/** What the SDK's `onResponse` hands over, as far as these tests read it. */
interface RawAnswer {
  status: number;
  headers: { toJSON(): Record<string, string> };
}

/** Runs an SDK call; the remaining-count headers of its answer, or of the 429 it failed with. */
async function answer(
  call: (onResponse: (raw: RawAnswer) => void) => Promise<unknown>,
): Promise<{ status: number; headers: Record<string, string | undefined> }> {
  let raw: RawAnswer | undefined;
  try {
    await call((r) => (raw = r));
  } catch (error) {
    if (!isRestError(error) || !error.response) throw error;
    return { status: error.statusCode ?? 0, headers: error.response.headers.toJSON() };
  }
  return { status: raw!.status, headers: raw!.headers.toJSON() };
}

const list = () =>
  answer(async (onResponse) => {
    for await (const page of sdk().roleAssignments.listForScope(scope(), { onResponse }).byPage()) void page;
  });
const get = (name: string) =>
  answer((onResponse) =>
    sdk()
      .roleAssignments.get(scope(), name, { onResponse })
      .catch((error: unknown) => {
        // A 404 is an answer like any other here: what it says is left is what counts.
        if (isRestError(error) && error.statusCode === 404) return;
        throw error;
      }),
  );
const create = (name: string = randomUUID()) =>
  answer((onResponse) =>
    sdk().roleAssignments.create(
      scope(),
      name,
      {
        roleDefinitionId: `/${scope()}/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
        principalId: bed.az.addPrincipal({ type: 'User', createdAt: 0 }),
        principalType: 'User',
      },
      { onResponse },
    ),
  );
const remove = (name: string) =>
  answer((onResponse) => sdk().roleAssignments.delete(scope(), name, { onResponse }));

describe("the emulator's ARM throttles as ARM does, per subscription and kind of request", () => {
  it("has ARM's buckets by default, and says what is left of each in every answer, reads included", async () => {
    const read = await list();
    expect(read.status).toBe(200);
    expect(read.headers[`${HEADER}-reads`]).toBe('249');
    const name = randomUUID();
    const written = await create(name);
    expect(written.status).toBe(201);
    expect(written.headers[`${HEADER}-writes`]).toBe('199');
    // Two reads taken; the bucket refills at 25 a second, so a slow machine may see one back.
    const readsLeft = Number((await get(name)).headers[`${HEADER}-reads`]);
    expect(readsLeft).toBeGreaterThanOrEqual(248);
    expect(readsLeft).toBeLessThanOrEqual(249);
    const deleted = await remove(name);
    expect(deleted.status).toBe(200);
    expect(deleted.headers[`${HEADER}-deletes`]).toBe('199');
    // The global (cross-region) bucket is 15 times the size.
    expect(read.headers[`${HEADER}-global-reads`]).toBe(String(250 * 15 - 1));
  });

  it('answers 429 with Retry-After once a bucket of the configured size is empty, and refills it', async () => {
    // One token back every 2 s: the four reads empty it however slowly a loaded machine sends them
    // (at 2 a second, four reads on two busy cores once got a token back before the fourth).
    bed.az.config.reads = { capacity: 3, refillPerSecond: 0.5 };
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await get(randomUUID()));
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 429]);
    expect(answers.map((a) => a.headers[`${HEADER}-reads`])).toEqual(['2', '1', '0', '0']);
    // The wait for the next token, in whole seconds: at most the 2 s one takes to come back.
    expect(['1', '2']).toContain(answers[3]!.headers['retry-after']);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await get(randomUUID())).status).toBe(404);
  });

  it('keeps the three buckets apart: empty reads leave writes and deletes whole', async () => {
    bed.az.config.reads = { capacity: 1, refillPerSecond: 0.01 };
    bed.az.config.writes = { capacity: 1, refillPerSecond: 0.01 };
    expect((await list()).status).toBe(200);
    expect((await list()).status).toBe(429);
    const name = randomUUID();
    expect((await create(name)).status).toBe(201);
    expect((await create()).status).toBe(429);
    const deleted = await remove(name);
    expect(deleted.status).toBe(200);
    expect(deleted.headers[`${HEADER}-deletes`]).toBe('199');
  });
});
