// awsJson1_1 as the SDK speaks it (@aws-sdk/core's AwsJsonRpcProtocol.serializeRequest): POST /
// with `X-Amz-Target: <Service>.<Operation>`, JSON bodies with the model's member names, errors as
// `{"__type":"<ns>#<Code>","Message":…}`. Also the model's input constraints, and NextToken
// pagination.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson } from '../../common/http.js';

export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Extra members of the error shape (Identity Store's ResourceType, RetryAfterSeconds …). */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const validationError = (message: string) => new AwsServiceError('ValidationException', 400, message);
export const notFound = (message: string, fields: Record<string, unknown> = {}) =>
  new AwsServiceError('ResourceNotFoundException', 404, message, fields);
export const throttling = (message = 'Rate exceeded', fields: Record<string, unknown> = {}) =>
  new AwsServiceError('ThrottlingException', 429, message, fields);
export const conflict = (message: string) => new AwsServiceError('ConflictException', 409, message);
export const internalError = () =>
  new AwsServiceError(
    'InternalServerException',
    500,
    'The request processing has failed because of an unknown error, exception or failure.',
  );

export function sendAwsJson(res: ServerResponse, body: unknown, requestId: string): void {
  sendJson(res, 200, body, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId });
}

export function sendAwsJsonError(
  res: ServerResponse,
  namespace: string,
  error: AwsServiceError,
  requestId: string,
  withRequestId = false,
): void {
  sendJson(
    res,
    error.status,
    {
      __type: `${namespace}#${error.code}`,
      Message: error.message,
      ...(withRequestId ? { RequestId: requestId } : {}),
      ...error.fields,
    },
    {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': `${error.code}:http://internal.amazon.com/coral/${namespace}/`,
    },
  );
}

export const newRequestId = () => randomUUID();

// Input constraints, from the Smithy models.

export interface MemberRule {
  required?: boolean;
  type?: 'string' | 'integer' | 'boolean' | 'object' | 'array';
  length?: [number, number];
  range?: [number, number];
  pattern?: RegExp;
  enum?: readonly string[];
}

const ARN_PARTITIONS = '(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b)';
export const RULES = {
  instanceArn: {
    required: true,
    length: [10, 1224],
    pattern: new RegExp(`^arn:${ARN_PARTITIONS}:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$`),
  },
  permissionSetArn: {
    required: true,
    length: [10, 1224],
    pattern: new RegExp(
      `^arn:${ARN_PARTITIONS}:sso:::permissionSet/(sso)?ins-[a-zA-Z0-9-.]{16}/ps-[a-zA-Z0-9-./]{16}$`,
    ),
  },
  targetId: { required: true, length: [12, 12], pattern: /^\d{12}$/ },
  principalId: {
    required: true,
    length: [1, 47],
    pattern: /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/,
  },
  principalType: { required: true, enum: ['USER', 'GROUP'] },
  targetType: { required: true, enum: ['AWS_ACCOUNT'] },
  uuid: {
    required: true,
    length: [36, 36],
    pattern: /^\b[0-9a-f]{8}\b-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-\b[0-9a-f]{12}\b$/,
  },
  maxResults: { type: 'integer', range: [1, 100] },
  nextToken: { length: [0, 2048], pattern: /^[-a-zA-Z0-9+=/_]*$/ },
  permissionSetName: { required: true, length: [1, 32], pattern: /^[\w+=,.@-]+$/ },
  description: { length: [1, 700], pattern: /^[\t\n\r\u0020-\u007E\u00A1-\u00FF]*$/ },
  sessionDuration: {
    length: [1, 100],
    pattern:
      /^(-?)P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/,
  },
  relayState: { length: [1, 240] },
  identityStoreId: {
    required: true,
    length: [1, 36],
    pattern: /^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  },
} satisfies Record<string, MemberRule>;

export const optional = (rule: MemberRule): MemberRule => ({ ...rule, required: false });

