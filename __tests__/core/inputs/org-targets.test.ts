// OU, root and path targets in the pure core: their shapes checked before any call, paths matched
// by name with "did you mean", the walk over an organization, and the grants over the accounts.
import { describe, expect, it } from '@jest/globals';
import { CloudAccessError, InputErrors } from '../../../src/core/errors.js';
import { parseInputs, type AwsConfig } from '../../../src/core/inputs/index.js';
import {
  expandAwsTargets,
  grantsOverAccounts,
  type OrgReads,
} from '../../../src/core/inputs/org-expansion.js';
import { expansionLines, expansionSummaryHtml } from '../../../src/core/output/target-expansion.js';
import { parseAwsTarget, type OrgChildren } from '../../../src/core/inputs/org-targets.js';
import { reader, refusalsOf } from '../../harness/input-problems.js';

const aws = (inputs: Record<string, string>) =>
  parseInputs(
    reader({
      cloud: 'aws',
      principal: 'alice',
      role: 'ReadOnlyAccess',
      'aws-region': 'eu-west-1',
      ...inputs,
    }),
  ) as AwsConfig;
const problemsOf = (inputs: Record<string, string>) => refusalsOf(() => aws(inputs));

const PROD = 'ou-ab12-00000001';
const DEV = 'ou-ab12-00000002';
const WORKLOADS = 'ou-ab12-00000003';
const TREE: Record<string, OrgChildren> = {
  'r-ab12': {
    units: [
      { id: WORKLOADS, name: 'Workloads' },
      { id: 'ou-ab12-00000004', name: 'Sandbox' },
    ],
    accounts: [{ id: '123456789012', name: 'management', status: 'ACTIVE' }],
  },
  [WORKLOADS]: {
    units: [
      { id: PROD, name: 'Prod' },
      { id: DEV, name: 'Dev' },
    ],
    accounts: [],
  },
  [PROD]: {
    units: [],
    accounts: [
      { id: '111111111111', name: 'prod-a', status: 'ACTIVE' },
      { id: '222222222222', name: 'prod-b', status: 'PENDING_CLOSURE' },
    ],
  },
  [DEV]: {
    units: [],
    accounts: [
      { id: '333333333333', name: 'dev-a', status: 'ACTIVE' },
      { id: '444444444444', name: 'dev-b', status: 'SUSPENDED' },
    ],
  },
  'ou-ab12-00000004': { units: [], accounts: [] },
};

function organization(): OrgReads & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    root: () => Promise.resolve({ id: 'r-ab12', name: 'Root' }),
    children: (id) => {
      reads.push(id);
      const found = TREE[id];
      return found ? Promise.resolve(found) : Promise.reject(new Error(`no ${id}`));
    },
  };
}
const parsed = (...targets: string[]) =>
  targets.map((t) => {
    const value = parseAwsTarget(t);
    if ('problem' in value) throw new Error(value.problem);
    return { written: t, value };
  });

describe('target shapes are checked before any call', () => {
  it('takes account IDs, OU IDs, root IDs and OU paths, mixed in one list', () => {
    expect(parseAwsTarget('111111111111')).toEqual({ kind: 'account', id: '111111111111' });
    expect(parseAwsTarget('ou-ab12-cd34ef56')).toEqual({ kind: 'ou', id: 'ou-ab12-cd34ef56' });
    expect(parseAwsTarget('r-ab12')).toEqual({ kind: 'root', id: 'r-ab12' });
    expect(parseAwsTarget('Root/Workloads/Prod')).toEqual({ kind: 'path', names: ['Workloads', 'Prod'] });
    expect(parseAwsTarget('Root/Workloads/Prod/')).toEqual({ kind: 'path', names: ['Workloads', 'Prod'] });
    expect(parseAwsTarget('Root')).toEqual({ kind: 'path', names: [] });
  });

  it('defers the grants of a step with an OU target until the accounts are known', () => {
    const config = aws({ target: 'Root/Workloads, 111111111111' });
    expect(config.grants).toEqual([]);
    expect(config.orgTargets?.targets.map((t) => t.value.kind)).toEqual(['path', 'account']);
    expect(aws({ target: '111111111111' }).orgTargets).toBeUndefined();
  });

  it.each([
    ['ou-AB12-cd34ef56', 'is not an organizational unit ID'],
    ['ou-ab1-cd34ef56', 'is not an organizational unit ID'],
    ['r-AB', 'is not a root ID'],
    ['root/Workloads', 'is not an OU path'],
    ['Workloads/Prod', 'is not an OU path'],
    ['Root//Prod', 'is not an OU path'],
  ])('`%s` %s, naming the input', (target, message) => {
    const problems = problemsOf({ target });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`input \`target\`: \`${target}\` ${message}`);
  });
});

