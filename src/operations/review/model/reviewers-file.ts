// The reviewers file of `operation: review` (`version: 1`), read from the default branch's head:
// which rows each set of reviewers reviews (`entries`: `accounts` or `scopes`, optionally
// `permission-sets` / `roles`, and `reviewers`), who reviews the rest (`default-reviewers`), how
// long a campaign runs (`due`), what an undecided row becomes (`default-decision`, and for
// `revoke-unused` the window `unused-after`), when a named
// campaign starts (`campaigns: {drill: {start: 2026-12-01}}`) and whether a reviewer may decide on
// their own access (`self-review`, default false). Every problem at its line, all of them at once,
// before any GitHub write or cloud read. Pure.
import { isMap, isSeq, type Node } from 'yaml';
import { printable } from '../../../core/inputs/fields.js';
import { OU_ID } from '../../../core/inputs/org-targets.js';
import { ManifestNodes, type Field, type ManifestProblem } from '../../../core/manifest/nodes.js';
import { parseReviewer, type Reviewer } from './reviewers.js';
import {
  campaignsOf,
  decisionOf,
  dueOf,
  selfReviewOf,
  unusedAfterOf,
  type DefaultDecision,
} from './campaign-terms.js';

export type { Reviewer } from './reviewers.js';
export { CAMPAIGN_KEYS, DEFAULT_DECISIONS, DEFAULT_DUE, type DefaultDecision } from './campaign-terms.js';

export const DECISIONS = ['keep', 'revoke'] as const;
export type Decision = (typeof DECISIONS)[number];

/** The reviewers file's keys, by where they stand (docs/review.md's table names each). */
export const TOP_KEYS = [
  'version',
  'entries',
  'default-reviewers',
  'due',
  'default-decision',
  'unused-after',
  'campaigns',
  'self-review',
] as const;
export const ENTRY_KEYS = ['accounts', 'scopes', 'permission-sets', 'roles', 'reviewers'] as const;
const ACCOUNT_ID = /^\d{12}$/;

/** One entry: the places it covers, the sets or roles it narrows to, and who reviews them. */
export interface ReviewEntry {
  line: number;
  /** AWS: account IDs, `ou-…` (the accounts under it) or `root` (every account). */
  accounts: string[];
  /** Azure: scopes; a row at or under one matches. */
  scopes: string[];
  /** Permission sets (AWS) or roles (Azure) by name or ID; empty: every one. */
  roles: string[];
  reviewers: Reviewer[];
}

export interface ReviewersFile {
  entries: ReviewEntry[];
  defaultReviewers: Reviewer[];
  due: { iso: string; ms: number };
  defaultDecision: DefaultDecision;
  /** `unused-after` (default 90 days): read with `default-decision: revoke-unused` only. */
  unusedAfter?: { iso: string; ms: number } | undefined;
  /** Each named campaign's start, ISO 8601 UTC (`campaigns`; absent: none). */
  campaignStarts?: ReadonlyMap<string, string>;
  /** Whether a reviewer's decision on a row that grants them counts (`self-review: true`; absent: false). */
  selfReview?: boolean;
}

export type ReviewersParse = { file: ReviewersFile; problems: [] } | { problems: ManifestProblem[] };

/** The reviewers file, or every problem in it at its line. */
export function parseReviewersFile(source: string): ReviewersParse {
  const nodes = new ManifestNodes(source);
  const top = nodes.parse();
  if (!top) {
    if (nodes.problems.length === 0) nodes.add(1, 'is empty', 'write `version: 1` and `entries`');
    return { problems: nodes.problems };
  }
  const fields = nodes.mapping(top, 'reviewers file', TOP_KEYS, 1);
  checkVersion(nodes, fields.get('version'));
  const entries = entriesOf(nodes, fields.get('entries'));
  const defaults = fields.get('default-reviewers');
  const defaultReviewers = defaults ? reviewersOf(nodes, defaults, 'default-reviewers') : [];
  const due = dueOf(nodes, fields.get('due'));
  const defaultDecision = decisionOf(nodes, fields.get('default-decision'));
  const unusedAfter = unusedAfterOf(nodes, fields.get('unused-after'), defaultDecision);
  const campaignStarts = campaignsOf(nodes, fields.get('campaigns'));
  const selfReview = selfReviewOf(nodes, fields.get('self-review'));
  if (entries.length === 0 && defaultReviewers.length === 0 && nodes.problems.length === 0)
    nodes.add(1, 'names no reviewer', 'write `entries` with `reviewers`, or `default-reviewers`');
  if (nodes.problems.length > 0) return { problems: [...nodes.problems].sort((a, b) => a.line - b.line) };
  return {
    file: {
      entries,
      defaultReviewers,
      due: due!,
      defaultDecision,
      ...(unusedAfter ? { unusedAfter } : {}),
      campaignStarts,
      selfReview,
    },
    problems: [],
  };
}

