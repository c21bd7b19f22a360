// How a review's run ends: a line per campaign issue (opened, updated, unchanged, or what a run
// that only plans would do), the ignored commands, the outputs (`review`: the record's path) and
// the job summary's counts. Server text (titles, logins, commands) is inert wherever it is shown.
// Pure.
import { escapeHtml } from '../../core/inert.js';
import { htmlTable } from '../../core/output/html-table.js';
import { runHeaderHtml, type RunHeader } from '../../core/output/run-header.js';
import type { StepReport } from '../../core/output/step.js';
import type { IssueWritten } from './campaign-github.js';
import type { CampaignPlan } from './issues-plan.js';
import type { IssuePlan } from './issue-plan.js';
import { notCarriedOut, reviewCounts, type IssueRecord } from './record.js';
import type { Outcome } from './model/outcomes.js';

export interface ReviewEnding {
  header: RunHeader;
  campaign: string;
  plan: CampaignPlan;
  written: readonly IssueWritten[];
  records: readonly IssueRecord[];
  /** The `review` JSON's path. */
  path: string;
  /** A dry run or a `pull_request` run: nothing was written to GitHub. */
  plansOnly: boolean;
  /** Issues this run closed at the due date. */
  closed: number;
  /** Issues due this run kept open: a row not carried out. */
  keptOpen?: number;
  /** Requests sent to GitHub. */
  requests: number;
}

export function reviewEnding(ending: ReviewEnding): StepReport {
  const { plan, records, plansOnly } = ending;
  const counts = reviewCounts(records);
  const keptOpen = ending.keptOpen ?? 0;
  const changed = ending.written.some((w) => w.writes > 0) || ending.closed > 0 || keptOpen > 0;
  const failed = notCarried(records);
  const issueRows = issueSummaryRows(ending);
  const lines = [
    ...(plan.closed
      ? [
          `review: campaign ${ending.campaign} is closed (its issues are closed, with nothing left to carry out): nothing changed`,
        ]
      : plan.issues.map((issue, i) => issueLine(issue, records[i]!, plansOnly))),
    ...ending.written.flatMap((w) => (w.reopened ? [`review: reopened #${w.number}: ${w.reopened}`] : [])),
    ...records.flatMap((r) =>
      r.ignored.map(
        (c) =>
          `review: ignored on #${r.issue ?? '?'}: ${c.login ?? 'unknown'}: ${c.command}: ${c.why} (${c.url})`,
      ),
    ),
    `review: campaign ${ending.campaign}: ${counts.issues} issue(s), ${counts.rows} row(s), ${counts.decided} decided${plan.startedAt ? `; started ${plan.startedAt}, due ${plan.dueAt}` : ''}`,
    ...(ending.closed + keptOpen > 0
      ? [
          `review: at the due date: ${counts.revoked} revoked, ${counts.removedByPullRequest} to remove by pull request, ${counts.leftClaimed} left (claimed), ${counts.kept} kept; ${counts.failed} failed, ${counts.leftByHand} left for removal by hand; ${ending.closed} issue(s) closed, ${keptOpen} kept open`,
        ]
      : []),
    ...(plansOnly ? plan.issues.flatMap(wouldDo) : []),
    `GitHub: ${ending.requests} request(s)`,
    `review record: ${ending.path}`,
  ];
  const totals = [
    ['rows', counts.rows],
    ['issues', counts.issues],
    ['decided', counts.decided],
    ['kept', counts.kept],
    ['revoked', counts.revoked],
    ['removed by pull request', counts.removedByPullRequest],
    ['left (claimed)', counts.leftClaimed],
    ['failed', counts.failed],
    ['left for removal by hand', counts.leftByHand],
  ]
    .map(([what, n]) => `${n} ${String(what)}`)
    .join(', ');
  const waiting = plan.due && !plan.closed && ending.closed + keptOpen === 0;
  return {
    lines,
    ...(waiting
      ? {
          annotations: [
            {
              level: 'notice' as const,
              message: `review: campaign ${ending.campaign} is due since ${plan.dueAt}: ${plansOnly ? 'this run only plans' : 'only a `schedule` or `workflow_dispatch` run acts at the due date'}; nothing was revoked and its issues stay open`,
            },
          ],
        }
      : {}),
    ...(failed.length > 0
      ? {
          failed: `review: ${failed.length} row(s) decided \`revoke\` were not carried out, and their issues stay open: ${failed.join('; ')}. The next \`schedule\` or \`workflow_dispatch\` run retries them and closes each issue when nothing is left`,
        }
      : {}),
    outputs: [
      ['status', failed.length > 0 ? 'FAILED' : 'SUCCEEDED'],
      ['changed', String(changed)],
      ['review', ending.path],
    ],
    summaryHtml: [
      runHeaderHtml({ ...ending.header, title: `${ending.header.title}: campaign ${ending.campaign}` }),
      plansOnly ? '<p>Planned only: nothing was written to GitHub.</p>' : '',
      plan.closed ? '<p>The campaign is closed: nothing changed.</p>' : '',
      htmlTable(ISSUE_COLUMNS, issueRows),
      `<p>${escapeHtml(totals)}.</p>`,
      '',
    ].join('\n'),
  };
}

