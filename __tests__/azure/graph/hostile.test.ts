// Microsoft Graph answers that try to widen what the step does: an `@odata.nextLink` that points
// the step's Graph token at another host, and an answer paged so finely that a second object of
// the asked name comes only after the pages the resolver reads. The emulator's answers are
// changed on their way back, as a hostile or buggy server (or a machine in the middle) would.
import { describe, expect, it } from '@jest/globals';
import {
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { createDirectory } from '../../../src/azure/graph/directory.js';
import { parsePrincipalForm, type AzurePrincipalRef } from '../../../src/core/principal-forms.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats } from '../../../src/engine/calls/driver.js';
import { emulatedArm, PRINCIPAL, READER, SCOPE } from '../../harness/emulated-arm.js';

const arm = emulatedArm();
const ATTACKER = 'attacker.example';

/** What reached a host other than the emulator's, with the credential it carried. */
interface Leaked {
  url: string;
  authorization: string | undefined;
}

/** The emulator's HTTP client, with `rewrite` applied to each Graph answer's body and requests elsewhere caught. */
function hostileClient(rewrite: (request: PipelineRequest, body: Record<string, unknown>) => void): {
  httpClient: HttpClient;
  leaked: Leaked[];
} {
  const leaked: Leaked[] = [];
  const graphHost = new URL(arm.plan({ principal: PRINCIPAL, target: SCOPE, role: READER }).graphEndpoint)
    .host;
  const httpClient: HttpClient = {
    sendRequest: async (request): Promise<PipelineResponse> => {
      const host = new URL(request.url).host;
      if (new URL(request.url).hostname === ATTACKER) {
        leaked.push({ url: request.url, authorization: request.headers.get('authorization') });
        return {
          request,
          status: 200,
          headers: createHttpHeaders({ 'content-type': 'application/json' }),
          bodyAsText: JSON.stringify({ value: [] }),
        };
      }
      const response = await arm.httpClient.sendRequest(request);
      if (host === graphHost && response.bodyAsText && request.method === 'GET') {
        const body = JSON.parse(response.bodyAsText) as Record<string, unknown>;
        rewrite(request, body);
        response.bodyAsText = JSON.stringify(body);
      }
      return response;
    },
  };
  return { httpClient, leaked };
}

function directory(httpClient: HttpClient) {
  const plan = arm.plan({ principal: PRINCIPAL, target: SCOPE, role: READER });
  return createDirectory(plan, arm.credential(), { deadline: new Deadline(30) }, emptyStats(), httpClient);
}
const forms = (...texts: string[]): AzurePrincipalRef[] =>
  texts.map((t) => {
    const form = parsePrincipalForm(t);
    if ('problem' in form) throw new Error(form.problem);
    return form;
  });

describe('an @odata.nextLink to another host', () => {
  it.each([
    ['an absolute URL', 'https://attacker.example/v1.0/groups?$skiptoken=x'],
    ['a link that makes the Graph host a user name', '@attacker.example/v1.0/groups?$skiptoken=x'],
  ])('(%s) is not followed: the Graph token goes to Graph only, and the lookup fails', async (_, link) => {
    arm.az.addGroup({ displayName: 'ops' });
    const { httpClient, leaked } = hostileClient((request, body) => {
      if (request.url.includes('/v1.0/groups')) body['@odata.nextLink'] = link;
    });
    const failure = await directory(httpClient)
      .resolve(forms('group:ops'))
      .catch((e: unknown) => e as Error);
    expect(leaked).toEqual([]);
    expect(String(failure)).toContain('Microsoft Graph failed to resolve `group:ops`');
    expect(String(failure)).toContain('not on the Graph endpoint');
    expect((failure as { fix?: string }).fix).toMatch(/object:/);
  });
});

describe('an answer in more pages than the resolver reads', () => {
  it('is refused, not read in part: a second object of the name on a later page is never left out', async () => {
    // Graph may answer fewer objects a page than `$top` asks; here one a page.
    const { httpClient } = hostileClient(() => undefined);
    const finely: HttpClient = {
      sendRequest: (request) => {
        request.url = request.url.replace('%24top=999', '%24top=1').replace('$top=999', '$top=1');
        return httpClient.sendRequest(request);
      },
    };
    arm.az.addGroup({ displayName: 'ops' });
    for (const name of ['a', 'b', 'c', 'd']) arm.az.addGroup({ displayName: name });
    arm.az.addGroup({ displayName: 'ops' }); // the sixth object of the answer: a sixth page
    const failure = await directory(finely)
      .resolve(forms('group:ops', 'group:a', 'group:b', 'group:c', 'group:d'))
      .catch((e: unknown) => e as Error);
    expect(failure).toBeInstanceOf(Error);
    expect(String(failure)).toContain('more than 5 pages');
    expect(String(failure)).toContain('`object:<id>`');
  });
});

describe('names to suggest in more pages than the resolver reads', () => {
  it('are suggested from the first pages: "did you mean" needs no whole answer', async () => {
    const finely: HttpClient = {
      sendRequest: (request) => {
        request.url = request.url.replace('%24top=50', '%24top=1').replace('$top=50', '$top=1');
        return arm.httpClient.sendRequest(request);
      },
    };
    for (const n of ['ops', 'ops-1', 'ops-2', 'ops-3', 'ops-4', 'ops-5', 'ops-6'])
      arm.az.addGroup({ displayName: n });
    const failure = await directory(finely)
      .resolve(forms('group:opsx'))
      .catch((e: unknown) => e as Error);
    expect((failure as { fix?: string }).fix).toMatch(/^did you mean `ops`/);
  });
});

describe('a $batch answer that mixes up its items', () => {
  it("an item answered with another item's objects is not taken: a group name never resolves to a service principal", async () => {
    const group = arm.az.addGroup({ displayName: 'ops' });
    const { servicePrincipal } = arm.az.addApplication({ displayName: 'ops' });
    // The answers to the groups query and the service principals query, each under the other's ID.
    const swapping: HttpClient = {
      sendRequest: async (request) => {
        const response = await arm.httpClient.sendRequest(request);
        if (request.method === 'POST' && request.url.endsWith('/$batch') && response.bodyAsText) {
          const body = JSON.parse(response.bodyAsText) as { responses: { id: string }[] };
          const ids = body.responses.map((r) => r.id);
          body.responses.forEach((r, i) => (r.id = ids[(i + 1) % ids.length]!));
          response.bodyAsText = JSON.stringify(body);
        }
        return response;
      },
    };
    const d = directory(swapping);
    const outcome = await d.resolve(forms('group:ops', 'sp:ops')).then(
      () => forms('group:ops', 'sp:ops').map((f) => d.principalOf(f).objectId),
      (e: unknown) => e as Error,
    );
    expect(outcome).not.toEqual([servicePrincipal.id, group.id]);
    expect(String(outcome)).toMatch(/2 principals were not resolved/);
  });
});

describe('batch items throttled with `Retry-After: 0`', () => {
  it('are retried with a pause, not in a loop of $batch requests until the deadline', async () => {
    arm.az.addGroup({ displayName: 'ops' });
    arm.az.addApplication({ displayName: 'deploy' });
    arm.az.config.graphRetryAfterSeconds = 0;
    arm.az.faults.graphThrottled = 1_000_000;
    const plan = arm.plan({ principal: PRINCIPAL, target: SCOPE, role: READER });
    const d = createDirectory(
      plan,
      arm.credential(),
      { deadline: new Deadline(3) },
      emptyStats(),
      arm.httpClient,
    );
    const failure = await d.resolve(forms('group:ops', 'sp:deploy')).catch((e: unknown) => e as Error);
    expect(String(failure)).toContain('still throttling');
    // A pause of at least a second between rounds: a handful of requests in 3 s, not hundreds.
    expect(d.graphRequests).toBeLessThanOrEqual(4);
  });
});

describe('names that would rewrite the $filter', () => {
  it.each([
    ['a quote and ` or `', "a' or displayName eq 'decoy"],
    ['a closing bracket', "a') or (displayName eq 'decoy"],
    ['an ampersand and a hash', "a&$filter=displayName eq 'decoy'#"],
  ])('(%s) is looked up as the whole name, never as a second condition', async (_, name) => {
    arm.az.addGroup({ displayName: 'decoy' });
    const literal = arm.az.addGroup({ displayName: name });
    const d = directory(arm.httpClient);
    await d.resolve(forms(`group:${name}`, name));
    expect(d.principalOf(forms(`group:${name}`)[0]!).objectId).toBe(literal.id);
    expect(d.principalOf(forms(name)[0]!).objectId).toBe(literal.id);
  });
});
