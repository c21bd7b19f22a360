// The SDK clients, configured once: the SDK's own retries off (the engine retries inside the
// deadline), and a timeout on every request so a hung connection cannot outlive the step. The
// Identity Store client, needed only for principals given by name, is created (and its SDK loaded,
// with import()) on first use.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type {
  AwsCredentialIdentity,
  HttpHandlerOptions,
  HttpRequest,
  HttpResponse,
  RequestHandler,
} from '@aws-sdk/types';
import type { AwsSessionSettings } from '../../core/inputs/index.js';
import type { CallPacer } from '../../engine/calls/call-runner.js';
import type { Mask, TokenSource } from '../../engine/calls/driver.js';
import { ATTEMPT_TIMEOUT_MS } from '../../engine/limits/retry.js';
import { assumedRoleProvider } from './assumed-role.js';
import { stepCredentialProvider } from './credentials.js';
import { noteAnsweringHost as answering } from './foreign-answers.js';

const CONNECTION_TIMEOUT_MS = 5_000;

/**
 * The options of the Node HTTP handler every client of a step is made with (the grants', STS's,
 * the audit log's S3). `requestTimeout` alone only logs a warning when it passes
 * (@smithy/node-http-handler's setRequestTimeout): `throwOnRequestTimeout` makes it end the
 * request with a TimeoutError, so a hung connection fails in the SDK, as the engine expects.
 */
export function requestHandlerOptions() {
  return {
    requestTimeout: ATTEMPT_TIMEOUT_MS,
    throwOnRequestTimeout: true,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    // The SDK ignores HTTPS_PROXY / HTTP_PROXY / NO_PROXY; Node 24's agents honour them when
    // given the environment, which self-hosted runners behind a proxy need.
    httpAgent: new HttpAgent({ keepAlive: true, proxyEnv: process.env }),
    httpsAgent: new HttpsAgent({ keepAlive: true, proxyEnv: process.env }),
  };
}

export interface AwsClients {
  ssoAdmin: SSOAdminClient;
  /** The same client every time, created on the first call. */
  identityStore(): Promise<IdentitystoreClient>;
  /**
   * Organizations, for OU and root targets only, created on first use. Given the step's Region,
   * the SDK's endpoint rules reach the partition's global endpoint (us-east-1, us-gov-west-1,
   * cn-northwest-1) and sign for it; AWS_ENDPOINT_URL_ORGANIZATIONS overrides it.
   */
  organizations(): Promise<OrganizationsClient>;
  /**
   * CloudTrail, for `operation: sweep` only, created on first use, in the step's Region (the
   * Identity Center instance's, where its events are recorded); AWS_ENDPOINT_URL_CLOUDTRAIL
   * overrides it.
   */
  cloudTrail(): Promise<CloudTrailClient>;
  /**
   * CloudTrail of another account, signed in as `roleArn` assumed from the step's credentials
   * (sts:AssumeRole, ./assumed-role.ts), in the step's Region: one client a role, made once the role
   * is assumed; rejects with STS's refusal when it cannot be.
   */
  cloudTrailAs(roleArn: string): Promise<CloudTrailClient>;
  /**
   * CloudTrail in another Region of the instance (multi-Region Identity Center records its
   * sign-ins in each Region it serves), signed in as the step's clients; the step's Region is
   * `cloudTrail()`'s client.
   */
  cloudTrailIn(region: string): Promise<CloudTrailClient>;
  /**
   * IAM, for the AWS-managed policies a manifest's permission sets name (iam:GetPolicy), created
   * on first use; the SDK's endpoint rules reach the partition's global endpoint from the step's
   * Region; AWS_ENDPOINT_URL_IAM overrides it.
   */
  iam(): Promise<IAMClient>;
  /**
   * IAM Access Analyzer, for a reconcile's policy checks of the permission sets it changes
   * (input `policy-checks`), created on first use in the step's Region; no analyzer is needed.
   * AWS_ENDPOINT_URL_ACCESSANALYZER overrides the endpoint.
   */
  accessAnalyzer(): Promise<AccessAnalyzerClient>;
  /**
   * Athena, for a report's sign-ins read from a table of the organization trail
   * (`usage-source: athena://…`), created on first use in the step's Region;
   * AWS_ENDPOINT_URL_ATHENA overrides the endpoint.
   */
  athena(): Promise<AthenaClient>;
  /** AwsTransport's pacing of LookupEvents, when it gives one (../trail/cloudtrail.ts lookupEventsPacer). */
  lookupEventsPacer?: CallPacer;
}

