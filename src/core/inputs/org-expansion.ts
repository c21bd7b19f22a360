// From AWS targets to the accounts they mean: account IDs as they are, an OU or the root as every
// ACTIVE account under it, duplicates across overlapping targets collapsed to one, and what was
// left out (suspended, pending closure) said with its status. Then the grants over those
// accounts (core/output/target-expansion.ts says them in the log and the summary). Pure.
import { CloudAccessError, InputErrors } from '../errors.js';
import { Problems } from './fields.js';
import { AWS_GRANT_KIND, crossProduct, type Parsed } from './grants.js';
import {
  accountsUnder,
  describeTarget,
  findPath,
  notATree,
  type AwsTarget,
  type OrgUnit,
  type ReadChildren,
} from './org-targets.js';
import type { AwsGrant, AwsPrincipalRef, PermissionSetRef } from '../types.js';

/** Only ACTIVE accounts are granted to; `State` in newer APIs says the same as `Status` here. */
export const ACTIVE = 'ACTIVE';

/** An account under an OU or root target that is not ACTIVE, and so left out. */
export interface ExcludedAccount {
  id: string;
  name: string;
  status: string;
  /** The target (as written) it was found under. */
  target: string;
}

/** What one OU, root or path target expanded to. */
export interface ExpandedTarget {
  /** As written in `target`. */
  target: string;
  /** The root or OU ID it names. */
  id: string;
  /** The OU's name, when the target is an OU ID (shown beside it). */
  name?: string;
  /** ACTIVE accounts under it, at any depth, in the order Organizations listed them. */
  accounts: string[];
  excluded: ExcludedAccount[];
}

export interface TargetExpansion {
  /** Every account the targets mean, each once, in the order the targets name them. */
  accounts: string[];
  /** One per OU, root or path target (account ID targets need none). */
  expansions: ExpandedTarget[];
  /** Accounts left out, each once. */
  excluded: ExcludedAccount[];
}

/** The organization as the expansion reads it: its root, and what each root or OU holds. */
export interface OrgReads {
  root(): Promise<OrgUnit>;
  children: ReadChildren;
  /** An OU by ID (its name, and a clear error when the organization has none with this ID). */
  describe?(ouId: string): Promise<OrgUnit>;
}

/** Expands `targets` (as written and parsed); reads only what the OU, root and path targets need. */
export async function expandAwsTargets(
  targets: Parsed<AwsTarget>[],
  org: OrgReads,
): Promise<TargetExpansion> {
  const needsOrg = targets.some((t) => t.value.kind !== 'account');
  const root = needsOrg ? await org.root() : undefined;
  org = { ...org, children: oneParentEach(org.children) };
  const expansions = await Promise.all(
    targets.map(async ({ written, value }) => {
      if (value.kind === 'account') return { written, accounts: [value.id] };
      const unit = await unitOf(written, value, root!, org);
      const under = await accountsUnder(unit.id, org.children);
      const expansion: ExpandedTarget = {
        target: written,
        id: unit.id,
        ...(value.kind === 'ou' && unit.name !== unit.id ? { name: unit.name } : {}),
        accounts: under.filter((a) => a.status === ACTIVE).map((a) => a.id),
        excluded: under
          .filter((a) => a.status !== ACTIVE)
          .map((a) => ({ id: a.id, name: a.name, status: a.status, target: written })),
      };
      return { written, accounts: expansion.accounts, expansion };
    }),
  );
  const accounts = [...new Set(expansions.flatMap((e) => e.accounts))];
  const granted = new Set(accounts);
  const excluded = new Map<string, ExcludedAccount>();
  for (const e of expansions)
    for (const x of e.expansion?.excluded ?? [])
      if (!granted.has(x.id) && !excluded.has(x.id)) excluded.set(x.id, x);
  return {
    accounts,
    expansions: expansions.flatMap((e) => (e.expansion ? [e.expansion] : [])),
    excluded: [...excluded.values()],
  };
}

/**
 * `read`, refusing an OU that two parents list: an OU has one parent, and the accounts a second
 * parent's listing would bring in are not under the target (one walk alone cannot tell).
 */
function oneParentEach(read: ReadChildren): ReadChildren {
  const parents = new Map<string, string>();
  return async (parentId) => {
    const listed = await read(parentId);
    for (const { id } of listed.units) {
      const before = parents.get(id);
      if (before !== undefined && before !== parentId) throw notATree(id, `under ${before}`, parentId);
      parents.set(id, parentId);
    }
    return listed;
  };
}

async function unitOf(written: string, target: AwsTarget, root: OrgUnit, org: OrgReads): Promise<OrgUnit> {
  if (target.kind === 'path') return findPath(written, root, target.names, org.children);
  if (target.kind === 'ou' && org.describe) return org.describe(target.id);
  if (target.kind === 'root' && target.id !== root.id)
    throw new CloudAccessError(
      `target \`${written}\` is not the root of this organization, whose root is ${root.id}`,
      {
        input: 'target',
        fix: `use \`${root.id}\` (or \`Root\`), or sign in to the management account of the organization ${written} belongs to`,
      },
    );
  return { id: describeTarget(target), name: describeTarget(target) };
}

/** The inputs an OU, root or path target defers: grants are built once the accounts are known. */
export interface DeferredAwsGrants {
  targets: Parsed<AwsTarget>[];
  principals: Parsed<AwsPrincipalRef>[];
  permissionSets: Parsed<PermissionSetRef>[];
}

/**
 * Every principal × expanded account × permission set, each account once however many targets
 * reach it. No account at all is an error: nothing would be granted or revoked.
 */
export function grantsOverAccounts(deferred: DeferredAwsGrants, expansion: TargetExpansion): AwsGrant[] {
  if (expansion.accounts.length === 0)
    throw new CloudAccessError(
      `no ACTIVE account is under ${deferred.targets.map((t) => `\`${t.written}\``).join(', ')}${expansion.excluded.length > 0 ? ` (left out: ${expansion.excluded.map(describeExcluded).join('; ')})` : ''}`,
      { input: 'target', fix: 'check the OU, or name accounts; nothing was granted or revoked' },
    );
  const problems = new Problems();
  const grants = crossProduct(
    problems,
    {
      principals: deferred.principals,
      targets: expansion.accounts.map((a) => ({ written: a, value: a })),
      roles: deferred.permissionSets,
    },
    (written, principal, accountId, permissionSet): AwsGrant => ({
      cloud: 'aws',
      kind: AWS_GRANT_KIND,
      written,
      principal,
      accountId,
      permissionSet,
    }),
  );
  if (problems.list.length > 0) throw new InputErrors(problems.list);
  return grants;
}

export function describeExcluded(x: ExcludedAccount): string {
  return `${x.id}${x.name ? ` (${x.name})` : ''}: ${x.status}, not ACTIVE`;
}
