// Scheduled re-provisioning: only the outdated accounts are provisioned, end to end.
import { describe, expect, it } from '@jest/globals';
import { awsInputs, runMain, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 50, awsProvisionDelayMs: 200 });

const ACCOUNTS = Array.from({ length: 10 }, (_, i) => String(200000000000 + i));
const provision = (inputs: Record<string, string>) =>
  runMain(awsInputs({ operation: 'provision', ...inputs }));
const provisionCalls = () => emulator().requests.filter((r) => r.operation === 'ProvisionPermissionSet');

/** Provisions `permissionSet` to the ten accounts (through assignments), then marks some outdated. */
function seed(permissionSet: string, outdated: string[]): string {
  const arn = emulator().aws.permissionSetArn(permissionSet);
  for (const accountId of ACCOUNTS)
    emulator().aws.addAssignment({
      accountId,
      permissionSetArn: arn,
      principalType: 'USER',
      principalId: emulator().aws.userId('alice'),
    });
  emulator().aws.markOutdated(arn, outdated);
  return arn;
}

/** The cells of the summary row whose first cell is `first`. */
function summaryCells(summary: string, first: string): string[] {
  const row = /<tr>(.*?)<\/tr>/g;
  for (const [, cells] of summary.matchAll(row)) {
    const values = [...cells!.matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1]!);
    if (values[0] === first) return values;
  }
  throw new Error(`no summary row for ${first}`);
}

/** A summary cell that lists accounts: `3: 200000000002, 200000000003, 200000000004`. */
function listedAccounts(cell: string) {
  const [count, list] = cell.split(': ');
  return { count: Number(count), accounts: list!.split(', ').sort() };
}

describe('operation: provision', () => {
  it('provisions exactly the 3 outdated accounts of 10', async () => {
    const outdated = ACCOUNTS.slice(2, 5);
    seed('ReadOnlyAccess', outdated);
    const step = await provision({ role: 'ReadOnlyAccess', target: 'ALL_PROVISIONED_ACCOUNTS' });
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    const calls = provisionCalls();
    expect(calls).toHaveLength(3);
    const [result] = JSON.parse(step.outputs.results!) as {
      detail: { reprovisioned: string[]; alreadyCurrent: string[] };
    }[];
    expect(result!.detail.reprovisioned.sort()).toEqual(outdated);
    expect(result!.detail.alreadyCurrent).toHaveLength(7);
  });

  it('summarises each permission set: the accounts re-provisioned, those already current, every request ID', async () => {
    const outdated = ACCOUNTS.slice(2, 5);
    seed('ReadOnlyAccess', outdated);
    const step = await provision({ role: 'ReadOnlyAccess', target: 'ALL_PROVISIONED_ACCOUNTS' });
    expect(step.exitCode).toBe(0);
    const [result] = JSON.parse(step.outputs.results!) as { detail: { requestIds: string[] } }[];
    expect(result!.detail.requestIds).toHaveLength(provisionCalls().length);
    const summary = step.summary;
    expect(summary).toContain('1 permission set, status SUCCEEDED');
    expect(summary).toContain('<th>Permission set</th><th>Accounts asked</th><th>Re-provisioned</th>');
    expect(summary).not.toContain('<th>Principal</th>');
    const [name, asked, reprovisioned, current, status, requestIds] = summaryCells(summary, 'ReadOnlyAccess');
    expect([name, asked, status]).toEqual(['ReadOnlyAccess', 'ALL_PROVISIONED_ACCOUNTS', 'SUCCEEDED']);
    expect(listedAccounts(reprovisioned!)).toEqual({ count: 3, accounts: outdated });
    expect(listedAccounts(current!)).toEqual({
      count: 7,
      accounts: ACCOUNTS.filter((a) => !outdated.includes(a)),
    });
    expect(requestIds!.split(', ').sort()).toEqual([...result!.detail.requestIds].sort());
  });

  it('covers every permission set with `*`', async () => {
    seed('ReadOnlyAccess', [ACCOUNTS[0]!]);
    seed('PowerUserAccess', [ACCOUNTS[1]!, ACCOUNTS[2]!]);
    const step = await provision({ role: '*', target: 'ALL_PROVISIONED_ACCOUNTS' });
    expect(step.exitCode).toBe(0);
    expect(provisionCalls()).toHaveLength(3);
    const results = JSON.parse(step.outputs.results!) as { role: string; changed: boolean }[];
    expect(
      results
        .filter((r) => r.changed)
        .map((r) => r.role)
        .sort(),
    ).toEqual(['PowerUserAccess', 'ReadOnlyAccess']);
  });

  it('uses one ALL_PROVISIONED_ACCOUNTS request when most accounts are outdated', async () => {
    seed('ReadOnlyAccess', ACCOUNTS.slice(0, 8));
    const step = await provision({ role: 'ReadOnlyAccess', target: 'ALL_PROVISIONED_ACCOUNTS' });
    expect(step.exitCode).toBe(0);
    expect(provisionCalls()).toHaveLength(1);
    const [result] = JSON.parse(step.outputs.results!) as {
      detail: { requestPlan: string; reprovisioned: string[] };
    }[];
    expect(result!.detail.requestPlan).toBe('all-provisioned-accounts');
    expect(result!.detail.reprovisioned).toHaveLength(8);
  });

  it('intersects listed accounts with the outdated ones', async () => {
    seed('ReadOnlyAccess', ACCOUNTS.slice(0, 5));
    const step = await provision({ role: 'ReadOnlyAccess', target: `${ACCOUNTS[0]}, ${ACCOUNTS[9]}` });
    expect(step.exitCode).toBe(0);
    expect(provisionCalls()).toHaveLength(1);
  });

  it('fails naming the account that FAILED, and finishes the others', async () => {
    const outdated = ACCOUNTS.slice(0, 3);
    seed('ReadOnlyAccess', outdated);
    emulator().aws.faults.provisionFailures = {
      [ACCOUNTS[1]!]: 'Role ReadOnlyAccess could not be updated: quota exceeded',
    };
    const step = await provision({ role: 'ReadOnlyAccess', target: 'ALL_PROVISIONED_ACCOUNTS' });
    expect(step.exitCode).toBe(1);
    expect(step.outputs.status).toBe('FAILED');
    expect(step.errors.join()).toContain(
      `${ACCOUNTS[1]}: Role ReadOnlyAccess could not be updated: quota exceeded`,
    );
    const [result] = JSON.parse(step.outputs.results!) as { detail: { reprovisioned: string[] } }[];
    expect(result!.detail.reprovisioned.sort()).toEqual([ACCOUNTS[0], ACCOUNTS[2]]);
  });

  it('writes nothing when nothing is outdated', async () => {
    seed('ReadOnlyAccess', []);
    const step = await provision({ role: 'ReadOnlyAccess', target: 'ALL_PROVISIONED_ACCOUNTS' });
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'false' });
    expect(emulator().requests.filter((r) => r.write)).toEqual([]);
  });

  it('lists what would be re-provisioned in a dry run, and writes nothing', async () => {
    seed('ReadOnlyAccess', ACCOUNTS.slice(0, 2));
    const step = await provision({
      role: 'ReadOnlyAccess',
      target: 'ALL_PROVISIONED_ACCOUNTS',
      'dry-run': 'true',
    });
    expect(step.exitCode).toBe(0);
    expect(emulator().requests.filter((r) => r.write)).toEqual([]);
    const [result] = JSON.parse(step.outputs.results!) as { detail: { wouldProvision: string[] } }[];
    expect(result!.detail.wouldProvision.sort()).toEqual(ACCOUNTS.slice(0, 2));
  });
});
