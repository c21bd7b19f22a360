// A small in-memory IAM Identity Center behind the AWS SDK's transport: the real
// @aws-sdk/client-sso-admin and @aws-sdk/client-identitystore clients build, sign and parse every
// request. Both speak awsJson1_1 (the models in __tests__/fixtures/contracts/aws): POST / with
// `X-Amz-Target: SWBExternalService.<Operation>` or `AWSIdentityStore.<Operation>`, JSON bodies
// with the model's member names, errors as `{"__type": "<namespace>#<Code>", "Message": …}`.
import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponse } from '@aws-sdk/types';
import { parseInputs, type AwsConfig } from '../../src/core/inputs/index.js';
import { Deadline } from '../../src/engine/deadline.js';
import type { AdapterDeps } from '../../src/engine/driver.js';
import { RateLimiter } from '../../src/engine/limits.js';
import type { SsoSessionSeams } from '../../src/aws/sso.js';

export const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-1111111111111111';
export const STORE_ID = 'd-1234567890';
export const ACCOUNT = '111111111111';
export const ALICE = '9067a1b2c3-11111111-2222-3333-4444-555555555555';
export const BOB = '9067a1b2c3-66666666-7777-8888-9999-000000000000';
export const DEPLOYERS = '9067a1b2c3-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
export const psArn = (id: string) =>
  `arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-${id.padStart(16, '0')}`;
export const READ_ONLY = psArn('1');
export const ADMIN = psArn('2');

type Input = Record<string, unknown>;
type Status = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
type ProvisioningStatus = 'LATEST_PERMISSION_SET_PROVISIONED' | 'LATEST_PERMISSION_SET_NOT_PROVISIONED';

export interface Assignment {
  AccountId: string;
  PermissionSetArn: string;
  PrincipalType: 'USER' | 'GROUP';
  PrincipalId: string;
}

export interface AssignmentRequest {
  RequestId: string;
  Status: Status;
  FailureReason?: string;
  assignment: Assignment;
  createdDate: Date;
  /** Describe reads still answered IN_PROGRESS. */
  readsLeft: number;
}

interface ProvisioningRequest {
  RequestId: string;
  Status: Status;
  PermissionSetArn: string;
  AccountId?: string;
  readsLeft: number;
}

/** An error answer: the model's error name, the HTTP status AWS sends it with, a message. */
class Answer extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const notFound = (message: string) => new Answer('ResourceNotFoundException', 400, message);

export class FakeSsoAdmin {
  /** `Service.Operation` of every request, in order. */
  readonly calls: string[] = [];
  /** Every request's operation and JSON input. */
  readonly inputs: { operation: string; input: Input }[] = [];
  instances: { InstanceArn: string; IdentityStoreId: string; Name?: string }[] = [
    { InstanceArn: INSTANCE_ARN, IdentityStoreId: STORE_ID, Name: 'octo-org' },
  ];
  users = new Map([
    ['alice', ALICE],
    ['bob', BOB],
  ]);
  groups = new Map([['Deployers', DEPLOYERS]]);
  permissionSets: { arn: string; name: string }[] = [
    { arn: READ_ONLY, name: 'ReadOnlyAccess' },
    { arn: ADMIN, name: 'AdministratorAccess' },
  ];
  assignments: Assignment[] = [];
  readonly creations = new Map<string, AssignmentRequest>();
  readonly deletions = new Map<string, AssignmentRequest>();
  /** Permission set ARN → account → provisioning status. */
  readonly provisioned = new Map<string, Map<string, ProvisioningStatus>>();
  readonly provisionings = new Map<string, ProvisioningRequest>();
  /** Items per page of every list. */
  pageSize = 100;
  /** Describe reads a new request answers IN_PROGRESS before it ends. */
  readsInProgress = 1;
  /** When set, new create requests end FAILED with this reason. */
  createFailure: string | undefined;
  /** DeleteAccountAssignment of an absent assignment: refused (404), or accepted and FAILED later. */
  deleteAbsent: 'not-found' | 'accepted' = 'not-found';
  /** Create requests IN_PROGRESS now, and the most there ever were at once. */
  outstandingCreates = 0;
  maxOutstandingCreates = 0;
  private readonly faults: { operation: string; answer: Answer }[] = [];

  /** The next `times` calls of `operation` are answered with this error. */
  failNext(operation: string, code: string, status: number, message = `${code} (fake)`, times = 1): void {
    for (let i = 0; i < times; i++)
      this.faults.push({ operation, answer: new Answer(code, status, message) });
  }

