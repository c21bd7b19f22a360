// `operation: review`'s inputs: what is read (the report's scope inputs: `target`, `role`,
// `manifest`, `created-by`, `lookback`, `snapshot`…, parsed as a report parses them), the
// campaign's name (default `<yyyy>-Q<n>` of the run's date), `last-used` (who last used each row,
// as the report reads it; its window is the reviewers file's `unused-after`), the reviewers file's path (read at
// the default branch's head, never the workspace's copy) and the token its GitHub reads and
// writes use. Every problem is said before any network call. Pure.
import { githubToken } from './claim-inputs.js';
import type { ReportRequest, ReviewInputs } from './config.js';
import { printable, repositoryPathInput, type InputReader, type Problems } from './fields.js';
import type { ListInputs } from './grants.js';
import { parseReportInputs } from './report-inputs.js';
import { DEFAULT_POLICY } from './request-inputs.js';

export const DEFAULT_REVIEWERS = '.github/access-reviewers.yml';
/** A campaign's name: written into issue titles, hidden markers and a branch name. */
export const CAMPAIGN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** A report's inputs a review does not read: its rows are the grants, a group one row. */
const REPORT_ONLY = ['expand-groups', 'compare-to', 'prune'];

/** The campaign a run names by default: its year and quarter, `2026-Q4`. */
export const campaignOf = (now: number): string => {
  const date = new Date(now);
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
};

export function parseReviewInputs(
  problems: Problems,
  read: InputReader,
  lists: ListInputs,
  cloud: 'aws' | 'azure' | undefined,
): { report: ReportRequest; review: ReviewInputs } {
  // The report's own words for the scope; the inputs a review reads otherwise are hidden from it.
  const reportRead = (input: string) =>
    REPORT_ONLY.includes(input) || input === 'github-token' || input === 'unused-after' ? '' : read(input);
  // A group is one row with its member count and first members: its members are read as
  // `expand-groups` reads them (the review's own rows leave the member rows out).
  const report = { ...parseReportInputs(problems, reportRead, lists, cloud), expandGroups: true };
  for (const input of REPORT_ONLY) {
    const value = read(input).trim().toLowerCase();
    if (value !== '' && value !== 'false')
      problems.add(input, 'is read by `operation: report` only, not `review`', `remove \`${input}\``);
  }
  if (read('unused-after').trim() !== '')
    problems.add(
      'unused-after',
      'is read by `operation: report` only: a review reads its window from the reviewers file',
      'remove `unused-after`, and write `unused-after` under `default-decision: revoke-unused` in the reviewers file',
    );
  const campaignText = read('campaign').trim();
  if (campaignText !== '' && !CAMPAIGN_NAME.test(campaignText))
    problems.add(
      'campaign',
      `\`${printable(campaignText)}\` is not a campaign name (letters, digits, \`.\`, \`_\`, \`-\`; at most 64)`,
      'write e.g. `2026-Q4`, or leave it unset for the run’s quarter',
    );
  const startText = read('campaign-start').trim();
  const start = startText === '' ? undefined : startOf(startText);
  if (typeof start === 'string')
    problems.add('campaign-start', start, 'or leave it unset (a quarter’s campaign starts at its first run)');
  const reviewers = repositoryPathInput(problems, read, 'reviewers', DEFAULT_REVIEWERS);
  const policy = repositoryPathInput(problems, read, 'policy', DEFAULT_POLICY);
  const token = githubToken(problems, read, {
    problem:
      'is empty: a review reads its reviewers file and writes its campaign issues through the GitHub REST API',
    fix: "leave `github-token` unset (the job's `github.token`) and give the job `permissions: contents: read, issues: write`",
  });
  return {
    report: { ...report, githubToken: token },
    review: {
      campaign: campaignText === '' ? undefined : campaignText,
      campaignStart: typeof start === 'object' ? start.iso : undefined,
      reviewers,
      policy,
      githubToken: token,
    },
  };
}

/** A start as written: a date (its midnight, UTC) or a time in UTC; ISO 8601, or why not. */
export function startOf(text: string): { iso: string } | string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/.test(text);
  const ms = Date.parse(date ? `${text}T00:00:00Z` : text);
  if ((!date && !time) || Number.isNaN(ms))
    return `\`${printable(text)}\` is not a date: write \`2026-12-01\` (midnight UTC) or \`2026-12-01T09:00Z\``;
  return { iso: new Date(ms).toISOString() };
}
