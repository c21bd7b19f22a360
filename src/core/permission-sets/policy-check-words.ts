// The words of a reconcile's policy checks (input `policy-checks`), wherever they are shown: a
// line per check under the set's plan block, the `policy-checks` output, and the job summary's
// "What the change allows" table per set (each part, each check, its result and reasons) with the
// cost line (Access Analyzer's calls made: it charges the custom checks; the parts that could not
// be checked). Every text from a policy or an answer is made inert. Pure.
import { escapeHtml } from '../inert.js';
import { printable } from '../inputs/fields.js';
import type { CheckOutcome, PolicyChecksMode, SetChecks } from './policy-checks.js';

const MARK: Record<string, string> = {
  pass: '✓',
  'no new access': '✓',
  'fence-expiry': '✓',
  findings: '!',
  error: '✗',
  fail: '✗',
  'widens access': '✗',
};

/** A check as one line of the set's plan block: `✓ no new access`, `✗ widens access: …`, `? unverified: …`. */
export function checkWords(part: string, outcome: CheckOutcome): string {
  const mark = MARK[outcome.result] ?? '?';
  const what =
    outcome.check === 'no-new-access' || outcome.check === 'unverified' || outcome.check === 'fence-expiry'
      ? outcome.result
      : outcome.result === 'pass'
        ? outcome.check
        : `${outcome.check} ${outcome.result}`;
  const reasons =
    outcome.result === 'not checked'
      ? ''
      : outcome.reasons.length > 0
        ? `: ${outcome.reasons.join('; ')}`
        : '';
  const unchecked = outcome.result === 'not checked' ? ` (${outcome.unchecked ?? '?'})` : '';
  return `${mark} ${printable(part)}: ${what}${unchecked}${reasons}`;
}

/**
 * The `policy-checks` output: per set, per part, each check; the calls made; the checks that could
 * not run. With `off`, `off: true` besides: no set listed and none unchecked would otherwise read
 * as a plan whose every change was proven.
 */
export function policyChecksOutput(sets: readonly SetChecks[], calls: number, mode?: PolicyChecksMode) {
  return {
    sets: sets.map((s) => ({
      name: s.name,
      parts: s.parts.map((p) => ({
        part: p.part,
        checks: p.checks.map((c) => ({ check: c.check, result: c.result, reasons: c.reasons })),
      })),
    })),
    calls,
    unchecked: sets.reduce(
      (n, s) => n + s.parts.reduce((m, p) => m + p.checks.filter((c) => c.unchecked).length, 0),
      0,
    ),
    ...(mode === 'off' ? { off: true } : {}),
  };
}

/** A set's checks as lines of its plan block, under `what it allows:` (none when nothing was checked). */
export function planCheckLines(set: SetChecks | undefined): string[] {
  if (!set || set.parts.length === 0) return [];
  return [
    '    what it allows:',
    ...set.parts.flatMap((p) => p.checks.map((c) => `      ${checkWords(p.part, c)}`)),
  ];
}

export function policyChecksSummaryHtml(sets: readonly SetChecks[], calls: number): string {
  const { unchecked } = policyChecksOutput(sets, calls);
  const cost = `<p>Policy checks: ${calls} Access Analyzer call(s) made (the custom checks are charged)${unchecked > 0 ? `; ⚠️ ${unchecked} check(s) could not run` : ''}.</p>`;
  if (sets.length === 0) return calls > 0 || unchecked > 0 ? cost : '';
  const tables = sets.map((set) => {
    const rows = set.parts.flatMap((part) =>
      part.checks.map(
        (c) =>
          `<tr><td><code>${escapeHtml(part.part)}</code></td><td>${escapeHtml(c.check)}</td><td>${escapeHtml(c.result)}</td><td>${escapeHtml(c.reasons.join('; '))}</td></tr>`,
      ),
    );
    return [
      `<h4>What the change allows: ${escapeHtml(set.name)}</h4>`,
      '<table><tr><th>part</th><th>check</th><th>result</th><th>reasons</th></tr>',
      ...rows,
      '</table>',
    ].join('\n');
  });
  return [...tables, cost].join('\n');
}
