// The local emulator of the cloud endpoints the action calls: GitHub's OIDC token endpoint and
// REST API (workflow runs), AWS STS, SSO Admin, Identity Store, Organizations and CloudTrail, and
// Microsoft Entra and ARM (over TLS), each on its own loopback port, speaking the real wire
// protocols so the unmodified SDKs talk to it. Tests, benchmarks and the CLI start it here.
import { createAwsEmulator, type AwsEmulator } from './aws/index.js';
import { startAzureEmulator, type AzureEmulator } from './azure/index.js';
import { handleControl } from './control.js';
import { createGithubOidc, TOKEN_PATH, type GithubOidcEmulator } from './github/oidc.js';
import { createGithubRepository, type GithubRepositoryEmulator } from './github/repository.js';
import { createGithubRuns, type GithubRunsEmulator } from './github/runs.js';
import { createIssuesState, type GithubIssuesEmulator } from './github/issues-store.js';
import { ISSUE_ROUTES } from './github/issues.js';
import { WORKFLOW_RUN_ROUTES } from './github/workflow-runs.js';
import { PULL_ROUTES } from './github/pulls.js';
import { serveRoutes } from './github/rest-routes.js';
import { listen, type EmulatedServer } from './common/http.js';
import type { RequestRecord } from './common/requests.js';

export type { AwsEmulator } from './aws/index.js';
export type { AzureEmulator } from './azure/index.js';
export type { GithubOidcEmulator } from './github/oidc.js';
export type { GithubRunsEmulator, WorkflowRunSpec } from './github/runs.js';
export type { RequestRecord } from './common/requests.js';

/** GitHub: the OIDC token endpoint, and the REST API's workflow runs (`runs`). */
export type GithubEmulator = GithubOidcEmulator & {
  readonly runs: GithubRunsEmulator;
  /** What `operation: request` reads: the default branch, files at a ref, environments, approvals. */
  readonly repository: GithubRepositoryEmulator;
  /** Issues, comments, labels, pull requests and the accounts and teams a review names. */
  readonly issues: GithubIssuesEmulator;
};
export {
  EMULATED_OPERATIONS,
  EMULATED_CLOUDTRAIL,
  EMULATED_ATHENA,
  EMULATED_GITHUB_OPERATIONS,
  COMMON_ERRORS,
} from './catalog.js';

export interface EmulatorOptions {
  /**
   * The Region the IAM Identity Center instance lives in, and AWS_REGION (default us-east-1): a
   * request signed for any other finds no instance, as on AWS.
   */
  awsRegion?: string;
  /** How long an account assignment create/delete stays IN_PROGRESS (default 300). */
  awsWriteDelayMs?: number;
  /** How long a ProvisionPermissionSet stays IN_PROGRESS (default 300). */
  awsProvisionDelayMs?: number;
  quiet?: boolean;
  /** Start Entra and ARM too (default true; they need the openssl CLI for their certificate). */
  azure?: boolean;
  /** With Azure, start Azurite too, Microsoft's Azure Storage emulator (`audit-log` on Azure). */
  azurite?: boolean;
}

