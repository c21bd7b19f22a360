// What the job summary says of a reconcile's policy checks (input `policy-checks`): a "What the
// change allows" table per set (each part, each check, its result and reasons) and the cost line
// (Access Analyzer's calls made: it charges the custom checks; the parts that could not be
// checked). Every text from a policy or an answer is escaped. Pure.
import { escapeHtml } from '../inert.js';
import { policyChecksOutput, type SetChecks } from './policy-checks.js';

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
