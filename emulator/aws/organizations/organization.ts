// AWS Organizations' one organization: its root, a tree of OUs and accounts with a status, seeded
// from an OrgSeed (./org-seed.ts builds one from specs or to a size), with OU IDs derived from
// their paths so they are the same every time. ./operations.ts reads it; ./organizations.ts serves
// the reads.
import { createHash } from 'node:crypto';

export type AccountStatus = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';

export interface OrgAccount {
  id: string;
  name: string;
  status: AccountStatus;
}

export interface OrgUnit {
  id: string;
  name: string;
  /** Child OU IDs, in creation order. */
  units: string[];
  accounts: OrgAccount[];
}

/** An OU tree to seed: child OUs by name, accounts by ID (ACTIVE unless given a status). */
export interface OrgSeed {
  accounts?: (string | { id: string; name?: string; status?: AccountStatus })[];
  units?: Record<string, OrgSeed>;
}

export const ORG_ID = 'o-emu1a2b3c4d';
export const ROOT_ID = 'r-emu1';
export const ORG_MASTER = '123456789012';

/** The tree every start and reset() begins with: a small organization with one suspended account. */
export const DEFAULT_ORG: OrgSeed = {
  accounts: [ORG_MASTER],
  units: {
    Workloads: {
      units: {
        Prod: { accounts: ['111111111111', '222222222222'] },
        Dev: { accounts: ['333333333333', { id: '444444444444', status: 'SUSPENDED' }] },
      },
    },
    Sandbox: {},
  },
};

const hex = (seed: string, length: number) =>
  createHash('sha256').update(seed).digest('hex').slice(0, length);

export class Organization {
  readonly rootId = ROOT_ID;
  units = new Map<string, OrgUnit>();

  constructor() {
    this.seed(DEFAULT_ORG);
  }

  /** Replaces the whole tree; OU IDs derive from their paths, so they are the same every time. */
  seed(tree: OrgSeed): void {
    this.units.clear();
    this.paths.clear();
    this.add(ROOT_ID, 'Root', tree, 'Root');
  }

  /** Every OU by path with its ID and accounts, for people: `Root/Workloads/Prod (ou-…): 111111111111, …`. */
  describe(): string {
    return [...this.units.values()]
      .map(
        (u) =>
          `${this.paths.get(u.id)} (${u.id}): ${u.accounts.map((a) => (a.status === 'ACTIVE' ? a.id : `${a.id} ${a.status}`)).join(', ') || 'no accounts'}`,
      )
      .join('; ');
  }

  /** The OU ID a path (`Root/Workloads/Prod`) has. */
  ouId(path: string): string {
    const found = [...this.units.values()].find((u) => this.pathOf(u.id) === path);
    if (!found) throw new Error(`emulator: no OU at ${path}`);
    return found.id;
  }

  private readonly paths = new Map<string, string>();
  private pathOf(id: string): string | undefined {
    return this.paths.get(id);
  }

  private add(id: string, name: string, seed: OrgSeed, path: string): void {
    const unit: OrgUnit = {
      id,
      name,
      units: [],
      accounts: (seed.accounts ?? []).map((a) =>
        typeof a === 'string'
          ? { id: a, name: `account-${a}`, status: 'ACTIVE' }
          : { id: a.id, name: a.name ?? `account-${a.id}`, status: a.status ?? 'ACTIVE' },
      ),
    };
    this.units.set(id, unit);
    this.paths.set(id, path);
    for (const [childName, child] of Object.entries(seed.units ?? {})) {
      const childPath = `${path}/${childName}`;
      const childId = `ou-${ROOT_ID.slice(2)}-${hex(childPath, 8)}`;
      unit.units.push(childId);
      this.add(childId, childName, child, childPath);
    }
  }
}
