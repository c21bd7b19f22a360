// The IAM Identity Center instance the reconcile and report benches read: 200 accounts × 8
// permission sets (each provisioned to every account, as in an organisation that uses them) × 40
// groups, with 1,000 assignments spread over them, on top of the emulator's base seed.
import type { Emulator } from '../../emulator/index.js';

export const ACCOUNTS = 200;
export const PERMISSION_SETS = 8;
export const GROUPS = 40;
export const EXISTING = 1000;

export const benchAccounts = Array.from({ length: ACCOUNTS }, (_, i) => String(200000000000 + i));
export const benchSets = Array.from({ length: PERMISSION_SETS }, (_, i) => `Managed${i}`);
export const benchGroups = Array.from({ length: GROUPS }, (_, i) => `team-${String(i).padStart(2, '0')}`);

/** The `i`th assignment's group, permission set and account (by name). */
export const benchAssignment = (i: number) => ({
  group: benchGroups[i % GROUPS]!,
  set: benchSets[Math.floor(i / ACCOUNTS) % PERMISSION_SETS]!,
  account: benchAccounts[i % ACCOUNTS]!,
});

/** Resets the emulator and seeds the instance. */
export function seedBenchInstance(emulator: Emulator): void {
  emulator.reset();
  for (const name of benchSets) emulator.aws.state.addPermissionSet(name);
  for (const name of benchGroups) emulator.aws.addGroup(name);
  for (const name of benchSets)
    for (const account of benchAccounts)
      emulator.aws.state.provision(emulator.aws.permissionSetArn(name), account);
  for (let i = 0; i < EXISTING; i++) {
    const { group, set, account } = benchAssignment(i);
    emulator.aws.addAssignment({
      accountId: account,
      permissionSetArn: emulator.aws.permissionSetArn(set),
      principalType: 'GROUP',
      principalId: emulator.aws.groupId(group),
    });
  }
}

/** The read the step's log line `read: <strategy>: N call(s) in M ms` reports; undefined when the step failed. */
export function readFigures(step: {
  exitCode: number | null;
  stdout: string;
}): { strategy: string; calls: number; readMs: number } | undefined {
  const read = /read: (.*): (\d+) call\(s\) in (\d+) ms/.exec(step.stdout);
  if (step.exitCode !== 0 || !read) return undefined;
  return { strategy: read[1]!, calls: Number(read[2]), readMs: Number(read[3]) };
}

/** Principals in a page of ListUsers / ListGroups, and accounts in a page of the accounts' list. */
const PAGE = 100;

/**
 * The cheaper complete read's calls, as both benches count it: by principal, a page of groups and
 * of users, then one ListAccountAssignmentsForPrincipal each (each holds fewer than a page); by
 * place, the accounts of each of `listedSets` permission sets (the managed ones for a reconcile,
 * every one of the instance for a report), then one ListAccountAssignments per account × managed
 * permission set. Read from the seeded store: the emulator's own users and groups count too.
 */
export function minimumReads(emulator: Emulator, listedSets: number) {
  const users = emulator.aws.state.users.size;
  const groups = emulator.aws.state.groups.size;
  const byPrincipal = Math.ceil(groups / PAGE) + Math.ceil(users / PAGE) + groups + users;
  const byPlace = listedSets * Math.ceil(ACCOUNTS / PAGE) + PERMISSION_SETS * ACCOUNTS;
  return { users, groups, byPrincipal, byPlace, minimum: Math.min(byPrincipal, byPlace) };
}

/**
 * The fewest calls a complete read of the whole instance for a report takes: by place, the one plan
 * that lists the assignments of a principal the store no longer holds (by principal reads only the
 * store's). The instance's permission sets (a ListPermissionSets page per 100), each one's accounts
 * (a page per 100, one at least), then each account × permission set where it is provisioned (a
 * page per 100 assignments, one at least). Read from the seeded state, base seed included.
 */
export function reportMinimumReads(emulator: Emulator): { places: number; minimum: number } {
  const { state } = emulator.aws;
  const pages = (items: number) => Math.max(1, Math.ceil(items / PAGE));
  const held = new Map<string, number>();
  for (const a of state.assignments.values()) {
    const place = `${a.accountId}|${a.permissionSetArn}`;
    held.set(place, (held.get(place) ?? 0) + 1);
  }
  let places = 0;
  let minimum = pages(state.permissionSets.size);
  for (const arn of state.permissionSets.keys()) {
    const accounts = [...(state.provisioned.get(arn)?.keys() ?? [])];
    places += accounts.length;
    minimum += pages(accounts.length);
    for (const account of accounts) minimum += pages(held.get(`${account}|${arn}`) ?? 0);
  }
  return { places, minimum };
}

/** The Identity Store calls that name a report's principals. */
export const NAMING_OPERATIONS = new Set(['DescribeUser', 'DescribeGroup', 'ListUsers', 'ListGroups']);

/**
 * The fewest Identity Store calls that name every principal the instance's assignments hold: for
 * each type, a Describe each or every page of the store's listing of that type (100 a page),
 * whichever is fewer. Read from the seeded state, base seed included.
 */
export function namingMinimum(emulator: Emulator): { principals: number; minimum: number } {
  const { state } = emulator.aws;
  const wanted = { USER: new Set<string>(), GROUP: new Set<string>() };
  for (const a of state.assignments.values()) wanted[a.principalType].add(a.principalId);
  const listing = {
    USER: Math.max(1, Math.ceil(state.users.size / PAGE)),
    GROUP: Math.max(1, Math.ceil(state.groups.size / PAGE)),
  };
  const types = ['USER', 'GROUP'] as const;
  return {
    principals: wanted.USER.size + wanted.GROUP.size,
    minimum: types.reduce((n, t) => n + (wanted[t].size > 0 ? Math.min(wanted[t].size, listing[t]) : 0), 0),
  };
}
