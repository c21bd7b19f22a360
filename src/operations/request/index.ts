// `operation: request`: a person asks for access under a rule of the access policy, and the step
// checks, before any cloud call, what GitHub signs and says: the run's claims (its OIDC token) and
// the rule of the policy at the default branch's head, never the workspace's copy (./check.ts);
// the environment's protection and the run's approvals (./evidence-check.ts). Allowed, it makes
// the grant through assign's pipeline (../assign/), as an `assign` with `duration` of the policy's
// cloud identity, built from the request's own config (core/inputs/request-grant.ts): on Azure PIM
// ends it at its expiry; on AWS it carries a time-bound claim, `-t<expiry>`, which a sweep ends
// once the expiry has passed. Refused, it says why and the step ends with nothing requested.
import type { RequestClaims } from '../../core/access-request.js';
import { CloudAccessError } from '../../core/errors.js';
import { timeBoundClaim } from '../../core/inputs/aws-sign-in.js';
import type { ConfigOf, StepConfig } from '../../core/inputs/index.js';
import { requestedGrant } from '../../core/inputs/request-grant.js';
import { parsedAccessPolicy } from '../../core/check/policy-file.js';
import { REQUEST_CLOUDS } from '../../core/manifest/request-clouds.js';
import { emitStepReport, headerOf, type RunHeader } from '../../core/output/step.js';
import { stoppedReport, type Stopped } from '../../core/output/stopped.js';
import type { AuditRequest } from '../../engine/audit/record.js';
import { withReadProgress } from '../../engine/calls/read-progress.js';
import type { RequestReads } from '../../github/request-reads.js';
import { awsExpiry, runAssignments } from '../assign/index.js';
import type { StepRunner } from '../runner.js';
import type { GrantAdmission, Session } from '../step-session.js';
import { claimRefusals, ruleDecision, type AllowedRequest } from './check.js';
import { approversOf, evidenceRefusals } from './evidence-check.js';
import { requestNotes, requestSummaryHtml, type RequestRecord } from './report.js';
import { withinRule } from './within-rule.js';

/** What a request reads before any cloud call: the run's OIDC claims, and GitHub. */
export interface RequestSources {
  claims(): Promise<RequestClaims>;
  github(): Promise<RequestReads>;
}

/** The allowed grant's session, signed in as an assign's; its audit records carry the request's decision. */
export type OpenRequestedGrant = (
  grant: StepConfig,
  signal: AbortSignal,
  decision: AuditRequest,
) => Promise<Session>;

/** An allowed request: the grant to make (an assign's config), the decision, and what the rule admits. */
export interface AllowedGrant {
  grant: StepConfig;
  record: RequestRecord;
  /** The request's header (`cloud-access: aws request`), which a refusal within the rule stands under. */
  header: RunHeader;
  admit?: GrantAdmission;
}

/** The request checked, then, allowed, its grant made as an assign; refused, the step says why. */
export async function runRequest(
  config: ConfigOf<'request'>,
  runner: Pick<StepRunner, 'effects' | 'state' | 'onCancel'>,
  sources: RequestSources & { openGrant: OpenRequestedGrant },
  now: () => number = Date.now,
): Promise<void> {
  const allowed = await allowedGrant(config, runner, sources, now);
  if (!allowed) return;
  const { grant, record, header, admit } = allowed;
  const { duration: _asked, githubRequests: _checks, ...request } = record;
  const { rule, justification, approvers, policyCommit } = request;
  // Its records say until when it grants, as its results do: on AWS its time-bound claim's expiry.
  const expiresAt = awsExpiry(grant) ?? request.expiresAt;
  await runAssignments(grant, runner, {
    open: (signal) =>
      sources.openGrant(grant, signal, { rule, justification, approvers, policyCommit, expiresAt }),
    request,
    header,
    ...(admit ? { admit } : {}),
  });
}

