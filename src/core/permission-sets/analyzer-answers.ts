// What each Access Analyzer answer means for a part of a permission-set change, as the plan shows
// it (./policy-checks.ts says which part needs which check): CheckNoNewAccess's and the ceiling's
// answers quoting each statement and the actions it allows, ValidatePolicy's findings, and a check
// that could not run or was not needed. Server text is made printable before it is shown. Pure.
import { printable } from '../inputs/fields.js';
import { globsMeet, type EscalationAllowance } from './ceiling.js';
import type { PolicyPathElement } from './policy-lines.js';

import type { PolicyChecksMode, CheckName, CheckOutcome } from './policy-checks.js';

interface Statement {
  Sid?: unknown;
  Action?: unknown;
  NotAction?: unknown;
}

/** The document's statements, by AWS's 0-based index (a document that is not JSON has none). */
function statementsOf(document: string): Statement[] {
  try {
    const parsed = JSON.parse(document) as { Statement?: unknown };
    const s = parsed.Statement;
    return (Array.isArray(s) ? s : [s]).filter((x): x is Statement => typeof x === 'object' && x !== null);
  } catch {
    return [];
  }
}

const actionsOf = (s: Statement | undefined): string[] => {
  const a = s?.Action ?? (s?.NotAction !== undefined ? '*' : undefined);
  return (typeof a === 'string' ? [a] : Array.isArray(a) ? a : []).filter(
    (x): x is string => typeof x === 'string',
  );
};

/** How a statement is named: its index and, when it has one, its Sid (made printable: a document's text is never trusted). */
export function statementName(reason: { statementIndex?: number; statementId?: string }): string {
  const index = reason.statementIndex ?? '?';
  const sid = reason.statementId;
  return `statement ${index}${sid ? ` (Sid ${printable(sid.slice(0, 128))})` : ''}`;
}

const shown = (actions: string[]) =>
  actions.length > 5
    ? `${actions.slice(0, 5).map(printable).join(', ')}, …`
    : actions.map(printable).join(', ');

interface Reason {
  statementIndex?: number;
  statementId?: string;
}

/** CheckNoNewAccess's answer: `no new access`, or `widens access` quoting each statement and what it allows. */
export function noNewAccessOutcome(
  answer: { result?: string; reasons?: Reason[] },
  next: string,
): CheckOutcome {
  if (answer.result === 'PASS') return { check: 'no-new-access', result: 'no new access', reasons: [] };
  const statements = statementsOf(next);
  const reasons = (answer.reasons ?? []).map((r) => {
    const actions = actionsOf(statements[r.statementIndex ?? -1]);
    return `${statementName(r)} allows ${actions.length > 0 ? shown(actions) : 'more than before'}`;
  });
  return {
    check: 'no-new-access',
    result: 'widens access',
    reasons: reasons.length > 0 ? reasons : ['new access'],
  };
}

/**
 * The ceiling's answers for one part: each FAIL names the statement and the ceiling's actions it
 * meets (globs compared here only to name them: the proof is the service's), and is an error at the
 * part's line; `allowed`: what `allow-escalation` took out of the ceiling, shown with its reason.
 */
export function ceilingOutcome(
  answers: { asked: string[]; result?: string; reasons?: Reason[] }[],
  document: string,
  part: string,
  allowed: readonly { action: string; reason: string }[],
): CheckOutcome {
  const statements = statementsOf(document);
  const failures = answers.flatMap((a) =>
    a.result === 'FAIL'
      ? (a.reasons?.length ? a.reasons : [{}]).map((r) => {
          const own = actionsOf(statements[r.statementIndex ?? -1]);
          const met = a.asked.filter((asked) => own.some((o) => globsMeet(o, asked)));
          return `${statementName(r)} allows ${shown(met.length > 0 ? met : a.asked)}`;
        })
      : [],
  );
  const allowances = [...new Set(allowed.map((a) => `${a.action} (${printable(a.reason)})`))];
  const allowedNote = allowances.length > 0 ? [`allow-escalation: ${allowances.join(', ')}`] : [];
  if (failures.length === 0) return { check: 'must-not-grant', result: 'pass', reasons: allowedNote };
  return {
    check: 'must-not-grant',
    result: 'fail',
    reasons: failures,
    error: {
      message: `\`${printable(part)}\` allows what \`must-not-grant\` forbids: ${failures.join('; ')}`,
      fix: 'take the action out of the policy, or list it under the set’s `allow-escalation` with a reason',
    },
  };
}

