// The request pipeline of an awsJson1_1 service, in the order AWS applies it: route on
// X-Amz-Target, authenticate (SigV4), throttle, authorize, validate, then run the operation.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  applyTransportFaults,
  readBody,
  sendHtmlPage,
  SlidingWindowLimiter,
  startRecord,
  takeHtmlPage,
} from '../../common/http.js';
import type { EmulatedService } from '../../common/requests.js';
import { verifySigV4, type AwsCredential } from '../protocol/auth.js';
import { assignmentRequestIdOf, responseElementsOf, roleArnOf } from '../account/cloudtrail-record.js';
import type { AwsContext, CloudTrailEvent } from '../account/config.js';
import {
  AwsServiceError,
  conflict,
  internalError,
  newRequestId,
  sendAwsJson,
  sendAwsJsonError,
  throttling,
  validateInput,
  validationError,
  type MemberRule,
} from '../protocol/protocol.js';

export interface OperationContext {
  aws: AwsContext;
  caller: AwsCredential;
  requestId: string;
  /** The Region the request was signed for. */
  region: string;
}

export interface Operation {
  /** True for operations that change state (recorded as writes, subject to conflictRate). */
  write: boolean;
  /** Error codes this operation can answer besides the pipeline's own (kept to the model's list). */
  errors: readonly string[];
  rules: Record<string, MemberRule>;
  run(input: Record<string, unknown>, context: OperationContext): unknown;
}

export interface JsonServiceDefinition {
  service: EmulatedService;
  /** `SWBExternalService` / `AWSIdentityStore` / `CloudTrail_20131101`. */
  targetPrefix: string;
  /** Other prefixes the service takes (CloudTrail's long one, which botocore and the CLI send). */
  targetAliases?: readonly string[];
  /** The `__type` namespace of error bodies. */
  errorNamespace: string;
  /** SigV4's service name, also the prefix of the service's IAM actions. */
  signingName: string;
  /** 'sso.amazonaws.com' …: where CloudTrail records the service's writes. */
  eventSource: string;
  operations: Record<string, Operation>;
  /** The throttling bucket of a call: one for the whole service, one per API, or one per account. */
  rateLimitKey(operation: string, caller: AwsCredential): string;
  tps(aws: AwsContext): number;
  throttlingFields(): Record<string, unknown>;
  /** The service's own throttling error, where it is not ThrottlingException (Athena's TooManyRequestsException). */
  throttlingError?(message: string): AwsServiceError;
  /** Identity Store's errors carry a RequestId member; SSO Admin's only Message. */
  errorsCarryRequestId: boolean;
  accessDeniedResource(operation: string, input: Record<string, unknown>): string;
}

/** Errors the pipeline itself answers, for every operation (all are in each operation's model errors). */
export const PIPELINE_ERRORS = [
  'ThrottlingException',
  'InternalServerException',
  'AccessDeniedException',
  'ValidationException',
] as const;

/** The first `faults.failRequests` entry for this request, counted down; undefined when none matches. */
function injectedFailure(
  aws: AwsContext,
  operation: string,
  input: Record<string, unknown>,
  region: string,
): AwsServiceError | undefined {
  const entry = aws.faults.failRequests.find(
    (f) =>
      f.operation === operation &&
      (f.times === undefined || f.times > 0) &&
      (f.region === undefined || f.region === region) &&
      Object.entries(f.match ?? {}).every(([member, value]) => input[member] === value),
  );
  if (!entry) return undefined;
  if (entry.times !== undefined) entry.times--;
  return new AwsServiceError(entry.code, entry.status, entry.message);
}

/** Request ID → `Status` of each asynchronous request an answer carries, as one object or a list. */
function statusesIn(output: unknown): Record<string, string> | undefined {
  if (typeof output !== 'object' || output === null) return undefined;
  const statuses: Record<string, string> = {};
  for (const member of Object.values(output as Record<string, unknown>)) {
    for (const item of Array.isArray(member) ? (member as unknown[]) : [member]) {
      const { Status, RequestId } = (item ?? {}) as { Status?: unknown; RequestId?: unknown };
      if (typeof Status === 'string' && typeof RequestId === 'string') statuses[RequestId] = Status;
    }
  }
  return Object.keys(statuses).length > 0 ? statuses : undefined;
}

