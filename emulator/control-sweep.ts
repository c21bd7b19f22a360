// The control API's calls for what `operation: sweep` reads, so a person running `npm run emulator`
// can set up what tests set up in code: CloudTrail events, account assignment writes by other
// identities (back-dated), a finished run's orphaned grant in one call, workflow runs and tokens of
// GitHub's REST API. Every body is checked field by field (./control-body.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsEmulator, TrailCaller } from './aws/index.js';
import { lookedUpEvent } from './aws/account/cloudtrail-record.js';
import type { AzureEmulator } from './azure/index.js';
import { bodyOf } from './control-calls.js';
import { handleUsageControl } from './control-usage.js';
import { BodyError, FIELD, answerBody, checkFields, object, timeOf, type Json } from './control-body.js';
import {
  ACCOUNT_ASSIGNMENT_RULES,
  assignmentOf,
  stageAwsOrphan,
  stageAzureOrphan,
} from './control-orphans.js';
import type { GithubRunsEmulator, WorkflowRunSpec } from './github/runs.js';

const ASSUMED_ROLE_SESSION = /^arn:aws[\w-]*:sts::\d{12}:assumed-role\/[\w+=,.@-]+\/([\w+=,.@-]{2,64})$/;
const IAM_USER_OR_ROOT = /^arn:aws[\w-]*:iam::\d{12}:(user\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]+|root)$/;

/**
 * Who made the call: an assumed role's session or an IAM user. Anything else would be recorded as
 * a caller no session name can be read from, which the sweep counts as "another caller".
 */
export function callerOf(body: Json): TrailCaller {
  const caller = object(body.caller);
  if (!caller)
    throw new BodyError('"caller" is missing: it takes {"principalArn": ARN, "sessionName"?: SESSION}');
  checkFields(
    caller,
    {
      principalArn: FIELD.text(
        'arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION or arn:aws:iam::ACCOUNT:user/NAME',
      ),
      sessionName: FIELD.text('the session name the principalArn ends with', true),
      accessKeyId: FIELD.pattern(/^(AKIA|ASIA)[A-Z0-9]{16}$/, 'an access key ID (AKIA… or ASIA…)', true),
      webIdentity: { check: (v) => typeof v === 'boolean', takes: 'true or false', optional: true },
    },
    'caller.',
  );
  const arn = String(caller.principalArn);
  const session = ASSUMED_ROLE_SESSION.exec(arn)?.[1];
  if (!session && !IAM_USER_OR_ROOT.test(arn))
    throw new BodyError(
      `"caller.principalArn" takes arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION or arn:aws:iam::ACCOUNT:user/NAME, got ${JSON.stringify(arn)}`,
    );
  if (caller.sessionName !== undefined && caller.sessionName !== session)
    throw new BodyError(
      `"caller.sessionName" must be the session "caller.principalArn" ends with (${session ? JSON.stringify(session) : 'an IAM user has none'}), got ${JSON.stringify(caller.sessionName)}`,
    );
  return caller as unknown as TrailCaller;
}

type Target = { aws: AwsEmulator; azure?: AzureEmulator; github: { runs: GithubRunsEmulator } };

const count = (takes: string) => ({
  check: (v: unknown) => Number.isInteger(v) && (v as number) >= 0,
  takes,
  optional: true,
});

/** Each route's answer to a checked body; a BodyError is the 400 that names the field. */
const HANDLERS: Record<string, (target: Target, body: Json) => unknown> = {
  'POST /_emulator/aws/cloudtrail-events': ({ aws }, body) => {
    if (typeof body.eventName !== 'string')
      throw new BodyError('"eventName" is missing: it takes an event name');
    if (typeof body.principalArn !== 'string')
      throw new BodyError('"principalArn" is missing: it takes an ARN');
    checkFields({ at: body.at }, { at: FIELD.time() });
    const at = timeOf(body.at);
    const event = aws.addCloudTrailEvent({
      ...(body as Partial<Parameters<AwsEmulator['addCloudTrailEvent']>[0]>),
      eventName: body.eventName,
      principalArn: body.principalArn,
      ...(at !== undefined ? { at } : {}),
    });
    return lookedUpEvent(event);
  },
  'POST /_emulator/aws/create-assignment-as': ({ aws }, body) => writeAs(aws, body, 'create'),
  'POST /_emulator/aws/delete-assignment-as': ({ aws }, body) => writeAs(aws, body, 'delete'),
  'POST /_emulator/aws/orphaned-grant': ({ aws, github }, body) => stageAwsOrphan(aws, github.runs, body),
  'POST /_emulator/azure/orphaned-grant': ({ azure, github }, body) => {
    if (!azure) throw new BodyError('the emulator was started without Azure');
    return stageAzureOrphan(azure, github.runs, body);
  },
  'POST /_emulator/github/runs': ({ github }, body) => {
    if (typeof body.repository !== 'string')
      throw new BodyError('"repository" is missing: it takes "OWNER/REPO"');
    if (typeof body.runId !== 'string')
      throw new BodyError('"runId" is missing: it takes the run ID (digits)');
    github.runs.setRun(body as unknown as WorkflowRunSpec);
    return { runs: github.runs.runs() };
  },
  'POST /_emulator/github/tokens': ({ github }, body) => {
    checkFields(body, {
      token: FIELD.text('a token', true),
      repositories: {
        check: (v) => Array.isArray(v) && v.every((r) => typeof r === 'string'),
        takes: '["OWNER/REPO", …]',
      },
      rateLimit: count('requests an hour'),
    });
    const token = (body.token as string | undefined) ?? `ghs_emulator${Date.now().toString(36)}`;
    const rateLimit = body.rateLimit as number | undefined;
    github.runs.addToken(token, body.repositories as string[], rateLimit !== undefined ? { rateLimit } : {});
    return { token, repositories: body.repositories };
  },
  'POST /_emulator/github/rate-limit': ({ github }, body) => {
    checkFields(body, {
      rateLimit: count('requests an hour per token'),
      secondaryRateLimit: count('how many of the next requests answer 429'),
    });
    const { runs } = github;
    if (body.rateLimit !== undefined) runs.rateLimit = body.rateLimit as number;
    if (body.secondaryRateLimit !== undefined)
      runs.faults.secondaryRateLimit = body.secondaryRateLimit as number;
    return { rateLimit: runs.rateLimit, faults: runs.faults };
  },
};

function writeAs(aws: AwsEmulator, body: Json, kind: 'create' | 'delete') {
  checkFields(body, {
    ...ACCOUNT_ASSIGNMENT_RULES,
    caller: {
      check: (v) => object(v) !== undefined,
      takes: '{"principalArn": ARN, "sessionName"?: SESSION}',
    },
    at: FIELD.time(),
  });
  const caller = callerOf(body);
  const assignment = assignmentOf(aws, body);
  const write = kind === 'create' ? aws.createAssignmentAs : aws.deleteAssignmentAs;
  return write(assignment, caller, timeOf(body.at));
}

/** Handles the route when it is one of these; false when it is not. */
export async function handleSweepControl(
  target: Target,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
): Promise<boolean> {
  const handler = HANDLERS[route];
  // The portal's sign-ins are CloudTrail's too (./control-usage.ts).
  if (!handler) return handleUsageControl(target.aws, req, res, route);
  await answerBody(req, res, bodyOf(route), (body) => handler(target, body));
  return true;
}