/**
 * What tests put in place of the network and of sign-in: the real SDK clients still build, sign
 * and parse every request, in front of a fake service.
 */
export interface AwsTransport {
  /** Replaces the SDK's Node HTTP handler. */
  requestHandler?: RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions>;
  /** Replaces `role-to-assume` and the default credential chain. */
  credentials?: AwsCredentialIdentity;
  /** Replaces the pacing of CloudTrail's LookupEvents, 2 a second (../trail/cloudtrail.ts). */
  lookupEventsPacer?: CallPacer;
}

/** The same client every time, created (and its SDK loaded) on the first call. */
function once<C>(make: () => Promise<C>): () => Promise<C> {
  let made: Promise<C> | undefined;
  return () => (made ??= make());
}

export function createAwsClients(
  settings: AwsSessionSettings,
  /** The step's: its token source, its mask, and the key its clients share credentials by. */
  step: { requestToken: TokenSource; mask: Mask },
  transport: AwsTransport = {},
  /** Told once whom the clients signed in as (for the step's log). */
  announce?: (line: string) => void,
): AwsClients {
  const requestHandler = requestHandlerOptions();
  const common = {
    region: settings.region,
    maxAttempts: 1,
    requestHandler: transport.requestHandler ?? requestHandler,
  };
  // One provider shared by every client of the step signed in alike (the audit log's S3 client
  // too): the SDK memoises it and refreshes near expiry.
  const credentials =
    transport.credentials ??
    stepCredentialProvider(settings, step, { maxAttempts: 3, requestHandler }, announce);
  const withCredentials = credentials ? { ...common, credentials } : common;
  const ssoAdmin = answering(new SSOAdminClient(withCredentials));
  const assumed = new Map<string, Promise<CloudTrailClient>>();
  const inRegion = new Map<string, Promise<CloudTrailClient>>();
  const sdkClient = <C extends { middlewareStack: object }>(
    load: () => Promise<new (config: typeof withCredentials) => C>,
  ) => once(() => load().then((Client) => answering(new Client(withCredentials))));
  const cloudTrailOfStep = once(() =>
    import('@aws-sdk/client-cloudtrail').then(({ CloudTrailClient }) =>
      answering(new CloudTrailClient(withCredentials)),
    ),
  );
  const cloudTrailAs = async (roleArn: string) => {
    const provider = assumedRoleProvider({
      roleArn,
      roleSessionName: settings.roleSessionName,
      // The step's credentials as its clients resolved them: the OIDC exchange, or the ambient chain.
      source: ssoAdmin.config.credentials,
      clientConfig: { ...common, maxAttempts: 3 },
      mask: step.mask,
    });
    await provider();
    const { CloudTrailClient } = await import('@aws-sdk/client-cloudtrail');
    return answering(new CloudTrailClient({ ...common, credentials: provider }));
  };
  return {
    ssoAdmin,
    identityStore: sdkClient(() =>
      import('@aws-sdk/client-identitystore').then((m) => m.IdentitystoreClient),
    ),
    organizations: sdkClient(() =>
      import('@aws-sdk/client-organizations').then((m) => m.OrganizationsClient),
    ),
    cloudTrail: cloudTrailOfStep,
    cloudTrailIn: (region) => {
      if (region === settings.region) return cloudTrailOfStep();
      let client = inRegion.get(region);
      if (!client)
        inRegion.set(
          region,
          (client = import('@aws-sdk/client-cloudtrail').then(({ CloudTrailClient }) =>
            answering(new CloudTrailClient({ ...withCredentials, region })),
          )),
        );
      return client;
    },
    cloudTrailAs: (roleArn) => {
      let client = assumed.get(roleArn);
      if (!client) assumed.set(roleArn, (client = cloudTrailAs(roleArn)));
      return client;
    },
    iam: sdkClient(() => import('@aws-sdk/client-iam').then((m) => m.IAMClient)),
    accessAnalyzer: sdkClient(() =>
      import('@aws-sdk/client-accessanalyzer').then((m) => m.AccessAnalyzerClient),
    ),
    athena: sdkClient(() => import('@aws-sdk/client-athena').then((m) => m.AthenaClient)),
    ...(transport.lookupEventsPacer ? { lookupEventsPacer: transport.lookupEventsPacer } : {}),
  };
}
