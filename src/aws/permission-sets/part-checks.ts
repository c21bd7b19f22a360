// One changed part's policy checks (./policy-checks.ts runs them for each set the plan changes):
// the Access Analyzer calls each part needs (ValidatePolicy page by page, CheckNoNewAccess against
// the deployed document, the ceiling's CheckAccessNotGranted) and an AWS-managed policy's document
// read once per ARN (iam:GetPolicy for its default version, iam:GetPolicyVersion). A call that does
// not answer makes its check `not checked (<permission>)`, never a pass.
import {
  CheckAccessNotGrantedCommand,
  CheckNoNewAccessCommand,
  ValidatePolicyCommand,
  type AccessAnalyzerClient,
} from '@aws-sdk/client-accessanalyzer';
import { GetPolicyVersionCommand } from '@aws-sdk/client-iam';
import { describeError } from '../../core/errors.js';
import type { PermissionSetDefinition } from '../../core/permission-sets/definition.js';
import { MAX_POLICY_CHARACTERS } from '../../core/permission-sets/inline-policy.js';
import {
  type CheckedPart,
  type CheckName,
  type CheckOutcome,
  type PolicyChecksMode,
} from '../../core/permission-sets/policy-checks.js';
import {
  ceilingOutcome,
  fenceExpiryOutcome,
  noNewAccessOutcome,
  oversizeOutcome,
  uncheckedOutcome,
  unverifiedOutcome,
  validateOutcome,
} from '../../core/permission-sets/analyzer-answers.js';
import { AwsServiceError } from '../sdk/aws-errors.js';
import type { SsoSession } from '../sso/session.js';
import { readAwsManagedPolicy } from './policy-reads.js';

/** A check that failed for a reason the plan says: a denied permission, or `throttled`. */
export class Unchecked extends Error {
  constructor(readonly permission: string) {
    super(permission);
  }
}

const codeOf = (error: unknown) =>
  error instanceof AwsServiceError ? error.code : (error as { name?: string } | undefined)?.name;

/** Why a call did not answer, as the plan names it: the permission denied, `throttled`, or the error. */
export function uncheckedWhy(error: unknown, permission: string): string {
  const code = codeOf(error) ?? '';
  if (/AccessDenied/.test(code)) return permission;
  if (/Throttl|TooManyRequests|Deadline|Timeout/i.test(`${code} ${describeError(error)}`)) return 'throttled';
  return `${permission}: ${describeError(error)}`;
}

export type Analyzer = <O>(
  operation: string,
  send: (c: AccessAnalyzerClient, s: AbortSignal) => Promise<O>,
) => Promise<O>;

export interface CheckContext {
  analyzer: Analyzer;
  documents: Map<string, Promise<string>>;
  session: SsoSession;
  requests: { actions: string[]; resources: string[] }[];
  allowed: { action: string; reason: string }[];
  allowances: NonNullable<PermissionSetDefinition['allowEscalation']>;
  mode: PolicyChecksMode;
}

/** A check, or `not checked` when its call did not answer. */
async function guarded(
  check: CheckName,
  part: string,
  mode: PolicyChecksMode,
  run: () => Promise<CheckOutcome>,
) {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Unchecked) return uncheckedOutcome(check, error.permission, mode, part);
    throw error;
  }
}

const oversize = (document: string) => document.replace(/\s/g, '').length > MAX_POLICY_CHARACTERS;