const ISSUE_COLUMNS = ['issue', 'reviewers', 'due', 'decided', 'failed or left'];

/**
 * The job summary's row of each campaign issue: a link to it with its title, its reviewers, the
 * campaign's due date, how many of its rows are decided, and at the due date how many rows were
 * not carried out (failed, or left for removal by hand). Cells are HTML; server text is escaped.
 */
export function issueSummaryRows(
  ending: Pick<ReviewEnding, 'header' | 'plan' | 'records' | 'plansOnly'>,
): string[][] {
  const { plan, records } = ending;
  const run = ending.header.run;
  const base = run?.serverUrl && run.repository ? `${run.serverUrl}/${run.repository}/issues/` : undefined;
  return records.map((record, i) => {
    const title = plan.issues[i]?.write?.title;
    const number = record.issue ?? plan.issues[i]?.number;
    const named = number === undefined || number === null ? null : `#${number}`;
    const link =
      named === null
        ? ending.plansOnly
          ? 'would open'
          : 'not opened'
        : base
          ? `<a href="${escapeHtml(`${base}${number}`)}">${named}</a>`
          : named;
    const decided = record.rows.filter((r) => r.decisions.length > 0).length;
    const notDone = (record.outcomes ?? []).filter((o) => notCarriedOut(record, o) !== undefined).length;
    return [
      `${link}${title ? ` ${escapeHtml(title)}` : ''}`,
      escapeHtml(record.reviewers.join(', ') || '—'),
      escapeHtml(plan.dueAt ?? 'when the campaign starts'),
      `${decided} of ${record.rows.length}`,
      record.outcomes === null ? '—' : String(notDone),
    ];
  });
}

/** What a run that acts would do at the due date with an issue, said by a run that only plans. */
function wouldDo(issue: IssuePlan): string[] {
  if (!issue.outcomes) return [];
  const ids = (outcome: Outcome) => issue.outcomes!.filter((o) => o.outcome === outcome).map((o) => o.rowId);
  const parts = (
    [
      ['revoke', ids('revoke')],
      ['remove by pull request', ids('pull-request')],
      ['leave (claimed)', ids('claimed')],
      ['keep', [...ids('kept'), ...ids('kept-by-default')]],
    ] as const
  ).filter(([, rows]) => rows.length > 0);
  const said = parts.map(([what, rows]) => `${what} ${rows.join(', ')}`).join('; ');
  return [
    `review: at the due date a \`schedule\` run would, on #${issue.number}: ${said || 'nothing'}, then close it`,
  ];
}

/** The rows not carried out at the due date: a revoke that failed, a manifest's row left for removal by hand; each with why. */
const notCarried = (records: readonly IssueRecord[]): string[] =>
  records.flatMap((r) =>
    (r.outcomes ?? []).flatMap((o) => {
      const not = notCarriedOut(r, o);
      if (!not) return [];
      const why = o.result?.detail ?? (not === 'left' ? 'no pull request was opened' : 'not run');
      return [
        `\`${o.rowId}\` on #${r.issue} ${not === 'failed' ? 'failed' : 'left for removal by hand'}: ${why}`,
      ];
    }),
  );

function issueLine(issue: IssuePlan, record: IssueRecord, plansOnly: boolean): string {
  const title = issue.write?.title ?? `issue #${issue.number}`;
  const what =
    issue.number === undefined
      ? plansOnly
        ? 'would open'
        : `opened #${record.issue}`
      : issue.closed
        ? `#${issue.number} is closed: unchanged`
        : issue.write || issue.comments.length > 0
          ? `${plansOnly ? 'would update' : 'updated'} #${issue.number}`
          : `#${issue.number} unchanged`;
  return `review: ${what}: ${title} (${issue.group.rows.length} row(s), ${record.rows.filter((r) => r.decisions.length > 0).length} decided)`;
}
