// The AWS half of the emulator: STS, IAM (policies), Access Analyzer (policy checks), SSO Admin, Identity Store, Organizations, CloudTrail and Athena (its table of the trail) over
// one shared data model, with the helpers tests use to seed and inspect it.
import { randomBytes } from 'node:crypto';
import { createRandom } from '../common/http.js';
import type { JwtIssuer } from '../common/jwt.js';
import type { RecordRequest } from '../common/requests.js';
import type { AwsCredential } from './protocol/auth.js';
import {
  defaultAwsConfig,
  defaultAwsFaults,
  emptyAwsStats,
  type AwsConfig,
  type AwsContext,
  type TrustedRole,
} from './account/config.js';
import { createCloudTrailService } from './cloudtrail/cloudtrail.js';
import { createCloudTrailSeams } from './cloudtrail/seams.js';
import { createIdentityStoreService } from './identity-store/identity-store.js';
import { DEFAULT_ORG, Organization } from './organizations/organization.js';
import { createOrganizationsService } from './organizations/organizations.js';
import { createSsoAdminService } from './sso-admin/sso-admin.js';
import { OWNER_ACCOUNT_ID } from './account/model.js';
import { AwsState } from './account/state.js';
import { createStsService } from './sts/sts.js';
import { createIamService } from './iam/iam.js';
import { createAccessAnalyzerService } from './access-analyzer/access-analyzer.js';
import { createAthenaService } from './athena/athena.js';
import { createS3Service } from './s3/s3.js';
import { stateMethods } from './state-methods.js';
import type { AwsEmulator } from './emulator-api.js';

export type {
  AwsConfig,
  AwsFaults,
  AwsStats,
  CloudTrailEvent,
  FailRequest,
  TrustedRole,
} from './account/config.js';
export type { Assignment, AssignmentRequest, Instance, PrincipalType, StatusValue } from './account/model.js';
export type { AccountStatus, OrgSeed } from './organizations/organization.js';
export type {
  CloudTrailSeams,
  PlantedTrailEvent,
  PortalSignIn,
  RoleCredentialsRecord,
  TrailCaller,
} from './cloudtrail/seams.js';
/** A recorded event as LookupEvents answers it, and the record in its `CloudTrailEvent`. */
export { cloudTrailRecord, lookedUpEvent } from './account/cloudtrail-record.js';
export type { AwsEmulator } from './emulator-api.js';
export type { S3Emulator, S3Object } from './s3/s3-state.js';

export interface AwsEmulatorOptions {
  /** The Region the IAM Identity Center instance lives in (default us-east-1). */
  awsRegion?: string;
  awsWriteDelayMs?: number;
  awsProvisionDelayMs?: number;
}

export const DEFAULT_REGION = 'us-east-1';

/** The roles GitHub's OIDC tokens may assume, at every start and after reset(). */
export const seededRoles = (): TrustedRole[] => [
  {
    arn: `arn:aws:iam::${OWNER_ACCOUNT_ID}:role/cloud-access`,
    trustedSubjects: ['repo:octo-org/octo-repo:*'],
    audience: 'sts.amazonaws.com',
    maxSessionDurationSeconds: 3600,
  },
];

