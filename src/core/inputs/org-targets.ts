// AWS targets beyond account IDs: an organizational unit by ID, the organization's root, or an OU
// path by name from the root (`Root/Workloads/Prod`). Pure: the shapes are checked before any
// network call, and the walk over the organization is planned here from listings the adapter reads.
import { CloudAccessError } from '../errors.js';
import { didYouMean } from '../lists.js';
import { ACCOUNT_ID } from '../patterns.js';
import { printable } from './fields.js';

/** A parent with at most this many OUs has them listed when a name is not among them. */
const LISTED_SIBLINGS = 10;

/**
 * The `target` that asks for every account a permission set is provisioned to, and the
 * ProvisionPermissionSet target type that reaches them with one request.
 */
export const ALL_PROVISIONED_ACCOUNTS = 'ALL_PROVISIONED_ACCOUNTS';

/** Organizations' OU ID and root ID patterns (organizations-2016-11-28 model). */
export const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
export const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
/** The name a path starts with: Organizations names the root `Root`. */
export const ROOT_NAME = 'Root';

/**
 * The accounts Organizations listed under an OU or root, at any depth: the ACTIVE ones (what a
 * target of it expands to) and the others (suspended, pending closure); or why they were not read.
 */
export type UnitAccounts = { accounts: string[]; notActive: string[] } | string;

export type AwsTarget =
  | { kind: 'account'; id: string }
  | { kind: 'ou'; id: string }
  | { kind: 'root'; id: string }
  /** OU names below the root, in order; none for the root itself (`Root`). */
  | { kind: 'path'; names: string[] };

/** Whether a target means the accounts under a root or OU, which Organizations must list. */
export const needsExpansion = (target: AwsTarget): boolean => target.kind !== 'account';

/**
 * A `target` value as an AWS target, or what is wrong with it (a message and, when one helps, a
 * fix). `Root/A/B/` (a trailing slash) is the same as `Root/A/B`.
 */
export function parseAwsTarget(text: string): AwsTarget | { problem: string; fix?: string } {
  if (ACCOUNT_ID.test(text)) return { kind: 'account', id: text };
  if (OU_ID.test(text)) return { kind: 'ou', id: text };
  if (/^group:/i.test(text))
    return {
      problem: 'is not an AWS target: `group:` targets are Azure’s (an Entra group’s membership)',
      fix: 'on AWS a group is given access, not a target: name it in `principal` with `principal-type: GROUP`, and give an account ID, OU ID, root ID or OU path as `target`',
    };
  if (ROOT_ID.test(text)) return { kind: 'root', id: text };
  if (/^ou-/i.test(text))
    return {
      problem: 'is not an organizational unit ID',
      fix: 'an OU ID is `ou-` then 4–32 lower-case letters or digits, `-` and 8–32 more, e.g. `ou-ab12-cd34ef56` (AWS Organizations console, or `aws organizations list-organizational-units-for-parent`)',
    };
  if (/^r-/i.test(text))
    return {
      problem: 'is not a root ID',
      fix: 'a root ID is `r-` then 4–32 lower-case letters or digits, e.g. `r-ab12` (`aws organizations list-roots`)',
    };
  if (text === ROOT_NAME || text.startsWith(`${ROOT_NAME}/`)) {
    const names = text.slice(ROOT_NAME.length + 1).replace(/\/$/, '');
    const segments = names === '' ? [] : names.split('/');
    if (segments.some((s) => s.trim() === '' || s !== s.trim()))
      return {
        problem: 'is not an OU path: a name between two `/` is empty or has spaces around it',
        fix: 'write the OU names from the root, e.g. `Root/Workloads/Prod`',
      };
    return { kind: 'path', names: segments };
  }
  if (/^root(\/|$)/i.test(text))
    return {
      problem: 'is not an OU path',
      fix: `a path starts with \`${ROOT_NAME}\`, capitalised as Organizations names the root`,
    };
  if (text.includes('/'))
    return {
      problem: 'is not an OU path',
      fix: `a path starts at the root, e.g. \`${ROOT_NAME}/Workloads/Prod\``,
    };
  return { problem: 'is not a 12-digit AWS account ID' };
}

