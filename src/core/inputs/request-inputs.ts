// `operation: request`'s inputs: the policy's path (read from the default branch, never the
// workspace), the rule asked for, the duration and the justification, and the token the GitHub
// reads use. The requester is never an input: it is the run's OIDC token's `actor_id`.
import { parseDuration, type Duration } from '../duration.js';
import { printable, Problems, repositoryPathInput, requiredInput, type InputReader } from './fields.js';
import { githubToken } from './claim-inputs.js';
import type { ListInputs } from './grants.js';

/** `operation: request`: what is asked for; the policy says whether it may be. */
export interface AccessRequestInputs {
  /** A path in the repository, read at the default branch's head. */
  policy: string;
  rule: string;
  duration: Duration;
  /** Inert wherever it is shown. */
  justification: string;
  /** Reads the policy, the environment and the run's approvals; masked, never printed. */
  githubToken: string;
  /** `target` and `role` as written: within the rule's (empty: the rule's own). */
  targets: string[];
  roles: string[];
}

export const MAX_JUSTIFICATION = 500;
export const DEFAULT_POLICY = '.github/access-policy.yml';
const RULE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** An empty `rule`: a request asks under one rule of the policy. */
const NO_RULE = {
  problem: 'is required: the policy rule this request asks under',
  fix: 'set `rule: <a rule name in the policy>`',
};

export function parseRequestInputs(
  problems: Problems,
  read: InputReader,
  lists: ListInputs,
  cloud: 'aws' | 'azure' | undefined,
): AccessRequestInputs {
  if (cloud === 'aws') awsRequestSignIn(problems, read);
  if (lists.principals.length > 0)
    problems.add(
      'principal',
      "is not an input of `operation: request`: the requester is the run's signed identity (the OIDC token's `actor_id`), mapped through the policy's `people`",
      'remove `principal`',
    );
  const policy = repositoryPathInput(problems, read, 'policy', DEFAULT_POLICY);
  const rule = requiredInput(problems, 'rule', read('rule').trim(), NO_RULE, (name) =>
    RULE_NAME.test(name)
      ? undefined
      : { problem: 'is not a rule name', fix: 'write a name from the policy, such as `prod-admin`' },
  );
  const justification = read('justification').trim();
  if ([...justification].length > MAX_JUSTIFICATION)
    problems.add(
      'justification',
      `is ${[...justification].length} characters long, past ${MAX_JUSTIFICATION}`,
      'write a shorter justification, with a ticket link for the details',
    );
  const durationText = read('duration').trim();
  let duration: Duration | undefined;
  if (durationText === '')
    problems.add(
      'duration',
      'is required for `operation: request`: how long the access lasts',
      "set `duration`, at most the rule's `max-duration`, e.g. `1h`",
    );
  else {
    const parsed = parseDuration(durationText);
    if (typeof parsed === 'string') problems.add('duration', `\`${printable(durationText)}\` ${parsed}`);
    else duration = parsed;
  }
  const token = githubToken(problems, read, {
    problem: 'is empty: a request reads its policy, environment and approvals through the GitHub REST API',
    fix: "leave `github-token` unset (the job's `github.token`) and give the job `permissions: contents: read, actions: read`",
  });
  return {
    policy,
    rule,
    justification,
    githubToken: token,
    duration: duration ?? { iso: 'PT0S', ms: 0 },
    targets: lists.targets,
    roles: lists.roles,
  };
}

/**
 * An AWS request's grant outlives its job and is ended by a sweep, which finds it by the role that
 * made it (`created-by`) and the session name that carries its time-bound claim (`-t<expiry>`): the
 * step must sign in with `role-to-assume`, under the name the action writes.
 */
function awsRequestSignIn(problems: Problems, read: InputReader): void {
  if (read('role-to-assume').trim() === '')
    problems.add(
      'role-to-assume',
      'is required for an AWS request: the sweep that ends the grant at its expiry finds it by the role that made it (its `created-by`)',
      'set `role-to-assume` to the requester role (examples/setup/aws)',
    );
  if (read('role-session-name').trim() !== '')
    problems.add(
      'role-session-name',
      "is not an input of an AWS request: the session name carries the grant's time-bound claim (`-t<expiry>`), by which a sweep ends it",
      'remove `role-session-name`',
    );
}