/**
 * ValidatePolicy's findings: ERROR and SECURITY_WARNING stop the plan at the part's line (unless
 * `allow-escalation` names the finding's issue code); WARNING and SUGGESTION are listed.
 */
export function validateOutcome(
  findings: {
    findingType?: string;
    issueCode?: string;
    findingDetails?: string;
    locations?: { path?: PolicyPathElement[] }[];
  }[],
  part: string,
  allowances: readonly EscalationAllowance[],
): CheckOutcome {
  if (findings.length === 0) return { check: 'validate', result: 'pass', reasons: [] };
  const words = (f: (typeof findings)[number]) =>
    `${printable(f.findingType ?? '?')} ${printable(f.issueCode ?? '?')}: ${printable((f.findingDetails ?? '').slice(0, 300))}`;
  const stopping = findings.filter(
    (f) =>
      (f.findingType === 'ERROR' || f.findingType === 'SECURITY_WARNING') &&
      !allowances.some((a) => a.actions.includes(f.issueCode ?? '')),
  );
  const reasons = findings.map((f) => {
    const allowance = allowances.find((a) => a.actions.includes(f.issueCode ?? ''));
    return allowance ? `${words(f)} (allow-escalation: ${printable(allowance.reason)})` : words(f);
  });
  if (stopping.length === 0) return { check: 'validate', result: 'findings', reasons };
  return {
    check: 'validate',
    result: 'error',
    reasons,
    error: {
      message: `\`${printable(part)}\`: ValidatePolicy finds ${stopping.map(words).join('; ')}`,
      fix: 'fix the policy; a SECURITY_WARNING the set accepts is listed under `allow-escalation` by its issue code',
      ...(stopping[0]?.locations?.[0]?.path ? { at: stopping[0].locations[0].path } : {}),
    },
  };
}

/** A check that could not run: `not checked (<permission>)`; with `required`, an error naming the permission. */
export function uncheckedOutcome(
  check: CheckName,
  permission: string,
  mode: PolicyChecksMode,
  part: string,
): CheckOutcome {
  return {
    check,
    result: 'not checked',
    reasons: [permission],
    unchecked: permission,
    ...(mode === 'required'
      ? {
          error: {
            message: `\`${printable(part)}\` could not be checked (${permission}), and \`policy-checks\` is \`required\``,
            // A permission the role lacks is named as such; any other why (an answer that was no
            // answer, a service error) is no permission to grant.
            fix:
              permission === 'throttled'
                ? 'run again later, or give the step a longer `timeout-seconds`'
                : /^[\w-]+:\w+$/.test(permission)
                  ? `grant the reconcile role \`${permission}\` (docs/access-as-code.md), or set \`policy-checks: on\``
                  : 'run again once Access Analyzer answers, or set `policy-checks: on`',
          },
        }
      : {}),
  };
}

export const unverifiedOutcome = (): CheckOutcome => ({
  check: 'unverified',
  result: 'unverified',
  reasons: ['resolves in each account'],
});

export const fenceExpiryOutcome = (): CheckOutcome => ({
  check: 'fence-expiry',
  result: 'fence-expiry',
  reasons: ['an expired session fence taken out: nothing is checked'],
});

/**
 * A document over Access Analyzer's size: an error for the manifest's own; `skipped (size)` for an
 * AWS-managed one, a check that could not run (counted so; with `required`, an error).
 */
export function oversizeOutcome(part: string, own: boolean, mode?: PolicyChecksMode): CheckOutcome {
  const error = {
    message: `\`${printable(part)}\` is over 32,768 characters without whitespace: Access Analyzer cannot check it`,
  };
  const reasons = ['over 32,768 characters without whitespace'];
  return own
    ? { check: 'validate', result: 'error', reasons, error }
    : {
        check: 'must-not-grant',
        result: 'skipped (size)',
        reasons,
        unchecked: 'size',
        ...(mode === 'required'
          ? { error: { ...error, fix: 'set `policy-checks: on` to attach it unchecked' } }
          : {}),
      };
}