/** How a target is shown: a path as written, an ID as itself. */
export function describeTarget(target: AwsTarget): string {
  return target.kind === 'path' ? [ROOT_NAME, ...target.names].join('/') : target.id;
}

/** An OU (or the root) as Organizations lists it. */
export interface OrgUnit {
  id: string;
  name: string;
}

/** An account as Organizations lists it under its parent. */
export interface OrgAccount {
  id: string;
  name: string;
  /** `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE` (and whatever a newer API adds). */
  status: string;
}

/** What one root or OU holds directly: child OUs and accounts, every page read. */
export interface OrgChildren {
  units: OrgUnit[];
  accounts: OrgAccount[];
}

/** Reads what a root or OU holds directly; the adapter makes it once per parent, however many targets ask. */
export type ReadChildren = (parentId: string) => Promise<OrgChildren>;

/**
 * The OU a path names, matched name by name from the root, exactly (Organizations keeps OU names
 * unique among siblings). A name not found is an error that says where the path stopped, with
 * the closest sibling names.
 */
export async function findPath(
  written: string,
  root: OrgUnit,
  names: string[],
  read: ReadChildren,
): Promise<OrgUnit> {
  let at = root;
  const walked = [ROOT_NAME];
  for (const name of names) {
    const { units } = await read(at.id);
    const named = units.filter((u) => u.name === name);
    // Names are unique among siblings, so two answers to one name are a server's error, and
    // taking either would grant to accounts the user did not name.
    if (named.length > 1)
      throw new CloudAccessError(
        `target \`${written}\`: ${walked.join('/')} has ${named.length} OUs named \`${name}\` (${named.map((u) => u.id).join(', ')})`,
        { input: 'target', fix: 'give the OU ID of the one meant; nothing was granted or revoked' },
      );
    const next = named[0];
    if (!next) {
      const hint = didYouMean(
        name,
        units.map((u) => u.name),
      );
      throw new CloudAccessError(`target \`${written}\`: ${walked.join('/')} has no OU named \`${name}\``, {
        input: 'target',
        fix: hint
          ? `${hint} OU names match exactly, case included; or give the OU ID`
          : units.length > 0
            ? `none of its ${units.length} OUs has a name close to it${units.length <= LISTED_SIBLINGS ? ` (${units.map((u) => `\`${printable(u.name)}\``).join(', ')})` : ''}: check the path, or give the OU ID`
            : `${walked.join('/')} has no OUs under it; give an OU ID, or check the path`,
      });
    }
    at = next;
    walked.push(name);
  }
  return at;
}

/**
 * Every account under `parentId`, at any depth: the OUs of one level are read at once (the
 * adapter paces the calls), a level after the one above it. Each parent is read once however
 * many targets share it (the reader memoises), so overlapping targets cost nothing more.
 */
export async function accountsUnder(parentId: string, read: ReadChildren): Promise<OrgAccount[]> {
  const found: OrgAccount[] = [];
  // Each OU's parent as listed: an OU met twice is a loop or a second parent, which a tree has
  // not; walking on would never end (the reads are memoised, so not even the deadline is met)
  // or would reach accounts that are not under the target.
  const parents = new Map<string, string>([[parentId, '']]);
  let level = [parentId];
  while (level.length > 0) {
    const ids = level;
    const listed = await Promise.all(ids.map((id) => read(id)));
    for (const { accounts } of listed) found.push(...accounts);
    level = listed.flatMap(({ units }, i) =>
      units.flatMap((u) => {
        const before = parents.get(u.id);
        // Listed again by the same parent (pages that shifted under an OU created meanwhile): once.
        if (before === ids[i]) return [];
        if (before !== undefined)
          throw notATree(u.id, before ? `under ${before}` : 'as the target itself', ids[i]!);
        parents.set(u.id, ids[i]!);
        return [u.id];
      }),
    );
  }
  return found;
}

/** Organizations listed an OU under two parents (or under itself, below): its answer is unusable. */
export function notATree(ouId: string, first: string, second: string): CloudAccessError {
  return new CloudAccessError(
    `Organizations listed OU ${ouId} more than once (${first}, and under ${second}): its answer is not a tree, so which accounts are under the target is not known; nothing was granted or revoked`,
    { input: 'target', fix: 're-run later; if it persists, name the account IDs instead of the OU' },
  );
}
