// Microsoft.Resources' Subscriptions_Get (2022-12-01) against the emulator: the official example's
// request answers with the example's shape (its keys, with the same JSON types, and no key the
// swagger's Subscription does not define); a subscription ARM does not know is 404
// SubscriptionNotFound, and a caller without `Microsoft.Resources/subscriptions/read` is refused.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestBed, type AzureTestBed } from './azure-helpers.js';

const SPEC_DIR = join(process.cwd(), '__tests__', 'fixtures', 'contracts', 'azure', 'resources-2022-12-01');
const readJson = (file: string) => JSON.parse(readFileSync(join(SPEC_DIR, file), 'utf8')) as unknown;

interface Swagger {
  paths: Record<
    string,
    Record<string, { operationId: string; 'x-ms-examples': Record<string, { $ref: string }> }>
  >;
  definitions: Record<string, { properties: Record<string, unknown> }>;
}
interface Example {
  parameters: { subscriptionId: string; 'api-version': string };
  responses: { '200': { body: Record<string, unknown> } };
}

const swagger = readJson('subscriptions-Subscriptions_Get.json') as Swagger;
const operation = swagger.paths['/subscriptions/{subscriptionId}']!.get!;
const example = readJson(
  operation['x-ms-examples'].GetASingleSubscription!.$ref.replace('./', ''),
) as Example;
const defined = Object.keys(swagger.definitions.Subscription!.properties);
const jsonType = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

let bed: AzureTestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.az.close());
beforeEach(() => bed.az.reset());

const get = (subscriptionId: string, token?: string) =>
  bed.arm('GET', `/subscriptions/${subscriptionId}?api-version=${example.parameters['api-version']}`, {
    ...(token ? { token } : {}),
  });

describe("a subscription's read (Subscriptions_Get), as the official example shows it", () => {
  it("answers the example's request with its shape and the subscription's display name", async () => {
    const { subscriptionId } = example.parameters;
    const body = example.responses['200'].body;
    bed.az.addSubscription(subscriptionId, {
      managementGroup: 'platform',
      displayName: String(body.displayName),
    });
    const res = await get(subscriptionId);
    expect(operation.operationId).toBe('Subscriptions_Get');
    expect(res.status).toBe(200);
    for (const key of ['id', 'subscriptionId', 'displayName', 'state', 'subscriptionPolicies'])
      expect([key, jsonType(res.json[key])]).toEqual([key, jsonType(body[key])]);
    for (const key of Object.keys(res.json as object)) expect(defined).toContain(key);
    expect(res.json).toMatchObject({
      id: body.id,
      subscriptionId: body.subscriptionId,
      displayName: body.displayName,
      state: 'Enabled',
      tenantId: bed.az.tenantId,
    });
    expect(bed.requests.at(-1)).toMatchObject({ operation: 'Subscriptions_Get', status: 200 });
  });

  it('answers 404 SubscriptionNotFound for a subscription ARM does not know', async () => {
    const unknown = '0f0f0f0f-0000-4000-8000-000000000404';
    const res = await get(unknown);
    expect(res.status).toBe(404);
    expect(res.json.error).toEqual({
      code: 'SubscriptionNotFound',
      message: `The subscription '${unknown}' could not be found.`,
    });
  });

  it('refuses a caller without `Microsoft.Resources/subscriptions/read` on it (403 AuthorizationFailed)', async () => {
    const subject = 'repo:octo-org/nobody:ref:refs/heads/main';
    const app = bed.az.addApp({ federatedSubjects: [subject], roleAtScopes: [] });
    const sub = bed.az.addSubscription(undefined, { displayName: 'Payments' });
    const res = await get(sub, await bed.accessToken(app.clientId, subject));
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('AuthorizationFailed');
    expect(res.json.error.message).toContain("'Microsoft.Resources/subscriptions/read'");
  });
});
