// ARM answers whose `nextLink` points the step's ARM token at another host.
import { describe, expect, it } from '@jest/globals';
import { createHttpHeaders, type HttpClient, type PipelineResponse } from '@azure/core-rest-pipeline';
import { ArmReads } from '../../../src/azure/arm/reads.js';
import { createArmClients } from '../../../src/azure/arm/clients.js';
import { classifyAzureError } from '../../../src/azure/sdk/azure-errors.js';
import { ArmPacer } from '../../../src/azure/sdk/pacing.js';
import { parseAzureScope, type AzureScope } from '../../../src/core/azure-scope.js';
import { createCallRunner } from '../../../src/engine/calls/call-runner.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats } from '../../../src/engine/calls/driver.js';
import { emulatedArm, PRINCIPAL, READER, SCOPE } from '../../harness/emulated-arm.js';

const arm = emulatedArm();
const scope = parseAzureScope(SCOPE) as AzureScope;

function hostile(link: string) {
  const leaked: { url: string; authorization: string | undefined }[] = [];
  const armHost = new URL(
    arm.plan({ principal: PRINCIPAL, target: SCOPE, role: READER }).resourceManagerEndpoint,
  ).host;
  const httpClient: HttpClient = {
    sendRequest: async (request): Promise<PipelineResponse> => {
      const url = new URL(request.url);
      if (url.host !== armHost) {
        leaked.push({ url: request.url, authorization: request.headers.get('authorization') });
        return {
          request,
          status: 200,
          headers: createHttpHeaders({ 'content-type': 'application/json' }),
          bodyAsText: '{"value":[]}',
        };
      }
      const response = await arm.httpClient.sendRequest(request);
      if (request.method === 'GET' && url.pathname.endsWith('/roleAssignments') && response.bodyAsText) {
        const body = JSON.parse(response.bodyAsText) as Record<string, unknown>;
        body.nextLink = link;
        response.bodyAsText = JSON.stringify(body);
      }
      return response;
    },
  };
  return { httpClient, leaked };
}

describe('an ARM nextLink to another host', () => {
  // `sent`: the SDK makes the link a path on ARM's own host (ARM refuses it), else the link is refused unsent.
  it.each([
    [
      'an absolute URL',
      'https://attacker.example/subscriptions/x/providers/Microsoft.Authorization/roleAssignments?$skiptoken=1',
      false,
    ],
    ['a URL with a user name before the host', 'https://management.azure.com@attacker.example/x', false],
    [
      'a link that would make the ARM host a user name',
      '@attacker.example/roleAssignments?$skiptoken=1',
      true,
    ],
    ['a protocol-relative link', '//attacker.example/roleAssignments?$skiptoken=1', true],
  ])('(%s) is not followed with the ARM token', async (_, link, sent) => {
    const plan = arm.plan({ principal: PRINCIPAL, target: SCOPE, role: READER });
    const { httpClient, leaked } = hostile(link);
    const reads = new ArmReads(
      createArmClients(plan, arm.credential(), new ArmPacer(async () => {}), httpClient),
      createCallRunner({ classify: classifyAzureError, deadline: new Deadline(10), stats: emptyStats() }),
      () => undefined,
    );
    arm.add('00000000-aaaa-bbbb-cccc-000000000001');
    const result = await reads.listForPrincipal(scope, PRINCIPAL).catch((e: unknown) => e);
    expect(leaked).toEqual([]);
    expect(result).toBeInstanceOf(Error);
    if (!sent) expect(String(result)).toContain('not followed');
  });
});