  count(operation: string): number {
    return this.calls.filter((c) => c.endsWith(`.${operation}`)).length;
  }

  inputsOf(operation: string): Input[] {
    return this.inputs.filter((i) => i.operation === operation).map((i) => i.input);
  }

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const target = request.headers['x-amz-target'] ?? '';
    const [service, operation = ''] = target.split('.');
    const body = request.body as Uint8Array | string | undefined;
    const text = typeof body === 'string' ? body : new TextDecoder().decode(body ?? new Uint8Array());
    const input = JSON.parse(text || '{}') as Input;
    this.calls.push(target);
    this.inputs.push({ operation, input });
    const requestId = `req-${this.calls.length}`;
    const namespace =
      service === 'AWSIdentityStore' ? 'com.amazonaws.identitystore' : 'com.amazonaws.swbexternalservice';
    try {
      if (request.method !== 'POST' || request.path !== '/')
        throw new Answer('UnknownOperation', 400, target);
      const fault = this.faults.findIndex((f) => f.operation === operation);
      if (fault >= 0) throw this.faults.splice(fault, 1)[0]!.answer;
      const run = this.operations[operation];
      if (!run || (service !== 'SWBExternalService' && service !== 'AWSIdentityStore'))
        throw new Answer('UnknownOperationException', 400, `no operation ${target}`);
      return reply(200, run(input), requestId);
    } catch (error) {
      if (!(error instanceof Answer)) throw error;
      return reply(error.status, { __type: `${namespace}#${error.code}`, Message: error.message }, requestId);
    }
  }

  addAssignment(
    principalId: string,
    permissionSetArn = READ_ONLY,
    account = ACCOUNT,
    type: 'USER' | 'GROUP' = 'USER',
  ) {
    this.assignments.push({
      AccountId: account,
      PermissionSetArn: permissionSetArn,
      PrincipalType: type,
      PrincipalId: principalId,
    });
  }

  /** A create request as IAM Identity Center records it (e.g. one a main step sent and never heard back from). */
  addCreation(assignment: Assignment, status: Status, createdDate = new Date()): AssignmentRequest {
    // One recorded IN_PROGRESS stays so: nothing this step does ends it.
    const readsLeft = status === 'IN_PROGRESS' ? Infinity : 0;
    const request = { RequestId: randomUUID(), Status: status, assignment, createdDate, readsLeft };
    this.creations.set(request.RequestId, request);
    return request;
  }

  provision(permissionSetArn: string, accounts: Record<string, 'current' | 'outdated'>): void {
    const byAccount = new Map<string, ProvisioningStatus>();
    for (const [account, state] of Object.entries(accounts))
      byAccount.set(
        account,
        state === 'current' ? 'LATEST_PERMISSION_SET_PROVISIONED' : 'LATEST_PERMISSION_SET_NOT_PROVISIONED',
      );
    this.provisioned.set(permissionSetArn, byAccount);
  }

  private page<T>(items: T[], input: Input): { items: T[]; NextToken?: string } {
    const offset = typeof input.NextToken === 'string' ? Number(input.NextToken.replace('page-', '')) : 0;
    const next = offset + this.pageSize;
    return next < items.length
      ? { items: items.slice(offset, next), NextToken: `page-${next}` }
      : { items: items.slice(offset) };
  }

  private requireInstance(input: Input): void {
    if (input.InstanceArn !== INSTANCE_ARN)
      throw notFound(`Instance ${String(input.InstanceArn)} does not exist.`);
  }

  private readonly operations: Record<string, (input: Input) => unknown> = {
    ListInstances: (input) => {
      const { items, NextToken } = this.page(this.instances, input);
      return { Instances: items, NextToken };
    },
    GetUserId: (input) => ({
      UserId: this.principal(input, 'userName', this.users),
      IdentityStoreId: STORE_ID,
    }),
    GetGroupId: (input) => ({
      GroupId: this.principal(input, 'displayName', this.groups),
      IdentityStoreId: STORE_ID,
    }),
    ListPermissionSets: (input) => {
      this.requireInstance(input);
      const { items, NextToken } = this.page(
        this.permissionSets.map((p) => p.arn),
        input,
      );
      return { PermissionSets: items, NextToken };
    },
    DescribePermissionSet: (input) => {
      this.requireInstance(input);
      const ps = this.permissionSets.find((p) => p.arn === input.PermissionSetArn);
      if (!ps)
        throw notFound(
          `Could not find PermissionSet with PermissionSetArn ${String(input.PermissionSetArn)}.`,
        );
      return { PermissionSet: { Name: ps.name, PermissionSetArn: ps.arn } };
    },
    ListAccountAssignments: (input) => {
      this.requireInstance(input);
      const matching = this.assignments.filter(
        (a) => a.AccountId === input.AccountId && a.PermissionSetArn === input.PermissionSetArn,
      );
      const { items, NextToken } = this.page(matching, input);
      return { AccountAssignments: items, NextToken };
    },
    CreateAccountAssignment: (input) => {
      this.requireInstance(input);
      const request = this.newRequest(this.creations, input);
      this.outstandingCreates++;
      this.maxOutstandingCreates = Math.max(this.maxOutstandingCreates, this.outstandingCreates);
      return { AccountAssignmentCreationStatus: statusShape(request) };
    },
    DescribeAccountAssignmentCreationStatus: (input) => {
      const request = this.creations.get(String(input.AccountAssignmentCreationRequestId));
      if (!request) throw notFound('Request not found.');
      if (request.Status === 'IN_PROGRESS' && request.readsLeft-- <= 0) this.endCreation(request);
      return { AccountAssignmentCreationStatus: statusShape(request) };
    },
    ListAccountAssignmentCreationStatus: (input) => {
      const status = (input.Filter as { Status?: string } | undefined)?.Status;
      const listed = [...this.creations.values()].reverse().filter((r) => !status || r.Status === status);
      const { items, NextToken } = this.page(listed, input);
      return { AccountAssignmentsCreationStatus: items.map(statusMetadata), NextToken };
    },
    ListAccountAssignmentDeletionStatus: (input) => {
      const { items, NextToken } = this.page([...this.deletions.values()].reverse(), input);
      return { AccountAssignmentsDeletionStatus: items.map(statusMetadata), NextToken };
    },
    DeleteAccountAssignment: (input) => {
      this.requireInstance(input);
      if (this.find(assignmentOf(input)) === undefined && this.deleteAbsent === 'not-found')
        throw notFound('Could not find the account assignment.');
      return { AccountAssignmentDeletionStatus: statusShape(this.newRequest(this.deletions, input)) };
    },
    DescribeAccountAssignmentDeletionStatus: (input) => {
      const request = this.deletions.get(String(input.AccountAssignmentDeletionRequestId));
      if (!request) throw notFound('Request not found.');
      if (request.Status === 'IN_PROGRESS' && request.readsLeft-- <= 0) {
        const index = this.find(request.assignment);
        if (index === undefined) {
          request.Status = 'FAILED';
          request.FailureReason = "Received a 404 status error: EntitlementItem doesn't exist.";
        } else {
          this.assignments.splice(index, 1);
          request.Status = 'SUCCEEDED';
        }
      }
      return { AccountAssignmentDeletionStatus: statusShape(request) };
    },
    ListAccountsForProvisionedPermissionSet: (input) => {
      this.requireInstance(input);
      const accounts = [...(this.provisioned.get(String(input.PermissionSetArn)) ?? new Map()).entries()]
        .filter(([, status]) => input.ProvisioningStatus === undefined || status === input.ProvisioningStatus)
        .map(([account]) => account);
      const { items, NextToken } = this.page(accounts, input);
      return { AccountIds: items, NextToken };
    },
    ProvisionPermissionSet: (input) => {
      this.requireInstance(input);
      const request: ProvisioningRequest = {
        RequestId: randomUUID(),
        Status: 'IN_PROGRESS',
        PermissionSetArn: String(input.PermissionSetArn),
        ...(typeof input.TargetId === 'string' ? { AccountId: input.TargetId } : {}),
        readsLeft: this.readsInProgress,
      };
      this.provisionings.set(request.RequestId, request);
      return { PermissionSetProvisioningStatus: provisioningShape(request) };
    },
    DescribePermissionSetProvisioningStatus: (input) => {
      const request = this.provisionings.get(String(input.ProvisionPermissionSetRequestId));
      if (!request) throw notFound('Request not found.');
      if (request.Status === 'IN_PROGRESS' && request.readsLeft-- <= 0) {
        request.Status = 'SUCCEEDED';
        const accounts = this.provisioned.get(request.PermissionSetArn) ?? new Map();
        for (const account of accounts.keys())
          if (request.AccountId === undefined || request.AccountId === account)
            accounts.set(account, 'LATEST_PERMISSION_SET_PROVISIONED');
      }
      return { PermissionSetProvisioningStatus: provisioningShape(request) };
    },
  };

  private principal(input: Input, path: string, known: Map<string, string>): string {
    if (input.IdentityStoreId !== STORE_ID)
      throw notFound(`Identity store ${String(input.IdentityStoreId)} does not exist.`);
    const unique = (
      input.AlternateIdentifier as { UniqueAttribute?: { AttributePath?: string; AttributeValue?: string } }
    ).UniqueAttribute;
    if (unique?.AttributePath !== path)
      throw new Answer('ValidationException', 400, `Unsupported attribute path`);
    const id = known.get(String(unique.AttributeValue));
    if (!id) throw notFound(`${path === 'userName' ? 'USER' : 'GROUP'} not found.`);
    return id;
  }

  private newRequest(requests: Map<string, AssignmentRequest>, input: Input): AssignmentRequest {
    const request: AssignmentRequest = {
      RequestId: randomUUID(),
      Status: 'IN_PROGRESS',
      assignment: assignmentOf(input),
      createdDate: new Date(),
      readsLeft: this.readsInProgress,
    };
    requests.set(request.RequestId, request);
    return request;
  }

  private endCreation(request: AssignmentRequest): void {
    this.outstandingCreates--;
    if (this.createFailure) {
      request.Status = 'FAILED';
      request.FailureReason = this.createFailure;
      return;
    }
    if (this.find(request.assignment) === undefined) this.assignments.push(request.assignment);
    request.Status = 'SUCCEEDED';
  }

  private find(a: Assignment): number | undefined {
    const index = this.assignments.findIndex(
      (b) =>
        b.AccountId === a.AccountId &&
        b.PermissionSetArn === a.PermissionSetArn &&
        b.PrincipalType === a.PrincipalType &&
        b.PrincipalId === a.PrincipalId,
    );
    return index < 0 ? undefined : index;
  }
}

