// The one line a step says when Graph gave no names for its rows: what failed, and the fix that
// fits it (the permission for a 403, the way to the Graph host or `graph-endpoint` when Graph did
// not answer, patience when it was busy).
import { describe, expect, it } from '@jest/globals';
import { GraphError } from '../../../src/azure/graph/client.js';
import { labelsFailure } from '../../../src/azure/graph/graph-errors.js';
import { CloudAccessError, UnreachableEndpointError } from '../../../src/core/errors.js';
import { LabelsTimedOut } from '../../../src/engine/limits/best-effort.js';
import { DeadlineExceededError } from '../../../src/engine/limits/deadline.js';

const GRAPH = 'https://graph.microsoft.com';
const graphError = (status: number, code: string) =>
  new GraphError(status, code, 'no', 'req-1', undefined, '/v1.0/users?$filter=x');
const REACH =
  "let the runner reach https://graph.microsoft.com (its DNS, the network's egress rules, or HTTPS_PROXY), or set `graph-endpoint` to a Microsoft Graph it reaches";

describe('labelsFailure', () => {
  it('a 403 names the permissions names need', () => {
    expect(labelsFailure(graphError(403, 'Authorization_RequestDenied'), GRAPH)).toEqual({
      said: '403 Authorization_RequestDenied: no (Graph request-id req-1)',
      fix: 'grant the app the Microsoft Graph permissions names need (User.Read.All, GroupMember.Read.All, Application.Read.All, or Directory.Read.All)',
    });
  });

  it('a host that did not resolve or refused names the way to it and `graph-endpoint`', () => {
    const error = new UnreachableEndpointError(
      'Graph_Batch',
      { url: GRAPH, input: 'graph-endpoint' },
      'getaddrinfo ENOTFOUND graph.microsoft.com',
      3,
    );
    expect(labelsFailure(error, GRAPH)).toEqual({
      said: 'getaddrinfo ENOTFOUND graph.microsoft.com',
      fix: REACH,
    });
  });

  it('no answer within the budget says so, with the same fix', () => {
    expect(labelsFailure(new LabelsTimedOut(15_000), GRAPH)).toEqual({
      said: 'no answer within 15 s',
      fix: REACH,
    });
  });

  it('throttled until the budget ended: what Graph said, and to re-run later', () => {
    const throttled = new DeadlineExceededError('Graph_Batch', graphError(429, 'TooManyRequests'));
    expect(labelsFailure(throttled, GRAPH)).toEqual({
      said: '429 TooManyRequests: no (Graph request-id req-1)',
      fix: 're-run later: Graph was busy',
    });
  });

  it("a token Entra refused for Graph keeps that error's own fix", () => {
    const refused = new CloudAccessError('Entra refused a token for Microsoft Graph', {
      input: 'graph-endpoint',
      fix: 'check `graph-endpoint`',
    });
    expect(labelsFailure(refused, GRAPH)).toEqual({
      said: 'Entra refused a token for Microsoft Graph',
      fix: 'check `graph-endpoint`',
    });
  });
});
