// The reviewers file of `operation: review` (`version: 1`), read from the default branch's head:
// which rows each set of reviewers reviews (`entries`: `accounts` or `scopes`, optionally
// `permission-sets` / `roles`, and `reviewers`), who reviews the rest (`default-reviewers`), how
// long a campaign runs (`due`), what an undecided row becomes (`default-decision`, and for
// `revoke-unused` the window `unused-after`), when a named
// campaign starts (`campaigns: {drill: {start: 2026-12-01}}`) and whether a reviewer may decide on
// their own access (`self-review`, default false). Every problem at its line, all of them at once,
// before any GitHub write or cloud read. Pure.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { parseDuration } from '../../../core/duration.js';
import { printable } from '../../../core/inputs/fields.js';
import { OU_ID } from '../../../core/inputs/org-targets.js';
import { ManifestNodes, type Field, type ManifestProblem } from '../../../core/manifest/nodes.js';
import { parseReviewer, type Reviewer } from './reviewers.js';
import { CAMPAIGN_NAME, startOf } from '../../../core/inputs/review-inputs.js';
import { DEFAULT_UNUSED_AFTER, unusedAfterWindow } from '../../../core/inputs/usage-inputs.js';

export type { Reviewer } from './reviewers.js';

export const DEFAULT_DUE = '14d';
export const DECISIONS = ['keep', 'revoke'] as const;
export type Decision = (typeof DECISIONS)[number];
/**
 * What an undecided row becomes at the due date: kept, revoked, or revoked only where the usage
 * evidence shows nobody used it within `unused-after` (./outcomes.ts).
 */
export const DEFAULT_DECISIONS = ['keep', 'revoke', 'revoke-unused'] as const;
export type DefaultDecision = (typeof DEFAULT_DECISIONS)[number];

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
export const CAMPAIGN_KEYS = ['start'] as const;
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

function dueOf(nodes: ManifestNodes, field: Field | undefined) {
  const fallback = parseDuration(DEFAULT_DUE) as { iso: string; ms: number };
  if (!field) return fallback;
  const value = nodes.text(field, 'due');
  if (!value) return undefined;
  const due = parseDuration(value.text);
  if (typeof due === 'string') return nodes.add(value.line, `\`due\` ${due}`);
  if (due.ms <= 0)
    return nodes.add(value.line, '`due` is zero', 'give a campaign at least a day, `due: 14d` by default');
  return due;
}

function decisionOf(nodes: ManifestNodes, field: Field | undefined): DefaultDecision {
  if (!field) return 'keep';
  const value = nodes.text(field, 'default-decision');
  const known = DEFAULT_DECISIONS.find((d) => d === value?.text);
  if (value && !known)
    nodes.add(
      value.line,
      `\`default-decision\` is \`${printable(value.text)}\``,
      'write `keep` (the default), `revoke` or `revoke-unused`',
    );
  return known ?? 'keep';
}

/** `unused-after`: the window `revoke-unused` judges a row over, 1 to 366 days (90 by default). */
function unusedAfterOf(
  nodes: ManifestNodes,
  field: Field | undefined,
  decision: DefaultDecision,
): { iso: string; ms: number } | undefined {
  if (field && decision !== 'revoke-unused') {
    nodes.add(
      field.line,
      '`unused-after` is read only with `default-decision: revoke-unused`',
      'write `default-decision: revoke-unused`, or remove `unused-after`',
    );
    return undefined;
  }
  if (decision !== 'revoke-unused') return undefined;
  const value = field ? nodes.text(field, 'unused-after') : { text: DEFAULT_UNUSED_AFTER, line: 1 };
  if (!value) return undefined;
  const window = unusedAfterWindow(value.text);
  if (typeof window === 'string')
    return nodes.add(
      value.line,
      `\`unused-after\` \`${printable(value.text)}\` ${window}`,
      'write e.g. `90d`',
    );
  return window;
}

/** `campaigns`: each named campaign's `start` (a date, or a time in UTC). */
function campaignsOf(nodes: ManifestNodes, field: Field | undefined): Map<string, string> {
  const starts = new Map<string, string>();
  if (!field) return starts;
  if (!isMap(field.node)) {
    nodes.add(field.line, '`campaigns` must be a mapping of campaign names to `{start: <date>}`');
    return starts;
  }
  for (const pair of field.node.items) {
    const key = pair.key as Node | null;
    const name = isScalar(key) ? String(key.value) : '';
    const campaign: Field = {
      key: name,
      line: nodes.lineOf(key, field.line),
      node: pair.value as Node | null,
    };
    if (!CAMPAIGN_NAME.test(name)) {
      nodes.add(
        campaign.line,
        `\`campaigns\`: \`${printable(name)}\` is not a campaign name`,
        'letters, digits, `.`, `_` and `-`, at most 64, such as `drill`',
      );
      continue;
    }
    const start = nodes
      .mapping(campaign.node, `campaigns.${name}`, CAMPAIGN_KEYS, campaign.line)
      .get('start');
    if (!start) {
      nodes.add(campaign.line, `\`campaigns.${name}\` has no \`start\``, 'write `start: 2026-12-01`');
      continue;
    }
    const value = nodes.text(start, `campaigns.${name}.start`);
    if (!value) continue;
    const at = startOf(value.text);
    if (typeof at === 'string') nodes.add(value.line, `\`campaigns.${name}.start\` ${at}`);
    else starts.set(name, at.iso);
  }
  return starts;
}

function selfReviewOf(nodes: ManifestNodes, field: Field | undefined): boolean {
  if (!field) return false;
  const value = nodes.text(field, 'self-review');
  if (value && value.text !== 'true' && value.text !== 'false')
    nodes.add(
      value.line,
      `\`self-review\` is \`${printable(value.text)}\``,
      'write `false` (the default: a reviewer never decides on their own access) or `true`',
    );
  return value?.text === 'true';
}
