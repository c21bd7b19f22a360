// An answer AWS did not write (an HTML page from a proxy, or from a host that is not the service)
// fails the call at once, naming the host and the status, never the page: the real SSO Admin
// client, as the action makes it, against a small local server answering such pages.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListTagsForResourceCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { AwsServiceError, classifyAwsError } from '../../../src/aws/sdk/aws-errors.js';
import { noteAnsweringHost } from '../../../src/aws/sdk/foreign-answers.js';
import { ForeignAnswerError } from '../../../src/engine/limits/foreign-answer.js';

const PAGE =
  '<html><head><title>404 Not Found</title></head><body>\n::error::pwned ##[warning]x</body></html>';

/** What the server answers next. */
let next: { status: number; headers: Record<string, string>; body: string };
let server: Server;
let host: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    res.writeHead(next.status, next.headers);
    res.end(next.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The error the real client fails ListTagsForResource with, for `answer`. */
async function sdkError(answer: typeof next): Promise<unknown> {
  next = answer;
  const client = noteAnsweringHost(
    new SSOAdminClient({
      region: 'us-east-1',
      // A path and query an endpoint may carry: neither is ever shown.
      endpoint: `http://${host}/prefix?token=s3cr3t`,
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    }),
  );
  try {
    await client.send(
      new ListTagsForResourceCommand({
        InstanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111',
        ResourceArn: 'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111',
      }),
    );
  } catch (error) {
    return error;
  } finally {
    client.destroy();
  }
  throw new Error('the call succeeded');
}

const html = (status: number, body = PAGE) => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body,
});

describe('an HTML page for an AWS call fails it at once', () => {
  it('a 404 page names the host and the status, not retried, and shows nothing of the page', async () => {
    const verdict = classifyAwsError(await sdkError(html(404)), 'ListTagsForResource');
    expect(verdict.action).toBe('fail');
    const error = (verdict as { error: Error }).error;
    expect(error).toBeInstanceOf(ForeignAnswerError);
    expect(error.message).toBe(
      `ListTagsForResource: ${host} answered HTTP 404, text/html, a body that is not AWS's: not an answer of AWS, so it was not retried`,
    );
    expect((error as ForeignAnswerError).describe()).toContain(
      'a proxy between the runner and AWS (HTTPS_PROXY, or a network',
    );
    expect((error as ForeignAnswerError).describe()).toContain('AWS_ENDPOINT_URL');
    expect((error as ForeignAnswerError).describe()).toContain(
      'a service there that lacks ListTagsForResource',
    );
    const said = (error as ForeignAnswerError).describe();
    for (const part of ['Not Found', 'pwned', '##[', 's3cr3t', '/prefix', '<title', '<html'])
      expect(said).not.toContain(part);
  });

  it('an empty 404 page (read by the SDK as an UnknownError) is judged by its content type', async () => {
    const verdict = classifyAwsError(await sdkError(html(404, '')), 'ListTagsForResource');
    expect(verdict).toMatchObject({ action: 'fail', error: expect.any(ForeignAnswerError) });
    expect((verdict as { error: Error }).error.message).toContain(`${host} answered HTTP 404, text/html:`);
  });

  it('a 403 or a 200 page the protocol cannot read fails the same way', async () => {
    for (const status of [403, 200]) {
      const verdict = classifyAwsError(await sdkError(html(status)), 'ListTagsForResource');
      expect((verdict as { error: Error }).error.message).toContain(`answered HTTP ${status}, text/html`);
    }
  });

  it("a content type that is not one is not shown (a server's text)", async () => {
    const verdict = classifyAwsError(
      await sdkError({ status: 404, headers: { 'content-type': '::error::x <b>' }, body: PAGE }),
      'ListTagsForResource',
    );
    const said = (verdict as { error: Error } as { error: ForeignAnswerError }).error.describe();
    expect(said).toContain('HTTP 404, an unreadable content-type');
    expect(said).not.toContain('::error::');
  });
});

describe('what stays as it was', () => {
  it.each([502, 503, 504])(
    'a gateway page (HTTP %i) is transient: retried as a server error',
    async (status) => {
      expect(classifyAwsError(await sdkError(html(status)), 'ListTagsForResource')).toMatchObject({
        action: 'retry',
        kind: 'server',
      });
    },
  );

  it("the service's own 404 (JSON, with its error name) is its answer, acted on by its code", async () => {
    const error = await sdkError({
      status: 400,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': 'r-1',
      },
      body: JSON.stringify({
        __type: 'com.amazonaws.swbssoadmin#ResourceNotFoundException',
        Message: 'Permission set not found',
      }),
    });
    const verdict = classifyAwsError(error, 'ListTagsForResource');
    expect(verdict).toMatchObject({ action: 'fail', error: expect.any(AwsServiceError) });
    expect((verdict as { error: Error } as { error: AwsServiceError }).error.code).toBe(
      'ResourceNotFoundException',
    );
  });
});
