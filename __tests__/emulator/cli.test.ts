// `npm run emulator`: what a person running the emulator by hand gets: the inputs to paste into a
// workflow, and the flags and control calls that set up Azure principals and outdated permission
// sets without writing code.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const GROUP = '0b6f3c2e-8d41-4a57-9e2c-5f1a7b3d9c64';

interface State {
  permissionSets: {
    name: string;
    arn: string;
    provisionedAccounts: { accountId: string; current: boolean }[];
  }[];
  azure: { subscriptionId: string };
}

/** Starts the CLI and resolves with what it printed once it says it is up. */
function startCli(args: string[]): Promise<{ child: ChildProcess; printed: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('emulator', 'cli.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let printed = '';
    child.stdout!.on('data', (d: Buffer) => {
      printed += d.toString();
      if (printed.includes('Ctrl-C to stop.')) resolve({ child, printed });
    });
    child.stderr!.on('data', (d: Buffer) => (printed += d.toString()));
    child.on('exit', (code) => reject(new Error(`the emulator exited (${code}):\n${printed}`)));
  });
}

describe('npm run emulator', () => {
  let cli: { child: ChildProcess; printed: string };
  let control: string;
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${control}${path}`, { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const state = async () => (await (await fetch(`${control}/_emulator/state`)).json()) as State;
  const provisioned = async (name: string) =>
    (await state()).permissionSets.find((ps) => ps.name === name)!.provisionedAccounts;

  beforeAll(async () => {
    cli = await startCli([
      '--azure-principal',
      `${GROUP}:Group`,
      '--outdated',
      'ReadOnlyAccess=111111111111,222222222222',
      '--org',
      'Root=123456789012',
      '--org',
      'Workloads/Prod=111111111111,222222222222:SUSPENDED',
      '--org',
      'Sandbox',
    ]);
    control = /^export EMULATOR_URL=(\S+)$/m.exec(cli.printed)![1]!;
  });
  afterAll(() => {
    cli.child.kill('SIGTERM');
  });

  it('prints the inputs the action needs to reach it, Azure endpoints included', async () => {
    const endpoint = (service: string) => new RegExp(`^  ${service}\\s+(\\S+)$`, 'm').exec(cli.printed)![1];
    const { azure } = await state();
    expect(cli.printed).toContain(
      [
        '  cloud: azure',
        `  authority-host: ${endpoint('entra')}`,
        `  resource-manager-endpoint: ${endpoint('arm')}`,
        `  graph-endpoint: ${endpoint('graph')}`,
        `  target: /subscriptions/${azure.subscriptionId}`,
      ].join('\n'),
    );
    expect(cli.printed).toContain('  role-to-assume: arn:aws:iam::123456789012:role/cloud-access');
  });

  it('--azure-principal and --outdated set the emulator up before it answers', async () => {
    expect(cli.printed).toContain(`Azure principal ${GROUP} (Group)`);
    expect(await provisioned('ReadOnlyAccess')).toEqual(
      expect.arrayContaining([
        { accountId: '111111111111', current: false },
        { accountId: '222222222222', current: false },
      ]),
    );
  });

  it('POST /_emulator/aws/outdated makes a permission set outdated where asked', async () => {
    const answer = await post('/_emulator/aws/outdated', {
      permissionSet: 'ViewOnlyAccess',
      accounts: ['333333333333'],
    });
    expect(answer.status).toBe(200);
    expect(await provisioned('ViewOnlyAccess')).toContainEqual({ accountId: '333333333333', current: false });
    expect((await post('/_emulator/aws/outdated', { permissionSet: 'NoSuchSet' })).status).toBe(404);
    expect(
      (await post('/_emulator/aws/outdated', { permissionSet: 'ViewOnlyAccess', accounts: [] })).status,
    ).toBe(400);
    expect(
      (await post('/_emulator/aws/outdated', { permissionSet: 'ViewOnlyAccess', accounts: ['1'] })).status,
    ).toBe(400);
  });

  it('POST /_emulator/azure/principals adds a principal of the type asked and answers its ID', async () => {
    const answer = await post('/_emulator/azure/principals', { type: 'servicePrincipal' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), type: 'ServicePrincipal' });
    expect((await post('/_emulator/azure/principals', { type: 'Robot' })).status).toBe(400);
    // An existing principal keeps its type: the action's own service principal cannot become a User.
    expect((await post('/_emulator/azure/principals', { type: 'User', id: GROUP })).status).toBe(409);
  });

  it('seeds the Entra directory it lists, so a control call can name alice@contoso.com', async () => {
    expect(cli.printed).toContain('alice@contoso.com (0a11ce00-1b2c-4d3e-8f40-5a6b7c8d9e01)');
    const { azure } = await state();
    const answer = await post('/_emulator/azure/orphaned-grant', {
      scope: `/subscriptions/${azure.subscriptionId}`,
      role: 'Reader',
      principal: 'alice@contoso.com',
      runId: '801',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.assignment).toMatchObject({
      properties: { principalId: '0a11ce00-1b2c-4d3e-8f40-5a6b7c8d9e01' },
    });
  });

  it('--org seeds the organization with OUs and active and suspended accounts; POST /_emulator/aws/organization replaces it', async () => {
    expect(cli.printed).toMatch(
      /organization root r-emu1: Root \(r-emu1\): 123456789012; Root\/Workloads \(ou-emu1-[0-9a-f]{8}\): no accounts; Root\/Workloads\/Prod \(ou-emu1-[0-9a-f]{8}\): 111111111111, 222222222222 SUSPENDED; Root\/Sandbox \(ou-emu1-[0-9a-f]{8}\): no accounts/,
    );
    const answer = await post('/_emulator/aws/organization', {
      specs: ['Apps=555555555555:PENDING_CLOSURE'],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.tree).toMatch(/Root\/Apps \(ou-emu1-[0-9a-f]{8}\): 555555555555 PENDING_CLOSURE/);
    expect((await post('/_emulator/aws/organization', { specs: ['Apps=12:ACTIVE'] })).status).toBe(400);
    expect((await post('/_emulator/aws/organization', { specs: ['Apps=555555555555:GONE'] })).status).toBe(
      400,
    );
  });
});