export function createAwsEmulator(
  options: AwsEmulatorOptions,
  record: RecordRequest,
  githubIssuer: () => JwtIssuer,
  githubIssuerUrl: string,
) {
  const state = new AwsState();
  const organization = new Organization();
  const credentials = credentialStore();
  let random = createRandom(20200720);

  const context: AwsContext = {
    state,
    region: options.awsRegion ?? DEFAULT_REGION,
    config: awsConfigDefaults(options),
    faults: defaultAwsFaults(),
    roles: seededRoles(),
    assumableRoles: [],
    stats: emptyAwsStats(),
    cloudTrail: [],
    random: () => random(),
    record,
    credential: credentials.credential,
    issueCredential: credentials.issueCredential,
  };
  // Faults are looked up when a provisioning completes, so tests may set them after the request.
  state.provisionFailureFor = (accountId) => emulator.faults.provisionFailures[accountId];

  const emulator: AwsEmulator = {
    instanceArn: state.instanceArn,
    region: context.region,
    identityStoreId: state.identityStoreId,
    accountId: OWNER_ACCOUNT_ID,
    state,
    organization,
    get config() {
      return context.config;
    },
    set config(value) {
      context.config = value;
    },
    get faults() {
      return context.faults;
    },
    set faults(value) {
      context.faults = value;
    },
    get roles() {
      return context.roles;
    },
    set roles(value) {
      context.roles = value;
    },
    assumableRoles: context.assumableRoles,
    staticCredentials: credentials.staticCredentials,
    get s3() {
      return services.s3;
    },
    cloudTrail: context.cloudTrail,
    stats: context.stats,
    sessions: credentials.sessions,
    ...createCloudTrailSeams(context),
    ...stateMethods(state),
    expireSessions: credentials.expireSessions,
    completeHeldRequests: (withinMs = 0) => state.completeHeld(withinMs),
    reset() {
      state.seed();
      context.config = awsConfigDefaults(options);
      context.faults = defaultAwsFaults();
      context.roles = seededRoles();
      context.assumableRoles.length = 0;
      Object.assign(context.stats, emptyAwsStats());
      context.cloudTrail.length = 0;
      credentials.clear();
      random = createRandom(20200720);
      services.reset();
      organization.seed(DEFAULT_ORG);
    },
  };

  const services = createServices(context, organization, githubIssuer, githubIssuerUrl);
  return { emulator, handlers: services.handlers };
}

/** The five services over the shared context: their handlers, and a reset of what each keeps. */
function createServices(
  context: AwsContext,
  organization: Organization,
  githubIssuer: () => JwtIssuer,
  githubIssuerUrl: string,
) {
  const ssoAdmin = createSsoAdminService(context);
  const identityStore = createIdentityStoreService(context);
  const sts = createStsService(context, githubIssuer, githubIssuerUrl);
  const iam = createIamService(context);
  const accessAnalyzer = createAccessAnalyzerService(context);
  const organizations = createOrganizationsService(context, organization);
  const cloudTrail = createCloudTrailService(context);
  const athena = createAthenaService(context);
  const s3 = createS3Service(context);
  return {
    s3: s3.emulator,
    handlers: {
      sts: sts.handle,
      iam: iam.handle,
      accessAnalyzer: accessAnalyzer.handle,
      ssoAdmin: ssoAdmin.handle,
      identityStore: identityStore.handle,
      organizations: organizations.handle,
      cloudTrail: cloudTrail.handle,
      athena: athena.handle,
      s3: s3.handle,
    },
    reset() {
      ssoAdmin.reset();
      identityStore.reset();
      organizations.reset();
      cloudTrail.reset();
      athena.reset();
      s3.reset();
    },
  };
}

/** The config at start and after reset(): the defaults, with the write and provisioning delays the options give. */
function awsConfigDefaults(options: AwsEmulatorOptions): AwsConfig {
  return {
    ...defaultAwsConfig(),
    ...(options.awsWriteDelayMs !== undefined ? { writeDelayMs: options.awsWriteDelayMs } : {}),
    ...(options.awsProvisionDelayMs !== undefined ? { provisionDelayMs: options.awsProvisionDelayMs } : {}),
  };
}

/** The key pairs the emulator accepts: its static pair, and the sessions STS has issued. */
function credentialStore() {
  const staticCredentials = {
    accessKeyId: 'AKIAEMULATOR00000001',
    secretAccessKey: randomBytes(30).toString('base64').slice(0, 40),
  };
  const sessions: AwsCredential[] = [];
  const byKey = new Map<string, AwsCredential>();
  return {
    staticCredentials,
    sessions,
    credential: (accessKeyId: string): AwsCredential | undefined =>
      accessKeyId === staticCredentials.accessKeyId
        ? { ...staticCredentials, principalArn: `arn:aws:iam::${OWNER_ACCOUNT_ID}:user/emulator` }
        : byKey.get(accessKeyId),
    expireSessions() {
      for (const session of sessions) session.expiration = new Date(Date.now() - 1000);
    },
    issueCredential(credential: AwsCredential) {
      sessions.push(credential);
      byKey.set(credential.accessKeyId, credential);
    },
    clear() {
      sessions.length = 0;
      byKey.clear();
    },
  };
}
