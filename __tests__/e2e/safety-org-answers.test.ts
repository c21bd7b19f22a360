// Organizations answers that are not a tree, end to end: the bundled main step fails before any
// write, naming the target, instead of walking a loop for ever (the process never ended before)
// or taking one of two same-named sibling OUs.
import { describe, expect, it } from '@jest/globals';
import { awsInputs, runMain, useEmulator } from './fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 50 });
const main = (inputs: Record<string, string>) =>
  runMain(awsInputs({ principal: 'alice', role: 'ReadOnlyAccess', ...inputs }));
const org = () => emulator().aws.organization;
const unit = (path: string) => org().units.get(org().ouId(path))!;
const writes = () => emulator().requests.filter((r) => r.write);

describe('an organization answer that is not a tree', () => {
  it('an OU listed under its own child: the step fails at once, nothing written', async () => {
    unit('Root/Workloads/Prod').units.push(org().ouId('Root/Workloads'));
    const started = Date.now();
    const step = await main({ target: 'Root/Workloads' });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(step.exitCode).not.toBe(0);
    expect(step.stdout).toContain('is not a tree');
    expect(writes()).toEqual([]);
  }, 60_000);

  it('two sibling OUs of the name a path segment gives: the step fails listing both, nothing written', async () => {
    const twin = 'ou-emu1-99999999';
    org().units.set(twin, {
      id: twin,
      name: 'Prod',
      units: [],
      accounts: [{ id: '555555555555', name: 'x', status: 'ACTIVE' }],
    });
    unit('Root/Workloads').units.push(twin);
    const step = await main({ target: 'Root/Workloads/Prod' });
    expect(step.exitCode).not.toBe(0);
    expect(step.stdout).toContain(`Root/Workloads has 2 OUs named \`Prod\``);
    expect(writes()).toEqual([]);
  });
});
