// A reconcile's policy checks as the adapter makes them, over the emulator's own IAM and Access
// Analyzer behind the unmodified SDKs, with an answering point in front of Access Analyzer where a
// test needs an answer the emulator never gives (an empty 200, a call of the ceiling refused while
// another proves an escalation, findings past the pages read, hostile text): what the plan, the
// output and the summary say is never more than the answers proved, and `required` never lets a
// part through unchecked.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkSetPolicies, checksShown } from '../../../src/aws/permission-sets/policy-checks.js';
import { desiredContents } from '../../../src/core/permission-sets/definition.js';
import { planCheckLines } from '../../../src/core/permission-sets/policy-check-words.js';
import type { PolicyChecksMode } from '../../../src/core/permission-sets/policy-checks.js';
import { inertJson, inertText } from '../../../src/core/inert.js';
import { createSsoSession, type SsoSession } from '../../../src/aws/sso/session.js';
import { awsPlan, emulatedDeps, emulatedSso } from '../../harness/emulated-sso.js';
import { definitionsOf, OWN, POLICY, preparedSession, WIDER } from './fixture.js';

const sso = emulatedSso();

/** What the point in front of Access Analyzer answers itself; undefined: the emulator answers. */
type Answer =
  { status: number; body: string; errorType?: string; headers?: Record<string, string> } | undefined;
let answerOf: (operation: string, input: Record<string, unknown>) => Answer = () => undefined;
let front: Server;

const OPERATIONS: Record<string, string> = {
  '/policy/validation': 'ValidatePolicy',
  '/policy/check-no-new-access': 'CheckNoNewAccess',
  '/policy/check-access-not-granted': 'CheckAccessNotGranted',
};

