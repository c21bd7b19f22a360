// Whether an IAM trust policy lets a GitHub OIDC token assume its role, as IAM evaluates the
// condition operators a trust policy for web identities uses (IAM User Guide, "IAM JSON policy
// elements: Condition operators"): every operator of a statement must hold, and within one, every
// key; a key with several values holds when any of them matches. StringLike matches `*` to any
// run of characters and `?` to one. An operator this file does not know fails the test rather than
// pass it.

export interface TrustStatement {
  Effect: string;
  Principal?: { Federated?: string | string[] };
  Action: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface TrustPolicy {
  Version?: string;
  Statement: TrustStatement[];
}

/** The claims of a token, by their condition keys (`token.actions.githubusercontent.com:sub`). */
export type Claims = Record<string, string>;

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function likePattern(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 's');
}

function holds(operator: string, actual: string | undefined, values: string[]): boolean {
  if (actual === undefined) return false;
  switch (operator) {
    case 'StringEquals':
      return values.includes(actual);
    case 'StringLike':
      return values.some((pattern) => likePattern(pattern).test(actual));
    default:
      throw new Error(`condition operator ${operator}: not evaluated here`);
  }
}

/** Whether `policy` lets a token with `claims`, from `provider`, assume the role. */
export function allows(policy: TrustPolicy, provider: string, claims: Claims): boolean {
  const matching = policy.Statement.filter(
    (s) =>
      asList(s.Action).includes('sts:AssumeRoleWithWebIdentity') &&
      asList(s.Principal?.Federated).includes(provider) &&
      Object.entries(s.Condition ?? {}).every(([operator, keys]) =>
        Object.entries(keys).every(([key, values]) => holds(operator, claims[key], asList(values))),
      ),
  );
  if (matching.some((s) => s.Effect === 'Deny')) return false;
  return matching.some((s) => s.Effect === 'Allow');
}

/**
 * The claims of GitHub's token for a subject and audience, as condition keys; with `workflow`
 * (`owner/repo/.github/workflows/file.yml@ref`, the job's workflow file at the ref it ran from) also
 * `job_workflow_ref`, which STS tests directly.
 */
export const githubClaims = (sub: string, aud = 'sts.amazonaws.com', workflow?: string): Claims => ({
  'token.actions.githubusercontent.com:sub': sub,
  'token.actions.githubusercontent.com:aud': aud,
  ...(workflow === undefined ? {} : { 'token.actions.githubusercontent.com:job_workflow_ref': workflow }),
});
