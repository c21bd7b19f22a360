// The control API's calls for what `operation: sweep` reads, so a person running `npm run emulator`
// can set up what tests set up in code: CloudTrail events, account assignment writes by other
// identities (back-dated), workflow runs and tokens of GitHub's REST API.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsEmulator, TrailCaller } from './aws/index.js';
import { lookedUpEvent } from './aws/cloudtrail-record.js';
import type { Assignment } from './aws/state.js';
import { readBody, sendJson } from './common/http.js';
import type { GithubRunsEmulator, WorkflowRunSpec } from './github/runs.js';

export const SWEEP_CONTROL_ROUTES = [
  'POST /_emulator/aws/cloudtrail-events',
  'POST /_emulator/aws/create-assignment-as',
  'POST /_emulator/aws/delete-assignment-as',
  'POST /_emulator/github/runs',
  'POST /_emulator/github/tokens',
  'POST /_emulator/github/rate-limit',
];

type Json = Record<string, unknown>;
const object = (value: unknown): Json | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;

async function jsonBody(req: IncomingMessage): Promise<Json | undefined> {
  try {
    return object(JSON.parse((await readBody(req)) || '{}'));
  } catch {
    return undefined;
  }
}

/** `at`: epoch ms, or an ISO 8601 time; absent: now. */
function timeOf(value: unknown): number | undefined | 'bad' {
  if (value === undefined) return undefined;
  const at = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(at) ? at : 'bad';
}

/** An assignment by names or IDs: permission set name or ARN, principal name (user or group) or ID. */
function assignmentOf(aws: AwsEmulator, body: Json): Assignment {
  const { accountId, permissionSet, principalType, principal } = body;
  if (typeof accountId !== 'string' || !/^\d{12}$/.test(accountId))
    throw new Error('accountId must be 12 digits');
  if (typeof permissionSet !== 'string') throw new Error('permissionSet must be a name or an ARN');
  if (principalType !== 'USER' && principalType !== 'GROUP')
    throw new Error('principalType must be USER or GROUP');
  if (typeof principal !== 'string') throw new Error('principal must be a user name, a group name or an ID');
  const byName = () => (principalType === 'USER' ? aws.userId(principal) : aws.groupId(principal));
  return {
    accountId,
    permissionSetArn: permissionSet.startsWith('arn:') ? permissionSet : aws.permissionSetArn(permissionSet),
    principalType,
    principalId: /^([0-9a-f]{10}-)?[0-9a-f]{8}-/.test(principal) ? principal : byName(),
  };
}

const ASSIGNMENT_USAGE =
  'body must be {"accountId": "111111111111", "permissionSet": name or ARN, "principalType": "USER"|"GROUP", "principal": name or ID, "caller": {"principalArn": "arn:aws:sts::123456789012:assumed-role/ROLE/SESSION" or "arn:aws:iam::123456789012:user/NAME", "sessionName"?: "SESSION"}, "at"?: epoch ms or ISO time}';

/** Handles the route when it is one of these; false when it is not. */
export async function handleSweepControl(
  target: { aws: AwsEmulator; github: { runs: GithubRunsEmulator } },
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
): Promise<boolean> {
  const { aws } = target;
  const runs = target.github.runs;
  switch (route) {
    case 'POST /_emulator/aws/cloudtrail-events': {
      // An event as LookupEvents will show it: {"eventName", "principalArn", "at"?, … any CloudTrailEvent member}.
      const body = await jsonBody(req);
      const at = timeOf(body?.at);
      if (
        !body ||
        typeof body.eventName !== 'string' ||
        typeof body.principalArn !== 'string' ||
        at === 'bad'
      ) {
        sendJson(res, 400, {
          message:
            'body must be {"eventName": "CreateAccountAssignment", "principalArn": "arn:…", "at"?: epoch ms or ISO time, "requestParameters"?: {…}, …}',
        });
        return true;
      }
      const event = aws.addCloudTrailEvent({
        ...(body as Partial<Parameters<AwsEmulator['addCloudTrailEvent']>[0]>),
        eventName: body.eventName,
        principalArn: body.principalArn,
        ...(at !== undefined ? { at } : {}),
      });
      sendJson(res, 200, lookedUpEvent(event));
      return true;
    }
    case 'POST /_emulator/aws/create-assignment-as':
    case 'POST /_emulator/aws/delete-assignment-as': {
      const body = await jsonBody(req);
      const caller = object(body?.caller);
      const at = timeOf(body?.at);
      if (!body || !caller || typeof caller.principalArn !== 'string' || at === 'bad') {
        sendJson(res, 400, { message: ASSIGNMENT_USAGE });
        return true;
      }
      try {
        const assignment = assignmentOf(aws, body);
        const write = route.includes('create') ? aws.createAssignmentAs : aws.deleteAssignmentAs;
        const request = write(assignment, caller as unknown as TrailCaller, at);
        sendJson(res, 200, request);
      } catch (error) {
        sendJson(res, 400, { message: `${(error as Error).message}; ${ASSIGNMENT_USAGE}` });
      }
      return true;
    }
    case 'POST /_emulator/github/runs': {
      // {"repository": "owner/repo", "repositoryId"?: "123", "runId": "…", "attempt"?: "1", "status": "completed", "conclusion"?: "success"}
      const body = await jsonBody(req);
      try {
        if (!body || typeof body.repository !== 'string' || typeof body.runId !== 'string')
          throw new Error('body must be {"repository": "owner/repo", "runId": "…", "status": "…", …}');
        runs.setRun(body as unknown as WorkflowRunSpec);
        sendJson(res, 200, { runs: runs.runs() });
      } catch (error) {
        sendJson(res, 400, { message: (error as Error).message });
      }
      return true;
    }
    case 'POST /_emulator/github/tokens': {
      // {"token"?: "…", "repositories": ["owner/repo", …], "rateLimit"?: n}: answers the token.
      const body = await jsonBody(req);
      const repositories = body?.repositories;
      if (!Array.isArray(repositories) || !repositories.every((r) => typeof r === 'string')) {
        sendJson(res, 400, {
          message: 'body must be {"token"?: "…", "repositories": ["owner/repo", …], "rateLimit"?: n}',
        });
        return true;
      }
      const token = typeof body?.token === 'string' ? body.token : `ghs_emulator${Date.now().toString(36)}`;
      const rateLimit = typeof body?.rateLimit === 'number' ? body.rateLimit : undefined;
      runs.addToken(token, repositories as string[], rateLimit !== undefined ? { rateLimit } : {});
      sendJson(res, 200, { token, repositories });
      return true;
    }
    case 'POST /_emulator/github/rate-limit': {
      // {"rateLimit"?: requests an hour per token, "secondaryRateLimit"?: the next N requests answer 429}
      const body = await jsonBody(req);
      const { rateLimit, secondaryRateLimit } = body ?? {};
      const count = (v: unknown) => v === undefined || (Number.isInteger(v) && (v as number) >= 0);
      if (!body || !count(rateLimit) || !count(secondaryRateLimit)) {
        sendJson(res, 400, { message: 'body must be {"rateLimit"?: n, "secondaryRateLimit"?: n}' });
        return true;
      }
      if (rateLimit !== undefined) runs.rateLimit = rateLimit as number;
      if (secondaryRateLimit !== undefined) runs.faults.secondaryRateLimit = secondaryRateLimit as number;
      sendJson(res, 200, { rateLimit: runs.rateLimit, faults: runs.faults });
      return true;
    }
    default:
      return false;
  }
}
