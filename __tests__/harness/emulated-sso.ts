// IAM Identity Center for the AWS adapter's tests: the emulator, started in the jest process, which
// the adapter's own SDK clients reach through AWS_ENDPOINT_URL_SSO_ADMIN / _IDENTITYSTORE (and
// CloudTrail's history of its writes through _CLOUDTRAIL, and its table of the trail through _ATHENA), signing
// with the emulator's static key. Each test starts from the same small world (one instance, alice,
// bob and Deployers, ReadOnlyAccess and AdministratorAccess), with creates and deletes held
// IN_PROGRESS until the test completes them, and no quota pacing in the way.
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import type { Assignment, AssignmentRequest, StatusValue } from '../../emulator/aws/index.js';
import {
  IDENTITY_STORE_ID,
  INSTANCE_ARN as EMULATED_INSTANCE,
  identityStoreResourceId,
  permissionSetArnFor,
} from '../../emulator/aws/account/model.js';
import { parseInputs, type AwsConfig } from '../../src/core/inputs/index.js';
import { Deadline } from '../../src/engine/limits/deadline.js';
import type { AdapterDeps } from '../../src/engine/calls/driver.js';
import { RateLimiter } from '../../src/engine/limits/limits.js';
import type { SsoSessionSeams } from '../../src/aws/sso/session.js';

export { pageToken } from '../../emulator/aws/protocol/protocol.js';

export const INSTANCE_ARN = EMULATED_INSTANCE;
export const STORE_ID = IDENTITY_STORE_ID;
export const ACCOUNT = '111111111111';
export const ALICE = identityStoreResourceId('user', 'alice');
export const BOB = identityStoreResourceId('user', 'bob');
export const DEPLOYERS = identityStoreResourceId('group', 'Deployers');
export const READ_ONLY = permissionSetArnFor('ReadOnlyAccess');
export const ADMIN = permissionSetArnFor('AdministratorAccess');

/** Long enough that no create or delete ends before the test says so (`completeHeld`). */
const HELD_MS = 10 * 60_000;

type Input = Record<string, unknown>;
type ProvisioningStatus = 'LATEST_PERMISSION_SET_PROVISIONED' | 'LATEST_PERMISSION_SET_NOT_PROVISIONED';

export interface EmulatedSso {
  readonly emulator: Emulator;
  /** `Service.Operation` of every SSO Admin and Identity Store request, in order. */
  calls(): string[];
  count(operation: string): number;
  /** The JSON input of every request to `operation`, in order. */
  inputsOf(operation: string): Input[];
  /** The request ID the emulator answered the `nth` request to `operation` with. */
  requestIdOf(operation: string, nth?: number): string;
  /** The next `times` requests to `operation` are answered with this error. */
  failNext(operation: string, code: string, status: number, message?: string, times?: number): void;
  /** Every List answer carries at most `size` items. */
  pageSize(size: number): void;
  addAssignment(
    principalId: string,
    permissionSetArn?: string,
    account?: string,
    type?: 'USER' | 'GROUP',
  ): void;
  /** A create request IAM Identity Center lists and describes in `status` (see AwsEmulator.recordCreation). */
  addCreation(assignment: Assignment, status: StatusValue, createdDate?: Date): AssignmentRequest;
  /** The permission set provisioned in these accounts, each with its latest version or an older one. */
  provision(permissionSetArn: string, accounts: Record<string, 'current' | 'outdated'>): void;
  provisioningStatus(permissionSetArn: string, account: string): ProvisioningStatus | undefined;
  /** Every create and delete still IN_PROGRESS ends now. */
  completeHeld(): void;
  /** Back to the seeded world, as at the start of a test. */
  reset(): void;
}

