// A reviewer as the reviewers file names one: a GitHub login, pinned to its account ID (`alice
// (583231)`: a later owner of the login is not the reviewer) or resolved at each run, or a team as
// `org/team` (whose members are read at each run), and the key of a set of them, which names its
// campaign issue.
// Pure.
import { createHash } from 'node:crypto';
import { printable } from '../../../core/inputs/fields.js';

export type Reviewer = { login: string; id?: number } | { org: string; team: string };

/** GitHub's logins: letters, digits and single hyphens, at most 39, no hyphen at either end. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** A team's slug (its URL's name). */
const TEAM_SLUG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** A login, a login pinned to its account ID (`alice (583231)`) or `org/team`; the reason when it is none. */
export function parseReviewer(text: string): Reviewer | string {
  const pinned = /^@?([^\s()]+)\s*\(\s*(\d{1,16})\s*\)$/.exec(text.trim());
  if (pinned) {
    const id = Number(pinned[2]);
    if (LOGIN.test(pinned[1]!) && Number.isSafeInteger(id) && id > 0) return { login: pinned[1]!, id };
    return `\`${printable(text)}\` is not a GitHub login pinned to its account ID, such as \`alice (583231)\``;
  }
  const written = text.trim().replace(/^@/, '');
  const slash = written.indexOf('/');
  if (slash < 0) {
    if (LOGIN.test(written)) return { login: written };
    return `\`${printable(text)}\` is not a GitHub login (letters, digits and single hyphens) nor \`org/team\``;
  }
  const org = written.slice(0, slash);
  const team = written.slice(slash + 1);
  if (LOGIN.test(org) && TEAM_SLUG.test(team)) return { org, team };
  return `\`${printable(text)}\` is not \`org/team\` (an organization's login and a team's slug)`;
}

/** A reviewer as written, lower-cased (GitHub ignores the case of logins and slugs). */
export const reviewerName = (r: Reviewer): string =>
  ('login' in r ? r.login : `${r.org}/${r.team}`).toLowerCase();

/** The reviewers, each once, sorted: the set's one spelling. */
export function reviewerSet(reviewers: readonly Reviewer[]): Reviewer[] {
  const byName = new Map<string, Reviewer>();
  for (const r of reviewers) if (!byName.has(reviewerName(r))) byName.set(reviewerName(r), r);
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

/** The key of a set of reviewers: the first 12 hex characters of SHA-256 of their sorted names. */
export function reviewerSetKey(reviewers: readonly Reviewer[]): string {
  const names = reviewerSet(reviewers).map(reviewerName);
  return createHash('sha256').update(names.join('\n')).digest('hex').slice(0, 12);
}
