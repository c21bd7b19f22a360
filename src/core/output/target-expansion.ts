// The words the log and the job summary show an expansion of OU, root and path targets in: per
// target, its accounts, folded when many, and what was left out and why. Pure.
import { escapeHtml } from '../inert.js';
import { describeExcluded, type TargetExpansion } from '../inputs/org-expansion.js';

/** Accounts listed in full up to this many; beyond it the list is folded. */
export const LISTED_EXPANDED_ACCOUNTS = 25;

/** One line per OU, root or path target: how many accounts, which, and which were left out. */
export function expansionLines(expansion: TargetExpansion): string[] {
  return expansion.expansions.map((e) => {
    const head = `${e.target}${e.target === e.id ? (e.name ? ` (${e.name})` : '') : ` (${e.id})`}: ${e.accounts.length} account${e.accounts.length === 1 ? '' : 's'}`;
    const listed = e.accounts.slice(0, LISTED_EXPANDED_ACCOUNTS).join(', ');
    const more = e.accounts.length - LISTED_EXPANDED_ACCOUNTS;
    const accounts =
      e.accounts.length === 0
        ? ' (an empty OU: nothing is granted through it)'
        : `: ${listed}${more > 0 ? ` … and ${more} more` : ''}`;
    const left = e.excluded.length > 0 ? `; left out: ${e.excluded.map(describeExcluded).join('; ')}` : '';
    return `${head}${accounts}${left}`;
  });
}

/**
 * The job summary's account of the expansion (HTML, every name escaped: OU and account names are
 * the organization's text): per target, the count, then the accounts, folded under a
 * `<details>` when there are more than LISTED_EXPANDED_ACCOUNTS; then what was left out and why.
 */
export function expansionSummaryHtml(expansion: TargetExpansion, dryRun: boolean): string {
  const items = expansion.expansions.map((e) => {
    const head = escapeHtml(
      `${e.target}${e.target === e.id ? (e.name ? ` (${e.name})` : '') : ` (${e.id})`}: ${e.accounts.length} account${e.accounts.length === 1 ? '' : 's'}`,
    );
    const list = escapeHtml(e.accounts.join(', '));
    const body =
      e.accounts.length === 0
        ? ' (no ACTIVE account under it)'
        : e.accounts.length > LISTED_EXPANDED_ACCOUNTS
          ? `<details><summary>the ${e.accounts.length} accounts</summary>${list}</details>`
          : `: ${list}`;
    const left =
      e.excluded.length > 0 ? `; left out: ${escapeHtml(e.excluded.map(describeExcluded).join('; '))}` : '';
    return `<li>${head}${body}${left}</li>`;
  });
  const total = `${expansion.accounts.length} account${expansion.accounts.length === 1 ? '' : 's'} ${dryRun ? 'would be' : 'were'} used in all, each once; accounts not ACTIVE are left out`;
  return `<p>Targets expanded with AWS Organizations (${escapeHtml(total)}):</p><ul>${items.join('')}</ul>`;
}