function checkVersion(nodes: ManifestNodes, field: Field | undefined): void {
  if (!field) {
    nodes.add(1, 'has no `version`', 'write `version: 1` as its first line');
    return;
  }
  const version = nodes.text(field, 'version');
  if (version && version.text !== '1')
    nodes.add(
      version.line,
      `\`version\` is \`${printable(version.text)}\``,
      'this action reads `version: 1`',
    );
}

function entriesOf(nodes: ManifestNodes, field: Field | undefined): ReviewEntry[] {
  if (!field) return [];
  if (!isSeq(field.node)) {
    nodes.add(nodes.lineOf(field.node, field.line), '`entries` must be a list of entries');
    return [];
  }
  return (field.node.items as (Node | null)[]).flatMap(
    (item, i) => entryOf(nodes, item, i, field.line) ?? [],
  );
}

function entryOf(nodes: ManifestNodes, item: Node | null, index: number, fallback: number) {
  const path = `entries[${index}]`;
  const line = nodes.lineOf(item, fallback);
  if (!isMap(item)) return nodes.add(line, `\`${path}\` must be a mapping of keys to values`);
  const before = nodes.problems.length;
  const fields = nodes.mapping(item, path, ENTRY_KEYS, line);
  const places = placesOf(nodes, fields, path, line);
  const sets = fields.get('permission-sets');
  const roles = fields.get('roles');
  if (sets && roles)
    nodes.add(
      roles.line,
      `\`${path}\` has both \`permission-sets\` and \`roles\``,
      'an entry is of one cloud',
    );
  const narrowed = [sets, roles].flatMap((f) => (f ? nodes.list(f, `${path}.${f.key}`) : []));
  const reviewersField = fields.get('reviewers');
  const reviewers = reviewersField ? reviewersOf(nodes, reviewersField, `${path}.reviewers`) : [];
  if (!reviewersField)
    nodes.add(line, `\`${path}\` names no reviewer`, 'give it `reviewers`: GitHub logins or `org/team`');
  if (nodes.problems.length > before) return undefined;
  return { line, ...places, roles: narrowed.map((r) => r.text), reviewers } satisfies ReviewEntry;
}

function placesOf(nodes: ManifestNodes, fields: Map<string, Field>, path: string, line: number) {
  const accountsField = fields.get('accounts');
  const scopesField = fields.get('scopes');
  if (!accountsField && !scopesField) {
    nodes.add(
      line,
      `\`${path}\` has neither \`accounts\` nor \`scopes\``,
      'give the AWS accounts or Azure scopes it covers',
    );
  } else if (accountsField && scopesField) {
    nodes.add(
      scopesField.line,
      `\`${path}\` has both \`accounts\` and \`scopes\``,
      'an entry is of one cloud: write two entries',
    );
  }
  const accounts = accountsField ? nodes.list(accountsField, `${path}.accounts`) : [];
  for (const a of accounts) {
    if (!ACCOUNT_ID.test(a.text) && !OU_ID.test(a.text) && a.text !== 'root')
      nodes.add(
        a.line,
        `\`${path}.accounts\`: \`${printable(a.text)}\` is not an account`,
        'write a 12-digit account ID, an `ou-…` ID or `root`',
      );
  }
  const scopes = scopesField ? nodes.list(scopesField, `${path}.scopes`) : [];
  for (const s of scopes) {
    if (!s.text.startsWith('/'))
      nodes.add(
        s.line,
        `\`${path}.scopes\`: \`${printable(s.text)}\` is not a scope`,
        'a scope starts with `/subscriptions/{id}` or `/providers/Microsoft.Management/managementGroups/{id}`',
      );
  }
  return { accounts: accounts.map((a) => a.text), scopes: scopes.map((s) => s.text) };
}

function reviewersOf(nodes: ManifestNodes, field: Field, path: string): Reviewer[] {
  const values = nodes.list(field, path);
  return values.flatMap((v) => {
    const reviewer = parseReviewer(v.text);
    if (typeof reviewer === 'string') return nodes.add(v.line, `\`${path}\`: ${reviewer}`) ?? [];
    return [reviewer];
  });
}