export function createJsonService(definition: JsonServiceDefinition, aws: AwsContext) {
  const limiter = new SlidingWindowLimiter(() => definition.tps(aws));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const target = String(req.headers['x-amz-target'] ?? '');
    // The operation follows the last dot: CloudTrail's prefix has dots of its own.
    const dot = target.lastIndexOf('.');
    const [prefix, name] = dot < 0 ? [target, undefined] : [target.slice(0, dot), target.slice(dot + 1)];
    const known = prefix === definition.targetPrefix || definition.targetAliases?.includes(prefix);
    const operation = known && name ? definition.operations[name] : undefined;
    const entry = startRecord(
      aws.record,
      definition.service,
      name ?? (target || 'Unknown'),
      req,
      operation?.write ?? false,
    );
    aws.stats.byOperation[entry.operation] = (aws.stats.byOperation[entry.operation] ?? 0) + 1;
    entry.requestId = requestId;
    const body = await readBody(req);
    if (!(await applyTransportFaults(res, aws.faults, aws.random, entry))) return;
    const page = name ? takeHtmlPage(aws.faults.htmlPages, (p) => p.operation === name) : undefined;
    if (page) return sendHtmlPage(res, entry, page);

    let input: Record<string, unknown> = {};
    const fail = (error: AwsServiceError) => {
      entry.status = error.status;
      entry.errorCode = error.code;
      aws.stats.errors[error.code] = (aws.stats.errors[error.code] ?? 0) + 1;
      if (error.code === 'ThrottlingException') aws.stats.throttled++;
      sendAwsJsonError(res, definition.errorNamespace, error, requestId, definition.errorsCarryRequestId);
    };
    if (req.method !== 'POST' || !operation || !name) {
      return fail(new AwsServiceError('UnknownOperationException', 400, ''));
    }
    const auth = verifySigV4(req, body, definition.signingName, (key) => aws.credential(key));
    if (!auth.ok) return fail(new AwsServiceError(auth.code, auth.status, auth.message));
    const caller = auth.credential;
    const trail = (outcome: { output: unknown } | { error: AwsServiceError }) => {
      if (!operation.write) return;
      aws.cloudTrail.push(
        trailEvent(definition, { req, entry, caller, region: auth.region, name, input, requestId }, outcome),
      );
    };

    try {
      input = parseInput(body);
      entry.input = input;
    } catch (error) {
      return fail(
        error instanceof AwsServiceError ? error : validationError('Request body is not valid JSON.'),
      );
    }

    try {
      checkCall(aws, definition, limiter, { name, input, caller, region: auth.region });
      validateInput(input, operation.rules);
      if (operation.write && aws.faults.conflictRate > 0 && aws.random() < aws.faults.conflictRate) {
        throw conflict(
          'Operation conflicts with a previous write that has not yet propagated. Retry the request with backoff.',
        );
      }
      aws.state.settle();
      const output = operation.run(input, { aws, caller, requestId, region: auth.region });
      entry.status = 200;
      const statuses = statusesIn(output);
      if (statuses) entry.statuses = statuses;
      trail({ output });
      sendAwsJson(res, output, requestId);
    } catch (error) {
      if (!(error instanceof AwsServiceError)) throw error;
      trail({ error });
      fail(error);
    }
  }

  return { handle, reset: () => limiter.reset() };
}

/** What a CloudTrail event of the call records: the request, the caller and where it signed. */
interface TrailedCall {
  req: IncomingMessage;
  entry: { at: number };
  caller: AwsCredential;
  region: string;
  name: string;
  input: Record<string, unknown>;
  requestId: string;
}

/** The CloudTrail event of a write: its request parameters and response elements, or its error. */
function trailEvent(
  definition: JsonServiceDefinition,
  call: TrailedCall,
  outcome: { output: unknown } | { error: AwsServiceError },
): CloudTrailEvent {
  const { req, entry, caller, region, name, input, requestId } = call;
  const output = 'output' in outcome ? outcome.output : undefined;
  return {
    eventSource: definition.eventSource,
    eventName: name,
    principalArn: caller.principalArn,
    ...(caller.sessionName ? { sessionName: caller.sessionName } : {}),
    accessKeyId: caller.accessKeyId,
    ...('error' in outcome ? { errorCode: outcome.error.code, errorMessage: outcome.error.message } : {}),
    requestParameters: input,
    responseElements: responseElementsOf(output),
    awsRegion: region,
    at: entry.at,
    eventId: randomUUID(),
    requestId: assignmentRequestIdOf(output) ?? requestId,
    readOnly: false,
    sourceIPAddress: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    userAgent: String(req.headers['user-agent'] ?? ''),
    ...(caller.webIdentity ? { webIdentity: true } : {}),
    ...(caller.issuedAt ? { sessionIssuedAt: caller.issuedAt.getTime() } : {}),
  };
}

/** The request body as a JSON object (an empty body is `{}`). */
function parseInput(body: string): Record<string, unknown> {
  const parsed: unknown = body.trim() === '' ? {} : JSON.parse(body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw validationError('Start of structure or map found where not expected.');
  }
  return parsed as Record<string, unknown>;
}

/**
 * Before validation, in AWS's order: an injected failure, the service's rate limit, the injected
 * throttling and server errors, then whether the caller may call the operation.
 */
function checkCall(
  aws: AwsContext,
  definition: JsonServiceDefinition,
  limiter: SlidingWindowLimiter,
  call: { name: string; input: Record<string, unknown>; caller: AwsCredential; region: string },
): void {
  const { name, input, caller } = call;
  const injected = injectedFailure(aws, name, input, call.region);
  if (injected) throw injected;
  const throttled = () =>
    definition.throttlingError?.('Rate exceeded') ??
    throttling('Rate exceeded', definition.throttlingFields());
  if (!limiter.tryAcquire(definition.rateLimitKey(name, caller))) throw throttled();
  if (aws.faults.throttleRate > 0 && aws.random() < aws.faults.throttleRate) throw throttled();
  if (aws.faults.serverErrorRate > 0 && aws.random() < aws.faults.serverErrorRate) throw internalError();
  const action = `${definition.signingName}:${name}`;
  const assumed = aws.assumableRoles.find((r) => r.arn === roleArnOf(caller.principalArn));
  if (aws.faults.accessDenied.includes(name) || (assumed?.allows && !assumed.allows.includes(action))) {
    throw new AwsServiceError(
      'AccessDeniedException',
      403,
      `User: ${caller.principalArn} is not authorized to perform: ${action} on resource: ${definition.accessDeniedResource(name, input)}`,
    );
  }
}
