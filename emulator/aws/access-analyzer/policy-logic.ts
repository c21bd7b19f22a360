// What the emulated Access Analyzer proves about an identity policy, by comparing actions and
// resources as globs (`*`, `?`; actions without regard to case): a grant is an Allow statement's
// (action, resource) pair minus what a Deny covers. The real service reasons with an SMT solver
// over conditions too; here an Allow's condition is ignored (it may grant) and a Deny's condition
// makes it deny nothing (it may not apply), so the emulator errs towards "grants", never towards
// "safe". NotAction and NotResource in an Allow grant everything (`*`); in a Deny, nothing.

export interface Statement {
  index: number;
  sid: string | undefined;
  effect: 'Allow' | 'Deny';
  actions: string[];
  resources: string[];
  conditional: boolean;
}

export interface ParsedPolicy {
  version: unknown;
  statements: Statement[];
}

/** Why a document is not a policy at all (ValidatePolicy reports it as an ERROR finding). */
export class PolicyShapeError extends Error {}

const listOf = (value: unknown): string[] | undefined =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value) && value.every((v) => typeof v === 'string')
      ? (value as string[])
      : undefined;

export function parsePolicy(text: string): ParsedPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new PolicyShapeError('The policy is not valid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new PolicyShapeError('The policy must be a JSON object.');
  const { Version, Statement } = doc as Record<string, unknown>;
  const raw = Array.isArray(Statement)
    ? (Statement as unknown[])
    : Statement === undefined
      ? []
      : [Statement];
  if (raw.length === 0) throw new PolicyShapeError('The policy must contain a Statement element.');
  const statements = raw.map((s, index): Statement => {
    if (typeof s !== 'object' || s === null || Array.isArray(s))
      throw new PolicyShapeError(`Statement ${index} must be a JSON object.`);
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny')
      throw new PolicyShapeError(`Statement ${index}: Effect must be Allow or Deny.`);
    const actions = listOf(st.Action);
    const resources = listOf(st.Resource);
    const notAction = st.NotAction !== undefined;
    const notResource = st.NotResource !== undefined;
    if (!actions && !notAction)
      throw new PolicyShapeError(`Statement ${index} must contain Action or NotAction.`);
    if (!resources && !notResource)
      throw new PolicyShapeError(`Statement ${index} must contain Resource or NotResource.`);
    const allow = st.Effect === 'Allow';
    return {
      index,
      sid: typeof st.Sid === 'string' ? st.Sid : undefined,
      effect: st.Effect,
      actions: notAction ? (allow ? ['*'] : []) : actions!,
      resources: notResource ? (allow ? ['*'] : []) : resources!,
      conditional: st.Condition !== undefined,
    };
  });
  return { version: Version, statements };
}

const escape = (s: string) => s.replace(/[.+^${}()|[\]\\]/g, '\\$&');

/** Whether some string matches both globs. */
export function globsMeet(a: string, b: string, caseless: boolean): boolean {
  const x = caseless ? a.toLowerCase() : a;
  const y = caseless ? b.toLowerCase() : b;
  const memo = new Map<string, boolean>();
  const meet = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === x.length && j === y.length) result = true;
    else if (x[i] === '*') result = meet(i + 1, j) || (j < y.length && meet(i, j + 1));
    else if (y[j] === '*') result = meet(i, j + 1) || (i < x.length && meet(i + 1, j));
    else if (i === x.length || j === y.length) result = false;
    else result = (x[i] === y[j] || x[i] === '?' || y[j] === '?') && meet(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return meet(0, 0);
}

/** Whether every string `inner` matches also matches `outer` (exact for what policies write). */
export function globCovers(outer: string, inner: string, caseless: boolean): boolean {
  const o = caseless ? outer.toLowerCase() : outer;
  const i = caseless ? inner.toLowerCase() : inner;
  if (!/[*?]/.test(i)) return new RegExp(`^${escape(o).replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(i);
  if (o === i) return true;
  const star = o.indexOf('*');
  return star === o.length - 1 && !o.slice(0, star).includes('?') && i.startsWith(o.slice(0, star));
}

/** Deny statements that deny for sure (no condition). */
const denies = (p: ParsedPolicy) => p.statements.filter((s) => s.effect === 'Deny' && !s.conditional);

function deniedBy(p: ParsedPolicy, action: string, resource: string): boolean {
  return denies(p).some(
    (d) =>
      d.actions.some((a) => globCovers(a, action, true)) &&
      d.resources.some((r) => globCovers(r, resource, false)),
  );
}

/**
 * The Allow statements of `policy` that grant one of `actions` on one of `resources` (empty lists:
 * any), less what its Deny statements cover.
 */
export function grantingStatements(
  policy: ParsedPolicy,
  actions: string[],
  resources: string[],
): Statement[] {
  const wanted = actions.length > 0 ? actions : ['*'];
  const on = resources.length > 0 ? resources : ['*'];
  return policy.statements.filter(
    (s) =>
      s.effect === 'Allow' &&
      wanted.some((q) =>
        s.actions.some(
          (a) =>
            globsMeet(a, q, true) &&
            on.some((r) =>
              s.resources.some((sr) => {
                if (!globsMeet(sr, r, false)) return false;
                // What the Allow grants of the pair asked: the narrower of each.
                const action = globCovers(q, a, true) ? a : q;
                const resource = globCovers(r, sr, false) ? sr : r;
                return !deniedBy(policy, action, resource);
              }),
            ),
        ),
      ),
  );
}

/** Whether `existing` grants all of (action, resource), Allow minus Deny. */
function grantedBy(existing: ParsedPolicy, action: string, resource: string): boolean {
  if (deniedBy(existing, action, resource)) return false;
  return existing.statements.some(
    (s) =>
      s.effect === 'Allow' &&
      s.actions.some((a) => globCovers(a, action, true)) &&
      s.resources.some((r) => globCovers(r, resource, false)),
  );
}

/** Whether a Deny of `existing` (with a condition or not) that meets (a, r) is not in `next`. */
function liftedDeny(next: ParsedPolicy, existing: ParsedPolicy, action: string, resource: string): boolean {
  return existing.statements.some(
    (d) =>
      d.effect === 'Deny' &&
      d.actions.some((da) => globsMeet(da, action, true)) &&
      d.resources.some((dr) => globsMeet(dr, resource, false)) &&
      !d.actions.every((da) => d.resources.every((dr) => deniedBy(next, da, dr))),
  );
}

/** The statements of `next` that grant what `existing` does not (CheckNoNewAccess's FAIL reasons). */
export function widening(next: ParsedPolicy, existing: ParsedPolicy): Statement[] {
  return next.statements.filter(
    (s) =>
      s.effect === 'Allow' &&
      s.actions.some((a) =>
        s.resources.some(
          (r) => !deniedBy(next, a, r) && (!grantedBy(existing, a, r) || liftedDeny(next, existing, a, r)),
        ),
      ),
  );
}
