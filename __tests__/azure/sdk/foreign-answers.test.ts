// An answer Azure did not write (an HTML page from a proxy, or from a host that is not ARM or
// Graph) fails the call at once, naming the host and the status, never the page: errors as the
// real ARM client and the Graph client raise them, for a page their HTTP client answers.
import { describe, expect, it } from '@jest/globals';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { TokenCredential } from '@azure/core-auth';
import { createHttpHeaders, type HttpClient } from '@azure/core-rest-pipeline';
import { createJsonClient } from '../../../src/azure/graph/client.js';
import { classifyGraphError } from '../../../src/azure/graph/graph-errors.js';
import { classifyAzureError } from '../../../src/azure/sdk/azure-errors.js';
import { ForeignAnswerError } from '../../../src/engine/limits/foreign-answer.js';

const SUB = '11111111-1111-1111-1111-111111111111';
const PAGE = '<html><title>404 Not Found</title><body>\n::error::pwned ##[warning]x</body></html>';
const credential: TokenCredential = {
  getToken: () => Promise.resolve({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** An HTTP client answering every request with `status`, `contentType` and `body`. */
const answering = (status: number, contentType: string, body: string): HttpClient => ({
  sendRequest: (request) =>
    Promise.resolve({
      request,
      status,
      headers: createHttpHeaders({ 'content-type': contentType }),
      bodyAsText: body,
    }),
});

async function armError(status: number, contentType = 'text/html', body = PAGE): Promise<unknown> {
  const client = new AuthorizationManagementClient(credential, SUB, {
    httpClient: answering(status, contentType, body),
    retryOptions: { maxRetries: 0 },
    endpoint: 'https://arm.proxy.example:8443',
  });
  try {
    await client.roleAssignments.get(`/subscriptions/${SUB}`, 'name?sig=s3cr3t');
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

async function graphError(status: number, contentType = 'text/html', body = PAGE): Promise<unknown> {
  const client = createJsonClient({
    endpoint: 'https://graph.proxy.example',
    scope: 'https://graph.microsoft.com/.default',
    credential,
    requestIdHeader: 'request-id',
    httpClient: answering(status, contentType, body),
  });
  try {
    await client.get("/v1.0/groups?$filter=displayName eq 'ops'", new AbortController().signal);
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

const said = (verdict: ReturnType<typeof classifyAzureError>): string => {
  if (verdict.action !== 'fail') throw new Error(`expected fail, got ${verdict.kind}`);
  expect(verdict.error).toBeInstanceOf(ForeignAnswerError);
  return (verdict.error as ForeignAnswerError).describe();
};

describe('an HTML page for an Azure call fails it at once', () => {
  it('ARM: a 404 page names the host and the status, and nothing of the page or the path', async () => {
    const text = said(classifyAzureError(await armError(404), 'RoleAssignments_Get'));
    expect(text).toContain(
      "RoleAssignments_Get: arm.proxy.example:8443 answered HTTP 404, text/html, a body that is not Azure Resource Manager's: not an answer of Azure Resource Manager, so it was not retried",
    );
    expect(text).toContain('`resource-manager-endpoint`');
    for (const part of ['pwned', '##[', '<title', 's3cr3t', 'subscriptions'])
      expect(text).not.toContain(part);
  });

  it('Graph: a 404 page names the host and the status, never read as Graph saying "not found"', async () => {
    const text = said(classifyGraphError(await graphError(404), 'Graph_Groups'));
    expect(text).toContain(
      "Graph_Groups: graph.proxy.example answered HTTP 404, text/html, a body that is not Microsoft Graph's",
    );
    expect(text).toContain('`graph-endpoint`');
    for (const part of ['pwned', '##[', '<title', 'displayName']) expect(text).not.toContain(part);
  });

  it('a body that is not JSON fails so whatever its content type claims', async () => {
    expect(
      said(classifyGraphError(await graphError(403, 'application/json', PAGE), 'Graph_Groups')),
    ).toContain('answered HTTP 403, application/json, a body that is not Microsoft Graph');
    expect(
      said(classifyAzureError(await armError(400, 'application/json', PAGE), 'RoleAssignments_Get')),
    ).toContain('answered HTTP 400, application/json, a body that is not Azure Resource Manager');
  });
});

describe('what stays as it was', () => {
  it.each([502, 503, 504])(
    'a gateway page (HTTP %i) is transient: retried as a server error',
    async (status) => {
      expect(classifyAzureError(await armError(status), 'RoleAssignments_Get')).toMatchObject({
        action: 'retry',
        kind: 'server',
      });
      expect(classifyGraphError(await graphError(status), 'Graph_Groups')).toMatchObject({
        action: 'retry',
        kind: 'server',
      });
    },
  );

  it("the services' own JSON errors are theirs, explained as before", async () => {
    const arm = classifyAzureError(
      await armError(
        404,
        'application/json; charset=utf-8',
        '{"error":{"code":"RoleAssignmentNotFound","message":"gone"}}',
      ),
      'RoleAssignments_Get',
    );
    expect(arm.action === 'fail' && arm.error).not.toBeInstanceOf(ForeignAnswerError);
    const graph = classifyGraphError(
      await graphError(
        404,
        'application/json;odata.metadata=minimal;charset=utf-8',
        '{"error":{"code":"Request_ResourceNotFound","message":"gone"}}',
      ),
      'Graph_Groups',
    );
    expect(graph).toMatchObject({ action: 'fail', error: { name: 'GraphError', status: 404 } });
  });
});
