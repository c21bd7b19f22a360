// What `operation: request` reads of GitHub before any cloud call, as plain data: the run's signed
// claims (the OIDC token's), the repository's default branch, the environment's protection, the
// run's approvals and when it was created. github/request-reads.ts fills it in; the request's
// checks (operations/request/check.ts, operations/request/evidence-check.ts) judge it. And the
// decision it comes to, as each grant it makes carries it (`GrantRequest`, in the `results`
// output). Pure.

/** The claims of the run's OIDC token a request is judged by; GitHub signs them, a step cannot change them. */
export interface RequestClaims {
  actorId: string | undefined;
  actor: string | undefined;
  environment: string | undefined;
  ref: string | undefined;
  eventName: string | undefined;
  runAttempt: string | undefined;
  runId: string | undefined;
  /** `owner/repo`, and its numeric ID: the run's own must be these (a token of another repository is not this run's). */
  repository: string | undefined;
  repositoryId: string | undefined;
}

/** The claims as the token carries them (strings; anything else is as good as absent). */
export function requestClaimsOf(claims: Record<string, unknown>): RequestClaims {
  const text = (key: string) => (typeof claims[key] === 'string' ? (claims[key] as string) : undefined);
  return {
    actorId: text('actor_id'),
    actor: text('actor'),
    environment: text('environment'),
    ref: text('ref'),
    eventName: text('event_name'),
    runAttempt: text('run_attempt'),
    runId: text('run_id'),
    repository: text('repository'),
    repositoryId: text('repository_id'),
  };
}

/** The policy file at the default branch's head. */
export interface PolicyAtHead {
  defaultBranch: string;
  /** The commit the policy was read at. */
  commit: string;
  /** Undefined when the file is not on the default branch. */
  text: string | undefined;
}

/** `GET /repos/{o}/{r}/environments/{name}`, what a request relies on. */
export interface EnvironmentProtection {
  requiredReviewers: boolean;
  preventSelfReview: boolean;
  canAdminsBypass: boolean;
  /** `deployment_branch_policy`: null (every branch), protected branches, or custom policies. */
  branches: 'all' | 'protected' | { custom: { name: string; type: string }[] };
  /** The default branch's `protected` (branch protection or rulesets), read only for 'protected'. */
  defaultBranchProtected: boolean;
  /** For 'protected': the other protected branches, which may deploy too. */
  otherProtectedBranches?: string[];
}

export interface RunApproval {
  state: string;
  environments: string[];
  userId: string;
  login: string;
}

/** The run's environment and approvals, and when it was created. */
export interface RunEvidence {
  /** Undefined: the environment does not exist. */
  environment: EnvironmentProtection | undefined;
  approvals: RunApproval[];
  /** Epoch ms. */
  createdAt: number;
}

/** An access request's decision, as `results` says it of each grant it made: who asked, under what, why, until when. */
export interface GrantRequest {
  /** The requester's label in the policy (`#<id>` without one), and their GitHub account ID. */
  requester: string;
  requesterId: string;
  rule: string;
  justification: string;
  /** Logins of the approvals that count. */
  approvers: string[];
  policy: string;
  policyCommit: string;
  /** When the request's access ends, ISO 8601 UTC (also for a grant found in place, which it relies on until then). */
  expiresAt: string;
}
