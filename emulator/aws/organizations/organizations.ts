// AWS Organizations (service AWSOrganizationsV20161128, awsJson1_1, signing name `organizations`):
// one organization with its root, a tree of OUs and accounts with a status (./organization.ts), and
// the reads that walk it (./operations.ts). Its errors are the model's own (TooManyRequestsException,
// InvalidInputException with a Reason, ServiceException, ParentNotFoundException …), not SSO
// Admin's, so it has a pipeline of its own, here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyTransportFaults, readBody, SlidingWindowLimiter, startRecord } from '../../common/http.js';
import { verifySigV4 } from '../protocol/auth.js';
import type { AwsContext } from '../account/config.js';
import { AwsServiceError, newRequestId, sendAwsJson, sendAwsJsonError } from '../protocol/protocol.js';
import { error, invalidInput, ORGANIZATIONS_OPERATIONS } from './operations.js';
import type { Organization } from './organization.js';

export const ORGANIZATIONS_NAMESPACE = 'com.amazonaws.organizations';
export const ORGANIZATIONS_TARGET_PREFIX = 'AWSOrganizationsV20161128';

/** The request pipeline: route, authenticate (SigV4), inject faults, throttle, then read. */
export function createOrganizationsService(aws: AwsContext, org: Organization) {
  const limiter = new SlidingWindowLimiter(() => aws.config.organizationsTps);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const [prefix, name] = String(req.headers['x-amz-target'] ?? '').split('.');
    const operation =
      prefix === ORGANIZATIONS_TARGET_PREFIX && name ? ORGANIZATIONS_OPERATIONS[name] : undefined;
    const entry = startRecord(aws.record, 'organizations', name ?? 'Unknown', req, false);
    aws.stats.byOperation[entry.operation] = (aws.stats.byOperation[entry.operation] ?? 0) + 1;
    const body = await readBody(req);
    if (!(await applyTransportFaults(res, aws.faults, aws.random, entry))) return;
    const fail = (e: AwsServiceError) => {
      entry.status = e.status;
      entry.errorCode = e.code;
      aws.stats.errors[e.code] = (aws.stats.errors[e.code] ?? 0) + 1;
      if (e.code === 'TooManyRequestsException') aws.stats.throttled++;
      sendAwsJsonError(res, ORGANIZATIONS_NAMESPACE, e, requestId);
    };
    if (req.method !== 'POST' || !operation || !name)
      return fail(error('UnknownOperationException', 400, ''));
    const auth = verifySigV4(req, body, 'organizations', (key) => aws.credential(key));
    if (!auth.ok) return fail(new AwsServiceError(auth.code, auth.status, auth.message));
    try {
      let input: unknown;
      try {
        input = body.trim() === '' ? {} : JSON.parse(body);
      } catch {
        throw invalidInput('INVALID_SYNTAX', 'The request body is not valid JSON.');
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input))
        throw invalidInput('INVALID_SYNTAX', 'The request body is not a JSON object.');
      entry.input = input as Record<string, unknown>;
      if (
        !limiter.tryAcquire(name) ||
        (aws.faults.throttleRate > 0 && aws.random() < aws.faults.throttleRate)
      )
        throw error(
          'TooManyRequestsException',
          429,
          "AWS Organizations can't complete your request because of too many requests. Try again later.",
          { Type: 'RequestThrottled' },
        );
      if (aws.faults.serverErrorRate > 0 && aws.random() < aws.faults.serverErrorRate)
        throw error(
          'ServiceException',
          500,
          "AWS Organizations can't complete your request because of an internal service error. Try again later.",
        );
      if (aws.faults.accessDenied.includes(name))
        throw error(
          'AccessDeniedException',
          403,
          `You don't have permissions to access this resource. (${auth.credential.principalArn} is not authorized to perform: organizations:${name})`,
        );
      const output = operation.run(org, input as Record<string, unknown>);
      entry.status = 200;
      sendAwsJson(res, output, requestId);
    } catch (e) {
      if (!(e instanceof AwsServiceError)) throw e;
      fail(e);
    }
  }

  return { handle, reset: () => limiter.reset() };
}
