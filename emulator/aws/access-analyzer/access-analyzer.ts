// IAM Access Analyzer's policy checks (restJson1, as its model says: POST /policy/validation,
// /policy/check-no-new-access, /policy/check-access-not-granted, signed for `access-analyzer`;
// errors as status, `x-amzn-ErrorType` and `{"message"}`): ValidatePolicy of an identity policy's
// JSON shape and Version, `"Action": "*"` with `"Resource": "*"` and iam:PassRole on `*` as
// SECURITY_WARNINGs; CheckNoNewAccess and CheckAccessNotGranted by comparing actions and resources
// as globs, Allow minus Deny (./policy-logic.ts). Faults as the other AWS services take them:
// `accessDenied` names the operation, `throttleRate`, `serverErrorRate`, `failRequests`, transport
// faults. No analyzer is needed, as on AWS.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyTransportFaults, readBody, sendJson, startRecord } from '../../common/http.js';
import type { AwsContext } from '../account/config.js';
import { verifySigV4 } from '../protocol/auth.js';
import { AwsServiceError, internalError, newRequestId, throttling } from '../protocol/protocol.js';
import {
  grantingStatements,
  parsePolicy,
  PolicyShapeError,
  widening,
  type Statement,
} from './policy-logic.js';

/** The operations answered, and the errors each can answer (the model's lists). */
export const ACCESS_ANALYZER_OPERATIONS = {
  ValidatePolicy: {
    path: '/policy/validation',
    errors: [
      'AccessDeniedException',
      'InternalServerException',
      'ThrottlingException',
      'ValidationException',
    ],
  },
  CheckNoNewAccess: {
    path: '/policy/check-no-new-access',
    errors: [
      'AccessDeniedException',
      'InternalServerException',
      'InvalidParameterException',
      'ThrottlingException',
      'UnprocessableEntityException',
      'ValidationException',
    ],
  },
  CheckAccessNotGranted: {
    path: '/policy/check-access-not-granted',
    errors: [
      'AccessDeniedException',
      'InternalServerException',
      'InvalidParameterException',
      'ThrottlingException',
      'UnprocessableEntityException',
      'ValidationException',
    ],
  },
} as const;

type OperationName = keyof typeof ACCESS_ANALYZER_OPERATIONS;

/** IAM's limit on a managed policy: 6,144 characters; Access Analyzer takes documents up to this size. */
const MAX_DOCUMENT = 32_768;

const invalid = (message: string, field?: string) =>
  new AwsServiceError('ValidationException', 400, message, {
    reason: 'fieldValidationFailed',
    ...(field ? { fieldList: [{ name: field, message }] } : {}),
  });

function requiredString(input: Record<string, unknown>, member: string): string {
  const value = input[member];
  if (typeof value !== 'string' || value.length === 0) throw invalid(`${member} is required`, member);
  if (value.replace(/\s/g, '').length > MAX_DOCUMENT)
    throw invalid(`${member} exceeds the maximum length`, member);
  return value;
}

function policyType(input: Record<string, unknown>, allowed: readonly string[]): string {
  const value = input.policyType;
  if (typeof value !== 'string' || !allowed.includes(value))
    throw invalid(`Invalid value for policyType: ${String(value)}`, 'policyType');
  return value;
}

const statementPath = (s: Statement, key?: string) => [
  { value: 'Statement' },
  { index: s.index },
  ...(key ? [{ value: key }] : []),
];

/** A span over the whole document: the emulator does not track positions inside it. */
function wholeSpan(text: string) {
  const lines = text.split('\n');
  return {
    start: { line: 1, column: 0, offset: 0 },
    end: { line: lines.length, column: lines.at(-1)!.length, offset: text.length },
  };
}

function finding(type: string, issueCode: string, details: string, text: string, path: object[]) {
  return {
    findingDetails: details,
    findingType: type,
    issueCode,
    learnMoreLink: `https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-${issueCode.toLowerCase().replace(/_/g, '-')}`,
    locations: [{ path, span: wholeSpan(text) }],
  };
}

