// Organization trees to seed the emulated AWS Organizations with: from `PATH=ACCOUNT[:STATUS],…`
// specs (the CLI's --org and POST /_emulator/aws/organization), or generated to a size (the
// benchmarks: 500 accounts in 60 OUs, 4 levels deep).
import type { AccountStatus, OrgSeed } from './organization.js';

const STATUSES: readonly AccountStatus[] = ['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE'];

/**
 * `Workloads/Prod=111111111111,222222222222:SUSPENDED` puts two accounts (one suspended) in the OU
 * Prod under Workloads under the root; `Root=123456789012` puts an account under the root itself;
 * `Sandbox` alone makes an empty OU. Throws with what is wrong.
 */
export function orgSeedFromSpecs(specs: string[]): OrgSeed {
  const tree: OrgSeed = {};
  for (const spec of specs) {
    const [path = '', list] = spec.split('=', 2);
    const names = path.split('/').filter((n, i) => !(i === 0 && n === 'Root'));
    if (names.some((n) => n.trim() === '')) throw new Error(`"${spec}": an OU name in the path is empty`);
    let at = tree;
    for (const name of names) at = (at.units ??= {})[name] ??= {};
    for (const entry of list ? list.split(',') : []) {
      const [id = '', status = 'ACTIVE'] = entry.trim().split(':');
      if (!/^\d{12}$/.test(id) || !STATUSES.includes(status as AccountStatus))
        throw new Error(
          `"${spec}": each account is a 12-digit ID, optionally :${STATUSES.join(', :')} (got "${entry}")`,
        );
      (at.accounts ??= []).push({ id, status: status as AccountStatus });
    }
  }
  return tree;
}

/**
 * `accounts` accounts spread over `units` OUs, `depth` levels below the root (each level's OUs
 * split among the level above), every tenth account suspended: the benchmarks' organization.
 */
export function generatedOrg(accounts: number, units: number, depth: number): OrgSeed {
  const root: OrgSeed = { units: {} };
  const perLevel = Math.ceil(units / depth);
  let parents: OrgSeed[] = [root];
  const all: OrgSeed[] = [];
  for (let level = 0, made = 0; level < depth && made < units; level++) {
    const next: OrgSeed[] = [];
    for (let i = 0; i < perLevel && made < units; i++, made++) {
      const parent = parents[i % parents.length]!;
      const unit: OrgSeed = {};
      (parent.units ??= {})[`ou${level + 1}-${i + 1}`] = unit;
      next.push(unit);
      all.push(unit);
    }
    parents = next;
  }
  for (let i = 0; i < accounts; i++) {
    const unit = all[i % all.length]!;
    (unit.accounts ??= []).push({
      id: String(200000000000 + i),
      status: i % 10 === 9 ? 'SUSPENDED' : 'ACTIVE',
    });
  }
  return root;
}
