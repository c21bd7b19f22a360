// What a report covered, in one statement its CSV repeats on every row (the `covered` column), so
// that a CSV kept alone says it as its name says when it was read: the place the cloud read (AWS,
// the instance), the targets and roles as the step was asked, whether groups were expanded, and
// the kinds read. The asked targets, not their expansion: an OU of 1,000 accounts is one ID here,
// and the JSON's `cover` lists every account. Pure.
import { inertText } from '../../core/inert.js';
import type { ReportRequest } from '../../core/inputs/config.js';
import { KINDS, type AssignmentType } from '../../core/kinds/index.js';
import type { AzureRoleRef, Cloud, PermissionSetRef } from '../../core/types.js';
import type { ReportCover } from '../../engine/run/access-reader.js';

/**
 * The statement's most characters (UTF-16 units, so never more characters than that), as the CSV
 * writes it (made inert, quotes doubled): it is on every row, so a report of 10,000 rows grows by at
 * most 10 million characters for it (10 MB in ASCII, up to 30 MB where OU names are, say, CJK). Enough for about thirty account or OU IDs,
 * or four or five Azure resource group scopes (about 90 characters each), whole; past that the
 * JSON's `cover` has what was read.
 * Each list has its share, so a long list of targets never crowds out the roles or the kinds.
 */
export const COVERED_LIMIT = 1000;
const INSTANCE_SHARE = 200;
const TARGETS_SHARE = 450;
const ROLES_SHARE = 250;
// The labels and words around them take the rest: at most 90 characters.

export interface CoveredOf {
  cloud: Cloud;
  request: ReportRequest;
  /** What the read says it covered; its `kinds`, where a kind of the cloud could not be read. */
  cover: ReportCover | undefined;
  /** AWS: the IAM Identity Center instance read. */
  instance?: string | undefined;
}

/** The statement, e.g. `instance: arn:…; targets: every account; roles: every role; expand-groups: no; kinds: active`. */
export function coveredText({ cloud, request, cover, instance }: CoveredOf): string {
  // A request holds its own cloud's lists only: AWS's accounts, OUs and permission sets, Azure's
  // scopes and roles. Azure requires `target` (core/inputs/report-inputs.ts): only AWS reads every account.
  const targets = [
    ...(request.awsTargets ?? []).map((t) => t.written),
    ...(request.scopes ?? []).map((s) => s.scope),
  ];
  const roles = [
    ...(request.permissionSets ?? []).map(permissionSetText),
    ...(request.roles ?? []).map(roleText),
  ];
  return [
    ...(instance ? [`instance: ${cutTo(instance, INSTANCE_SHARE)}`] : []),
    `targets: ${targets.length ? listWithin(targets, TARGETS_SHARE) : 'every account'}`,
    `roles: ${roles.length ? listWithin(roles, ROLES_SHARE) : 'every role'}`,
    `expand-groups: ${(cover?.expandGroups ?? request.expandGroups) ? 'yes' : 'no'}`,
    `kinds: ${kindsText(cloud, cover?.kinds)}`,
  ].join('; ');
}

const permissionSetText = (ref: PermissionSetRef): string => (ref.kind === 'arn' ? ref.arn : ref.name);
const roleText = (ref: AzureRoleRef): string =>
  ref.kind === 'name' ? ref.name : ref.kind === 'guid' ? ref.guid : ref.id;

/** The cloud's kinds by their words; with `read`, those read and those that could not be. */
function kindsText(cloud: Cloud, read: readonly AssignmentType[] | undefined): string {
  const words = [
    ...new Set(
      Object.values(KINDS)
        .filter((k) => k.cloud === cloud)
        .map((k) => k.assignmentType),
    ),
  ];
  if (!read) return words.join(', ');
  const missed = words.filter((w) => !read.includes(w));
  return missed.length ? `${read.join(', ')} only (${missed.join(', ')} not read)` : read.join(', ');
}

/** Its length as the CSV writes it: made inert, and each `"` doubled inside the cell's quotes (./access-files.ts). */
const written = (text: string): number => inertText(text).replace(/"/g, '""').length;

/** The text, cut at a whole character with `…` to at most `share` characters as written. */
function cutTo(text: string, share: number): string {
  if (written(text) <= share) return text;
  let cut = '';
  for (const ch of text) {
    if (written(`${cut}${ch}…`) > share) break;
    cut += ch;
  }
  return `${cut}…`;
}

/** As many items as fit in `share`, in order, then `… and N more`; a first item too long is cut. */
function listWithin(items: readonly string[], share: number): string {
  const more = (left: number) => (left > 0 ? ` … and ${left} more` : '');
  const shown: string[] = [];
  let used = 0;
  for (const item of items) {
    const length = used + (shown.length ? 2 : 0) + written(item);
    if (length + more(items.length - shown.length - 1).length > share) break;
    shown.push(item);
    used = length;
  }
  if (shown.length === 0) shown.push(cutTo(items[0]!, share - more(items.length - 1).length));
  return `${shown.join(', ')}${more(items.length - shown.length)}`;
}