export async function checksOf(part: CheckedPart, c: CheckContext): Promise<CheckOutcome[]> {
  if ('kind' in part) {
    if (part.kind === 'unverified') return [unverifiedOutcome()];
    if (part.kind === 'fence-expiry') return [fenceExpiryOutcome()];
    let document: string;
    try {
      document = await managedDocument(c, part.arn);
    } catch (error) {
      if (error instanceof Unchecked)
        return [uncheckedOutcome('must-not-grant', error.permission, c.mode, part.part)];
      throw error;
    }
    if (oversize(document)) return [oversizeOutcome(part.part, false, c.mode)];
    return [await guarded('must-not-grant', part.part, c.mode, () => ceiling(c, document, part.part))];
  }
  if (!('next' in part)) return [];
  if (oversize(part.next)) return [oversizeOutcome(part.part, true)];
  const { next, before } = part;
  return Promise.all([
    guarded('validate', part.part, c.mode, () => validated(c, next, part.part)),
    ...(before !== undefined
      ? [
          guarded('no-new-access', part.part, c.mode, async () =>
            noNewAccessOutcome(
              await c.analyzer('CheckNoNewAccess', (client, signal) =>
                client.send(
                  new CheckNoNewAccessCommand({
                    newPolicyDocument: next,
                    existingPolicyDocument: before,
                    policyType: 'IDENTITY_POLICY',
                  }),
                  { abortSignal: signal },
                ),
              ),
              next,
            ),
          ),
        ]
      : []),
    guarded('must-not-grant', part.part, c.mode, () => ceiling(c, next, part.part)),
  ]);
}

/**
 * ValidatePolicy's findings of an identity policy, page by page (10 at the most). A finding that
 * stops the plan stops it even where a later page was not read; otherwise findings left unread
 * (a page that did not answer, or past the tenth) make it `not checked`, never a pass.
 */
async function validated(c: CheckContext, document: string, part: string): Promise<CheckOutcome> {
  const all = [];
  let nextToken: string | undefined;
  let unread: unknown = new Unchecked('access-analyzer:ValidatePolicy: over 10 pages');
  try {
    for (let page = 0; page < 10 && unread; page++) {
      const answer = await c.analyzer('ValidatePolicy', (client, signal) =>
        client.send(
          new ValidatePolicyCommand({ policyDocument: document, policyType: 'IDENTITY_POLICY', nextToken }),
          { abortSignal: signal },
        ),
      );
      all.push(...(answer.findings ?? []));
      nextToken = answer.nextToken;
      if (!nextToken) unread = undefined;
    }
  } catch (error) {
    unread = error;
  }
  const outcome = validateOutcome(all, part, c.allowances);
  if (unread && !outcome.error) throw unread;
  return outcome;
}

/** The ceiling's calls for one document: ⌈actions / 100⌉ × ⌈resources / 100⌉ CheckAccessNotGranted. */
async function ceiling(c: CheckContext, document: string, part: string): Promise<CheckOutcome> {
  const settled = await Promise.allSettled(
    c.requests.map(async (r) => ({
      asked: r.actions,
      ...(await c.analyzer('CheckAccessNotGranted', (client, signal) =>
        client.send(
          new CheckAccessNotGrantedCommand({
            policyDocument: document,
            access: [{ actions: r.actions, ...(r.resources.length > 0 ? { resources: r.resources } : {}) }],
            policyType: 'IDENTITY_POLICY',
          }),
          { abortSignal: signal },
        ),
      )),
    })),
  );
  const answers = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  // A FAIL one call proved stops the plan even where another call of the ceiling did not answer.
  const missed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (missed && !answers.some((a) => a.result === 'FAIL')) throw missed.reason;
  return ceilingOutcome(answers, document, part, c.allowed);
}

/** An AWS-managed policy's default version's document, read once per ARN in the run (IAM sends it URL-encoded). */
function managedDocument(c: CheckContext, arn: string): Promise<string> {
  let read = c.documents.get(arn);
  if (!read) {
    read = (async () => {
      const iam = async <O>(operation: string, send: Parameters<SsoSession['sendIam']>[1]) => {
        try {
          return (await c.session.sendIam(operation, send)) as O;
        } catch (error) {
          throw new Unchecked(uncheckedWhy(error, `iam:${operation}`));
        }
      };
      const policy = await readAwsManagedPolicy(c.session, arn).catch((error: unknown) => {
        throw new Unchecked(uncheckedWhy(error, 'iam:GetPolicy'));
      });
      const version = await iam<{ PolicyVersion?: { Document?: string } }>(
        'GetPolicyVersion',
        (client, signal) =>
          client.send(
            // No default version named, none asked for: IAM refuses, and the part is `not checked`.
            new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.Policy?.DefaultVersionId }),
            { abortSignal: signal },
          ),
      );
      return decodeURIComponent(version.PolicyVersion?.Document ?? '');
    })();
    c.documents.set(arn, read);
  }
  return read;
}