function assignmentOf(input: Input): Assignment {
  return {
    AccountId: String(input.TargetId),
    PermissionSetArn: String(input.PermissionSetArn),
    PrincipalType: input.PrincipalType as Assignment['PrincipalType'],
    PrincipalId: String(input.PrincipalId),
  };
}

function statusShape(r: AssignmentRequest) {
  return {
    Status: r.Status,
    RequestId: r.RequestId,
    ...(r.FailureReason ? { FailureReason: r.FailureReason } : {}),
    TargetId: r.assignment.AccountId,
    TargetType: 'AWS_ACCOUNT',
    PermissionSetArn: r.assignment.PermissionSetArn,
    PrincipalType: r.assignment.PrincipalType,
    PrincipalId: r.assignment.PrincipalId,
    CreatedDate: r.createdDate.getTime() / 1000,
  };
}

function provisioningShape(r: ProvisioningRequest) {
  return {
    Status: r.Status,
    RequestId: r.RequestId,
    PermissionSetArn: r.PermissionSetArn,
    ...(r.AccountId ? { AccountId: r.AccountId } : {}),
  };
}

function reply(status: number, body: unknown, requestId: string): { response: HttpResponse } {
  return {
    response: {
      statusCode: status,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
      body: new TextEncoder().encode(JSON.stringify(body)),
    },
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
 * What the adapter is given: a deadline, no OIDC token (static credentials instead), the fake
 * behind the real clients, and pacing loose enough that tests do not wait on the 18/s limit.
 */
export function fakeDeps(sso: FakeSsoAdmin, seconds = 30): { deps: AdapterDeps; seams: SsoSessionSeams } {
  return {
    deps: {
      deadline: new Deadline(seconds),
      requestToken: () => Promise.reject(new Error('unit tests sign with static credentials')),
      mask: () => undefined,
    },
    seams: {
      requestHandler: sso,
      credentials: { accessKeyId: 'AKIDUNITTEST', secretAccessKey: 'unit-test-secret' },
      limiter: new RateLimiter(1000, 1000),
    },
  };
}

/** A request as List…Status shows it (newest first, as the emulator and this fake list them). */
function statusMetadata(r: AssignmentRequest) {
  return { Status: r.Status, RequestId: r.RequestId, CreatedDate: r.createdDate.getTime() / 1000 };
}