beforeAll(async () => {
  const behind = new URL(sso.emulator.env.AWS_ENDPOINT_URL_ACCESSANALYZER!);
  front = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = OPERATIONS[(req.url ?? '').split('?')[0]!] ?? 'Unknown';
      const own = answerOf(operation, JSON.parse(body.toString() || '{}') as Record<string, unknown>);
      if (own) {
        res.writeHead(own.status, {
          'content-type': 'application/json',
          ...(own.errorType ? { 'x-amzn-errortype': own.errorType } : {}),
          ...own.headers,
        });
        res.end(own.body);
        return;
      }
      // Passed on as sent: the emulator checks the signature over the same headers.
      const on = request(
        { host: behind.hostname, port: behind.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      on.end(body);
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  process.env.AWS_ENDPOINT_URL_ACCESSANALYZER = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_ACCESSANALYZER;
  await new Promise((resolve) => front.close(resolve));
});
beforeEach(() => {
  answerOf = () => undefined;
});

const policyOf = (...statements: object[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (Action: string, Resource = '*') => ({ Effect: 'Allow', Action, Resource });

/** The checks of a new set `ReadOnly` written with these key lines, as a reconcile makes them. */
async function checksOfNewSet(
  keys: string[],
  mode: PolicyChecksMode = 'on',
  session?: (real: SsoSession) => SsoSession,
) {
  const definitions = definitionsOf(['    - name: ReadOnly', ...keys.map((k) => `      ${k}`)]);
  const { contents, problems } = desiredContents(definitions, new Map(), OWN);
  expect(problems).toEqual([]);
  const real = await preparedSession(sso);
  const checks = await checkSetPolicies(session ? session(real) : real, {
    plans: [{ change: 'create', name: 'ReadOnly', content: contents.get('ReadOnly')! }],
    definitions,
    mustNotGrant: [],
    mode,
  });
  const shown = checksShown(checks, mode);
  const outcomes = checks.sets.flatMap((s) =>
    s.parts.flatMap((p) => p.checks.map((c) => ({ part: p.part, ...c }))),
  );
  return { checks, shown, outcomes, lines: planCheckLines(checks.sets[0]) };
}

/** A session whose step has 2 seconds: a call retried to the deadline ends within the test. */
async function shortLived(): Promise<SsoSession> {
  const { deps, seams } = emulatedDeps(sso, 2);
  const session = createSsoSession(awsPlan(), deps, seams);
  await session.prepare();
  return session;
}

const ceilingOf = (outcomes: { check: string; result: string }[]) =>
  outcomes.find((o) => o.check === 'must-not-grant');

describe('an escalation a check proved stops the plan, whatever else could not be checked', () => {
  it('a call of the ceiling refused (a `must-not-grant` resource Access Analyzer rejects) does not hide the FAIL another call proved', async () => {
    answerOf = (operation, input) => {
      const [access] = (input.access ?? []) as { resources?: string[] }[];
      return operation === 'CheckAccessNotGranted' && access?.resources?.includes('prod-bucket')
        ? {
            status: 400,
            errorType: 'ValidationException',
            body: '{"message":"Invalid resource ARN: prod-bucket"}',
          }
        : undefined;
    };
    const { checks, outcomes } = await checksOfNewSet([
      `inline-policy: '${policyOf(allow('s3:GetObject'), allow('iam:CreateAccessKey'))}'`,
      'must-not-grant: [{actions: [s3:DeleteBucket], resources: [prod-bucket]}]',
    ]);
    expect(ceilingOf(outcomes)).toMatchObject({ result: 'fail' });
    expect(checks.problems.map((p) => p.message).join('\n')).toContain('allows iam:CreateAccessKey');
  });
});

describe('an answer that proves nothing is never shown as a pass', () => {
  it('an empty 200 (a proxy’s) to each check: `not checked`, counted, and with `required` an error before any write', async () => {
    answerOf = () => ({ status: 200, body: '' });
    const keys = [`inline-policy: '${policyOf(allow('iam:CreateAccessKey'))}'`];
    const on = await checksOfNewSet(keys);
    expect(on.outcomes.map((o) => [o.check, o.result])).toEqual([
      ['validate', 'not checked'],
      ['must-not-grant', 'not checked'],
    ]);
    expect(on.shown.json).toMatchObject({ unchecked: 2 });
    expect(on.lines.join('\n')).not.toContain('✓');
    const required = await checksOfNewSet(keys, 'required');
    expect(required.checks.problems).toHaveLength(2);
  });

  it('an empty 200 to CheckNoNewAccess: `not checked`, neither `no new access` nor a guess at `widens access`', async () => {
    answerOf = (operation) => (operation === 'CheckNoNewAccess' ? { status: 200, body: '{}' } : undefined);
    const definitions = definitionsOf(['    - name: ReadOnly', `      inline-policy: '${POLICY}'`]);
    const checks = await checkSetPolicies(await preparedSession(sso), {
      plans: [
        {
          change: 'update',
          name: 'ReadOnly',
          arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
          changes: [{ field: 'inline-policy', before: POLICY, after: WIDER, lines: [] }],
          described: { sessionDuration: 'PT1H' },
          adopted: undefined,
          blast: { accounts: [], principals: [] },
        },
      ],
      definitions,
      mustNotGrant: [],
      mode: 'on',
    });
    expect(checks.sets[0]!.parts[0]!.checks.find((c) => c.check === 'no-new-access')).toMatchObject({
      result: 'not checked',
      unchecked: 'access-analyzer:CheckNoNewAccess: no answer',
    });
  });

  it('an HTML page (a proxy’s), as a 200 or a 503: `not checked`, never a pass', async () => {
    const page = '<html><body><h1>Access denied by proxy</h1></body></html>';
    const keys = [`inline-policy: '${policyOf(allow('iam:CreateAccessKey'))}'`];
    for (const status of [200, 503]) {
      answerOf = () => ({ status, body: page, headers: { 'content-type': 'text/html' } });
      // A 503 is retried until the deadline: a short one.
      const session = await shortLived();
      const { outcomes } = await checksOfNewSet(keys, 'on', () => session);
      expect(outcomes.map((o) => o.result)).toEqual(['not checked', 'not checked']);
    }
  });

  it('a 429 whose Retry-After is past the step’s deadline: `not checked (throttled)`, never a pass', async () => {
    answerOf = () => ({
      status: 429,
      errorType: 'ThrottlingException',
      body: '{"message":"Rate exceeded"}',
      headers: { 'retry-after': '3600' },
    });
    const session = await shortLived();
    const { outcomes, lines } = await checksOfNewSet(
      [`inline-policy: '${policyOf(allow('s3:GetObject'))}'`],
      'on',
      () => session,
    );
    expect(outcomes.map((o) => [o.result, o.unchecked])).toEqual([
      ['not checked', 'throttled'],
      ['not checked', 'throttled'],
    ]);
    expect(lines.slice(1)).toEqual([
      '      ? inline-policy: validate not checked (throttled)',
      '      ? inline-policy: must-not-grant not checked (throttled)',
    ]);
  });

  it('a ValidatePolicy ERROR on a page read stops the plan though a later page does not answer', async () => {
    const error = {
      findingType: 'ERROR',
      issueCode: 'MISSING_VERSION',
      findingDetails: 'planted',
      learnMoreLink: 'https://docs.aws.amazon.com',
      locations: [],
    };
    answerOf = (operation, input) =>
      operation !== 'ValidatePolicy'
        ? undefined
        : input.nextToken
          ? { status: 500, errorType: 'InternalServerException', body: '{"message":"down"}' }
          : { status: 200, body: JSON.stringify({ findings: [error], nextToken: 'more' }) };
    const session = await shortLived();
    const { outcomes } = await checksOfNewSet(
      [`inline-policy: '${policyOf(allow('s3:GetObject'))}'`],
      'on',
      () => session,
    );
    expect(outcomes.find((o) => o.check === 'validate')).toMatchObject({ result: 'error' });
  });

  it('ValidatePolicy findings on pages never read: `not checked`, not a pass', async () => {
    answerOf = (operation) =>
      operation === 'ValidatePolicy'
        ? { status: 200, body: '{"findings":[],"nextToken":"more"}' }
        : undefined;
    const { outcomes } = await checksOfNewSet([`inline-policy: '${policyOf(allow('s3:GetObject'))}'`]);
    expect(outcomes.find((o) => o.check === 'validate')).toMatchObject({ result: 'not checked' });
  });
});

describe('an AWS-managed policy too large for Access Analyzer', () => {
  /** The session, with IAM sending this document as the policy's default version. */
  const sendingDocument =
    (document: string) =>
    (real: SsoSession): SsoSession =>
      Object.assign(Object.create(real) as SsoSession, {
        sendIam: async (operation: string, send: Parameters<SsoSession['sendIam']>[1]) => {
          const answer = (await real.sendIam(operation, send)) as {
            PolicyVersion?: { Document?: string };
          };
          if (answer.PolicyVersion) answer.PolicyVersion.Document = encodeURIComponent(document);
          return answer;
        },
      });
  const huge = policyOf(
    ...Array.from({ length: 800 }, (_, i) => allow(`s3:GetObjectVersionForReplication${i}`)),
    allow('iam:PassRole'),
  );

  it('is `skipped (size)` and counted among the checks that could not run', async () => {
    const { outcomes, shown } = await checksOfNewSet(
      ['aws-managed-policies: [ReadOnlyAccess]'],
      'on',
      sendingDocument(huge),
    );
    expect(outcomes).toEqual([
      expect.objectContaining({ check: 'must-not-grant', result: 'skipped (size)' }),
    ]);
    expect(shown.json).toMatchObject({ unchecked: 1 });
    expect(shown.summaryHtml).toContain('1 check(s) could not run');
  });

  it('with `required`, stops the plan before any write: the ceiling was never checked', async () => {
    const { checks } = await checksOfNewSet(
      ['aws-managed-policies: [ReadOnlyAccess]'],
      'required',
      sendingDocument(huge),
    );
    expect(checks.problems).toEqual([
      expect.objectContaining({ message: expect.stringContaining('arn:aws:iam::aws:policy/ReadOnlyAccess') }),
    ]);
  });
});

describe('an AWS-managed policy is checked in its default version, or not at all', () => {
  it('a GetPolicy answer that names no default version: `not checked`, never a check of a version guessed', async () => {
    const { outcomes } = await checksOfNewSet(['aws-managed-policies: [ReadOnlyAccess]'], 'on', (real) =>
      Object.assign(Object.create(real) as SsoSession, {
        sendIam: async (operation: string, send: Parameters<SsoSession['sendIam']>[1]) => {
          const answer = (await real.sendIam(operation, send)) as { Policy?: { DefaultVersionId?: string } };
          if (answer.Policy) delete answer.Policy.DefaultVersionId;
          return answer;
        },
      }),
    );
    const versionsAsked = sso.emulator.requests
      .filter((r) => r.service === 'iam' && r.operation === 'GetPolicyVersion')
      .map((r) => r.input?.VersionId);
    expect(outcomes).toEqual([expect.objectContaining({ check: 'must-not-grant', result: 'not checked' })]);
    expect(versionsAsked).not.toContain('v1');
  });
});

describe('hostile text from Access Analyzer reaches the plan, the output and the summary inert', () => {
  const hostile =
    'x\n::error::pwned ##[stop-commands]x | </td></tr></table><img src=x onerror=alert(1)>\r\n|---|';

  it('a finding’s details and an error’s message: one row per check, no markup, no workflow command', async () => {
    answerOf = (operation) =>
      operation === 'ValidatePolicy'
        ? {
            status: 200,
            body: JSON.stringify({
              findings: [
                { findingType: 'WARNING', issueCode: `X${hostile}`, findingDetails: hostile, locations: [] },
              ],
            }),
          }
        : { status: 400, errorType: 'ValidationException', body: JSON.stringify({ message: hostile }) };
    const { shown, lines } = await checksOfNewSet(
      [`inline-policy: '${policyOf(allow('s3:GetObject'))}'`],
      'on',
    );
    const html = shown.summaryHtml;
    expect(html.match(/<tr>/g)).toHaveLength(3);
    expect(html.match(/<td>/g)).toHaveLength(8);
    expect(html).not.toMatch(/<img|<\/table>\s*<img|##\[|^::/m);
    const log = lines.map(inertText).join('\n');
    expect(log).not.toMatch(/^\s*::|##\[/m);
    expect(lines).toHaveLength(3);
    expect(inertJson(shown.json)).not.toMatch(/##\[|\n/);
  });
});
