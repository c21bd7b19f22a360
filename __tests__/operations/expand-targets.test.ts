// OU, root and path targets are expanded before anything is written: the accounts they mean
// replace them in the step's grants (or provision's accounts), and the log says what each
// expanded to. Over a recorded expansion: how Organizations is walked is tested in
// __tests__/core/inputs/org-targets.test.ts.
import { describe, expect, it } from '@jest/globals';
import { InputErrors } from '../../src/core/errors.js';
import { parseInputs, type AwsConfig, type ConfigOf } from '../../src/core/inputs/index.js';
import type { TargetExpansion } from '../../src/core/inputs/org-expansion.js';
import { withExpandedTargets } from '../../src/operations/expand-targets.js';

const PROD = 'ou-ab12-00000001';
const EMPTY = 'ou-ab12-00000002';
const parsed = (inputs: Record<string, string>) =>
  parseInputs(
    (name) =>
      ({
        cloud: 'aws',
        principal: 'alice',
        role: 'ReadOnlyAccess',
        'aws-region': 'eu-west-1',
        ...inputs,
      })[name] ?? '',
  );
const config = (inputs: Record<string, string>) => parsed(inputs) as AwsConfig;

/** An expansion that finds `accounts` under PROD and nothing under EMPTY, recording what it was asked. */
function organization(accounts = ['111111111111', '222222222222']) {
  const asked: string[][] = [];
  const expandTargets = async (targets: { written: string }[]): Promise<TargetExpansion> => {
    asked.push(targets.map((t) => t.written));
    return {
      accounts,
      expansions: [
        { target: PROD, id: PROD, name: 'Prod', accounts, excluded: [] },
        { target: EMPTY, id: EMPTY, accounts: [], excluded: [] },
      ],
      excluded: [{ id: '999999999999', name: 'old', status: 'SUSPENDED', target: PROD }],
    };
  };
  return { asked, expandTargets };
}

function recorded() {
  const info: string[] = [];
  const warning: string[] = [];
  return {
    info,
    warning,
    effects: { info: (m: string) => info.push(m), warning: (m: string) => warning.push(m) },
  };
}

describe('a step without OU, root or path targets', () => {
  it('keeps its config and asks Organizations nothing', async () => {
    const plain = config({ target: '111111111111' });
    const org = organization();
    const said = recorded();
    const { config: after, expansion } = await withExpandedTargets(plain, org.expandTargets, said.effects);
    expect(after).toBe(plain);
    expect(expansion).toBeUndefined();
    expect(org.asked).toEqual([]);
    expect(said.info).toEqual([]);
  });
});

describe('a step with OU targets', () => {
  it('grants over the accounts they hold, each once, beside the account IDs given', async () => {
    const org = organization();
    const { config: after } = await withExpandedTargets(
      config({ target: `${PROD}, ${EMPTY}, 333333333333` }),
      org.expandTargets,
      recorded().effects,
    );
    expect(org.asked).toEqual([[PROD, EMPTY, '333333333333']]);
    expect(after.grants.map((g) => ('accountId' in g ? g.accountId : ''))).toEqual(
      expect.arrayContaining(['111111111111', '222222222222']),
    );
    expect(after.grants.every((g) => g.written.principal === 'alice')).toBe(true);
  });

  it('says what each target expanded to, warns of one with no ACTIVE account, and names those left out', async () => {
    const said = recorded();
    await withExpandedTargets(
      config({ target: `${PROD}, ${EMPTY}` }),
      organization().expandTargets,
      said.effects,
    );
    expect(said.info[0]).toBe('Expanding 2 target(s) with AWS Organizations');
    expect(said.info.filter((l) => l.startsWith('target '))).toHaveLength(2);
    expect(said.info.some((l) => l.startsWith('left out (not ACTIVE): ') && l.includes('999999999999'))).toBe(
      true,
    );
    expect(said.info.at(-1)).toBe('2 account(s) in all, each once');
    expect(said.warning).toEqual([`target \`${EMPTY}\`: no ACTIVE account is under it`]);
  });
});

describe('provision over OU targets', () => {
  const provision = (permissionSets: string) =>
    parsed({
      operation: 'provision',
      principal: '',
      role: permissionSets,
      target: PROD,
    }) as ConfigOf<'provision'>;

  it('re-provisions the accounts they hold', async () => {
    const { config: after } = await withExpandedTargets(
      provision('ReadOnlyAccess'),
      organization().expandTargets,
      recorded().effects,
    );
    expect(after.provision.accounts).toEqual(['111111111111', '222222222222']);
  });

  it('refuses more accounts × permission sets than one step holds, naming the input', async () => {
    const many = Array.from({ length: 600 }, (_, i) => String(100000000000 + i));
    const refused = withExpandedTargets(
      provision('ReadOnlyAccess, Billing'),
      organization(many).expandTargets,
      recorded().effects,
    );
    await expect(refused).rejects.toThrow(InputErrors);
    await expect(refused).rejects.toThrow(/target \(expanded\) × role is 600 × 2 = 1200 grants/);
  });
});
