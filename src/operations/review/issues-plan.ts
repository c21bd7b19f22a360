// A review's plan of its campaign issues: for each reviewer set, the issue its marker names (one
// per campaign, cloud and set: a re-run updates it, never opens a second), planned as one issue
// (./issue-plan.ts); the issues of sets the file no longer makes whose rows all moved, to close;
// whether the campaign is over. Any issue with the label and the
// campaign's marker is the campaign's, whoever opened it (every workflow with `issues: write` posts
// as the same bot): the oldest of a marker is its issue, a later one is named in a warning and its
// tables are not read; reviewers' comments on either decide. When the campaign started is given
// (./campaign-start.ts): nothing an issue holds moves it. Pure.
import type { IssueComment } from '../../github/review-issues.js';
import type { MovedFrom } from './model/moved-rows.js';
import { readMarker, sameIssue, type Marker } from './model/marker.js';
import { dueAt, isDue } from './model/outcomes.js';
import { isBot, planIssue, tableOf, type IssuePlan, type IssueRead, type PlanInput } from './issue-plan.js';

export interface CampaignPlan {
  startedAt: string | null;
  dueAt: string | null;
  due: boolean;
  /** Every issue of the campaign is closed (at its due date): a run changes nothing. */
  closed: boolean;
  issues: IssuePlan[];
  /** Later issues with the marker of an issue of the plan: named in a warning, their tables not read. */
  duplicates?: DuplicateIssue[];
  /**
   * Open issues of reviewer sets the reviewers file no longer makes, whose rows another set reviews
   * now: closed with a comment linking the issues the rows moved to.
   */
  emptied?: EmptiedIssue[];
  /** Issues with the campaign's marker closed before it started: none of its own, named in a warning. */
  planted?: (Omit<DuplicateIssue, 'of'> & { closedAt: string })[];
}

export interface EmptiedIssue {
  number: number;
  marker: Marker;
  /** Each row it listed that another set reviews now, and that set's key. */
  moves: { rowId: string; toKey: string }[];
  /** Its people's comments' addresses: the decisions carried from it link to them. */
  commentUrls: string[];
}

export interface DuplicateIssue {
  number: number;
  url: string;
  author: string | null;
  /** The campaign's issue with the same marker (the oldest). */
  of: number;
}

export function planCampaign(input: PlanInput): CampaignPlan {
  const { startedAt } = input;
  const marked = input.issues
    .filter((i) => {
      const m = readMarker(i.body);
      return !!m && m.part === 1 && m.campaign === input.campaign && m.cloud === input.cloud;
    })
    .sort((a, b) => a.number - b.number);
  // An issue closed before the campaign started is none of its runs' (they open its issues at or
  // after its start): another workflow planted it. Named in a warning, otherwise left alone.
  const closedBeforeStart = (i: IssueRead) =>
    startedAt !== null &&
    i.state === 'closed' &&
    !!i.closedAt &&
    Date.parse(i.closedAt) < Date.parse(startedAt);
  const campaignIssues = marked.filter((i) => !closedBeforeStart(i));
  const due = startedAt !== null && isDue(startedAt, input.file.due.ms, input.now);
  const duplicates: DuplicateIssue[] = [];
  const tables = tablesByKey(campaignIssues);
  const groupOfRow = new Map(input.assignment.groups.flatMap((g) => g.rows.map((r) => [r.id, g] as const)));
  const plans = input.assignment.groups.map((group) => {
    const wanted = { campaign: input.campaign, cloud: input.cloud, key: group.key };
    const [issue, ...later] = campaignIssues.filter((i) => sameIssue(readMarker(i.body), wanted));
    for (const l of later)
      duplicates.push({
        number: l.number,
        url: l.url ?? '',
        author: l.author?.login ?? null,
        of: issue!.number,
      });
    const rowIds = new Set(group.rows.map((r) => r.id));
    const sources = [...tables]
      .filter(([key, t]) => key !== group.key && t.listed.some((id) => rowIds.has(id)))
      .map(([, t]) => t);
    return planIssue(input, group, issue, later, { startedAt, due }, { sources, groupOfRow });
  });
  const emptied = [...tables.values()].flatMap((t): EmptiedIssue[] => {
    const moves = t.listed.flatMap((rowId) => {
      const to = groupOfRow.get(rowId);
      return to ? [{ rowId, toKey: to.key }] : [];
    });
    const first = t.issues[0]!;
    if (first.state !== 'open' || groupOfRow.size === 0 || moves.length === 0) return [];
    if (input.assignment.groups.some((g) => g.key === t.marker.key)) return [];
    return [{ number: first.number, marker: t.marker, moves, commentUrls: t.comments.map((c) => c.url) }];
  });
  return {
    startedAt,
    dueAt: startedAt === null ? null : dueAt(startedAt, input.file.due.ms),
    due,
    // Over only once a due run closed its issues: an issue closed before the due date proves nothing.
    closed:
      startedAt !== null &&
      campaignIssues.length > 0 &&
      campaignIssues.every((i) => i.state === 'closed') &&
      campaignIssues.some(
        (i) => !!i.closedAt && Date.parse(i.closedAt) >= Date.parse(dueAt(startedAt, input.file.due.ms)),
      ) &&
      !plans.some((p) => p.reopen),
    issues: plans,
    duplicates,
    emptied,
    planted: marked.filter(closedBeforeStart).map((i) => ({
      number: i.number,
      url: i.url ?? '',
      author: i.author?.login ?? null,
      closedAt: i.closedAt!,
    })),
  };
}

/** Each reviewer set's issues (the oldest first), its marker, the rows its table lists and its people's comments. */
function tablesByKey(
  campaignIssues: readonly IssueRead[],
): Map<string, MovedFrom & { issues: IssueRead[]; marker: Marker }> {
  const tables = new Map<string, MovedFrom & { issues: IssueRead[]; marker: Marker }>();
  for (const issue of campaignIssues) {
    const marker = readMarker(issue.body)!;
    const had = tables.get(marker.key);
    const people = issue.comments.filter((c) => !isBot(c));
    if (had) {
      had.issues.push(issue);
      (had.comments as IssueComment[]).push(...people);
    } else
      tables.set(marker.key, {
        issues: [issue],
        marker,
        comments: people,
        listed: tableOf(issue, marker).listed,
      });
  }
  return tables;
}
