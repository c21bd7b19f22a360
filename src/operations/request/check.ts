// Whether a request may be granted, from what GitHub signs alone: the run's claims, and the rule of
// the policy at the default branch's head it asks under (the environment's protection and the
// run's approvals are ./evidence-check.ts's). Each refusal names the rule, the setting at fault
// and the fix; nothing here reaches a cloud. Pure.
import type { PolicyAtHead, RequestClaims } from '../../core/access-request.js';
import { describeDuration } from '../../core/duration.js';
import { CloudAccessError } from '../../core/errors.js';
import type { AccessRequestInputs } from '../../core/inputs/request-inputs.js';
import type { AccessPolicy, PolicyPerson } from '../../core/manifest/access-policy.js';
import type { PolicyRule } from '../../core/manifest/policy-rule.js';
import { REQUEST_CLOUDS } from '../../core/manifest/request-clouds.js';
import { printable } from '../../core/inputs/fields.js';
import type { WorkflowContext } from '../../core/run-context.js';

/** What a request was allowed: who asked, under which rule, for what. */
export interface AllowedRequest {
  rule: PolicyRule;
  person: PolicyPerson;
  /** The cloud identity granted: Identity Store user ID or Entra object ID. */
  principal: string;
  targets: string[];
  roles: string[];
}

const refuse = (message: string, fix: string) => new CloudAccessError(message, { fix });

/**
 * The run itself: this repository's (the token's `repository_id` and `repository` are the run's
 * GITHUB_REPOSITORY_ID and GITHUB_REPOSITORY), a `workflow_dispatch`, its first attempt, and a
 * signed requester. `run`: the run as its environment says (core/run-context.ts).
 */
export function claimRefusals(
  claims: RequestClaims,
  run: Pick<WorkflowContext, 'repository' | 'repositoryId'>,
): CloudAccessError[] {
  const refused: CloudAccessError[] = [];
  for (const [claim, variable, signed, own] of [
    ['repository_id', 'GITHUB_REPOSITORY_ID', claims.repositoryId, run.repositoryId],
    ['repository', 'GITHUB_REPOSITORY', claims.repository, run.repository],
  ] as const)
    if (signed === undefined || signed !== own)
      refused.push(
        refuse(
          `the run's OIDC token says \`${claim}: ${printable(signed ?? '(none)')}\`, but this run's ${variable} is \`${printable(own ?? '(none)')}\`: a request is judged by a token of its own repository only`,
          'run the request in the repository whose policy it asks under, on GitHub Actions',
        ),
      );
  if (claims.eventName !== 'workflow_dispatch')
    refused.push(
      refuse(
        `a request runs on \`workflow_dispatch\` only; this run's OIDC token says \`event_name: ${printable(claims.eventName ?? '(none)')}\``,
        'start the request from the Actions tab or `gh workflow run`, with `on: workflow_dispatch` only',
      ),
    );
  if (claims.runAttempt !== '1')
    refused.push(
      refuse(
        `a request is granted on its run's first attempt only; this is attempt ${printable(claims.runAttempt ?? '(none)')} (a re-run carries the first requester's identity and earlier approvals)`,
        'start a new request (a new run) rather than re-running this one',
      ),
    );
  if (!claims.actorId || !/^[1-9][0-9]{0,19}$/.test(claims.actorId))
    refused.push(
      refuse(
        "the run's OIDC token has no `actor_id`: the requester cannot be known",
        'run on GitHub Actions, whose tokens carry `actor_id`',
      ),
    );
  if (!claims.runId || !/^[1-9][0-9]{0,19}$/.test(claims.runId))
    refused.push(
      refuse("the run's OIDC token has no `run_id`", 'run on GitHub Actions, whose tokens carry `run_id`'),
    );
  return refused;
}