/** The grant to make, or undefined when the request was refused and said so. */
export async function allowedGrant(
  config: ConfigOf<'request'>,
  runner: Pick<StepRunner, 'effects'>,
  sources: RequestSources,
  now: () => number = Date.now,
): Promise<AllowedGrant | undefined> {
  // GitHub's reads are bounded by the step's deadline, not by seconds: a slow one says so.
  const decided = await withReadProgress(
    'the request’s claims, its access policy and its run’s approvals on GitHub',
    () => decide(config, sources, now),
    { say: (line) => runner.effects.info(line) },
  );
  if ('stopped' in decided) {
    const report = stoppedReport(decided.stopped, headerOf(config));
    await emitStepReport(report, runner.effects);
    return undefined;
  }
  const { allowed, record } = decided;
  const person = { principalType: REQUEST_CLOUDS[config.cloud].personType, principals: [allowed.principal] };
  const grantOf = (asked: Pick<AllowedRequest, 'targets' | 'roles'>) =>
    requestedGrant(config, { ...person, targets: asked.targets, roles: asked.roles }, now);
  // AWS: IAM Identity Center has no end time, so the grant carries a time-bound claim a sweep ends.
  const grant = timeBoundClaim(grantOf(allowed));
  const sayAllowed = async () => {
    for (const line of requestNotes(record)) runner.effects.info(line);
    await runner.effects.appendSummary(requestSummaryHtml(record));
  };
  const header = headerOf(config);
  // A target or role asked within the rule is decided on what it resolves to, before any write;
  // the request is said allowed once it is, so that a refused one's summary starts with its refusal.
  const { rule } = allowed;
  const narrowed = config.request.targets.length > 0 || config.request.roles.length > 0;
  if (!narrowed) {
    await sayAllowed();
    return { grant, record, header };
  }
  const within = withinRule(rule, grantOf({ targets: rule.targets, roles: rule.roles }));
  const admit: GrantAdmission = async (grants, session) => {
    const refused = await within(grants, session);
    if (refused.length === 0) await sayAllowed();
    return refused;
  };
  return { grant, record, header, admit };
}

type Decided = { stopped: Stopped } | { allowed: AllowedRequest; record: RequestRecord };

async function decide(
  config: ConfigOf<'request'>,
  sources: RequestSources,
  now: () => number,
): Promise<Decided> {
  const { request } = config;
  const claims = await sources.claims();
  const fromClaims = claimRefusals(claims, config.run);
  if (fromClaims.length > 0) return { stopped: { refused: fromClaims } };
  const github = await sources.github();
  const head = await github.policyAtHead(request.policy);
  const where = `${request.policy}@${head.commit.slice(0, 12)} (default branch ${head.defaultBranch})`;
  if (head.text === undefined)
    return {
      stopped: {
        refused: [
          new CloudAccessError(
            `the policy \`${request.policy}\` is not on the default branch \`${head.defaultBranch}\``,
            {
              fix: 'commit the policy to the default branch (a branch cannot change the rules it is judged by), or set `policy` to its path',
            },
          ),
        ],
      },
    };
  const parsed = parsedAccessPolicy(
    head.text,
    where,
    'invalid access policy; nothing was requested from the cloud',
  );
  if ('stopped' in parsed) return { stopped: parsed.stopped };
  const asked = { ...request, cloud: config.cloud };
  const ruled = ruleDecision(asked, claims, head, parsed.policy);
  if ('refused' in ruled) return { stopped: { refused: ruled.refused } };
  const { allowed } = ruled;
  const evidence = await github.evidence(allowed.rule.environment, claims.runId!, head.defaultBranch);
  const refused = evidenceRefusals(allowed, claims, head, evidence, parsed.policy, now());
  if (refused.length > 0) return { stopped: { refused } };
  return {
    allowed,
    record: {
      requester: allowed.person.github ?? `#${allowed.person.githubId}`,
      requesterId: allowed.person.githubId,
      rule: allowed.rule.name,
      justification: request.justification,
      approvers: approversOf(evidence, allowed.rule, claims.actorId, parsed.policy),
      policy: request.policy,
      policyCommit: head.commit,
      duration: request.duration.iso,
      expiresAt: new Date(now() + request.duration.ms).toISOString(),
      githubRequests: github.requests(),
    },
  };
}
