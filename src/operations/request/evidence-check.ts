// Whether the run's evidence admits an allowed request, from what GitHub says of it: the
// environment's protection (required reviewers, no self-review, no admin bypass, the default
// branch alone deploying), an approval by someone other than the requester among the rule's
// `approvers`, and the run's age. Apart from ./check.ts (the run's claims and the rule), as it
// judges what GitHub records of the run, not what its token signs. Each refusal names the
// environment's setting at fault and the fix; nothing here reaches a cloud. Pure.
import type {
  EnvironmentProtection,
  PolicyAtHead,
  RequestClaims,
  RunEvidence,
} from '../../core/access-request.js';
import { describeDuration } from '../../core/duration.js';
import { CloudAccessError } from '../../core/errors.js';
import { printable } from '../../core/inputs/fields.js';
import type { AccessPolicy } from '../../core/manifest/access-policy.js';
import type { PolicyRule } from '../../core/manifest/policy-rule.js';
import type { AllowedRequest } from './check.js';

const refuse = (message: string, fix: string) => new CloudAccessError(message, { fix });

/** The environment's protection, the approval, and the run's age. */
export function evidenceRefusals(
  allowed: AllowedRequest,
  claims: RequestClaims,
  head: PolicyAtHead,
  evidence: RunEvidence,
  policy: AccessPolicy,
  now: number,
): CloudAccessError[] {
  const { rule } = allowed;
  const env = `environment \`${printable(rule.environment)}\` (rule \`${printable(rule.name)}\`)`;
  const settings = `in Settings → Environments → ${printable(rule.environment)} (or examples/setup/)`;
  const protection = evidence.environment;
  if (!protection)
    return [
      refuse(
        `${env} does not exist: GitHub creates a referenced environment without protection`,
        `create it with required reviewers ${settings}`,
      ),
    ];
  const refused: CloudAccessError[] = [];
  if (!protection.requiredReviewers)
    refused.push(
      refuse(
        `${env} has no required reviewers`,
        `add required reviewers ${settings} (private repositories need GitHub Enterprise for them)`,
      ),
    );
  if (!protection.preventSelfReview)
    refused.push(
      refuse(
        `${env}: \`prevent_self_review\` is off, so a requester could approve their own request`,
        `tick "Prevent self-review" ${settings}`,
      ),
    );
  if (protection.canAdminsBypass)
    refused.push(
      refuse(
        `${env}: administrators can bypass its protection (\`can_admins_bypass\`)`,
        `untick "Allow administrators to bypass configured protection rules" ${settings}`,
      ),
    );
  const branchProblem = branchRefusal(protection, head);
  if (branchProblem)
    refused.push(
      refuse(
        `${env}: ${branchProblem}`,
        `set "Deployment branches" to the default branch \`${printable(head.defaultBranch)}\` alone ${settings}`,
      ),
    );
  const approved = countingApprovals(evidence, rule, claims.actorId, policy);
  if (approved.length === 0)
    refused.push(
      refuse(
        `rule \`${printable(rule.name)}\`: the run has no approval for ${env} by someone other than the requester${rule.approvers.length > 0 ? ` among its \`approvers\` (${rule.approvers.map(printable).join(', ')})` : ''}`,
        "have a required reviewer approve the run's deployment to the environment, then start a new request",
      ),
    );
  if (now - evidence.createdAt > rule.requestExpiryMs)
    refused.push(
      refuse(
        `rule \`${printable(rule.name)}\`: the run was created ${describeDuration(now - evidence.createdAt)} ago, past its \`request-expiry\` (${describeDuration(rule.requestExpiryMs)})`,
        'start a new request: an approval is for a request that is still current',
      ),
    );
  return refused;
}

/** Only the default branch may deploy: a custom policy naming it alone, or protected branches while it alone is protected. */
function branchRefusal(protection: EnvironmentProtection, head: PolicyAtHead): string | undefined {
  const { branches } = protection;
  const list = (names: string[]) => names.map((n) => `\`${printable(n)}\``).join(', ');
  if (branches === 'all') return 'every branch may deploy to it (no deployment branch policy)';
  const protectedOthers = protection.otherProtectedBranches ?? [];
  if (branches === 'protected')
    return !protection.defaultBranchProtected
      ? `its deployment branches are "protected branches only", but the default branch \`${printable(head.defaultBranch)}\` is not protected, so every branch may deploy`
      : protectedOthers.length > 0
        ? `its deployment branches are "protected branches only", and other branches than the default one are protected (${list(protectedOthers.slice(0, 5))}): a workflow there may deploy to it`
        : undefined;
  const others = branches.custom.filter((p) => p.type !== 'branch' || p.name !== head.defaultBranch);
  if (others.length > 0 || branches.custom.length === 0)
    return `its deployment branch policies admit more than the default branch (${list(branches.custom.map((p) => p.name)) || 'none'})`;
  return undefined;
}

/**
 * The approvals that count: `approved`, for the rule's environment, by someone other than the
 * requester and, with `approvers`, by one of them (matched by GitHub account ID, never by login).
 */
function countingApprovals(
  evidence: RunEvidence,
  rule: PolicyRule,
  requesterId: string | undefined,
  policy: AccessPolicy,
): RunEvidence['approvals'] {
  const approverIds = new Set(
    rule.approvers.flatMap((label) =>
      policy.people.filter((p) => p.github?.toLowerCase() === label.toLowerCase()).map((p) => p.githubId),
    ),
  );
  return evidence.approvals.filter(
    (a) =>
      a.state === 'approved' &&
      a.environments.includes(rule.environment) &&
      a.userId !== requesterId &&
      (rule.approvers.length === 0 || approverIds.has(a.userId)),
  );
}

/** Who approved, by login (labels, for reading): the approvals that count only. */
export function approversOf(
  evidence: RunEvidence,
  rule: PolicyRule,
  requesterId: string | undefined,
  policy: AccessPolicy,
): string[] {
  return countingApprovals(evidence, rule, requesterId, policy).map((a) => a.login);
}
