// An issue whose rows all moved to other reviewer sets' issues (the reviewers file changed
// mid-campaign; model/moved-rows.ts): closed with a comment linking the issues they moved to,
// after its audit record (`review-close`, as an issue closed at its due date has). Its rows'
// decisions made here that were carried are in the record, each with its comment's address.
import { movedComment } from './model/moved-rows.js';
import type { AuditTrail } from '../../engine/audit/trail.js';
import type { ReviewApi } from '../../github/review-api.js';
import type { StepRunner } from '../runner.js';
import { closeIssue, issueNumbers, type IssueWritten } from './campaign-github.js';
import { reviewCloseRecord, type DueDateContext } from './due-date.js';
import type { CampaignPlan, EmptiedIssue } from './issues-plan.js';
import type { IssueRecord } from './record.js';

export interface MovedCloseContext {
  campaign: string;
  cloud: 'aws' | 'azure';
  api: ReviewApi;
  /** `audit-log`'s trail, opened only when an issue is to close; undefined without `audit-log`. */
  audit(): Promise<AuditTrail | undefined>;
  effects: StepRunner['effects'];
  now: () => number;
}

/**
 * The issues whose rows all moved to other reviewer sets' issues, closed (./moved-close.ts) on a run
 * that writes; a run that only plans says it would close them. Their records.
 */
export async function closeMovedIssues(
  plan: CampaignPlan,
  written: readonly IssueWritten[],
  at: DueDateContext & { writes: boolean; plansOnly: boolean },
): Promise<IssueRecord[]> {
  if (at.plansOnly)
    for (const e of plan.emptied ?? [])
      at.effects.info(`review: would close #${e.number}: its rows moved to other reviewers' issues`);
  if (!at.writes) return [];
  return closeEmptied(plan, issueNumbers(plan, written), {
    ...at,
    cloud: at.config.cloud,
    audit: async () =>
      at.config.auditLog ? (await at.openGrants(new AbortController().signal)).audit : undefined,
  });
}

/** Closes each emptied issue; the record of each, as closed. `numbers`: each reviewer set's issue. */
export async function closeEmptied(
  plan: CampaignPlan,
  numbers: ReadonlyMap<string, number>,
  context: MovedCloseContext,
): Promise<IssueRecord[]> {
  const records: IssueRecord[] = [];
  for (const emptied of plan.emptied ?? []) {
    const moves = emptied.moves.flatMap((m) => {
      const issue = numbers.get(m.toKey);
      return issue === undefined ? [] : [{ rowId: m.rowId, issue }];
    });
    // Every row's new issue must exist before this one closes: otherwise its rows would be nowhere.
    if (moves.length < emptied.moves.length) continue;
    const audit = await context.audit();
    let record = movedRecord(plan, emptied, moves, context, null, null);
    await closeIssue(context.api, emptied.number, [movedComment(context.campaign, moves)], async (url) => {
      record = movedRecord(plan, emptied, moves, context, url, new Date(context.now()).toISOString());
      if (!audit) return;
      audit.recordChange(
        `close of campaign issue #${emptied.number}`,
        reviewCloseRecord(context.cloud, record),
      );
      await audit.settled();
    });
    const to = [...new Set(moves.map((m) => `#${m.issue}`))].join(', ');
    context.effects.info(
      `review: closed #${emptied.number}: its ${moves.length} row(s) moved to ${to} (the reviewers file changed)`,
    );
    records.push(record);
  }
  return records;
}

function movedRecord(
  plan: CampaignPlan,
  emptied: EmptiedIssue,
  moves: readonly { rowId: string; issue: number }[],
  context: Pick<MovedCloseContext, 'campaign' | 'cloud'>,
  commentUrl: string | null,
  closedAt: string | null,
): IssueRecord {
  const here = new Set(emptied.commentUrls);
  const decisionsOf = (rowId: string, key: string) =>
    (plan.issues.find((i) => i.group.key === key)?.decisions.byRow.get(rowId) ?? []).filter((d) =>
      here.has(d.url),
    );
  return {
    campaign: context.campaign,
    cloud: context.cloud,
    key: emptied.marker.key,
    issue: emptied.number,
    // The set the file no longer makes, as the issue's marker names it: no account ID is taken from a marker.
    reviewers: [...emptied.marker.reviewers.map((r) => r.login), ...emptied.marker.teams],
    rows: [],
    ignored: [],
    outcomes: null,
    pullRequest: null,
    closingComment: commentUrl,
    closedAt,
    movedTo: moves.map((m) => ({
      ...m,
      decisions: decisionsOf(m.rowId, emptied.moves.find((x) => x.rowId === m.rowId)!.toKey),
    })),
  };
}