export interface Emulator {
  /**
   * Environment for the action's process so the SDKs reach the emulator:
   * ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN, AWS_ENDPOINT_URL_STS / _IAM / _SSO_ADMIN / _IDENTITYSTORE /
   * _ORGANIZATIONS / _CLOUDTRAIL, AWS_REGION, AWS_EC2_METADATA_DISABLED, GITHUB_API_URL (Octokit's
   * base URL: the GitHub server) and EMULATOR_GITHUB_TOKEN (`github.runs.jobToken`, a token
   * like a job's GITHUB_TOKEN, for the action's `github-token`); with Azure also
   * NODE_EXTRA_CA_CERTS, AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_SUBSCRIPTION_ID,
   * AZURE_AUTHORITY_HOST and EMULATOR_ARM_ENDPOINT.
   */
  env: Record<string, string>;
  /** The endpoints by service, for people and logs. */
  endpoints: Record<string, string>;
  github: GithubEmulator;
  aws: AwsEmulator;
  /** Absent when started with `azure: false`. */
  azure?: AzureEmulator;
  /** Every request received by any emulated service, in arrival order, rejected ones included. */
  requests: RequestRecord[];
  /**
   * Every secret the emulator has handed out since it started, resets included, for leak checks:
   * the ACTIONS_ID_TOKEN_REQUEST_TOKEN, each GitHub OIDC JWT issued, each STS session's access key
   * ID, secret access key and session token, the static secret access key, and each Entra access
   * token (the Entra emulator issues no refresh or ID tokens).
   */
  issuedSecrets(): string[];
  /** Back to the seeded state: clears requests, faults, config overrides and tokens. */
  reset(): void;
  close(): Promise<void>;
}

/** GitHub's side: the OIDC token endpoint, workflow runs, and the repository's reads. */
function githubServices(record: (entry: RequestRecord) => void) {
  const oidc = createGithubOidc(record);
  const runs = createGithubRuns(record);
  const repository = createGithubRepository(record, (token) => token === runs.emulator.jobToken);
  const issues = createIssuesState();
  const rest = serveRoutes(
    [...ISSUE_ROUTES, ...PULL_ROUTES, ...WORKFLOW_RUN_ROUTES],
    record,
    (token) => token === runs.emulator.jobToken,
    issues.state,
    repository.emulator,
  );
  const githubEmulator: GithubEmulator = Object.assign(oidc.emulator, {
    runs: runs.emulator,
    repository: repository.emulator,
    issues: issues.emulator,
  });
  return { oidc, runs, repository, rest, githubEmulator };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const requests: RequestRecord[] = [];
  const record = (entry: RequestRecord) => void requests.push(entry);
  const { oidc, runs, repository, rest, githubEmulator } = githubServices(record);
  const aws = createAwsEmulator(options, record, () => oidc.emulator.issuer, oidc.emulator.issuerUrl);

  const servers: EmulatedServer[] = [];
  const github = await listen(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/_emulator')) return handleControl(emulator, req, res, url);
    if (rest.handles(req, url)) return rest.handle(req, res, url);
    if (repository.handles(url)) return repository.handle(req, res, url);
    if (runs.handles(url)) return runs.handle(req, res, url);
    oidc.handle(req, res, url);
  });
  servers.push(github);
  const awsUrls = awsEndpoints(await listenAws(aws.handlers, servers));
  const azure =
    options.azure === false
      ? undefined
      : await startAzureEmulator({
          verifyGithubToken: (token) => oidc.emulator.issuer.verify(token, 60),
          record,
          ...(options.azurite ? { azurite: true } : {}),
        });

  // What reset() clears, kept for issuedSecrets().
  const secretsBeforeReset = new Set<string>();
  const currentSecrets = (): string[] => [
    oidc.emulator.requestToken,
    ...oidc.emulator.issuedTokens,
    runs.emulator.jobToken,
    aws.emulator.staticCredentials.secretAccessKey,
    ...aws.emulator.sessions.flatMap((s) => [s.accessKeyId, s.secretAccessKey, s.sessionToken ?? '']),
    ...(azure?.issuedAccessTokens ?? []),
  ];

  const emulator: Emulator = {
    env: {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${github.url}${TOKEN_PATH}?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.emulator.requestToken,
      ...awsUrls.env,
      AWS_REGION: aws.emulator.region,
      AWS_EC2_METADATA_DISABLED: 'true',
      GITHUB_API_URL: github.url,
      EMULATOR_GITHUB_TOKEN: runs.emulator.jobToken,
      ...azure?.env,
    },
    endpoints: {
      github: github.url,
      ...awsUrls.endpoints,
      ...(azure
        ? { entra: azure.authorityHost, arm: azure.resourceManagerEndpoint, graph: azure.graphEndpoint }
        : {}),
      ...(azure?.azuriteBlobEndpoint ? { azurite: azure.azuriteBlobEndpoint } : {}),
    },
    github: githubEmulator,
    aws: aws.emulator,
    ...(azure ? { azure } : {}),
    requests,
    issuedSecrets: () => [...new Set([...secretsBeforeReset, ...currentSecrets()])].filter(Boolean),
    reset() {
      for (const secret of currentSecrets()) secretsBeforeReset.add(secret);
      requests.length = 0;
      oidc.emulator.reset();
      runs.emulator.reset();
      repository.emulator.reset();
      githubEmulator.issues.reset();
      aws.emulator.reset();
      azure?.reset();
    },
    async close() {
      await Promise.all(servers.map((s) => s.close()));
      await azure?.close();
    },
  };
  if (!options.quiet) announce(emulator.endpoints);
  return emulator;
}

