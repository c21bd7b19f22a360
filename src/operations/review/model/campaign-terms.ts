// The terms of a review campaign, as the reviewers file (./reviewers-file.ts) sets them: how long
// it runs (`due`), what an undecided row becomes at its due date (`default-decision`, and for
// `revoke-unused` the window `unused-after`), when a named campaign starts (`campaigns`), and
// whether a reviewer may decide on their own access (`self-review`). Each problem at its line.
// Pure.
import { isMap, isScalar, type Node } from 'yaml';
import { parseDuration } from '../../../core/duration.js';
import { printable } from '../../../core/inputs/fields.js';
import { CAMPAIGN_NAME, startOf } from '../../../core/inputs/review-inputs.js';
import { DEFAULT_UNUSED_AFTER, unusedAfterWindow } from '../../../core/inputs/usage-inputs.js';
import type { Field, ManifestNodes } from '../../../core/manifest/nodes.js';

export const DEFAULT_DUE = '14d';
/**
 * What an undecided row becomes at the due date: kept, revoked, or revoked only where the usage
 * evidence shows nobody used it within `unused-after` (./outcomes.ts).
 */
export const DEFAULT_DECISIONS = ['keep', 'revoke', 'revoke-unused'] as const;
export type DefaultDecision = (typeof DEFAULT_DECISIONS)[number];
export const CAMPAIGN_KEYS = ['start'] as const;

export function dueOf(nodes: ManifestNodes, field: Field | undefined) {
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

export function decisionOf(nodes: ManifestNodes, field: Field | undefined): DefaultDecision {
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
export function unusedAfterOf(
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
export function campaignsOf(nodes: ManifestNodes, field: Field | undefined): Map<string, string> {
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

export function selfReviewOf(nodes: ManifestNodes, field: Field | undefined): boolean {
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
