// Test helpers: the real SDK clients pointed at an emulator, with every raw response body kept
// so tests can look at the JSON and XML the emulator sent, not only what the SDK made of it.
import { Readable } from 'node:stream';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { STSClient } from '@aws-sdk/nested-clients/sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { Emulator } from '../../emulator/index.js';

export interface RawExchange {
  /** `SWBExternalService.ListInstances`, `AWSIdentityStore.GetUserId`, or the STS Action. */
  target: string;
  status: number;
  body: string;
  /** The answer's headers (lower-case names). */
  headers?: Record<string, string>;
}

/** A request handler that keeps each raw response body, then hands the SDK an identical stream. */
export function capturingHandler(exchanges: RawExchange[]) {
  const inner = new NodeHttpHandler();
  return {
    metadata: inner.metadata,
    destroy: () => inner.destroy(),
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    async handle(
      request: Parameters<NodeHttpHandler['handle']>[0],
      options?: Parameters<NodeHttpHandler['handle']>[1],
    ) {
      const result = await inner.handle(request, options);
      const chunks: Buffer[] = [];
      for await (const chunk of result.response.body as Readable) chunks.push(Buffer.from(chunk as Buffer));
      const body = Buffer.concat(chunks);
      const target = request.headers['x-amz-target'];
      const action = target
        ? undefined
        : /(?:^|&)Action=([^&]+)/.exec(typeof request.body === 'string' ? request.body : '')?.[1];
      exchanges.push({
        target: String(target ?? action ?? ''),
        status: result.response.statusCode,
        body: body.toString('utf8'),
        headers: result.response.headers,
      });
      result.response.body = Readable.from([body]);
      return result;
    },
  };
}

type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export function staticCredentials(emulator: Emulator): AwsCredentialIdentity {
  return { ...emulator.aws.staticCredentials };
}

export function ssoAdminClient(
  emulator: Emulator,
  credentials: Credentials = staticCredentials(emulator),
  exchanges?: RawExchange[],
) {
  return new SSOAdminClient({
    region: 'us-east-1',
    endpoint: emulator.env.AWS_ENDPOINT_URL_SSO_ADMIN,
    credentials,
    maxAttempts: 1,
    ...(exchanges ? { requestHandler: capturingHandler(exchanges) } : {}),
  });
}

export function identityStoreClient(
  emulator: Emulator,
  credentials: Credentials = staticCredentials(emulator),
  exchanges?: RawExchange[],
) {
  return new IdentitystoreClient({
    region: 'us-east-1',
    endpoint: emulator.env.AWS_ENDPOINT_URL_IDENTITYSTORE,
    credentials,
    maxAttempts: 1,
    ...(exchanges ? { requestHandler: capturingHandler(exchanges) } : {}),
  });
}

export function stsClient(emulator: Emulator, exchanges?: RawExchange[]) {
  return new STSClient({
    region: 'us-east-1',
    endpoint: emulator.env.AWS_ENDPOINT_URL_STS,
    maxAttempts: 1,
    ...(exchanges ? { requestHandler: capturingHandler(exchanges) } : {}),
  });
}

/** The error a call rejected with (fails the test when it resolved). */
export async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, and it succeeded');
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