function validatePolicy(input: Record<string, unknown>) {
  const text = requiredString(input, 'policyDocument');
  policyType(input, [
    'IDENTITY_POLICY',
    'RESOURCE_POLICY',
    'SERVICE_CONTROL_POLICY',
    'RESOURCE_CONTROL_POLICY',
  ]);
  let parsed;
  try {
    parsed = parsePolicy(text);
  } catch (error) {
    if (!(error instanceof PolicyShapeError)) throw error;
    return { findings: [finding('ERROR', 'POLICY_SYNTAX_ERROR', error.message, text, [])] };
  }
  const findings = [];
  if (parsed.version === undefined)
    findings.push(
      finding('WARNING', 'MISSING_VERSION', 'Add a Version element with the value 2012-10-17.', text, [
        { value: 'Version' },
      ]),
    );
  else if (parsed.version !== '2012-10-17' && parsed.version !== '2008-10-17')
    findings.push(
      finding('ERROR', 'INVALID_VERSION', 'The Version must be 2012-10-17 or 2008-10-17.', text, [
        { value: 'Version' },
      ]),
    );
  for (const s of parsed.statements) {
    if (s.effect !== 'Allow') continue;
    const anyResource = s.resources.includes('*');
    if (anyResource && s.actions.includes('*'))
      findings.push(
        finding(
          'SECURITY_WARNING',
          'ALLOW_ALL_ACTIONS_ON_ALL_RESOURCES',
          'The statement allows every action on every resource.',
          text,
          statementPath(s, 'Action'),
        ),
      );
    if (anyResource && s.actions.some((a) => /^(iam:(PassRole|\*)|\*)$/i.test(a) && a !== '*'))
      findings.push(
        finding(
          'SECURITY_WARNING',
          'PASS_ROLE_WITH_STAR_IN_RESOURCE',
          'Using the iam:PassRole action with wildcards (*) in the resource can be overly permissive.',
          text,
          statementPath(s, 'Resource'),
        ),
      );
  }
  return { findings };
}

const parsedOrUnprocessable = (text: string, member: string) => {
  try {
    return parsePolicy(text);
  } catch (error) {
    if (!(error instanceof PolicyShapeError)) throw error;
    throw new AwsServiceError('InvalidParameterException', 400, `${member}: ${error.message}`);
  }
};

const reasonOf = (s: Statement, what: string) => ({
  description: `${what} in the statement with ${s.sid !== undefined ? `sid: ${s.sid}` : `index: ${s.index}`}.`,
  statementIndex: s.index,
  ...(s.sid !== undefined ? { statementId: s.sid } : {}),
});

function checkNoNewAccess(input: Record<string, unknown>) {
  const next = parsedOrUnprocessable(requiredString(input, 'newPolicyDocument'), 'newPolicyDocument');
  const existing = parsedOrUnprocessable(
    requiredString(input, 'existingPolicyDocument'),
    'existingPolicyDocument',
  );
  policyType(input, ['IDENTITY_POLICY', 'RESOURCE_POLICY']);
  const wider = widening(next, existing);
  return wider.length === 0
    ? {
        result: 'PASS',
        message: 'The modified permissions do not grant new access compared to your existing policy.',
      }
    : {
        result: 'FAIL',
        message: 'The modified permissions grant new access compared to your existing policy.',
        reasons: wider.map((s) => reasonOf(s, 'New access')),
      };
}

