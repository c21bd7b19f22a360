// How a manifest entry writes a row a pull request removes (./manifest-removal.ts), each cloud its
// own way: the principal and role as the cloud compares them (AWS exactly; Azure without regard to
// case, a principal with or without its form, a role by its GUID alone) and the targets that cover
// the row (an AWS account by its ID, or an OU, root or path whose accounts were read; an Azure
// scope only as written). A row its entry covers in no way the pull request can split is left,
// with why. Pure.
import { isScalar, isSeq, type YAMLMap } from 'yaml';
import { ACCOUNT_ID } from '../patterns.js';
import type { UnitAccounts } from '../inputs/org-targets.js';
import type { Cloud } from '../types.js';

/** A row to take out of its manifest entry: its ID (what the answer names it by), its grant and line. */
export interface RowToRemove {
  id: string;
  cloud: Cloud;
  principalId: string;
  principalName: string | null;
  roleId: string;
  role: string | null;
  targetId: string;
  manifestLine: number | null;
}
/**
 * One removed assignment as its entry writes it: the principal, the role, and each target that
 * covers the row's account (its ID: no accounts; an OU, root or path: the accounts it covers).
 */
export type Cell = { principal: string; role: string; account: string; via: Map<string, string[] | null> };
/** The accounts under each OU, root or path target as written (`unitsToRead`), or why not read. */
export type Units = ReadonlyMap<string, UnitAccounts>;

export function values(entry: YAMLMap, key: string): string[] {
  const node: unknown = entry.get(key, true);
  if (isScalar(node)) return [String(node.value)];
  if (isSeq(node)) return node.items.map((i: unknown) => String(isScalar(i) ? i.value : i));
  return [];
}

/**
 * How the entry writes the row's principal, role and the targets that cover its account; or why it
 * does not. `roleOnly`: the principal and the role alone (whether the entry holds the row at all).
 */
export function cellOf(
  entry: YAMLMap,
  row: RowToRemove,
  units: Units | undefined,
  roleOnly = false,
): Cell | string {
  const cloud = CELLS[row.cloud];
  const same = (a: string, b: string | null) => b !== null && cloud.same(a, b);
  const principal = values(entry, 'principal').find((v) => {
    const bare = cloud.bare(v);
    return same(bare, row.principalId) || same(bare, row.principalName);
  });
  if (principal === undefined)
    return `its entry at line ${row.manifestLine} does not name its principal as the read found it`;
  const role = values(entry, 'role').find(
    (v) => same(v, row.roleId) || same(v, row.role) || cloud.roleForms(row.roleId).some((f) => same(v, f)),
  );
  if (role === undefined)
    return `its entry at line ${row.manifestLine} does not name its role as the read found it`;
  const cell: Cell = { principal, role, account: row.targetId, via: new Map() };
  if (roleOnly) return cell;
  return cloud.targets(entry, row, units ?? new Map(), cell);
}

/** How each cloud's entry writes a row: its names as the cloud compares them, and its targets. */
export const CELLS: Record<Cloud, CloudCells> = {
  aws: {
    same: (a, b) => a === b,
    bare: (principal) => principal,
    roleForms: () => [],
    unitsRead: true,
    targets: awsTargets,
  },
  azure: {
    same: (a, b) => a.toLowerCase() === b.toLowerCase(),
    bare: (principal) => principal.replace(/^(object|user|group|sp|mi):/i, ''),
    // A role definition by its GUID alone.
    roleForms: (roleId) => [roleId.split('/').pop() ?? ''],
    unitsRead: false,
    targets: scopeTargets,
  },
};

interface CloudCells {
  same(written: string, read: string): boolean;
  /** A principal as the entry writes it, without its form (`user:`…). */
  bare(principal: string): string;
  /** The role's other forms an entry may write, beyond its ID and name. */
  roleForms(roleId: string): string[];
  /** Whether its targets may be OUs, the root or paths, whose accounts are read (unitsToRead). */
  unitsRead: boolean;
  targets(entry: YAMLMap, row: RowToRemove, units: Units, cell: Cell): Cell | string;
}

/** The entry's scope that is the row's, as written; a scope above it is not removed from here. */
function scopeTargets(entry: YAMLMap, row: RowToRemove, _units: Units, cell: Cell): Cell | string {
  const trim = (s: string) => s.replace(/\/+$/, '').toLowerCase();
  const target = values(entry, 'target').find((v) => trim(v) === trim(row.targetId));
  if (target === undefined)
    return `its entry at line ${row.manifestLine} names its scope only through a scope above it: remove it by hand`;
  cell.via.set(target, null);
  return cell;
}

/** Every target of the entry that covers the row's account; why not, where a target's cover is unknown. */
function awsTargets(entry: YAMLMap, row: RowToRemove, units: Units, cell: Cell): Cell | string {
  const at = `its entry at line ${row.manifestLine}`;
  for (const v of values(entry, 'target')) {
    if (v === row.targetId) cell.via.set(v, null);
    if (ACCOUNT_ID.test(v)) continue;
    const under = units.get(v);
    if (under === undefined)
      return `${at} names its account only through an OU, the root or a path (\`${v}\`) whose accounts were not read: remove it by hand`;
    if (typeof under === 'string')
      return `${at} names \`${v}\`, whose accounts were not read (${under}): remove it by hand`;
    if (![...under.accounts, ...under.notActive].includes(row.targetId)) continue;
    if (under.notActive.length > 0)
      return `${at} names its account through \`${v}\`, which also holds accounts not ACTIVE (${under.notActive.join(', ')}) that a list of account IDs would drop: remove it by hand`;
    cell.via.set(v, under.accounts);
  }
  if (cell.via.size === 0) return `${at} does not name its account, nor an OU that holds it`;
  return cell;
}
