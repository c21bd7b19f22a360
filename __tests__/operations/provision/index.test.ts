// The provision step without a bundle: a signed-in session over an in-memory IAM Identity Center,
// the runner's effects recorded. What users rely on: a dry run names the accounts it would
// re-provision and sends nothing; a run provisions only the outdated accounts and reports each in
// the summary; a failed account fails the step, naming it.
import { describe, expect, it } from '@jest/globals';
import type { ConfigOf } from '../../../src/core/inputs/index.js';
import { ALL_PROVISIONED_ACCOUNTS } from '../../../src/core/inputs/org-targets.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats } from '../../../src/engine/calls/driver.js';
import type { ProvisionDriver } from '../../../src/aws/permission-sets/provision-driver.js';
import { provisioningThrough } from '../../../src/aws/permission-sets/provision-run.js';
import { runProvision } from '../../../src/operations/provision/index.js';
import { recordedRunner } from '../../steps/recorded-runner.js';

const READ_ONLY = { arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-read', name: 'ReadOnlyAccess' };

/** One permission set's accounts, outdated or current; provisioning an account in `failing` FAILS. */
function identityCenter(accounts: Record<string, 'outdated' | 'current'>, failing: string[] = []) {
  const sent: (string | undefined)[] = [];
  const driver: ProvisionDriver = {
    stats: emptyStats(),
    provisionPacing: { key: 'memory:provision', expectedMs: 1 },
    prepare: async () => {},
    permissionSets: async () => [READ_ONLY],
    accountsProvisioned: async (_, state) =>
      Object.entries(accounts)
        .filter(([, s]) => s === state)
        .map(([a]) => a),
    sendProvision: async (_, account) => {
      sent.push(account);
      return { requestId: `req-${sent.length}`, answered: { status: 'IN_PROGRESS' }, release: () => {} };
    },
    // A request for one account, or (no account) for every account the set is provisioned to.
    readProvisionStatus: async (requestId) => {
      const account = sent[Number(requestId.slice('req-'.length)) - 1];
      const reached = account ? [account] : Object.keys(accounts);
      for (const a of reached) if (!failing.includes(a)) accounts[a] = 'current';
      return account && failing.includes(account)
        ? { status: 'FAILED', failureReason: 'ConflictException' }
        : { status: 'SUCCEEDED' };
    },
  };
  return {
    sent,
    open: async () => ({ deadline: new Deadline(30), provisioning: provisioningThrough(driver) }),
  };
}

const request = {
  accounts: ALL_PROVISIONED_ACCOUNTS,
  permissionSets: [{ kind: 'name', name: 'ReadOnlyAccess' }],
};
const config = (dryRun = false) =>
  ({
    cloud: 'aws',
    operation: 'provision',
    dryRun,
    wait: true,
    onlyOutdated: true,
    maxConcurrency: 3,
    run: {},
    provision: request,
  }) as unknown as ConfigOf<'provision'>;

describe('operation: provision, as the step runs it', () => {
  it('a dry run names the outdated accounts it would re-provision, sends nothing, and never says SUCCEEDED', async () => {
    const cloud = identityCenter({ '111111111111': 'outdated', '222222222222': 'current' });
    const runner = recordedRunner();
    await runProvision(config(true), runner, { open: cloud.open });
    expect(cloud.sent).toEqual([]);
    expect(runner.said.groups.map((g) => g.title)).toEqual([expect.stringMatching(/would provision/)]);
    expect(runner.said.groups[0]!.title).not.toMatch(/SUCCEEDED/);
    expect(runner.said.summary).toMatch(/Would re-provision/);
    expect(runner.said.summary).toContain('111111111111');
    expect(runner.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'false' });
    expect(runner.said.failed).toEqual([]);
  });

  it('re-provisions only the outdated accounts, and the summary lists them', async () => {
    const cloud = identityCenter({ '111111111111': 'outdated', '222222222222': 'current' });
    const runner = recordedRunner();
    await runProvision(config(), runner, { open: cloud.open });
    expect(cloud.sent).toEqual(['111111111111']);
    expect(runner.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true', 'request-id': 'req-1' });
    expect(runner.said.summary).toMatch(/Re-provisioned/);
    expect(runner.said.failed).toEqual([]);
  });

  it('an account left outdated fails the step, naming the permission set and the account', async () => {
    const cloud = identityCenter({ '111111111111': 'outdated', '333333333333': 'outdated' }, [
      '333333333333',
    ]);
    const runner = recordedRunner();
    await runProvision(config(), runner, { open: cloud.open });
    expect(runner.outputs.status).toBe('FAILED');
    expect(runner.said.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^provision .* \/ ReadOnlyAccess FAILED: 333333333333: still outdated/),
    ]);
    expect(runner.said.errors[0]!.message).not.toContain('111111111111');
    expect(runner.said.failed).toEqual(['1 of 1 permission set did not succeed']);
  });
});