function checkAccessNotGranted(input: Record<string, unknown>) {
  const policy = parsedOrUnprocessable(requiredString(input, 'policyDocument'), 'policyDocument');
  policyType(input, ['IDENTITY_POLICY', 'RESOURCE_POLICY']);
  const access = input.access;
  if (!Array.isArray(access) || access.length > 1) throw invalid('access must hold at most 1 item', 'access');
  const [first] = access as { actions?: unknown; resources?: unknown }[];
  const strings = (v: unknown, name: string): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
      throw invalid(`${name} must be a list`, name);
    if (v.length > 100) throw invalid(`${name} must have length less than or equal to 100`, name);
    return v as string[];
  };
  const actions = strings(first?.actions, 'actions');
  const resources = strings(first?.resources, 'resources');
  if (actions.length === 0 && resources.length === 0)
    throw new AwsServiceError('InvalidParameterException', 400, 'access must name actions or resources');
  const granting = grantingStatements(policy, actions, resources);
  return granting.length === 0
    ? {
        result: 'PASS',
        message: 'The policy document does not grant access to perform the listed actions or resources.',
      }
    : {
        result: 'FAIL',
        message:
          'The policy document grants access to perform one or more of the listed actions or resources.',
        reasons: granting.map((s) => reasonOf(s, 'One or more of the listed actions or resources')),
      };
}

const RUN: Record<OperationName, (input: Record<string, unknown>) => unknown> = {
  ValidatePolicy: validatePolicy,
  CheckNoNewAccess: checkNoNewAccess,
  CheckAccessNotGranted: checkAccessNotGranted,
};

function injected(aws: AwsContext, operation: string): AwsServiceError | undefined {
  const entry = aws.faults.failRequests.find(
    (f) => f.operation === operation && (f.times === undefined || f.times > 0),
  );
  if (!entry) return undefined;
  if (entry.times !== undefined) entry.times--;
  return new AwsServiceError(entry.code, entry.status, entry.message);
}

export function createAccessAnalyzerService(aws: AwsContext) {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const path = (req.url ?? '/').split('?')[0];
    const name = (Object.keys(ACCESS_ANALYZER_OPERATIONS) as OperationName[]).find(
      (op) => ACCESS_ANALYZER_OPERATIONS[op].path === path,
    );
    const entry = startRecord(aws.record, 'access-analyzer', name ?? 'Unknown', req, false);
    entry.requestId = requestId;
    aws.stats.byOperation[entry.operation] = (aws.stats.byOperation[entry.operation] ?? 0) + 1;
    const body = await readBody(req);
    if (!(await applyTransportFaults(res, aws.faults, aws.random, entry))) return;
    try {
      if (!name || req.method !== 'POST') throw new AwsServiceError('UnknownOperationException', 404, '');
      const auth = verifySigV4(req, body, 'access-analyzer', (key) => aws.credential(key));
      if (!auth.ok) throw new AwsServiceError(auth.code, auth.status, auth.message);
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(body || '{}') as Record<string, unknown>;
      } catch {
        throw invalid('Request body is not valid JSON.');
      }
      entry.input = input;
      const fault = injected(aws, name);
      if (fault) throw fault;
      if (aws.faults.throttleRate > 0 && aws.random() < aws.faults.throttleRate)
        throw throttling('Rate exceeded');
      if (aws.faults.serverErrorRate > 0 && aws.random() < aws.faults.serverErrorRate) throw internalError();
      if (aws.faults.accessDenied.includes(name))
        throw new AwsServiceError(
          'AccessDeniedException',
          403,
          `User: ${auth.credential.principalArn} is not authorized to perform: access-analyzer:${name} because no identity-based policy allows the access-analyzer:${name} action`,
        );
      const output = RUN[name](input);
      entry.status = 200;
      sendJson(res, 200, output, { 'x-amzn-requestid': requestId });
    } catch (error) {
      if (!(error instanceof AwsServiceError)) throw error;
      entry.status = error.status;
      entry.errorCode = error.code;
      aws.stats.errors[error.code] = (aws.stats.errors[error.code] ?? 0) + 1;
      if (error.code === 'ThrottlingException') aws.stats.throttled++;
      sendJson(
        res,
        error.status,
        { message: error.message, ...error.fields },
        { 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code },
      );
    }
  }
  return { handle };
}