describe('the expansion walks the organization', () => {
  it('an OU means every ACTIVE account under it at any depth; the others are left out with their status', async () => {
    const expansion = await expandAwsTargets(parsed('Root/Workloads'), organization());
    expect(expansion.accounts).toEqual(['111111111111', '333333333333']);
    expect(expansion.excluded.map((x) => [x.id, x.status])).toEqual([
      ['222222222222', 'PENDING_CLOSURE'],
      ['444444444444', 'SUSPENDED'],
    ]);
    expect(expansion.expansions[0]).toMatchObject({ target: 'Root/Workloads', id: WORKLOADS });
  });

  it('overlapping targets collapse to one account each, in the order the targets name them', async () => {
    const expansion = await expandAwsTargets(
      parsed(PROD, 'r-ab12', 'Root/Workloads/Dev', '111111111111'),
      organization(),
    );
    expect(expansion.accounts).toEqual(['111111111111', '123456789012', '333333333333']);
    expect(expansion.excluded.map((x) => x.id)).toEqual(['222222222222', '444444444444']);
  });

  it('a path that does not exist says where it stopped and suggests the nearest names', async () => {
    const error = await expandAwsTargets(parsed('Root/Workloads/prod'), organization()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CloudAccessError);
    expect((error as CloudAccessError).message).toBe(
      'target `Root/Workloads/prod`: Root/Workloads has no OU named `prod`',
    );
    expect((error as CloudAccessError).fix).toMatch(/^did you mean `Prod`/);
  });

  it('a transposition is one edit: `Prdo` finds `Prod`; a name close to none lists the few OUs there are', async () => {
    const fixOf = async (path: string) =>
      ((await expandAwsTargets(parsed(path), organization()).catch((e: unknown) => e)) as CloudAccessError)
        .fix;
    expect(await fixOf('Root/Workloads/Prdo')).toMatch(/^did you mean `Prod`/);
    expect(await fixOf('Root/Workloads/Sandbox')).toMatch(
      /^none of its 2 OUs has a name close to it \(`Prod`, `Dev`\): check the path/,
    );
  });

  it("another organization's root is refused", async () => {
    await expect(expandAwsTargets(parsed('r-zz99'), organization())).rejects.toThrow(
      'target `r-zz99` is not the root of this organization, whose root is r-ab12',
    );
  });

  it('account IDs alone need no organization at all', async () => {
    const org = organization();
    expect((await expandAwsTargets(parsed('111111111111'), org)).accounts).toEqual(['111111111111']);
    expect(org.reads).toEqual([]);
  });
});

describe('grants over the expanded accounts', () => {
  it('are every principal × account × permission set, each account once', async () => {
    const config = aws({ principal: 'alice, bob', target: `Root/Workloads, ${PROD}` });
    const expansion = await expandAwsTargets(config.orgTargets!.targets, organization());
    const grants = grantsOverAccounts(config.orgTargets!, expansion);
    expect(grants.map((g) => `${g.written.principal}@${g.accountId}`)).toEqual([
      'alice@111111111111',
      'alice@333333333333',
      'bob@111111111111',
      'bob@333333333333',
    ]);
  });

  it('no ACTIVE account at all is an error naming the targets', async () => {
    const config = aws({ target: 'Root/Sandbox' });
    const expansion = await expandAwsTargets(config.orgTargets!.targets, organization());
    expect(() => grantsOverAccounts(config.orgTargets!, expansion)).toThrow(
      'no ACTIVE account is under `Root/Sandbox`',
    );
  });

  it('more than 1000 grants after expansion is refused', () => {
    const config = aws({
      principal: Array.from({ length: 11 }, (_, i) => `user${i}`).join(','),
      target: 'r-ab12',
    });
    const accounts = Array.from({ length: 100 }, (_, i) => String(100000000000 + i));
    expect(() => grantsOverAccounts(config.orgTargets!, { accounts, expansions: [], excluded: [] })).toThrow(
      InputErrors,
    );
  });
});

describe('the expansion as the log and the summary show it', () => {
  it('counts, then lists, folding a long list; names what was left out; escapes names', async () => {
    const expansion = await expandAwsTargets(parsed('Root/Workloads/Dev'), organization());
    expect(expansionLines(expansion)).toEqual([
      `Root/Workloads/Dev (${DEV}): 1 account: 333333333333; left out: 444444444444 (dev-b): SUSPENDED, not ACTIVE`,
    ]);
    const many = Array.from({ length: 30 }, (_, i) => String(100000000000 + i));
    const long = {
      accounts: many,
      expansions: [
        {
          target: 'r-ab12',
          id: 'r-ab12',
          accounts: many,
          excluded: [{ id: '999999999999', name: '<b>x</b>', status: 'SUSPENDED', target: 'r-ab12' }],
        },
      ],
      excluded: [],
    };
    expect(expansionLines(long)[0]).toContain('… and 5 more');
    const html = expansionSummaryHtml(long, true);
    expect(html).toContain('<details><summary>the 30 accounts</summary>');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).toContain('30 accounts would be used in all');
  });
});