/** The rule asked for, the requester in it, and what is asked within it. */
export function ruleDecision(
  asked: AccessRequestInputs & { targets: string[]; roles: string[]; cloud: 'aws' | 'azure' },
  claims: RequestClaims,
  head: PolicyAtHead,
  policy: AccessPolicy,
): { refused: CloudAccessError[] } | { allowed: AllowedRequest } {
  const rule = policy.rules.find((r) => r.name === asked.rule);
  if (!rule || rule.cloud !== asked.cloud)
    return {
      refused: [
        refuse(
          `the policy at ${head.commit.slice(0, 12)} has no ${asked.cloud} rule \`${printable(asked.rule)}\``,
          `ask under one of its ${asked.cloud} rules (${
            policy.rules
              .filter((r) => r.cloud === asked.cloud)
              .map((r) => `\`${printable(r.name)}\``)
              .join(', ') || 'none'
          }), or add the rule on the default branch`,
        ),
      ],
    };
  const at = `rule \`${printable(rule.name)}\``;
  const person = policy.people.find((p) => p.githubId === claims.actorId);
  if (!person)
    return {
      refused: [
        refuse(
          `GitHub account ID ${printable(claims.actorId ?? '?')} (login \`${printable(claims.actor ?? '?')}\`, a label only) is not in the policy's \`people\``,
          "add the person's `github-id` to `people` on the default branch, with their cloud identity",
        ),
      ],
    };
  const label = person.github ?? `#${person.githubId}`;
  const refused: CloudAccessError[] = [];
  const isBot = (claims.actor ?? '').endsWith('[bot]') || label.endsWith('[bot]');
  const named = rule.who.some((w) => w.toLowerCase() === label.toLowerCase());
  if (!named)
    refused.push(
      refuse(
        `${at}: \`who\` does not name ${isBot ? 'the bot ' : ''}\`${printable(label)}\` (GitHub account ID ${person.githubId})`,
        `add \`${printable(label)}\` to the rule's \`who\` on the default branch, or ask under a rule that names them`,
      ),
    );
  const principal = person[REQUEST_CLOUDS[rule.cloud].identity];
  if (!principal)
    refused.push(
      refuse(
        `\`people\`: \`${printable(label)}\` has no \`${rule.cloud}\` identity, which ${at} grants`,
        `add their ${REQUEST_CLOUDS[rule.cloud].identityNamed}`,
      ),
    );
  const targets = asked.targets.length > 0 ? asked.targets : rule.targets;
  const roles = asked.roles.length > 0 ? asked.roles : rule.roles;
  refused.push(...askedRefusals(rule, { ...asked, targets, roles }, claims, head));
  if (refused.length > 0 || !principal) return { refused };
  return { allowed: { rule, person, principal, targets, roles } };
}

/**
 * What is asked within the rule, and where the run runs: its duration, justification, environment
 * and ref. Its targets and roles are compared once resolved (./resolved-check.ts): a name is not what
 * it grants.
 */
function askedRefusals(
  rule: PolicyRule,
  asked: AccessRequestInputs,
  claims: RequestClaims,
  head: PolicyAtHead,
): CloudAccessError[] {
  const at = `rule \`${printable(rule.name)}\``;
  const refused: CloudAccessError[] = [];
  if (asked.duration.ms > rule.maxDurationMs)
    refused.push(
      refuse(
        `${at}: \`duration\` ${asked.duration.iso} is longer than its \`max-duration\` (${describeDuration(rule.maxDurationMs)})`,
        `ask for at most ${describeDuration(rule.maxDurationMs)}`,
      ),
    );
  if (rule.justificationRequired && asked.justification === '')
    refused.push(
      refuse(
        `${at}: \`justification\` is required`,
        'say why in the `justification` input (at most 500 characters)',
      ),
    );
  if (claims.environment !== rule.environment)
    refused.push(
      refuse(
        `${at}: the job's \`environment\` must be \`${printable(rule.environment)}\`; the run's OIDC token says \`${printable(claims.environment ?? '(none)')}\``,
        `set \`environment: ${printable(rule.environment)}\` on the job that runs the request`,
      ),
    );
  const defaultRef = `refs/heads/${head.defaultBranch}`;
  if (claims.ref !== defaultRef)
    refused.push(
      refuse(
        `${at}: a request runs from the default branch (\`${printable(defaultRef)}\`); the run's OIDC token says \`ref: ${printable(claims.ref ?? '(none)')}\``,
        `dispatch the workflow on \`${printable(head.defaultBranch)}\``,
      ),
    );
  return refused;
}