/** A server for each AWS service, in turn, each added to `servers` as it listens. */
async function listenAws(
  handlers: ReturnType<typeof createAwsEmulator>['handlers'],
  servers: EmulatedServer[],
): Promise<Record<keyof ReturnType<typeof createAwsEmulator>['handlers'], EmulatedServer>> {
  const sts = await listen(handlers.sts);
  servers.push(sts);
  const iam = await listen(handlers.iam);
  servers.push(iam);
  const accessAnalyzer = await listen(handlers.accessAnalyzer);
  servers.push(accessAnalyzer);
  const ssoAdmin = await listen(handlers.ssoAdmin);
  servers.push(ssoAdmin);
  const identityStore = await listen(handlers.identityStore);
  servers.push(identityStore);
  const organizations = await listen(handlers.organizations);
  servers.push(organizations);
  const cloudTrail = await listen(handlers.cloudTrail);
  servers.push(cloudTrail);
  const athena = await listen(handlers.athena);
  servers.push(athena);
  const s3 = await listen(handlers.s3);
  servers.push(s3);
  return { sts, iam, accessAnalyzer, ssoAdmin, identityStore, organizations, cloudTrail, athena, s3 };
}

/** The AWS services' endpoints: as the SDKs' AWS_ENDPOINT_URL_<SERVICE> variables, and by name. */
function awsEndpoints(s: Awaited<ReturnType<typeof listenAws>>) {
  return {
    env: {
      AWS_ENDPOINT_URL_STS: s.sts.url,
      AWS_ENDPOINT_URL_IAM: s.iam.url,
      AWS_ENDPOINT_URL_ACCESSANALYZER: s.accessAnalyzer.url,
      AWS_ENDPOINT_URL_SSO_ADMIN: s.ssoAdmin.url,
      AWS_ENDPOINT_URL_IDENTITYSTORE: s.identityStore.url,
      AWS_ENDPOINT_URL_ORGANIZATIONS: s.organizations.url,
      AWS_ENDPOINT_URL_CLOUDTRAIL: s.cloudTrail.url,
      AWS_ENDPOINT_URL_ATHENA: s.athena.url,
      // An endpoint given by IP address: the S3 client addresses buckets path-style (`/<bucket>/…`),
      // as its endpoint rules do for any IP host, so no bucket name needs to resolve.
      AWS_ENDPOINT_URL_S3: s.s3.url,
    },
    endpoints: {
      sts: s.sts.url,
      iam: s.iam.url,
      accessAnalyzer: s.accessAnalyzer.url,
      ssoAdmin: s.ssoAdmin.url,
      identityStore: s.identityStore.url,
      organizations: s.organizations.url,
      cloudtrail: s.cloudTrail.url,
      athena: s.athena.url,
      s3: s.s3.url,
    },
  };
}

/** Where each service listens, one line each. */
function announce(endpoints: Record<string, string>): void {
  for (const [name, url] of Object.entries(endpoints)) console.log(`emulator: ${name} on ${url}`);
}