/** Checks `input` against `rules`; throws ValidationException worded like AWS's (Coral) messages. */
export function validateInput(input: Record<string, unknown>, rules: Record<string, MemberRule>): void {
  const problems: string[] = [];
  for (const [member, rule] of Object.entries(rules)) {
    const value = input[member];
    const at = member.charAt(0).toLowerCase() + member.slice(1);
    if (value === undefined || value === null) {
      if (rule.required)
        problems.push(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    const type = rule.type ?? (rule.range ? 'integer' : 'string');
    const shown = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
    const fail = (constraint: string) =>
      problems.push(`Value ${shown} at '${at}' failed to satisfy constraint: ${constraint}`);
    if (type === 'string' && typeof value !== 'string') {
      fail('Member must be a string');
      continue;
    }
    if (type === 'integer' && !Number.isInteger(value)) {
      fail('Member must be an integer');
      continue;
    }
    if (type === 'object' && (typeof value !== 'object' || Array.isArray(value))) {
      fail('Member must be a structure');
      continue;
    }
    if (type === 'array' && !Array.isArray(value)) {
      fail('Member must be a list');
      continue;
    }
    if (rule.enum && !rule.enum.includes(value as string)) {
      fail(`Member must satisfy enum value set: [${rule.enum.join(', ')}]`);
      continue;
    }
    if (typeof value === 'string' && rule.length) {
      const [min, max] = rule.length;
      if (value.length < min) fail(`Member must have length greater than or equal to ${min}`);
      else if (value.length > max) fail(`Member must have length less than or equal to ${max}`);
    }
    if (typeof value === 'string' && rule.pattern && !rule.pattern.test(value)) {
      fail(`Member must satisfy regular expression pattern: ${rule.pattern.source}`);
    }
    if (typeof value === 'number' && rule.range) {
      const [min, max] = rule.range;
      if (value < min) fail(`Member must have value greater than or equal to ${min}`);
      else if (value > max) fail(`Member must have value less than or equal to ${max}`);
    }
  }
  if (problems.length > 0) {
    const n = problems.length;
    throw validationError(`${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
  }
}

/** One page of `items`; the NextToken is opaque to clients and bound to the list it came from. */
export function paginate<T>(
  items: T[],
  input: { MaxResults?: unknown; NextToken?: unknown },
  pageSizes: { defaultPageSize: number; maxPageSize: number },
  listId: string,
): { page: T[]; nextToken?: string } {
  let offset = 0;
  if (typeof input.NextToken === 'string' && input.NextToken !== '') {
    const decoded = Buffer.from(input.NextToken, 'base64url').toString('utf8');
    const match = /^(.*)#(\d+)$/.exec(decoded);
    if (!match || match[1] !== listId) throw validationError('The NextToken is invalid or has expired.');
    offset = Number(match[2]);
  }
  // MaxResults is an upper bound: AWS may answer fewer items and a NextToken, whatever it asked.
  const size = Math.min(
    typeof input.MaxResults === 'number' ? input.MaxResults : pageSizes.defaultPageSize,
    pageSizes.maxPageSize,
  );
  const page = items.slice(offset, offset + size);
  const next = offset + size;
  return next < items.length ? { page, nextToken: pageToken(listId, next) } : { page };
}

/**
 * A list operation's answer: one page of `items` under `field`, each as `shown` gives it, and the
 * NextToken when more are left.
 */
export function pagedAnswer<T>(
  field: string,
  items: T[],
  input: { MaxResults?: unknown; NextToken?: unknown },
  pageSizes: { defaultPageSize: number; maxPageSize: number },
  listId: string,
  shown: (item: T) => unknown = (item) => item,
): Record<string, unknown> {
  const { page, nextToken } = paginate(items, input, pageSizes, listId);
  return { [field]: page.map(shown), ...(nextToken ? { NextToken: nextToken } : {}) };
}

/** The NextToken of the page of list `listId` that starts at `offset`. */
export const pageToken = (listId: string, offset: number) =>
  Buffer.from(`${listId}#${offset}`, 'utf8').toString('base64url');