/** Starts the emulator for the test file; each test begins from the seeded world. */
export function emulatedSso(): EmulatedSso {
  let emulator: Emulator | undefined;
  const saved = { ...process.env };
  const running = () => {
    if (!emulator) throw new Error('the emulator starts in beforeAll');
    return emulator;
  };
  const records = () =>
    running().requests.filter((r) => r.service === 'sso-admin' || r.service === 'identitystore');
  const reset = () => {
    const { aws } = running();
    running().reset();
    const { state } = aws;
    state.permissionSets.clear();
    state.addPermissionSet('ReadOnlyAccess');
    state.addPermissionSet('AdministratorAccess');
    Object.assign(aws.config, {
      tps: 1000,
      identityStoreTps: 1000,
      writeDelayMs: HELD_MS,
      provisionDelayMs: 0,
      deleteMissing: 'not-found',
    });
  };

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, azure: false });
    for (const name of [
      'AWS_ENDPOINT_URL_SSO_ADMIN',
      'AWS_ENDPOINT_URL_IDENTITYSTORE',
      'AWS_ENDPOINT_URL_IAM',
      'AWS_ENDPOINT_URL_CLOUDTRAIL',
      'AWS_ENDPOINT_URL_ATHENA',
      'AWS_ENDPOINT_URL_ORGANIZATIONS',
      'AWS_REGION',
    ])
      process.env[name] = emulator.env[name];
  });
  afterAll(async () => {
    process.env = { ...saved };
    await emulator?.close();
  });
  beforeEach(reset);

  return {
    get emulator() {
      return running();
    },
    calls: () =>
      records().map(
        (r) => `${r.service === 'sso-admin' ? 'SWBExternalService' : 'AWSIdentityStore'}.${r.operation}`,
      ),
    count: (operation) => records().filter((r) => r.operation === operation).length,
    inputsOf: (operation) =>
      records()
        .filter((r) => r.operation === operation)
        .map((r) => r.input ?? {}),
    requestIdOf(operation, nth = 0) {
      const id = records().filter((r) => r.operation === operation)[nth]?.requestId;
      if (!id) throw new Error(`no request ${nth} to ${operation}`);
      return id;
    },
    failNext(operation, code, status, message = `${code} (emulated)`, times = 1) {
      running().aws.faults.failRequests.push({ operation, code, status, message, times });
    },
    pageSize(size) {
      Object.assign(running().aws.config, { defaultPageSize: size, maxPageSize: size });
    },
    addAssignment(principalId, permissionSetArn = READ_ONLY, account = ACCOUNT, type = 'USER') {
      running().aws.addAssignment({ accountId: account, permissionSetArn, principalType: type, principalId });
    },
    addCreation: (assignment, status, createdDate) =>
      running().aws.recordCreation(assignment, status, createdDate),
    provision(permissionSetArn, accounts) {
      const { aws } = running();
      for (const account of Object.keys(accounts)) aws.state.provision(permissionSetArn, account);
      const outdated = Object.keys(accounts).filter((a) => accounts[a] === 'outdated');
      if (outdated.length > 0) aws.markOutdated(permissionSetArn, outdated);
    },
    provisioningStatus(permissionSetArn, account) {
      const found = running()
        .aws.provisionedAccounts(permissionSetArn)
        .find((a) => a.accountId === account);
      if (!found) return undefined;
      return found.current ? 'LATEST_PERMISSION_SET_PROVISIONED' : 'LATEST_PERMISSION_SET_NOT_PROVISIONED';
    },
    completeHeld: () => void running().aws.completeHeldRequests(),
    reset,
  };
}

/** The step's inputs (an assign of ALICE to READ_ONLY in ACCOUNT unless `inputs` say otherwise). */
export function awsPlan(inputs: Record<string, string> = {}): AwsConfig {
  const all: Record<string, string> = {
    cloud: 'aws',
    'aws-region': 'us-east-1',
    'instance-arn': INSTANCE_ARN,
    principal: ALICE,
    target: ACCOUNT,
    role: READ_ONLY,
    ...inputs,
  };
  return parseInputs((name) => all[name] ?? '', {}) as AwsConfig;
}

/**
 * LookupEvents paced as loosely as the other calls, for the tests that set the emulated CloudTrail
 * past its 2 a second (`config.cloudTrailTps`): they test what the lookups find, not their pace,
 * which aws/trail/lookup-quota.test.ts tests.
 */
export const looseLookupPacing = () => ({ lookupEventsPacer: new RateLimiter(1000, 1000) });

/**
 * What the adapter is given: a deadline, no OIDC token (the emulator's static key instead, as
 * AWS_ACCESS_KEY_ID would give it), and pacing loose enough that tests do not wait on the 18/s limit.
 */
export function emulatedDeps(sso: EmulatedSso, seconds = 30): { deps: AdapterDeps; seams: SsoSessionSeams } {
  return {
    deps: {
      deadline: new Deadline(seconds),
      requestToken: () => Promise.reject(new Error('these tests sign with the static key')),
      mask: () => undefined,
    },
    seams: {
      credentials: { ...sso.emulator.aws.staticCredentials },
      limiter: new RateLimiter(1000, 1000),
      identityStoreLimiter: new RateLimiter(1000, 1000),
    },
  };
}
